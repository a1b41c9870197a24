import { type components, type paths } from './schema';

/** The JSON body of an operation's success answer (200 or 201), as the OpenAPI document declares it. */
type JsonBody<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type Ok<Op> = Op extends { responses: infer Rs } ? JsonBody<Rs[Extract<keyof Rs, 200 | 201>]> : never;
type Query<Op> = Op extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export type SignInOptions = Ok<paths['/api/v1/auth/options']['get']>;
export type DemoOfficer = SignInOptions['demoOfficers'][number];
export type Me = Ok<paths['/api/v1/auth/me']['get']>;

export type DossierPage = Ok<paths['/api/v1/dossiers']['get']>;
export type DossierListItem = DossierPage['items'][number];
export type DossierListQuery = Query<paths['/api/v1/dossiers']['get']>;
export type DossierView = Ok<paths['/api/v1/dossiers/{code}']['get']>;
export type StepView = DossierView['steps'][number];
export type HistoryEvent = DossierView['history'][number];
export type LedgerEntry = DossierView['deadline']['ledger'][number];
export type PaymentReceipt = Ok<paths['/api/v1/dossiers/{code}/payments']['get']>[number];
export type RefundDue = Ok<paths['/api/v1/payments/refunds-due']['get']>[number];
export type DossierFileList = Ok<paths['/api/v1/dossiers/{code}/files']['get']>;
export type DossierFile = DossierFileList['items'][number];
export type ReusableFile = Ok<paths['/api/v1/applicants/reusable-files']['post']>['items'][number];
export type IntakeRequest = NonNullable<
  paths['/api/v1/dossiers']['post']['requestBody']
>['content']['application/json'];

export type SubmissionPage = Ok<paths['/api/v1/submissions']['get']>;
export type SubmissionView = SubmissionPage['items'][number];

export type ProcedureCatalog = Ok<paths['/api/v1/procedures']['get']>;
export type ProcedureSummary = ProcedureCatalog['procedures'][number];
export type ProcedureDetail = Ok<paths['/api/v1/procedures/{code}']['get']>;
export type PromisedTime = Ok<paths['/api/v1/procedures/{code}/promised-time']['get']>;

export type OfficerList = Ok<paths['/api/v1/officers']['get']>;
export type NotificationList = Ok<paths['/api/v1/notifications']['get']>;
export type NotificationItem = NotificationList['items'][number];

/** The forms 01–06 a dossier can print. */
export type FormName = paths['/api/v1/dossiers/{code}/documents/{form}']['get']['parameters']['path']['form'];

export type PublicDossierStatus = Ok<paths['/public/v1/dossiers/{code}/lookup']['post']>;

/** The content of form 02 a refused intake carries in its problem+json. */
export type Guidance = components['schemas']['SupplementGuidanceView'];

/** The colour band of the remaining working time (the API's enum). */
export type RemainingBand = components['schemas']['RemainingView']['band'];

/** Action names as in the action URLs (the API's enum of allowed actions). */
export type ActionName = DossierView['allowedActions'][number];
