import { NationalStatus } from './dossier-status';

/**
 * An application not (yet) received at a desk (domain §2.1): submitted online and waiting for a clerk, received (it
 * became a dossier with its code and receipt), or refused with reasons (form 03). No clock runs and no code is
 * issued before reception; a refused application never becomes a dossier.
 */
export const SUBMISSION_STATES = ['SUBMITTED', 'RECEIVED', 'REFUSED'] as const;
export type SubmissionState = (typeof SUBMISSION_STATES)[number];

/** The national status each state is synced as: 1 registered online, 2 received, 3 not received. */
export const SUBMISSION_NATIONAL_STATUS: Record<SubmissionState, NationalStatus> = {
  SUBMITTED: NationalStatus.REGISTERED_ONLINE,
  RECEIVED: NationalStatus.RECEIVED,
  REFUSED: NationalStatus.NOT_RECEIVED,
};

export const SUBMISSION_STATE_LABELS: Record<SubmissionState, string> = {
  SUBMITTED: 'Nộp trực tuyến, chờ tiếp nhận',
  RECEIVED: 'Đã tiếp nhận',
  REFUSED: 'Từ chối tiếp nhận',
};
