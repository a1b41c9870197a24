import { formatFormTime, type WorkingCalendar } from '../../../../../libs/calendar/src';
import {
  DomainErrorCode,
  DomainException,
  inWorkingDays,
  maskIdNumber,
  parseDossierCode,
  TIMELINESS_LABELS,
  type Timeliness,
  type TransitionPayloads,
} from '../../../../../libs/domain/src';
import { type Principal } from '../../auth/principal';
import { type DossierDetail } from '../dossier.reader';
import { seesPin } from '../dossier.mapper';

/** A form as data (JSON) plus how to print it: labelled fields and at most one table. */
export interface FormDocument {
  form: string;
  number: string;
  title: string;
  /** Null on the refusal of an application never received (it has no code). */
  dossierCode: string | null;
  data: Record<string, unknown>;
  print: { fields: [string, string][]; table?: { columns: string[]; rows: string[][] }; signature?: string };
}

export const FORMS = ['receipt', 'supplement-request', 'refusal', 'apology', 'stop-notice', 'control-sheet'] as const;
export type FormName = (typeof FORMS)[number];

const FULL_ID_ROLES = new Set(['DESK_CLERK', 'SPECIALIST', 'ADMIN']);
/** How a document is handed in, as the forms print it. */
export const FORM_LABELS: Record<string, string> = {
  ORIGINAL: 'Bản chính',
  COPY: 'Bản sao',
  CERTIFIED_COPY: 'Bản sao có chứng thực',
  ORIGINAL_FOR_COMPARISON: 'Bản chính để đối chiếu',
  ELECTRONIC: 'Bản điện tử',
};

/** A stored event of one type: the workflow wrote its payload as that type's (TransitionPayloads). */
type StoredEvent<T extends keyof TransitionPayloads> = DossierDetail['events'][number] & {
  type: T;
  payload: TransitionPayloads[T];
};

/** `hh:mm dd/mm/yyyy` in the deployment's zone, as the forms of Circular 03/2025 print times. */
export function vnTime(calendar: WorkingCalendar, at: Date | string | null | undefined): string {
  if (!at) {
    return '';
  }
  return formatFormTime(calendar, new Date(at));
}

function applicantOf(detail: DossierDetail, viewer: Principal) {
  const d = detail.dossier;
  const full = viewer.roles.some((r) => FULL_ID_ROLES.has(r));
  return {
    name: d.applicantName,
    type: d.applicantType,
    idNumber: full ? d.applicantIdNumber : maskIdNumber(d.applicantIdNumber),
    address: d.applicantContact.address ?? '',
    phone: d.applicantContact.phone ?? '',
    email: d.applicantContact.email ?? '',
    proxy: d.proxy ? { ...d.proxy, idNumber: full ? d.proxy.idNumber : maskIdNumber(d.proxy.idNumber) } : null,
  };
}

function lastEvent<T extends keyof TransitionPayloads>(detail: DossierDetail, type: T, form: string) {
  const event = [...detail.events].reverse().find((e): e is StoredEvent<T> => e.type === type);
  if (!event) {
    throw new DomainException(
      DomainErrorCode.NOT_FOUND,
      `Dossier ${detail.dossier.code} has no ${form}: nothing in its history calls for one.`,
    );
  }
  return event;
}

const budgetText = (budget: { amount: number; unit: string } | undefined): string =>
  budget
    ? `${budget.amount} ${budget.unit === 'WD' ? 'ngày làm việc' : budget.unit === 'WH' ? 'giờ làm việc' : 'ngày'}`
    : '';

/**
 * Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả. The lookup PIN is stored hashed: it is printed when the caller
 * brings it (at intake, or when a new one is issued) and is a desk role; a later reprint has no PIN on it.
 */
