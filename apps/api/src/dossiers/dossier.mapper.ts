import { formatFormTime, formatLocalIso } from '../../../../libs/calendar/src';
import {
  type DeadlineClock,
  inWorkingDays,
  maskIdNumber,
  NATIONAL_STATUS_LABELS,
  type NationalStatus,
  remainingAt,
  TIMELINESS_LABELS,
  type Timeliness,
} from '../../../../libs/domain/src';
import { type DossierEntity } from '../../../../libs/persistence/src';
import { type AllowedActions } from '../../../../workflows/dossier.messages';
import { type LedgerEntry } from '../../../../libs/domain/src';
import { type Principal } from '../auth/principal';
import { type ScopedCalendar } from '../calendar/calendar.service';
import { type DossierDetail } from './dossier.reader';
import { type DossierListItem, type DossierView, type RemainingBand, type RemainingView } from './dto/dossier.view';

/** Roles whose work needs the applicant's full identification number. */
const SEES_FULL_ID = new Set(['DESK_CLERK', 'SPECIALIST', 'ADMIN']);
/** Roles that hand the lookup PIN to the citizen (at intake, or a new one when it is reissued). */
const SEES_PIN = new Set(['DESK_CLERK', 'ADMIN']);

export const STATE_LABELS: Record<string, string> = {
  RECEIVED: 'Đã tiếp nhận, đang chuyển xử lý',
  IN_PROGRESS: 'Đang xử lý',
  AWAITING_SUPPLEMENT: 'Chờ công dân bổ sung hồ sơ',
  AWAITING_PAYMENT: 'Chờ thực hiện nghĩa vụ tài chính',
  READY_FOR_RETURN: 'Đã có kết quả, chờ trả',
  RESULT_RETURNED: 'Đã trả kết quả',
  WITHDRAWN: 'Công dân đã rút hồ sơ',
  CLOSED: 'Dừng xử lý (không bổ sung trong thời hạn)',
};

const sees = (viewer: Principal, roles: Set<string>): boolean => viewer.roles.some((r) => roles.has(r));

/** Whether the caller hands PINs to citizens (sees a new one, prints it, issues another). */
export const seesPin = (viewer: Principal): boolean => sees(viewer, SEES_PIN);

/** Whether the caller hands out this dossier's PINs: the desk of its receiving unit, or an admin. */
export const handsOutPins = (viewer: Principal, receivingUnitCode: string): boolean =>
  seesPin(viewer) && (viewer.roles.includes('ADMIN') || viewer.unitCodes.includes(receivingUnitCode));
const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
const local = (calendar: ScopedCalendar, d: Date | null): string | null =>
  d ? formatLocalIso(calendar.calendar, d) : null;

/** Working time left before the due time (negative once late), or null when finished. */
export function remainingOf(d: DossierEntity, scoped: ScopedCalendar, now: Date): RemainingView | null {
  const clock = (d.deadline as { clock?: DeadlineClock } | null)?.clock;
  if (d.finishedAt || !clock) {
    return null;
  }
  const ms = remainingAt(scoped.calendar, clock, now);
  const paused = d.pausedSince !== null;
  const consumed = clock.budgetMs > 0 ? (clock.budgetMs - ms) / clock.budgetMs : 1;
  const band: RemainingBand =
    ms < 0
      ? 'OVERDUE'
      : paused
        ? 'PAUSED'
        : consumed >= 0.75
          ? 'PAST_THREE_QUARTERS'
          : consumed >= 0.5
            ? 'PAST_HALF'
            : 'ON_TRACK';
  return { workingMs: ms, workingDays: inWorkingDays(ms), overdue: ms < 0, paused, band };
}

/** One line a citizen (or a clerk on the phone) can read: where the dossier is and why. */
export function statusMessage(d: DossierEntity, scoped: ScopedCalendar): string {
  const fmt = (x: Date | null): string => (x ? formatFormTime(scoped.calendar, x) : '—');
  switch (d.state) {
    case 'AWAITING_SUPPLEMENT':
      return `Tạm dừng từ ${fmt(d.pausedSince)}: chờ công dân bổ sung giấy tờ (thời gian chờ không tính vào hạn giải quyết).`;
    case 'AWAITING_PAYMENT':
      return `Tạm dừng từ ${fmt(d.pausedSince)}: chờ công dân thực hiện nghĩa vụ tài chính.`;
    case 'READY_FOR_RETURN':
      return `Đã có kết quả từ ${fmt(d.finishedAt)}; mời nhận tại bộ phận một cửa.`;
    case 'RESULT_RETURNED':
      return `Đã trả kết quả lúc ${fmt(d.resultReturnedAt)}.`;
    case 'WITHDRAWN':
      return `Đã dừng theo đề nghị rút hồ sơ lúc ${fmt(d.finishedAt)}.`;
    case 'CLOSED':
      return `Dừng xử lý lúc ${fmt(d.finishedAt)}: hồ sơ không được bổ sung trong thời hạn.`;
    default:
      return `Đang xử lý${d.currentStepName ? ` (${d.currentStepName})` : ''}; hẹn trả kết quả ${fmt(d.dueAt)}${d.extended ? ' (đã gia hạn)' : ''}.`;
  }
}

/** What the caller may do with a dossier, as its workflow answered (nothing, when it was not asked). */
export type ViewerActions = Pick<AllowedActions, 'actions' | 'nextSteps' | 'returnTargets'>;
export const NO_ACTIONS: ViewerActions = { actions: [], nextSteps: [], returnTargets: [] };

