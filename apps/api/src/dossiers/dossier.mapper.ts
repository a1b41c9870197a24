import { maskIdNumber, NATIONAL_STATUS_LABELS, type NationalStatus } from '../../../../libs/domain/src';
import { type DossierEntity, type DossierEventEntity } from '../../../../libs/persistence/src';
import { type Principal } from '../auth/principal';
import { type DossierView } from './dto/dossier.view';

/** Roles whose work needs the applicant's full identification number. */
const SEES_FULL_ID = new Set(['DESK_CLERK', 'SPECIALIST', 'ADMIN']);

export function toDossierView(d: DossierEntity, events: DossierEventEntity[], viewer: Principal): DossierView {
  const fullId = viewer.roles.some((r) => SEES_FULL_ID.has(r));
  return {
    code: d.code,
    procedureCode: d.procedureCode,
    receivingUnitCode: d.receivingUnitCode,
    channel: d.channel,
    applicant: {
      type: d.applicantType,
      idNumber: fullId ? d.applicantIdNumber : maskIdNumber(d.applicantIdNumber),
      name: d.applicantName,
    },
    nationalStatus: d.nationalStatus,
    nationalStatusLabel: NATIONAL_STATUS_LABELS[d.nationalStatus as NationalStatus],
    receivedAt: d.receivedAt.toISOString(),
    processingStartedAt: d.workflowStartedAt?.toISOString() ?? null,
    resultReturnedAt: d.resultReturnedAt?.toISOString() ?? null,
    history: events.map((e) => ({
      seq: e.seq,
      type: e.type,
      nationalStatus: e.nationalStatus,
      occurredAt: e.occurredAt.toISOString(),
      actorId: e.actorId,
      payload: e.payload,
    })),
  };
}