export function buildReceipt(
  detail: DossierDetail,
  viewer: Principal,
  calendar: WorkingCalendar,
  legalTime?: { amount: number; unit: string },
  pin?: string,
): FormDocument {
  const d = detail.dossier;
  const applicant = applicantOf(detail, viewer);
  const desk = detail.unitNames.get(d.receivingUnitCode) ?? d.receivingUnitCode;
  const budget = legalTime ?? (d.deadline as { budget?: { amount: number; unit: string } } | null)?.budget;
  const line = parseDossierCode(d.code)?.sequence ?? null;
  const documents = d.documents.map((doc, i) => ({ no: i + 1, ...doc, formLabel: FORM_LABELS[doc.form] ?? doc.form }));
  const shownPin = pin !== undefined && seesPin(viewer) ? pin : null;
  return {
    form: '01',
    number: d.code,
    title: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
    dossierCode: d.code,
    data: {
      desk: { code: d.receivingUnitCode, name: desk },
      applicant,
      request: detail.procedure.name,
      procedureCode: d.procedureCode,
      documents,
      legalProcessingTime: budgetText(budget),
      receivedAt: d.receivedAt.toISOString(),
      receivedAtText: vnTime(calendar, d.receivedAt),
      returnAt: d.promisedAt?.toISOString() ?? null,
      returnAtText: vnTime(calendar, d.promisedAt),
      returnPlace: desk,
      register: { book: `${d.receivingUnitCode}/${d.receivedAt.getUTCFullYear()}`, line },
      lookupPin: shownPin,
      receivedBy: detail.officerNames.get(d.receivedBy) ?? null,
    },
    print: {
      fields: [
        ['Mã hồ sơ', d.code],
        ['Bộ phận tiếp nhận', desk],
        ['Người nộp', applicant.name],
        ['Số định danh', applicant.idNumber],
        ['Địa chỉ', applicant.address],
        ['Điện thoại / Email', [applicant.phone, applicant.email].filter(Boolean).join(' / ')],
        ...(applicant.proxy
          ? ([['Người được ủy quyền', `${applicant.proxy.name} (${applicant.proxy.idNumber})`]] as [string, string][])
          : []),
        ['Nội dung yêu cầu', detail.procedure.name],
        ['Thời gian giải quyết theo quy định', budgetText(budget)],
        ['Thời gian nhận hồ sơ', vnTime(calendar, d.receivedAt)],
        ['Thời gian trả kết quả', vnTime(calendar, d.promisedAt)],
        ['Nơi nhận kết quả', desk],
        ['Sổ theo dõi / số thứ tự', `${d.receivingUnitCode}/${d.receivedAt.getUTCFullYear()} — ${line ?? ''}`],
        ...(shownPin ? ([['Mã tra cứu (PIN)', shownPin]] as [string, string][]) : []),
      ],
      table: {
        columns: ['STT', 'Tên giấy tờ', 'Hình thức', 'Số lượng'],
        rows: documents.map((doc) => [String(doc.no), doc.name, doc.formLabel, String(doc.count)]),
      },
      signature: `Người tiếp nhận: ${detail.officerNames.get(d.receivedBy) ?? ''}`,
    },
  };
}

/** Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ. */
function buildSupplementRequest(detail: DossierDetail, viewer: Principal, calendar: WorkingCalendar): FormDocument {
  const event = lastEvent(detail, 'SUPPLEMENT_REQUESTED', 'supplement request (form 02)');
  const p = event.payload;
  const applicant = applicantOf(detail, viewer);
  const contact = event.actorId ? (detail.officerNames.get(event.actorId) ?? '') : '';
  return {
    form: '02',
    number: `${detail.dossier.code}/BS`,
    title: 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
    dossierCode: detail.dossier.code,
    data: {
      applicant,
      procedure: detail.procedure.name,
      items: p.items.map((item, i) => ({ no: i + 1, item })),
      reason: p.reason,
      requestedAt: event.occurredAt.toISOString(),
      completeBy: p.windowEndsAt,
      contact,
    },
    print: {
      fields: [
        ['Hồ sơ của', applicant.name],
        ['Mã hồ sơ', detail.dossier.code],
        ['Thủ tục', detail.procedure.name],
        ['Lý do', p.reason],
        ['Ngày yêu cầu', vnTime(calendar, event.occurredAt)],
        ['Hạn bổ sung', vnTime(calendar, p.windowEndsAt)],
        ['Người liên hệ', contact],
      ],
      table: {
        columns: ['STT', 'Nội dung cần bổ sung, hoàn thiện'],
        rows: p.items.map((item, i) => [String(i + 1), item]),
      },
    },
  };
}