export function toDossierView(
  detail: DossierDetail,
  viewer: Principal,
  scoped: ScopedCalendar,
  allowed: ViewerActions = NO_ACTIONS,
): DossierView {
  const d = detail.dossier;
  const now = new Date();
  const fullId = sees(viewer, SEES_FULL_ID);
  const deadline = d.deadline as {
    ledger?: LedgerEntry[];
    anchorAt?: string;
    budget?: unknown;
    warningAt?: string | null;
  } | null;
  const ledger = deadline?.ledger ?? [];
  const name = (id: string | null): string | null => (id ? (detail.officerNames.get(id) ?? null) : null);
  return {
    allowedActions: allowed.actions,
    nextSteps: allowed.nextSteps,
    returnTargets: allowed.returnTargets,
    code: d.code,
    procedure: { code: d.procedureCode, name: detail.procedure.name, caseCode: d.caseCode },
    procedureCode: d.procedureCode,
    receivingUnitCode: d.receivingUnitCode,
    receivingUnitName: detail.unitNames.get(d.receivingUnitCode) ?? d.receivingUnitCode,
    channel: d.channel,
    applicant: {
      type: d.applicantType,
      idNumber: fullId ? d.applicantIdNumber : maskIdNumber(d.applicantIdNumber),
      name: d.applicantName,
      ...d.applicantContact,
    },
    proxy: d.proxy ? { ...d.proxy, idNumber: fullId ? d.proxy.idNumber : maskIdNumber(d.proxy.idNumber) } : null,
    documents: d.documents,
    lookupPin: null,
    lookupLocked: handsOutPins(viewer, d.receivingUnitCode) ? d.lookupLockedAt !== null : null,
    state: d.state,
    stateLabel: STATE_LABELS[d.state] ?? d.state,
    statusMessage: statusMessage(d, scoped),
    nationalStatus: d.nationalStatus,
    nationalStatusLabel: NATIONAL_STATUS_LABELS[d.nationalStatus as NationalStatus],
    outcome: d.outcome,
    receivedAt: d.receivedAt.toISOString(),
    promisedAt: iso(d.promisedAt),
    dueAt: iso(d.dueAt),
    dueAtLocal: local(scoped, d.dueAt),
    remaining: remainingOf(d, scoped, now),
    pausedSince: iso(d.pausedSince),
    pauseReason: d.pauseReason,
    currentStep: d.currentStepCode
      ? {
          no: d.currentStepNo as number,
          code: d.currentStepCode,
          name: d.currentStepName ?? '',
          unitCode: d.currentUnitCode ?? '',
          unitName: detail.unitNames.get(d.currentUnitCode ?? '') ?? d.currentUnitCode ?? '',
          holder: d.holderId ? { officerId: d.holderId, fullName: name(d.holderId) } : null,
          dueAt: iso(detail.steps.find((s) => s.no === d.currentStepNo)?.dueAt ?? null),
        }
      : null,
    deadline: {
      anchorAt: deadline?.anchorAt ?? null,
      budget: deadline?.budget ?? null,
      warningAt: deadline?.warningAt ?? null,
      extended: d.extended,
      supplementRequests: d.supplementRequests,
      explanation: ledger.map((e) => e.explanation).join(' '),
      ledger,
    },
    processingStartedAt: iso(d.workflowStartedAt),
    finishedAt: iso(d.finishedAt),
    timeliness: d.timeliness,
    timelinessLabel: d.timeliness ? TIMELINESS_LABELS[d.timeliness as Timeliness] : null,
    resultReturnedAt: iso(d.resultReturnedAt),
    ...(d.segments ? { segments: d.segments } : {}),
    steps: detail.steps.map((s) => ({
      no: s.no,
      code: s.code,
      name: s.name,
      unitCode: s.unitCode,
      unitName: detail.unitNames.get(s.unitCode) ?? s.unitCode,
      role: s.role,
      holder: s.holderId ? { officerId: s.holderId, fullName: s.holderName ?? name(s.holderId) } : null,
      startedAt: s.startedAt.toISOString(),
      budgetWorkingDays: s.budgetMs === null ? null : inWorkingDays(Number(s.budgetMs)),
      dueAt: iso(s.dueAt),
      completedAt: iso(s.completedAt),
      result: s.result,
      exit: s.exit,
      note: s.note,
    })),
    breaches: detail.facts.map((f) => ({
      kind: f.kind,
      unitCode: f.unitCode,
      officer: f.officerId ? { officerId: f.officerId, fullName: name(f.officerId) } : null,
      stepCode: f.stepCode,
      dueAt: f.dueAt.toISOString(),
      occurredAt: f.occurredAt.toISOString(),
    })),
    history: detail.events.map((e) => ({
      seq: e.seq,
      type: e.type,
      nationalStatus: e.nationalStatus,
      occurredAt: e.occurredAt.toISOString(),
      actorId: e.actorId,
      actorName: name(e.actorId),
      payload: e.payload,
    })),
  };
}

export function toListItem(
  d: DossierEntity,
  procedureName: string | null,
  viewer: Principal,
  scoped: ScopedCalendar,
  now: Date,
): DossierListItem {
  return {
    code: d.code,
    procedureCode: d.procedureCode,
    procedureName,
    receivingUnitCode: d.receivingUnitCode,
    applicantName: d.applicantName,
    applicantIdNumber: sees(viewer, SEES_FULL_ID) ? d.applicantIdNumber : maskIdNumber(d.applicantIdNumber),
    state: d.state,
    nationalStatus: d.nationalStatus,
    currentStepCode: d.currentStepCode,
    currentStepName: d.currentStepName,
    currentUnitCode: d.currentUnitCode,
    holderId: d.holderId,
    receivedAt: d.receivedAt.toISOString(),
    dueAt: iso(d.dueAt),
    remaining: remainingOf(d, scoped, now),
    timeliness: d.timeliness,
  };
}
