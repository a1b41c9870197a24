/** National status codes every dossier maps to when synced to the national portal (domain §2). */
export enum NationalStatus {
  REGISTERED_ONLINE = 1,
  RECEIVED = 2,
  NOT_RECEIVED = 3,
  PROCESSING = 4,
  SUPPLEMENT_REQUESTED = 5,
  FINANCIAL_OBLIGATION = 6,
  WITHDRAWN = 7,
  STOPPED = 8,
  PROCESSED = 9,
  RESULT_RETURNED = 10,
}

export const NATIONAL_STATUS_LABELS: Record<NationalStatus, string> = {
  [NationalStatus.REGISTERED_ONLINE]: 'Đăng ký trực tuyến',
  [NationalStatus.RECEIVED]: 'Đã tiếp nhận',
  [NationalStatus.NOT_RECEIVED]: 'Không tiếp nhận',
  [NationalStatus.PROCESSING]: 'Đang xử lý',
  [NationalStatus.SUPPLEMENT_REQUESTED]: 'Yêu cầu bổ sung',
  [NationalStatus.FINANCIAL_OBLIGATION]: 'Chờ thực hiện nghĩa vụ tài chính',
  [NationalStatus.WITHDRAWN]: 'Công dân rút hồ sơ',
  [NationalStatus.STOPPED]: 'Dừng xử lý',
  [NationalStatus.PROCESSED]: 'Đã xử lý xong',
  [NationalStatus.RESULT_RETURNED]: 'Đã trả kết quả',
};

/** Intake channels (kênh): 1 in person, 2 online, 3 public postal service. */
export const CHANNELS = ['IN_PERSON', 'ONLINE', 'POSTAL'] as const;
export type Channel = (typeof CHANNELS)[number];

export const APPLICANT_TYPES = ['INDIVIDUAL', 'ORGANISATION'] as const;
export type ApplicantType = (typeof APPLICANT_TYPES)[number];
