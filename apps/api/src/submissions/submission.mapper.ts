import {
  maskIdNumber,
  NATIONAL_STATUS_LABELS,
  type NationalStatus,
  SUBMISSION_STATE_LABELS,
} from '../../../../libs/domain/src';
import { type SubmissionRow } from '../../../../libs/persistence/src';
import { type Principal } from '../auth/principal';
import { type SubmissionView } from './dto/submission.view';

/** Roles whose work needs the applicant's full identification number (as for dossiers). */
const SEES_FULL_ID = new Set(['DESK_CLERK', 'SPECIALIST', 'ADMIN']);

export const seesFullId = (viewer: Principal): boolean => viewer.roles.some((r) => SEES_FULL_ID.has(r));

export function toSubmissionView(s: SubmissionRow, viewer: Principal): SubmissionView {
  const full = seesFullId(viewer);
  const id = (n: string): string => (full ? n : maskIdNumber(n));
  const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());
  return {
    id: s.id,
    state: s.state,
    stateLabel: SUBMISSION_STATE_LABELS[s.state],
    nationalStatus: s.nationalStatus,
    nationalStatusLabel: NATIONAL_STATUS_LABELS[s.nationalStatus as NationalStatus],
    procedure: { code: s.procedureCode, name: s.procedureName ?? s.procedureCode, caseCode: s.caseCode },
    receivingUnitCode: s.receivingUnitCode,
    receivingUnitName: s.receivingUnitName ?? s.receivingUnitCode,
    channel: s.channel,
    applicant: { ...s.applicant, idNumber: id(s.applicant.idNumber), ...s.applicantContact },
    proxy: s.proxy ? { ...s.proxy, idNumber: id(s.proxy.idNumber) } : null,
    documents: s.documents,
    submittedAt: new Date(s.submittedAt).toISOString(),
    submittedBy: { officerId: s.submittedBy, fullName: s.submittedByName },
    dossierCode: s.dossierCode,
    receivedAt: s.state === 'RECEIVED' ? iso(s.decidedAt) : null,
    refusal:
      s.state === 'REFUSED' && s.refusalReasons && s.decidedAt && s.decidedBy
        ? {
            reasons: s.refusalReasons,
            refusedAt: new Date(s.decidedAt).toISOString(),
            refusedBy: { officerId: s.decidedBy, fullName: s.decidedByName },
          }
        : null,
  };
}
