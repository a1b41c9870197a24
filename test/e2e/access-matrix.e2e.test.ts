import { type Role, ROLES } from '../../apps/api/src/auth/principal';
import { DEMO_OFFICERS, loadSeedCatalog } from '../../libs/persistence/src';
import { EXAMPLE_A_WALK } from '../support/dossier-fixtures';
import { eventually } from '../support/infrastructure';
import { type OpenApiDocument, operationsOf } from '../support/openapi-schema';
import { type RunningProduct, startProduct } from '../support/product';

/**
 * Every route of the served OpenAPI document × every demo officer (and no token at all) × a target in and out of the
 * officer's scope, against the access the table below declares: 401 without credentials, 403 for a role the route
 * does not take or a unit outside the caller's, 404 for a dossier outside the caller's units (the same answer as for a
 * dossier that does not exist), and the route's success otherwise. A route the document serves and the table does
 * not declare fails the test, and so does a row for a route that is gone.
 */

const CENTRE = '000.00.20.H36';
const DEPARTMENT = '000.00.12.H36';
const DIVISION = '000.12.01.H36';
const COMMUNE = '000.31.01.H36';
const ROOT = '000.00.00.H36';

/**
 * The two closed dossiers the dossier routes are tried on, and the two applications refused at the counter of the same
 * desks the submission routes are tried on (all built in beforeAll through the API).
 */
type Fixture = 'centre' | 'commune';

/**
 * Officers who see the centre's dossier only because its steps went through their units: the applications at the
 * centre's desk are not theirs to see (an application is seen by the units over its desk, and by whoever submitted it).
 */
const STEP_UNITS_ONLY = new Set(['specialist', 'division-head', 'dept-leader', 'dept-clerk']);

/**
 * What each demo officer may see, written out rather than computed by the product's own rules:
 * - `sees`: the fixtures in their scope. The centre's dossier (example A) was received at the centre and went through
 *   the department (S03) and its religion division (S04) before it was withdrawn; the commune's was received and
 *   withdrawn at the commune. Heads see their subtree, admin and auditor everything, everyone else their own units.
 * - `unit`: one of their own units (in scope for every unit-scoped route);
 * - `notOwn`: a unit that is not theirs (intake and the promised time take only the caller's own units);
 * - `unseen`: a unit outside everything they may see, or null when they see the whole organisation.
 */
const SCOPE: Record<string, { sees: Fixture[]; unit: string; notOwn: string; unseen: string | null }> = {
  clerk: { sees: ['centre'], unit: CENTRE, notOwn: COMMUNE, unseen: COMMUNE },
  clerk2: { sees: ['centre'], unit: CENTRE, notOwn: COMMUNE, unseen: COMMUNE },
  head: { sees: ['centre'], unit: CENTRE, notOwn: COMMUNE, unseen: COMMUNE },
  specialist: { sees: ['centre'], unit: DIVISION, notOwn: CENTRE, unseen: COMMUNE },
  'division-head': { sees: ['centre'], unit: DIVISION, notOwn: CENTRE, unseen: COMMUNE },
  'dept-leader': { sees: ['centre'], unit: DEPARTMENT, notOwn: CENTRE, unseen: COMMUNE },
  'dept-clerk': { sees: ['centre'], unit: DEPARTMENT, notOwn: CENTRE, unseen: COMMUNE },
  'ppc-leader': { sees: ['centre', 'commune'], unit: ROOT, notOwn: CENTRE, unseen: null },
  'ppc-specialist': { sees: [], unit: ROOT, notOwn: CENTRE, unseen: COMMUNE },
  'police-officer': { sees: [], unit: '000.05.01.H36', notOwn: CENTRE, unseen: COMMUNE },
  'police-head': { sees: [], unit: '000.05.01.H36', notOwn: CENTRE, unseen: COMMUNE },
  'police-chief': { sees: [], unit: '000.00.05.H36', notOwn: CENTRE, unseen: COMMUNE },
  'commune-clerk': { sees: ['commune'], unit: COMMUNE, notOwn: CENTRE, unseen: CENTRE },
  'commune-officer': { sees: ['commune'], unit: COMMUNE, notOwn: CENTRE, unseen: CENTRE },
  'commune-chair': { sees: ['commune'], unit: COMMUNE, notOwn: CENTRE, unseen: CENTRE },
  admin: { sees: ['centre', 'commune'], unit: ROOT, notOwn: CENTRE, unseen: null },
  auditor: { sees: ['centre', 'commune'], unit: ROOT, notOwn: CENTRE, unseen: null },
  'agency-system': { sees: ['centre'], unit: CENTRE, notOwn: COMMUNE, unseen: COMMUNE },
};

