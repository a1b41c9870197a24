import { api, newIdempotencyKey, unwrap } from './client';
import { type paths } from './schema';
import { type ActionName, type DossierListQuery, type FormName, type IntakeRequest } from './types';

/** React Query keys: server events invalidate by these prefixes. */
export const keys = {
  signInOptions: ['sign-in-options'] as const,
  me: ['me'] as const,
  dossiers: ['dossiers'] as const,
  dossierList: (query: DossierListQuery) => ['dossiers', query] as const,
  dossier: (code: string) => ['dossier', code] as const,
  /** Under the dossier's key: refreshed whenever the dossier is. */
  dossierVoice: (code: string) => ['dossier', code, 'voice'] as const,
  dossierPayments: (code: string) => ['dossier', code, 'payments'] as const,
  dossierFiles: (code: string) => ['dossier', code, 'files'] as const,
  refundsDue: ['refunds-due'] as const,
  reusableFiles: (idNumber: string) => ['reusable-files', idNumber] as const,
  notifications: ['notifications'] as const,
  procedures: ['procedures'] as const,
  procedure: (code: string) => ['procedure', code] as const,
  promisedTime: (code: string, unit: string, caseCode: string | undefined) =>
    ['promised-time', code, unit, caseCode ?? ''] as const,
  officers: (unit: string, role: string) => ['officers', unit, role] as const,
  due: (from: string, days: number, scope: string) => ['due', from, days, scope] as const,
  waitingSubmissions: (offset: number) => ['submissions', 'waiting', offset] as const,
  submissions: ['submissions'] as const,
};

export const fetchSignInOptions = () => unwrap(api.GET('/api/v1/auth/options'));

export async function signIn(username: string) {
  return unwrap(api.POST('/api/v1/auth/token', { body: { username } }));
}

export const fetchMe = () => unwrap(api.GET('/api/v1/auth/me'));

export const fetchDossiers = (query: DossierListQuery) => unwrap(api.GET('/api/v1/dossiers', { params: { query } }));

export const fetchDossier = (code: string) =>
  unwrap(api.GET('/api/v1/dossiers/{code}', { params: { path: { code } } }));

export const fetchDossierVoice = (code: string) =>
  unwrap(api.GET('/api/v1/dossiers/{code}/voice', { params: { path: { code } } }));
export const fetchDossierPayments = (code: string) =>
  unwrap(api.GET('/api/v1/dossiers/{code}/payments', { params: { path: { code } } }));

export const fetchDossierFiles = (code: string) =>
  unwrap(api.GET('/api/v1/dossiers/{code}/files', { params: { path: { code } } }));

/**
 * Uploads the scan of a paper (its document code) or of the result, as multipart/form-data; a result returned already
 * is replaced by naming the one it `supersedes`.
 */
export const uploadDossierFile = (
  code: string,
  target: { kind: 'PAPER' | 'RESULT'; documentCode?: string; supersedes?: string },
  file: File,
) =>
  unwrap(
    api.POST('/api/v1/dossiers/{code}/files', {
      params: { path: { code } },
      // The typed body is what the document declares; what is sent is the form with the file part.
      body: { ...target, file: '' },
      bodySerializer: () => {
        const form = new FormData();
        form.append('kind', target.kind);
        if (target.documentCode) {
          form.append('documentCode', target.documentCode);
        }
        if (target.supersedes) {
          form.append('supersedes', target.supersedes);
        }
        form.append('file', file, file.name);
        return form;
      },
    }),
  );

/** The gateway's payments due back to citizens, of the dossiers received in the caller's units, oldest first. */
export const fetchRefundsDue = () => unwrap(api.GET('/api/v1/payments/refunds-due'));

/** Certifies a scanned paper as the authenticated copy. */
export const certifyDossierFile = (code: string, id: string) =>
  unwrap(api.POST('/api/v1/dossiers/{code}/files/{id}/certify', { params: { path: { code, id } } }));

/**
 * Downloads a file with the token in the header (never in a URL) and hands it to the browser as a download under its
 * stored name.
 */