/** Mẫu 03: Phiếu từ chối giải quyết hồ sơ. */
function buildRefusal(detail: DossierDetail, viewer: Principal, calendar: WorkingCalendar): FormDocument {
  const event = lastEvent(detail, 'REFUSED', 'refusal (form 03)');
  const { reasons } = event.payload;
  const applicant = applicantOf(detail, viewer);
  return {
    form: '03',
    number: `${detail.dossier.code}/TC`,
    title: 'PHIẾU TỪ CHỐI GIẢI QUYẾT HỒ SƠ',
    dossierCode: detail.dossier.code,
    data: { applicant, procedure: detail.procedure.name, reasons, refusedAt: event.occurredAt.toISOString() },
    print: {
      fields: [
        ['Người nộp', applicant.name],
        ['Mã hồ sơ', detail.dossier.code],
        ['Thủ tục', detail.procedure.name],
        ['Ngày từ chối', vnTime(calendar, event.occurredAt)],
      ],
      table: { columns: ['STT', 'Lý do'], rows: reasons.map((r, i) => [String(i + 1), r]) },
    },
  };
}

/** Mẫu 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả. */
function buildApology(detail: DossierDetail, viewer: Principal, calendar: WorkingCalendar): FormDocument {
  const event = lastEvent(detail, 'EXTENSION_GRANTED', 'apology (form 04)');
  const p = event.payload;
  const applicant = applicantOf(detail, viewer);
  const apology = `${detail.unitNames.get(detail.procedure.resolvingAgency ?? '') ?? 'Cơ quan giải quyết'} xin lỗi ông/bà ${applicant.name} vì hồ sơ chậm so với thời hạn đã hẹn và hẹn trả kết quả vào ${vnTime(calendar, p.newDueAt)}.`;
  return {
    form: '04',
    number: `${detail.dossier.code}/XL`,
    title: 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ',
    dossierCode: detail.dossier.code,
    data: {
      applicant,
      receivedAt: detail.dossier.receivedAt.toISOString(),
      procedure: detail.procedure.name,
      originalDueAt: p.originalDueAt,
      reason: p.reason,
      apology,
      newReturnAt: p.newDueAt,
      signedBy: p.signedByName,
    },
    print: {
      fields: [
        ['Người nộp', applicant.name],
        ['Ngày nhận hồ sơ', vnTime(calendar, detail.dossier.receivedAt)],
        ['Thủ tục', detail.procedure.name],
        ['Mã hồ sơ', detail.dossier.code],
        ['Thời hạn trả kết quả đã hẹn', vnTime(calendar, p.originalDueAt)],
        ['Lý do chậm', p.reason],
        ['Lời xin lỗi', apology],
        ['Thời gian hẹn trả kết quả mới', vnTime(calendar, p.newDueAt)],
      ],
      signature: `Thủ trưởng cơ quan: ${p.signedByName}`,
    },
  };
}

/** Mẫu 05: Thông báo dừng giải quyết (on withdrawal). */
function buildStopNotice(detail: DossierDetail, viewer: Principal, calendar: WorkingCalendar): FormDocument {
  const event = lastEvent(detail, 'WITHDRAWN', 'stop notice (form 05)');
  const { reason } = event.payload;
  const applicant = applicantOf(detail, viewer);
  return {
    form: '05',
    number: `${detail.dossier.code}/DG`,
    title: 'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ',
    dossierCode: detail.dossier.code,
    data: { applicant, procedure: detail.procedure.name, reason, stoppedAt: event.occurredAt.toISOString() },
    print: {
      fields: [
        ['Người nộp', applicant.name],
        ['Mã hồ sơ', detail.dossier.code],
        ['Thủ tục', detail.procedure.name],
        ['Đề nghị của người nộp', reason],
        ['Thời điểm dừng', vnTime(calendar, event.occurredAt)],
      ],
    },
  };
}