/** What a request is aimed at: a dossier, a unit, or the caller's own notifications. */
interface Target {
  dossier: { code: string; pin: string; file: string };
  /** An application refused at the counter (the id of its submission). */
  submission: string;
  unit: string;
  /** A notification: the caller's own (in scope), another officer's (out). */
  notification: number;
}

interface Call {
  path: string;
  body?: unknown;
  /** A multipart body (an upload) instead of JSON. */
  form?: () => FormData;
  headers?: Record<string, string>;
}

interface Access {
  /**
   * How a caller gets through: `public` needs nothing (a token changes nothing), `partner` only a partner system's
   * signature (no officer's token opens it), `officer` a bearer token.
   */
  auth: 'public' | 'partner' | 'officer';
  /** The roles the route takes; every officer when absent. */
  roles?: readonly Role[];
  /**
   * What the caller's scope is checked against: a dossier (out of scope → 404, like a code that does not exist), a
   * unit of their own (`own-unit`) or of their subtree (`visible-unit`) (out → 403), their own notification (another
   * officer's → 404), an application at a desk they see (out → 404, like an id that does not exist), or for the
   * citizen's lookup the PIN on the receipt (a wrong one → 404).
   */
  scope?: 'dossier' | 'submission' | 'own-unit' | 'visible-unit' | 'notification' | 'pin';
  /** The answer once nothing refuses: the success, or for an action on a closed dossier the workflow's 409. */
  ok: number;
  call: (target: Target) => Call;
}

const EVERY_ROLE_BUT_AUDITOR = ROLES.filter((r) => r !== 'AUDITOR');
const REPORTERS = ['UNIT_HEAD', 'AGENCY_LEADER', 'DIVISION_HEAD', 'ADMIN', 'AUDITOR'] as const;
const PERIOD = 'from=2026-01-01&to=2026-01-31';
/** Each successful closing and publication needs a period or a code of its own. */
let serial = 0;

/** An officer action on a closed dossier: past access, the workflow answers 409 (nothing changes). */
const action = (name: string, body: unknown = {}): Access => ({
  auth: 'officer',
  roles: EVERY_ROLE_BUT_AUDITOR,
  scope: 'dossier',
  ok: 409,
  call: ({ dossier }) => ({ path: `/api/v1/dossiers/${dossier.code}/actions/${name}`, body }),
});

const report = (path: string, query = PERIOD): Access => ({
  auth: 'officer',
  roles: REPORTERS,
  scope: 'visible-unit',
  ok: 200,
  call: ({ unit }) => ({ path: `/api/v1/reports/${path}?${query}${query ? '&' : ''}unit=${unit}` }),
});

/** A decision on an application already refused: past access, 409 (nothing changes). */
const decision = (name: string, body: unknown = {}): Access => ({
  auth: 'officer',
  roles: ['DESK_CLERK'],
  scope: 'submission',
  ok: 409,
  call: ({ submission }) => ({ path: `/api/v1/submissions/${submission}/${name}`, body }),
});

const handoff = (path: string): Access => ({
  auth: 'partner',
  ok: 200,
  call: () => ({ path, body: {} }),
});