export async function downloadDossierFile(code: string, file: { id: string; fileName: string }): Promise<void> {
  const blob = await unwrap(
    api.GET('/api/v1/dossiers/{code}/files/{id}', { params: { path: { code, id: file.id } }, parseAs: 'blob' }),
  );
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * The applicant's certified papers and results of earlier dossiers, offered for reuse at intake (desk only). The ID
 * number goes in the body: in a URL it would sit in the proxies' access logs.
 */
export const fetchReusableFiles = (idNumber: string) =>
  unwrap(api.POST('/api/v1/applicants/reusable-files', { body: { idNumber } }));

export const fetchNotifications = () => unwrap(api.GET('/api/v1/notifications'));

export const markNotificationRead = (id: string) =>
  unwrap(api.POST('/api/v1/notifications/{id}/read', { params: { path: { id: Number(id) } } }));

export const fetchProcedures = () => unwrap(api.GET('/api/v1/procedures'));

export const fetchProcedure = (code: string) =>
  unwrap(api.GET('/api/v1/procedures/{code}', { params: { path: { code } } }));

export const fetchPromisedTime = (code: string, receivingUnitCode: string, caseCode?: string) =>
  unwrap(
    api.GET('/api/v1/procedures/{code}/promised-time', {
      params: { path: { code }, query: { receivingUnitCode, ...(caseCode ? { caseCode } : {}) } },
    }),
  );

type OfficerRole = NonNullable<NonNullable<paths['/api/v1/officers']['get']['parameters']['query']>['role']>;

/** Officers of a unit and role; the role comes from the server's own step view, so it is one the API knows. */
export const fetchOfficers = (unit: string, role: string) =>
  unwrap(api.GET('/api/v1/officers', { params: { query: { unit, role: role as OfficerRole } } }));

/** The due instant of `days` working days after `from` in a unit's calendar (the extension preview). */
export const fetchDue = (from: string, days: number, scope: string) =>
  unwrap(api.GET('/api/v1/calendar/due', { params: { query: { from, amount: days, unit: 'WD', scope } } }));

export const receiveDossier = (body: IntakeRequest, idempotencyKey: string) =>
  unwrap(api.POST('/api/v1/dossiers', { body, headers: { 'Idempotency-Key': idempotencyKey } }));

/** Applications submitted online and waiting at the caller's desks, first come first served. */
export const fetchWaitingSubmissions = (offset: number, limit: number) =>
  unwrap(api.GET('/api/v1/submissions', { params: { query: { state: 'SUBMITTED', offset, limit } } }));

/** Receives a waiting application: the dossier it becomes, with its receipt (form 01). */
export const receiveSubmission = (id: string, idempotencyKey: string) =>
  unwrap(
    api.POST('/api/v1/submissions/{id}/receive', {
      params: { path: { id }, header: { 'idempotency-key': idempotencyKey } },
      body: {},
    }),
  );

/** Refuses a waiting application with its reasons (form 03). */
export const refuseSubmission = (id: string, reasons: string[]) =>
  unwrap(api.POST('/api/v1/submissions/{id}/refuse', { params: { path: { id } }, body: { reasons } }));

export const lookupPublic = (code: string, pin: string) =>
  unwrap(api.POST('/public/v1/dossiers/{code}/lookup', { params: { path: { code } }, body: { pin } }));

type ActionPath<A extends ActionName> = `/api/v1/dossiers/{code}/actions/${A}`;
type BodyOf<P> = P extends { post: { requestBody?: { content: { 'application/json': infer B } } } } ? B : never;

/** The request body of each action, as the OpenAPI document declares it. */
export type ActionBodies = { [A in ActionName]: BodyOf<paths[ActionPath<A>]> };

type ActionCall<A extends ActionName> = (
  code: string,
  body: ActionBodies[A],
  idempotencyKey: string,
) => ReturnType<typeof fetchDossier>;

/**
 * Path and Idempotency-Key of an action. The document lists the header under both spellings (HTTP header names are
 * case-insensitive); a non-literal object satisfies either declaration and sends one header.
 */
const at = (code: string, key: string) => {
  const header = { 'Idempotency-Key': key, 'idempotency-key': key };
  return { params: { path: { code }, header } };
};

const actionCalls: { [A in ActionName]: ActionCall<A> } = {
  claim: (code, body, key) => unwrap(api.POST('/api/v1/dossiers/{code}/actions/claim', { ...at(code, key), body })),
  assign: (code, body, key) => unwrap(api.POST('/api/v1/dossiers/{code}/actions/assign', { ...at(code, key), body })),
  complete: (code, body, key) =>
    unwrap(api.POST('/api/v1/dossiers/{code}/actions/complete', { ...at(code, key), body })),
  return: (code, body, key) => unwrap(api.POST('/api/v1/dossiers/{code}/actions/return', { ...at(code, key), body })),
  'request-supplement': (code, body, key) =>
    unwrap(api.POST('/api/v1/dossiers/{code}/actions/request-supplement', { ...at(code, key), body })),
  'submit-supplement': (code, body, key) =>
    unwrap(api.POST('/api/v1/dossiers/{code}/actions/submit-supplement', { ...at(code, key), body })),
  refuse: (code, body, key) => unwrap(api.POST('/api/v1/dossiers/{code}/actions/refuse', { ...at(code, key), body })),
  'request-extension': (code, body, key) =>
    unwrap(api.POST('/api/v1/dossiers/{code}/actions/request-extension', { ...at(code, key), body })),
  withdraw: (code, body, key) =>
    unwrap(api.POST('/api/v1/dossiers/{code}/actions/withdraw', { ...at(code, key), body })),
  'request-payment': (code, body, key) =>
    unwrap(api.POST('/api/v1/dossiers/{code}/actions/request-payment', { ...at(code, key), body })),
  'record-payment': (code, body, key) =>
    unwrap(api.POST('/api/v1/dossiers/{code}/actions/record-payment', { ...at(code, key), body })),
  'return-result': (code, body, key) =>
    unwrap(api.POST('/api/v1/dossiers/{code}/actions/return-result', { ...at(code, key), body })),
};

/** One officer action; the key makes a retried request (same intent) harmless. */
export function performAction<A extends ActionName>(
  code: string,
  action: A,
  body: ActionBodies[A],
  idempotencyKey: string = newIdempotencyKey(),
) {
  const call: ActionCall<A> = actionCalls[action];
  return call(code, body, idempotencyKey);
}

export type PdfSource =
  | { kind: 'form'; code: string; form: FormName }
  /** Form 01 with the citizen's PIN, which the server keeps only hashed: the desk brings it (intake, a new PIN). */
  | { kind: 'receipt-with-pin'; code: string; pin: string }
  | { kind: 'register'; unit: string; from: string; to: string }
  | { kind: 'desk-refusal'; submissionId: string };

/** A new lookup PIN for the citizen (shown once); the old one stops working and a locked lookup opens again. */
export const reissueLookupPin = (code: string) =>
  unwrap(api.POST('/api/v1/dossiers/{code}/lookup-pin', { params: { path: { code } } }));

function fetchPdf(source: PdfSource, headers: Record<string, string>) {
  switch (source.kind) {
    case 'form':
      return unwrap(
        api.GET('/api/v1/dossiers/{code}/documents/{form}', {
          params: { path: { code: source.code, form: source.form } },
          headers,
          parseAs: 'blob',
        }),
      );
    case 'receipt-with-pin':
      return unwrap(
        api.POST('/api/v1/dossiers/{code}/documents/receipt', {
          params: { path: { code: source.code } },
          body: { pin: source.pin },
          headers,
          parseAs: 'blob',
        }),
      );
    case 'register':
      return unwrap(
        api.GET('/api/v1/register', {
          params: { query: { unit: source.unit, from: source.from, to: source.to } },
          headers,
          parseAs: 'blob',
        }),
      );
    case 'desk-refusal':
      return unwrap(
        api.GET('/api/v1/submissions/{id}/documents/refusal', {
          params: { path: { id: source.submissionId } },
          headers,
          parseAs: 'blob',
        }),
      );
  }
}

/** Fetches a form as PDF with the token (never in a URL) and opens it from a blob URL in a new tab. */
export async function openPdf(source: PdfSource): Promise<void> {
  // Open the tab now, inside the click, so pop-up blockers allow it; the PDF arrives a moment later.
  const tab = window.open('', '_blank');
  const headers = { Accept: 'application/pdf' };
  try {
    const blob = await fetchPdf(source, headers);
    const url = URL.createObjectURL(new Blob([blob], { type: 'application/pdf' }));
    if (tab) {
      tab.location.href = url;
    } else {
      window.open(url, '_blank');
    }
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (e) {
    tab?.close();
    throw e;
  }
}
