/**
 * Every sentence the machine writes, in one place: the Vietnamese notices officers receive, the Vietnamese labels
 * on the control sheet, and the English lines of the deadline ledger (the ledger explains the due time to auditors
 * and is translated by the console).
 */
import { WORKING_DAY_MS } from '../../libs/calendar/src';
import { type Duration } from '../../libs/domain/src';
import { type CalendarChangedSignal, type SegmentInstance, type StepInstance } from '../dossier.types';
import { type Dossier, fmt, fmtIso } from './state';

/** The legal basis of a new return time (the apology letter). */
export const EXTENSION_BASIS = 'Mẫu số 04 (Thông tư 03/2025/TT-VPCP): thư xin lỗi và hẹn lại ngày trả kết quả';

const describeBudget = ({ amount, unit }: Duration): string =>
  `${amount} ${unit === 'WD' ? 'working days' : unit === 'WH' ? 'working hours' : 'calendar days'}`;

const stepWhere = (d: Dossier, step: StepInstance): string =>
  `bước ${step.code} "${step.name}" (hạn ${fmtIso(d, step.dueAt)})`;

const segmentWhere = (segment: SegmentInstance): string =>
  `phần việc liên thông "${segment.name}" của đơn vị ${segment.agency}`;

/** The messages of the notifications officers receive. */
export const notice = {
  stepArrived: (d: Dossier, step: StepInstance): string =>
    `Hồ sơ ${d.input.dossierCode} đến bước ${step.code} "${step.name}" tại đơn vị ${step.unit}, chưa có người xử lý (hạn ${fmtIso(d, step.dueAt)}).`,
  stepAssigned: (d: Dossier, step: StepInstance): string =>
    `Hồ sơ ${d.input.dossierCode}: bạn được giao bước ${step.code} "${step.name}" (hạn ${fmtIso(d, step.dueAt)}).`,
  supplementRequested: (d: Dossier, windowEndsAt: Date): string =>
    `Hồ sơ ${d.input.dossierCode}: yêu cầu bổ sung (mẫu 02) cần gửi cho người nộp; hạn bổ sung ${fmt(d, windowEndsAt)}.`,
  supplementSubmitted: (d: Dossier): string =>
    `Hồ sơ ${d.input.dossierCode}: người nộp đã bổ sung; hạn mới ${fmtIso(d, d.deadline.dueAt)}.`,
  extensionGranted: (d: Dossier, newDueAt: string): string =>
    `Hồ sơ ${d.input.dossierCode}: gia hạn đến ${fmt(d, new Date(newDueAt))}; gửi thư xin lỗi (mẫu 04) cho người nộp.`,
  stepShareUsed: (d: Dossier, step: StepInstance, share: '50%' | '75%'): string =>
    `Hồ sơ ${d.input.dossierCode}: đã dùng ${share} thời gian của ${stepWhere(d, step)}.`,
  stepBreached: (d: Dossier, step: StepInstance): string =>
    `Hồ sơ ${d.input.dossierCode} quá hạn ở ${stepWhere(d, step)}; người xử lý: ${step.holderName ?? 'chưa có'}.`,
  dueSoon: (d: Dossier): string => {
    const { unit, budgetMs } = d.deadline.clock;
    const left = d.legacyClock || (unit !== 'CD' && budgetMs > WORKING_DAY_MS) ? 'còn 1 ngày làm việc' : 'sắp';
    return `Hồ sơ ${d.input.dossierCode} ${left} đến hạn trả ${fmtIso(d, d.deadline.dueAt)}: nếu không kịp, thủ trưởng ký thư xin lỗi và hẹn lại (mẫu 04) trước hạn.`;
  },
  dossierBreached: (d: Dossier, step: StepInstance | null, unit: string): string =>
    `Hồ sơ ${d.input.dossierCode} đã quá hạn trả kết quả (${fmtIso(d, d.deadline.dueAt)}); đang ở ${step ? `bước ${step.code} "${step.name}", đơn vị ${unit}` : 'bộ phận một cửa'}.`,
  closedNoSupplement: (d: Dossier): string =>
    `Hồ sơ ${d.input.dossierCode} dừng xử lý: người nộp không bổ sung trong thời hạn.`,
  segmentHandedOver: (d: Dossier, segment: SegmentInstance): string =>
    `Hồ sơ ${d.input.dossierCode} được chuyển liên thông đến đơn vị ${segment.agency} ("${segment.name}", ${segment.budget.amount} ${segment.budget.unit}, hạn ${fmtIso(d, segment.dueAt)}).`,
  segmentDueSoon: (d: Dossier, segment: SegmentInstance): string =>
    `Hồ sơ ${d.input.dossierCode}: ${segmentWhere(segment)} còn 1 ngày làm việc (hạn ${fmtIso(d, segment.dueAt)}).`,
  segmentBreached: (d: Dossier, segment: SegmentInstance): string =>
    `Hồ sơ ${d.input.dossierCode}: ${segmentWhere(segment)} đã quá hạn (${fmtIso(d, segment.dueAt)}).`,
  partnerBreached: (d: Dossier, segment: SegmentInstance, step: StepInstance): string =>
    `Hồ sơ ${d.input.dossierCode}: hệ thống ${segment.partner} (đơn vị ${step.unit}) chưa trả kết quả phần việc "${segment.name}" đúng hạn (${fmtIso(d, step.dueAt)}).`,
};