/** The access of every route, by `METHOD /path` as the OpenAPI document names it. */
const MATRIX: Record<string, Access> = {
  'GET /api/v1/auth/options': { auth: 'public', ok: 200, call: () => ({ path: '/api/v1/auth/options' }) },
  'GET /api/v1/auth/me': { auth: 'officer', ok: 200, call: () => ({ path: '/api/v1/auth/me' }) },
  'POST /api/v1/auth/token': {
    auth: 'public',
    ok: 200,
    call: () => ({ path: '/api/v1/auth/token', body: { username: 'clerk' } }),
  },
  'GET /api/v1/units': { auth: 'officer', ok: 200, call: () => ({ path: '/api/v1/units' }) },
  'GET /api/v1/units/{code}': { auth: 'officer', ok: 200, call: () => ({ path: `/api/v1/units/${COMMUNE}` }) },
  'GET /api/v1/officers': { auth: 'officer', ok: 200, call: () => ({ path: `/api/v1/officers?unit=${DIVISION}` }) },
  'GET /api/v1/health': { auth: 'public', ok: 200, call: () => ({ path: '/api/v1/health' }) },
  'GET /api/v1/health/live': { auth: 'public', ok: 200, call: () => ({ path: '/api/v1/health/live' }) },
  'GET /api/v1/watchdog/findings': {
    auth: 'officer',
    roles: ['ADMIN', 'AUDITOR'],
    ok: 200,
    call: () => ({ path: '/api/v1/watchdog/findings' }),
  },
  'GET /api/v1/audit/verify': {
    auth: 'officer',
    roles: ['AUDITOR'],
    ok: 200,
    call: () => ({ path: '/api/v1/audit/verify' }),
  },
  'GET /api/v1/calendar/due': {
    auth: 'officer',
    ok: 200,
    call: () => ({ path: '/api/v1/calendar/due?from=2026-02-13T16:30:00%2B07:00&amount=3&unit=WD' }),
  },
  'GET /api/v1/calendar/elapsed': {
    auth: 'officer',
    ok: 200,
    call: () => ({ path: '/api/v1/calendar/elapsed?from=2026-02-13T08:00:00Z&to=2026-02-20T08:00:00Z' }),
  },
  'GET /api/v1/calendars/{scope}/{year}': {
    auth: 'officer',
    ok: 200,
    call: () => ({ path: '/api/v1/calendars/VN/2026' }),
  },
  'PUT /api/v1/calendars/{scope}/{year}': {
    auth: 'officer',
    roles: ['ADMIN'],
    ok: 200,
    // A dry run: checked exactly as a save, nothing saved.
    call: () => ({ path: '/api/v1/calendars/H36/2027?dryRun=true', body: { holidays: [], makeupWorkdays: [] } }),
  },
  'GET /api/v1/calendars/{scope}/{year}/changes': {
    auth: 'officer',
    roles: ['ADMIN'],
    ok: 200,
    call: () => ({ path: '/api/v1/calendars/VN/2026/changes' }),
  },
  'GET /api/v1/procedures': { auth: 'public', ok: 200, call: () => ({ path: '/api/v1/procedures' }) },
  'POST /api/v1/procedures': {
    auth: 'officer',
    roles: ['ADMIN'],
    ok: 201,
    call: () => {
      const commune = loadSeedCatalog().find((p) => p.code === '2.000815')!;
      return {
        path: '/api/v1/procedures',
        body: { ...commune, code: `9.${String(++serial).padStart(6, '0')}`, localCode: undefined },
      };
    },
  },
  'GET /api/v1/procedures/{code}': { auth: 'public', ok: 200, call: () => ({ path: '/api/v1/procedures/2.000908' }) },
  'GET /api/v1/procedures/{code}/promised-time': {
    auth: 'officer',
    scope: 'own-unit',
    ok: 200,
    call: ({ unit }) => ({ path: `/api/v1/procedures/2.000815/promised-time?receivingUnitCode=${unit}` }),
  },
  'POST /api/v1/dossiers': {
    auth: 'officer',
    roles: ['DESK_CLERK', 'AGENCY_SYSTEM'],
    scope: 'own-unit',
    ok: 201,
    call: ({ unit }) => ({ path: '/api/v1/dossiers', body: communeIntake(unit) }),
  },
  'GET /api/v1/dossiers': { auth: 'officer', ok: 200, call: () => ({ path: '/api/v1/dossiers' }) },
  'GET /api/v1/dossiers/{code}': {
    auth: 'officer',
    scope: 'dossier',
    ok: 200,
    call: ({ dossier }) => ({ path: `/api/v1/dossiers/${dossier.code}` }),
  },
  'GET /api/v1/dossiers/{code}/documents/{form}': {
    auth: 'officer',
    scope: 'dossier',
    ok: 200,
    call: ({ dossier }) => ({ path: `/api/v1/dossiers/${dossier.code}/documents/receipt` }),
  },
  'POST /api/v1/dossiers/{code}/documents/receipt': {
    auth: 'officer',
    roles: ['DESK_CLERK', 'ADMIN'],
    scope: 'dossier',
    ok: 200,
    call: ({ dossier }) => ({ path: `/api/v1/dossiers/${dossier.code}/documents/receipt`, body: { pin: dossier.pin } }),
  },
  // A result on a withdrawn dossier: past access, 409 (no decision, so no result; nothing stored).
  'POST /api/v1/dossiers/{code}/files': {
    auth: 'officer',
    roles: EVERY_ROLE_BUT_AUDITOR,
    scope: 'dossier',
    ok: 409,
    call: ({ dossier }) => ({ path: `/api/v1/dossiers/${dossier.code}/files`, form: scanForm({ kind: 'RESULT' }) }),
  },
  'GET /api/v1/dossiers/{code}/files': {
    auth: 'officer',
    scope: 'dossier',
    ok: 200,
    call: ({ dossier }) => ({ path: `/api/v1/dossiers/${dossier.code}/files` }),
  },
  'GET /api/v1/dossiers/{code}/files/{id}': {
    auth: 'officer',
    scope: 'dossier',
    ok: 200,
    call: ({ dossier }) => ({ path: `/api/v1/dossiers/${dossier.code}/files/${dossier.file}` }),
  },
  // The fixtures are closed (withdrawn): past access, a paper is no longer certified, 409 (nothing changes).
  'POST /api/v1/dossiers/{code}/files/{id}/certify': {
    auth: 'officer',
    roles: ['DESK_CLERK'],
    scope: 'dossier',
    ok: 409,
    call: ({ dossier }) => ({ path: `/api/v1/dossiers/${dossier.code}/files/${dossier.file}/certify` }),
  },
  // The desk's own units' dossiers only: out of scope an empty list (the applicant's files elsewhere are not shown).
  // The ID number in the body, never in a URL a proxy logs.
  'POST /api/v1/applicants/reusable-files': {
    auth: 'officer',
    roles: ['DESK_CLERK'],
    ok: 200,
    call: () => ({ path: '/api/v1/applicants/reusable-files', body: { idNumber: '001203004567' } }),
  },
  'POST /api/v1/dossiers/{code}/actions/claim': action('claim'),
  'POST /api/v1/dossiers/{code}/actions/assign': action('assign', { assignee: 'specialist' }),
  'POST /api/v1/dossiers/{code}/actions/complete': action('complete', { note: 'Xong' }),
  'POST /api/v1/dossiers/{code}/actions/return': action('return', { toStep: 'S01', reason: 'Thiếu' }),
  'POST /api/v1/dossiers/{code}/actions/request-supplement': action('request-supplement', {
    items: ['Bản sao'],
    reason: 'Thiếu',
  }),
  'POST /api/v1/dossiers/{code}/actions/submit-supplement': action('submit-supplement'),
  'POST /api/v1/dossiers/{code}/actions/refuse': action('refuse', { reasons: ['Không đủ điều kiện'] }),
  'POST /api/v1/dossiers/{code}/actions/request-extension': action('request-extension', {
    extraWorkingDays: 2,
    reason: 'Chờ xác minh',
  }),
  'POST /api/v1/dossiers/{code}/actions/withdraw': action('withdraw', { reason: 'Rút' }),
  'POST /api/v1/dossiers/{code}/actions/request-payment': action('request-payment', { amount: 1000, reason: 'Phí' }),
  'POST /api/v1/dossiers/{code}/actions/record-payment': action('record-payment', { amount: 1000, method: 'CASH' }),
  'POST /api/v1/dossiers/{code}/actions/return-result': action('return-result', { deliveryMethod: 'IN_PERSON' }),
  'GET /api/v1/register': {
    auth: 'officer',
    roles: ['DESK_CLERK', 'UNIT_HEAD', 'AUDITOR'],
    scope: 'visible-unit',
    ok: 200,
    call: ({ unit }) => ({ path: `/api/v1/register?unit=${unit}&${PERIOD}` }),
  },
  'GET /api/v1/notifications': { auth: 'officer', ok: 200, call: () => ({ path: '/api/v1/notifications' }) },
  'POST /api/v1/notifications/{id}/read': {
    auth: 'officer',
    scope: 'notification',
    ok: 204,
    call: ({ notification }) => ({ path: `/api/v1/notifications/${notification}/read` }),
  },
  'GET /api/v1/events': { auth: 'officer', ok: 200, call: () => ({ path: '/api/v1/events' }) },
  'POST /api/v1/handoffs': handoff('/api/v1/handoffs'),
  'POST /api/v1/handoffs/{id}/callback': handoff('/api/v1/handoffs/6f1d2c3b-0000-4000-8000-000000000001/callback'),
  'POST /api/v1/handoffs/{id}/notices': handoff('/api/v1/handoffs/6f1d2c3b-0000-4000-8000-000000000001/notices'),
  'POST /public/v1/dossiers/{code}/lookup': {
    auth: 'public',
    scope: 'pin',
    ok: 200,
    call: ({ dossier }) => ({ path: `/public/v1/dossiers/${dossier.code}/lookup`, body: { pin: dossier.pin } }),
  },
  // The fixtures are withdrawn: no result, so the paper's id with the right PIN is not found either (a wrong PIN: 404);
  // the citizen's 200 with the result is tried in dossier-files.e2e.test.ts.
  'POST /public/v1/dossiers/{code}/files/{id}': {
    auth: 'public',
    scope: 'pin',
    ok: 404,
    call: ({ dossier }) => ({
      path: `/public/v1/dossiers/${dossier.code}/files/${dossier.file}`,
      body: { pin: dossier.pin },
    }),
  },
  'GET /api/v1/reports/progress': report('progress'),
  'GET /api/v1/reports/progress/dossiers': report('progress/dossiers', `${PERIOD}&figure=total`),
  'GET /api/v1/reports/progress/monthly': report('progress/monthly'),
  'POST /api/v1/reports/closings': {
    auth: 'officer',
    roles: ['UNIT_HEAD', 'AGENCY_LEADER', 'ADMIN'],
    scope: 'visible-unit',
    ok: 201,
    call: ({ unit }) => {
      // A month of its own for each closing that goes through: a unit's closed periods never overlap.
      const month = new Date(Date.UTC(2024, 11 - ++serial, 1));
      const last = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 0));
      const day = (d: Date) => d.toISOString().slice(0, 10);
      return { path: '/api/v1/reports/closings', body: { from: day(month), to: day(last), unit } };
    },
  },
  'GET /api/v1/reports/overdue': report('overdue', ''),
  'GET /api/v1/reports/at-risk': report('at-risk', ''),
  'GET /api/v1/reports/attribution': report('attribution'),
  'GET /api/v1/reports/index-766': report('index-766', `${PERIOD}&averages=false`),
  'POST /api/v1/submissions': {
    auth: 'officer',
    roles: ['AGENCY_SYSTEM'],
    ok: 201,
    call: () => ({
      path: '/api/v1/submissions',
      body: {
        procedureCode: '2.000908',
        receivingUnitCode: CENTRE,
        applicant: { type: 'INDIVIDUAL', idNumber: '001203004569', name: 'Lê Văn Cường' },
        documents: EXAMPLE_A_DOCUMENTS,
      },
    }),
  },
  'GET /api/v1/submissions': { auth: 'officer', ok: 200, call: () => ({ path: '/api/v1/submissions' }) },
  'POST /api/v1/submissions/refusals': {
    auth: 'officer',
    roles: ['DESK_CLERK'],
    scope: 'own-unit',
    ok: 201,
    call: ({ unit }) => ({ path: '/api/v1/submissions/refusals', body: counterRefusal(unit) }),
  },
  'GET /api/v1/submissions/{id}': {
    auth: 'officer',
    scope: 'submission',
    ok: 200,
    call: ({ submission }) => ({ path: `/api/v1/submissions/${submission}` }),
  },
  'GET /api/v1/submissions/{id}/documents/refusal': {
    auth: 'officer',
    scope: 'submission',
    ok: 200,
    call: ({ submission }) => ({ path: `/api/v1/submissions/${submission}/documents/refusal` }),
  },
  // The applications tried are refused: past access an upload is refused (409), and they carry no file any more
  // (deleted at the refusal). A waiting application's uploads and downloads are tried in submission-files.e2e.test.ts.
  'POST /api/v1/submissions/{id}/files': {
    auth: 'officer',
    roles: ['AGENCY_SYSTEM'],
    scope: 'submission',
    ok: 409,
    call: ({ submission }) => ({
      path: `/api/v1/submissions/${submission}/files`,
      form: scanForm({ documentCode: 'BAN-CHINH' }),
    }),
  },
  'GET /api/v1/submissions/{id}/files': {
    auth: 'officer',
    scope: 'submission',
    ok: 200,
    call: ({ submission }) => ({ path: `/api/v1/submissions/${submission}/files` }),
  },
  'GET /api/v1/submissions/{id}/files/{fileId}': {
    auth: 'officer',
    scope: 'submission',
    ok: 404,
    call: ({ submission }) => ({
      path: `/api/v1/submissions/${submission}/files/00000000-0000-4000-8000-000000000000`,
    }),
  },
  'POST /api/v1/submissions/{id}/receive': decision('receive'),
  'POST /api/v1/submissions/{id}/refuse': decision('refuse', { reasons: ['Không thuộc thẩm quyền'] }),
  // The fixtures are withdrawn, never returned: a rating is refused past access (409 naming the state).
  'POST /public/v1/dossiers/{code}/rating': {
    auth: 'public',
    scope: 'pin',
    ok: 409,
    call: ({ dossier }) => ({
      path: `/public/v1/dossiers/${dossier.code}/rating`,
      body: { pin: dossier.pin, rating: 'SATISFIED' },
    }),
  },
  'POST /api/v1/dossiers/{code}/rating': {
    auth: 'officer',
    roles: ['DESK_CLERK'],
    scope: 'dossier',
    ok: 409,
    call: ({ dossier }) => ({ path: `/api/v1/dossiers/${dossier.code}/rating`, body: { rating: 'ACCEPTABLE' } }),
  },
  'GET /api/v1/dossiers/{code}/voice': {
    auth: 'officer',
    scope: 'dossier',
    ok: 200,
    call: ({ dossier }) => ({ path: `/api/v1/dossiers/${dossier.code}/voice` }),
  },
  'POST /api/v1/petitions': {
    auth: 'officer',
    roles: ['DESK_CLERK'],
    scope: 'own-unit',
    ok: 201,
    call: ({ unit }) => ({
      path: '/api/v1/petitions',
      body: { receivingUnitCode: unit, petitioner: { name: 'Trần Thị Bình' }, text: 'Thái độ phục vụ chưa tốt' },
    }),
  },
  'GET /public/v1/petitions/challenge': {
    auth: 'public',
    ok: 200,
    call: () => ({ path: '/public/v1/petitions/challenge' }),
  },
  // Without the proof of work on a challenge: refused past access (422 naming `proof`); filed in citizens-voice.
  'POST /public/v1/petitions': {
    auth: 'public',
    ok: 422,
    call: () => ({
      path: '/public/v1/petitions',
      body: { unitCode: CENTRE, petitioner: { name: 'Trần Thị Bình' }, text: 'Đề nghị bổ sung ghế chờ' },
    }),
  },
  'GET /api/v1/reports/satisfaction': report('satisfaction'),
  'GET /api/v1/dossiers/{code}/payments': {
    auth: 'officer',
    scope: 'dossier',
    ok: 200,
    call: ({ dossier }) => ({ path: `/api/v1/dossiers/${dossier.code}/payments` }),
  },
  'GET /api/v1/payments/refunds-due': {
    auth: 'officer',
    roles: ['DESK_CLERK', 'UNIT_HEAD', 'AGENCY_LEADER', 'ADMIN'],
    scope: 'visible-unit',
    ok: 200,
    call: ({ unit }) => ({ path: `/api/v1/payments/refunds-due?unit=${unit}` }),
  },
  // The gateway's calls carry its signature, not a token: unsigned ones are answered (200, RspCode 97) and ignored.
  'GET /public/v1/payments/gateway/ipn': {
    auth: 'public',
    ok: 200,
    call: () => ({ path: '/public/v1/payments/gateway/ipn?vnp_TxnRef=x' }),
  },
  'GET /public/v1/payments/gateway/return': {
    auth: 'public',
    ok: 200,
    call: () => ({ path: '/public/v1/payments/gateway/return?vnp_TxnRef=x' }),
  },
  // No gateway configured and no fee open: past the PIN, 409.
  'POST /public/v1/dossiers/{code}/payment-link': {
    auth: 'public',
    scope: 'pin',
    ok: 409,
    call: ({ dossier }) => ({ path: `/public/v1/dossiers/${dossier.code}/payment-link`, body: { pin: dossier.pin } }),
  },
  // Last: a new PIN makes the fixture's PIN (used by the lookup and the receipt above) stale.
  'POST /api/v1/dossiers/{code}/lookup-pin': {
    auth: 'officer',
    roles: ['DESK_CLERK', 'ADMIN'],
    scope: 'dossier',
    ok: 200,
    call: ({ dossier }) => ({ path: `/api/v1/dossiers/${dossier.code}/lookup-pin` }),
  },
};

