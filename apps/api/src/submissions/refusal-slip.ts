import { type WorkingCalendar } from '../../../../libs/calendar/src';
import { DomainErrorCode, DomainException } from '../../../../libs/domain/src';
import { type SubmissionRow } from '../../../../libs/persistence/src';
import { type Principal } from '../auth/principal';
import { type FormDocument, vnTime } from '../dossiers/forms/dossier-forms';
import { toSubmissionView } from './submission.mapper';

const CHANNEL_LABELS: Record<string, string> = {
  IN_PERSON: 'Trực tiếp',
  ONLINE: 'Trực tuyến',
  POSTAL: 'Bưu chính công ích',
};

/**
 * Mẫu 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ — the desk does not receive the application (not in its scope,
 * not eligible), with the reasons. It was never received: no dossier code, no receipt, no clock.
 */
export function buildDeskRefusal(s: SubmissionRow, viewer: Principal, calendar: WorkingCalendar): FormDocument {
  const view = toSubmissionView(s, viewer);
  const refusal = view.refusal;
  if (!refusal) {
    throw new DomainException(
      DomainErrorCode.NOT_FOUND,
      `Submission ${s.id} has no refusal (form 03): it is ${s.state === 'RECEIVED' ? `dossier ${s.dossierCode}` : 'waiting at the desk'}.`,
    );
  }
  const { applicant } = view;
  const notice = `${view.receivingUnitName} từ chối tiếp nhận hồ sơ của ông/bà ${applicant.name} vì các lý do dưới đây. Xin thông báo để ông/bà được biết và thực hiện.`;
  return {
    form: '03',
    number: `${s.no}/TCTN`,
    title: 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ',
    dossierCode: null,
    data: {
      submissionId: s.id,
      desk: { code: view.receivingUnitCode, name: view.receivingUnitName },
      applicant: { ...applicant, proxy: view.proxy },
      request: view.procedure.name,
      procedureCode: view.procedure.code,
      channel: s.channel,
      submittedAt: view.submittedAt,
      refusedAt: refusal.refusedAt,
      reasons: refusal.reasons,
      notice,
      refusedBy: refusal.refusedBy.fullName,
    },
    print: {
      fields: [
        ['Bộ phận tiếp nhận', view.receivingUnitName],
        ['Người nộp', applicant.name],
        ['Số định danh', applicant.idNumber],
        ['Địa chỉ', applicant.address ?? ''],
        ['Điện thoại / Email', [applicant.phone, applicant.email].filter(Boolean).join(' / ')],
        ...(view.proxy
          ? ([['Người được ủy quyền', `${view.proxy.name} (${view.proxy.idNumber})`]] as [string, string][])
          : []),
        ['Nội dung yêu cầu giải quyết', view.procedure.name],
        ['Hình thức nộp', CHANNEL_LABELS[s.channel] ?? s.channel],
        ...(s.channel === 'ONLINE'
          ? ([['Thời gian nộp', vnTime(calendar, view.submittedAt)]] as [string, string][])
          : []),
        ['Thời gian từ chối', vnTime(calendar, refusal.refusedAt)],
        ['Thông báo', notice],
      ],
      table: { columns: ['STT', 'Lý do từ chối tiếp nhận'], rows: refusal.reasons.map((r, i) => [String(i + 1), r]) },
      signature: `Người tiếp nhận: ${refusal.refusedBy.fullName ?? ''}`,
    },
  };
}
