import { DomainErrorCode, DomainException, type FieldError, type ProcedureCase } from '../../../../libs/domain/src';
import { type HandedDocumentDto } from './dto/intake.dto';
import { FORM_LABELS } from './forms/dossier-forms';

/** What is checked of an application's papers: the procedure, the applicant's name (for form 02) and the list. */
export interface HandedPapers {
  procedureCode: string;
  applicant: { name: string };
  documents: HandedDocumentDto[];
}

/**
 * The documents handed in, checked against the procedure's case: none beyond the regulation, none twice, every
 * mandatory one in its number of copies. A missing one is a 422 with `guidance`, the content of form 02 (the
 * applicant is guided once, in writing, with everything to complete); nothing is stored.
 */
export function checkHandedDocuments(request: HandedPapers, kase: ProcedureCase, procedureName: string) {
  const errors: FieldError[] = [];
  const handed = new Map<string, number>();
  request.documents.forEach((d, i) => {
    const required = kase.documents.find((r) => r.code === d.code);
    if (!required) {
      errors.push({
        field: `documents[${i}].code`,
        message: `"${d.code}" is not a document of this procedure; no papers beyond the regulation may be asked for or taken (the list: ${kase.documents.map((r) => r.code).join(', ')})`,
      });
    } else if (handed.has(d.code)) {
      errors.push({ field: `documents[${i}].code`, message: `"${d.code}" is listed twice` });
    } else {
      handed.set(d.code, d.count ?? 1);
    }
  });
  const missing = kase.documents.filter((r) => r.mandatory && (handed.get(r.code) ?? 0) < r.count);
  if (errors.length > 0 || missing.length > 0) {
    missing.forEach((r) =>
      errors.push({
        field: 'documents',
        message: `${r.code} "${r.name}" (${FORM_LABELS[r.form] ?? r.form}, ${r.count} bản) is required`,
      }),
    );
    const guidance =
      missing.length > 0
        ? {
            form: '02',
            title: 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ',
            procedure: { code: request.procedureCode, name: procedureName },
            applicant: request.applicant.name,
            items: missing.map((r, i) => ({
              no: i + 1,
              code: r.code,
              name: r.name,
              form: FORM_LABELS[r.form] ?? r.form,
              count: r.count,
              reason: handed.has(r.code) ? `Chưa đủ số lượng: cần ${r.count} bản` : 'Chưa có trong hồ sơ',
            })),
            note: 'Hồ sơ chưa được tiếp nhận. Đề nghị bổ sung, hoàn thiện các giấy tờ trên và nộp lại (hướng dẫn một lần).',
          }
        : undefined;
    throw new DomainException(
      DomainErrorCode.VALIDATION_FAILED,
      missing.length > 0
        ? `The dossier is incomplete and was not received: ${missing.map((r) => `"${r.name}"`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing.`
        : `The dossier was not received: ${errors.map((e) => e.message).join('; ')}.`,
      errors,
      guidance ? { guidance } : {},
    );
  }
  return [...handed.entries()].map(([code, count]) => {
    const r = kase.documents.find((x) => x.code === code)!;
    return { code, name: r.name, form: r.form, count };
  });
}