const EXAMPLE_A_DOCUMENTS = [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }];

/** A one-page scan (its first bytes make it a PDF). */
const SCAN = Buffer.from('%PDF-1.7\n% access matrix\n');
const scanForm = (fields: Record<string, string>) => () => {
  const form = new FormData();
  Object.entries(fields).forEach(([k, v]) => form.append(k, v));
  form.append('file', new Blob([SCAN], { type: 'application/pdf' }), 'scan.pdf');
  return form;
};

/** An applicant refused at the counter of `unit` (form 03): not received, counted nowhere. */
const counterRefusal = (unit: string) => ({
  procedureCode: '2.000815',
  receivingUnitCode: unit,
  channel: 'IN_PERSON',
  applicant: { type: 'INDIVIDUAL', idNumber: '001203004568', name: 'Trần Thị Bình' },
  reasons: ['Không thuộc thẩm quyền của đơn vị'],
});

/** A commune procedure (2.000815, certification of copies) received at `unit`. */
const communeIntake = (unit: string) => ({
  procedureCode: '2.000815',
  receivingUnitCode: unit,
  channel: 'IN_PERSON',
  applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' },
  documents: [{ code: 'BAN-CHINH' }],
});

type Cell = { officer: string | null; inScope: boolean };

/** The status the table expects for one officer (null: no token) and one side of their scope. */
function expected(access: Access, { officer, inScope }: Cell): number {
  if (access.auth === 'partner') {
    return 401;
  }
  if (access.auth === 'public') {
    return access.scope === 'pin' && !inScope ? 404 : access.ok;
  }
  if (officer === null) {
    return 401;
  }
  const roles = DEMO_OFFICERS.find((o) => o.username === officer)!.roles as readonly Role[];
  if (access.roles && !roles.some((r) => access.roles!.includes(r))) {
    return 403;
  }
  if (inScope) {
    return access.ok;
  }
  return access.scope === 'dossier' || access.scope === 'submission' || access.scope === 'notification' ? 404 : 403;
}

