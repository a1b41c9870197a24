import { PERSONAL_ID_PATTERN, TAX_CODE_PATTERN } from '../../../../../libs/domain/src/personal-id';
import { type IntakeRequest } from '../../api/types';
import { t } from '../../i18n';

export type ApplicantType = IntakeRequest['applicant']['type'];
export type Channel = IntakeRequest['channel'];

/** What the intake form holds; `documents` is keyed by document code. */
export interface IntakeFormValues {
  procedureCode?: string;
  caseCode?: string;
  receivingUnitCode?: string;
  channel: Channel;
  applicant: {
    type: ApplicantType;
    idNumber?: string;
    name?: string;
    address?: string;
    phone?: string;
    email?: string;
  };
  hasProxy: boolean;
  proxy?: { name?: string; idNumber?: string; phone?: string };
  /** `reuseFileId`: an earlier dossier's certified scan of the paper, reused instead of scanning it again. */
  documents?: Record<string, { handed?: boolean; count?: number; reuseFileId?: string } | undefined>;
}

export const INITIAL_VALUES: IntakeFormValues = {
  channel: 'IN_PERSON',
  applicant: { type: 'INDIVIDUAL' },
  hasProxy: false,
};

// The same patterns the API validates with (libs/domain), so the desk sees the rule as it types.
export const PHONE_PATTERN = /^\+?\d{9,15}$/;

/** The message for an ID number that does not fit the applicant type yet; null when it fits. */
export function idNumberProblem(type: ApplicantType, value: string | undefined): string | null {
  if (!value) {
    return t.intake.idRequired;
  }
  if (type === 'ORGANISATION') {
    return TAX_CODE_PATTERN.test(value) ? null : t.intake.taxCodeRule;
  }
  return PERSONAL_ID_PATTERN.test(value) ? null : t.intake.personalIdRule;
}

export function personalIdProblem(value: string | undefined): string | null {
  return value && PERSONAL_ID_PATTERN.test(value) ? null : t.intake.personalIdRule;
}

const trimmed = (value: string | undefined): string | undefined => {
  const v = value?.trim();
  return v ? v : undefined;
};

/** The API request for the form's values (blank optional fields left out). */
export function toIntakeRequest(values: IntakeFormValues): IntakeRequest {
  const documents = Object.entries(values.documents ?? {})
    .filter(([, d]) => d?.handed)
    .map(([code, d]) => ({ code, count: d?.count ?? 1, ...(d?.reuseFileId ? { reuseFileId: d.reuseFileId } : {}) }));
  const a = values.applicant;
  return {
    procedureCode: values.procedureCode ?? '',
    ...(values.caseCode ? { caseCode: values.caseCode } : {}),
    receivingUnitCode: values.receivingUnitCode ?? '',
    channel: values.channel,
    applicant: {
      type: a.type,
      idNumber: a.idNumber?.trim() ?? '',
      name: a.name?.trim() ?? '',
      ...(trimmed(a.address) ? { address: trimmed(a.address) } : {}),
      ...(trimmed(a.phone) ? { phone: trimmed(a.phone) } : {}),
      ...(trimmed(a.email) ? { email: trimmed(a.email) } : {}),
    },
    ...(values.hasProxy && values.proxy
      ? {
          proxy: {
            name: values.proxy.name?.trim() ?? '',
            idNumber: values.proxy.idNumber?.trim() ?? '',
            ...(trimmed(values.proxy.phone) ? { phone: trimmed(values.proxy.phone) } : {}),
          },
        }
      : {}),
    documents,
  };
}