/** What the control sheet says of a step. */
export const sheet = {
  partnerStepName: (name: string, partner: string | undefined): string => `${name} (hệ thống ${partner})`,
  partnerAccepted: (partner: string | undefined, partnerDossierCode: string | undefined): string =>
    `Tiếp nhận tại hệ thống ${partner}${partnerDossierCode ? `: ${partnerDossierCode}` : ''}`,
  closedNoSupplement: 'Hết hạn bổ sung hồ sơ',
};

/** The explanations of the deadline ledger's entries. */
export const ledgerLine = {
  anchor: (d: Pick<Dossier, 'calendar' | 'rules'>, receivedAt: Date, anchor: Date, due: Date): string =>
    `${describeBudget(d.rules.processingTime)} from ${fmt(d, anchor)} gives ${fmt(d, due)}.` +
    (anchor.getTime() > receivedAt.getTime()
      ? ` Received at ${fmt(d, receivedAt)}, outside office hours or after the cut-off, so counting starts at ${fmt(d, anchor)}.`
      : ''),
  supplementPause: (d: Dossier, now: Date, remainingWd: number | null, windowEndsAt: Date): string =>
    `Paused at ${fmt(d, now)}: waiting for the applicant's documents (request ${d.deadline.supplementRequests} of ${d.rules.clockPolicy.maxSupplementRequests}). ` +
    (remainingWd !== null
      ? `${remainingWd} WD were left; the wait is not counted.`
      : 'Policy RESTART: the full time starts again when the complete dossier arrives.') +
    ` The applicant has until ${fmt(d, windowEndsAt)}.`,
  supplementResumed: (d: Dossier, now: Date, waitedWd: number): string =>
    `The complete dossier arrived at ${fmt(d, now)}: ${waitedWd} WD of waiting not counted (policy PAUSE); due ${fmtIso(d, d.deadline.dueAt)}.`,
  restarted: (d: Dossier, now: Date, anchor: Date): string =>
    `The complete dossier arrived at ${fmt(d, now)}: policy RESTART, so ${describeBudget(d.rules.processingTime)} start again from ${fmt(d, anchor)}, due ${fmtIso(d, d.deadline.dueAt)}.`,
  paymentPause: (d: Dossier, now: Date, amount: number, reason: string): string =>
    `Paused at ${fmt(d, now)}: waiting for the applicant to pay ${amount} đồng (${reason}); the wait is not counted.`,
  paid: (d: Dossier, now: Date, waitedWd: number): string =>
    `Paid at ${fmt(d, now)}: ${waitedWd} WD of waiting not counted; due ${fmtIso(d, d.deadline.dueAt)}.`,
  extended: (d: Dossier, days: number, by: string, reason: string, after: string, before: string): string =>
    `Extended by ${days} WD by ${by} (reason: ${reason}): new return time ${fmt(d, new Date(after))} instead of ${fmt(d, new Date(before))}.`,
  calendarChanged: (d: Dossier, change: CalendarChangedSignal, before: string | null, after: string | null): string => {
    const dates = change.changedDates.length > 0 ? ` (${change.changedDates.join(', ')})` : '';
    const what = `calendar ${change.scope} ${change.year} edited${dates}${change.legalBasis ? `, ${change.legalBasis}` : ''}`;
    return before !== after
      ? `The ${what}: due time moved from ${fmtIso(d, before)} to ${fmtIso(d, after)}.`
      : `The ${what}: step and window deadlines re-projected; the dossier's due time is unchanged.`;
  },
  finished: (d: Dossier, now: Date, due: Date): string =>
    `Processing finished at ${fmt(d, now)} against the due time ${fmt(d, due)}: ${(d.timeliness ?? '').toLowerCase().replace('_', ' ')}.`,
};