describe('access matrix: every route × every demo officer × in and out of scope (e2e)', () => {
  let product: RunningProduct;
  let doc: OpenApiDocument;
  const tokens = new Map<string, string>();
  const fixtures = {} as Record<Fixture, { code: string; pin: string; file: string }>;
  const refused = {} as Record<Fixture, string>;
  /** Each officer's own notifications (some have none). */
  const notifications = new Map<string, number[]>();

  const as = (username: string) => (method: string, path: string, body?: unknown) =>
    product.request(method, path, { token: tokens.get(username), body });

  /** Receives a dossier, waits for its workflow, walks it, and withdraws it at the desk: a closed dossier. */
  const closedDossier = async (
    clerk: string,
    intake: unknown,
    walk: [string, string, Record<string, unknown>?][],
  ): Promise<{ code: string; pin: string; file: string }> => {
    const received = await as(clerk)('POST', '/api/v1/dossiers', intake);
    expect(received.status).toBe(201);
    const { code, lookupPin: pin } = received.body as { code: string; lookupPin: string };
    const { documents } = intake as { documents: { code: string }[] };
    const scan = await fetch(`${product.baseUrl}/api/v1/dossiers/${code}/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.get(clerk)}` },
      body: scanForm({ kind: 'PAPER', documentCode: documents[0].code })(),
    });
    expect(scan.status).toBe(201);
    const { id: file } = (await scan.json()) as { id: string };
    await eventually(
      async () =>
        (await as(clerk)('GET', `/api/v1/dossiers/${code}`)).body.state === 'IN_PROGRESS' ? true : undefined,
      `the workflow of ${code} to start`,
    );
    for (const [who, name, body] of walk) {
      const res = await as(who)('POST', `/api/v1/dossiers/${code}/actions/${name}`, body ?? {});
      expect({ who, name, status: res.status }).toEqual({ who, name, status: 200 });
    }
    const withdrawn = await as(clerk)('POST', `/api/v1/dossiers/${code}/actions/withdraw`, { reason: 'Rút hồ sơ' });
    expect(withdrawn.body.state).toBe('WITHDRAWN');
    return { code, pin, file };
  };

  beforeAll(async () => {
    product = await startProduct({
      overrides: {
        // The matrix looks a dossier up ~40 times, half with a wrong PIN: above the brute-force limits' defaults.
        PUBLIC_LOOKUPS_PER_CLIENT_PER_MINUTE: '100000',
        PUBLIC_LOOKUPS_PER_DOSSIER_PER_HOUR: '100000',
        PUBLIC_LOOKUP_WRONG_PINS_BEFORE_LOCK: '100',
        LOG_LEVEL: 'error',
      },
    });
    for (const { username } of DEMO_OFFICERS) {
      tokens.set(username, await product.token(username));
    }
    const served = await fetch(`${product.baseUrl}/api/docs-json`, {
      headers: { authorization: `Bearer ${tokens.get('admin')}` },
    });
    expect(served.status).toBe(200);
    doc = (await served.json()) as OpenApiDocument;

    // Example A to the religion division (S01–S03 done, S04 assigned), then withdrawn by the desk.
    fixtures.centre = await closedDossier(
      'clerk',
      {
        ...communeIntake(CENTRE),
        procedureCode: '2.000908',
        documents: EXAMPLE_A_DOCUMENTS,
      },
      EXAMPLE_A_WALK.slice(0, 5),
    );
    fixtures.commune = await closedDossier('commune-clerk', communeIntake(COMMUNE), []);
    for (const [fixture, clerk, unit] of [
      ['centre', 'clerk', CENTRE],
      ['commune', 'commune-clerk', COMMUNE],
    ] as const) {
      const slip = await as(clerk)('POST', '/api/v1/submissions/refusals', counterRefusal(unit));
      expect(slip.status).toBe(201);
      refused[fixture] = slip.body.id;
    }
    const centre = await as('admin')('GET', `/api/v1/dossiers/${fixtures.centre.code}`);
    expect(new Set(centre.body.steps.map((s: { unitCode: string }) => s.unitCode))).toEqual(
      new Set([CENTRE, DEPARTMENT, DIVISION]),
    );
    for (const { username } of DEMO_OFFICERS) {
      const list = await as(username)('GET', '/api/v1/notifications');
      notifications.set(
        username,
        list.body.items.map((n: { id: number }) => n.id),
      );
    }
  }, 120_000);

  afterAll(async () => {
    await product?.stop();
  });

  it('has a row for every route of the served OpenAPI document, and none for a route it does not serve', () => {
    const served = operationsOf(doc).map((o) => o.key);
    expect({
      missingFromTheMatrix: served.filter((key) => !(key in MATRIX)),
      notServed: Object.keys(MATRIX).filter((key) => !served.includes(key)),
    }).toEqual({ missingFromTheMatrix: [], notServed: [] });
  });

  it('declares every demo officer of the seed', () => {
    expect(Object.keys(SCOPE).sort()).toEqual(DEMO_OFFICERS.map((o) => o.username).sort());
  });

  /** The target on one side of an officer's scope for a route, or undefined when that side does not exist. */
  const targetFor = (access: Access, officer: string | null, inScope: boolean): Target | undefined => {
    const scope = officer ? SCOPE[officer] : undefined;
    const seen =
      access.scope === 'submission'
        ? (scope?.sees ?? []).filter((f) => !(f === 'centre' && STEP_UNITS_ONLY.has(officer!)))
        : (scope?.sees ?? []);
    const dossier =
      access.scope === 'pin'
        ? inScope
          ? fixtures.centre
          : { ...fixtures.centre, pin: fixtures.centre.pin === '000000' ? '111111' : '000000' }
        : inScope
          ? fixtures[seen[0] ?? 'centre']
          : fixtures[(['centre', 'commune'] as Fixture[]).find((f) => !seen.includes(f)) ?? 'centre'];
    const own = officer ? (notifications.get(officer) ?? []) : [];
    const others = [...notifications].filter(([who]) => who !== officer).flatMap(([, ids]) => ids);
    const side: Fixture = inScope
      ? (seen[0] ?? 'centre')
      : ((['centre', 'commune'] as Fixture[]).find((f) => !seen.includes(f)) ?? 'centre');
    const target: Target = {
      dossier,
      submission: refused[side],
      unit: !scope
        ? CENTRE
        : inScope
          ? scope.unit
          : access.scope === 'own-unit'
            ? scope.notOwn
            : (scope.unseen ?? CENTRE),
      notification: (inScope ? own[0] : others.find((id) => !own.includes(id))) ?? 999_999,
    };
    // Sides that do not exist for this officer: nothing in scope to aim at, or nothing outside it.
    const applies =
      !officer ||
      ((access.scope === 'dossier' || access.scope === 'submission') &&
        (inScope ? seen.length > 0 : seen.length < 2)) ||
      (access.scope === 'visible-unit' && (inScope || scope!.unseen !== null)) ||
      (access.scope === 'notification' && (inScope ? own.length > 0 : others.length > 0)) ||
      (access.scope !== 'dossier' &&
        access.scope !== 'submission' &&
        access.scope !== 'visible-unit' &&
        access.scope !== 'notification');
    return applies ? target : undefined;
  };

  /** The answer's status; an event stream is closed as soon as its headers arrive. */
  const statusOf = async (method: string, call: Call, token?: string): Promise<number> => {
    const abort = new AbortController();
    const res = await fetch(`${product.baseUrl}${call.path}`, {
      method,
      headers: {
        ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...call.headers,
      },
      body: call.form ? call.form() : call.body !== undefined ? JSON.stringify(call.body) : undefined,
      signal: abort.signal,
    });
    if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
      abort.abort();
    } else {
      await res.arrayBuffer();
    }
    return res.status;
  };

  it.each(Object.keys(MATRIX))('%s', async (key) => {
    const access = MATRIX[key];
    const method = key.split(' ')[0];
    const cells: Cell[] = [
      { officer: null, inScope: true },
      { officer: null, inScope: false },
      ...DEMO_OFFICERS.flatMap(({ username }) => [
        { officer: username, inScope: true },
        { officer: username, inScope: false },
      ]),
    ];
    const wrong: string[] = [];
    for (const cell of cells) {
      if (!access.scope && !cell.inScope) {
        continue;
      }
      const target = targetFor(access, cell.officer, cell.inScope);
      if (!target) {
        continue;
      }
      const status = await statusOf(method, access.call(target), cell.officer ? tokens.get(cell.officer) : undefined);
      const want = expected(access, cell);
      if (status !== want) {
        wrong.push(
          `${cell.officer ?? '(no token)'} ${cell.inScope ? 'in' : 'out of'} scope: ${status}, expected ${want}`,
        );
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers a dossier out of scope exactly as a dossier that does not exist: no units, no confirmation', async () => {
    const outside = await as('commune-clerk')('GET', `/api/v1/dossiers/${fixtures.centre.code}`);
    const unknown = `${fixtures.centre.code.slice(0, -4)}9999`;
    const missing = await as('commune-clerk')('GET', `/api/v1/dossiers/${unknown}`);
    expect(outside.status).toBe(404);
    expect(outside.body.detail).toBe(`No dossier has the code ${fixtures.centre.code}.`);
    expect(missing.body.detail).toBe(`No dossier has the code ${unknown}.`);
    expect(Object.keys(outside.body).sort()).toEqual(Object.keys(missing.body).sort());
  });
});