/** Mẫu 06: Phiếu kiểm soát quá trình giải quyết hồ sơ — one row per hand-over. */
function buildControlSheet(detail: DossierDetail, _viewer: Principal, calendar: WorkingCalendar): FormDocument {
  const d = detail.dossier;
  const unitName = (code: string): string => detail.unitNames.get(code) ?? code;
  const resolving = detail.procedure.resolvingAgency;
  const own = (u: string): boolean =>
    [resolving, d.receivingUnitCode].some((x) => x !== null && (u === x || detail.unitParents.get(u) === x));
  const coordinating = [...new Set(detail.steps.map((s) => s.unitCode))].filter((u) => !own(u));
  const rows = detail.steps.map((s, i) => {
    const previous = detail.steps[i - 1];
    return {
      no: s.no,
      step: `${s.code} ${s.name}`,
      fromUnit: previous ? unitName(previous.unitCode) : unitName(d.receivingUnitCode),
      toUnit: unitName(s.unitCode),
      handedOverAt: s.startedAt.toISOString(),
      giver:
        previous?.holderName ??
        (previous?.holderId ? detail.officerNames.get(previous.holderId) : null) ??
        (i === 0 ? (detail.officerNames.get(d.receivedBy) ?? null) : null),
      receiver: s.holderName ?? (s.holderId ? (detail.officerNames.get(s.holderId) ?? null) : null),
      budgetWorkingDays: s.budgetMs === null ? null : inWorkingDays(Number(s.budgetMs)),
      dueAt: s.dueAt?.toISOString() ?? null,
      completedAt: s.completedAt?.toISOString() ?? null,
      result: s.result,
      resultLabel: s.result ? TIMELINESS_LABELS[s.result as Timeliness] : '',
      note: s.note,
    };
  });
  return {
    form: '06',
    number: `${d.code}/KS`,
    title: 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ',
    dossierCode: d.code,
    data: {
      resolvingAgency: resolving ? { code: resolving, name: unitName(resolving) } : null,
      coordinatingAgencies: coordinating.map((u) => ({ code: u, name: unitName(u) })),
      receivedAt: d.receivedAt.toISOString(),
      dueAt: d.dueAt?.toISOString() ?? null,
      promisedAt: d.promisedAt?.toISOString() ?? null,
      rows,
    },
    print: {
      fields: [
        ['Mã hồ sơ', d.code],
        ['Cơ quan giải quyết', resolving ? unitName(resolving) : ''],
        ['Cơ quan phối hợp', coordinating.map(unitName).join('; ')],
        ['Thời gian nhận hồ sơ', vnTime(calendar, d.receivedAt)],
        ['Thời gian trả kết quả', vnTime(calendar, d.dueAt ?? d.promisedAt)],
      ],
      table: {
        columns: ['Bàn giao', 'Thời gian', 'Bên giao', 'Bên nhận', 'Kết quả', 'Ghi chú'],
        rows: rows.map((r) => [
          `${r.fromUnit} → ${r.toUnit}`,
          vnTime(calendar, r.handedOverAt),
          r.giver ?? '',
          r.receiver ?? '',
          r.resultLabel,
          [r.step, r.note].filter(Boolean).join(': '),
        ]),
      },
    },
  };
}

const BUILDERS: Record<
  FormName,
  (detail: DossierDetail, viewer: Principal, calendar: WorkingCalendar) => FormDocument
> = {
  receipt: (detail, viewer, calendar) => buildReceipt(detail, viewer, calendar),
  'supplement-request': buildSupplementRequest,
  refusal: buildRefusal,
  apology: buildApology,
  'stop-notice': buildStopNotice,
  'control-sheet': buildControlSheet,
};

export function buildForm(
  form: FormName,
  detail: DossierDetail,
  viewer: Principal,
  calendar: WorkingCalendar,
): FormDocument {
  return BUILDERS[form](detail, viewer, calendar);
}
