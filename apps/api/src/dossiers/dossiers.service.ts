import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { agencyTaskQueue, AppConfig, type PartnerSystem, partnerSystems } from '../../../../libs/config/src';
import { DEFAULT_TRANSFER_RULE, formatFormTime, localDateOf } from '../../../../libs/calendar/src';
import {
  DEFAULT_SIGNING,
  DomainErrorCode,
  DomainException,
  type DossierCodeFormat,
  dossierCodeFormat,
  type ProcedureCase,
  type StepRole,
  type ProcedureStep,
  type InterAgencySegment,
  PETITION_PROCEDURE_CODE,
  segmentOwnSteps,
  workflowSegments,
  workflowSteps,
} from '../../../../libs/domain/src';
import {
  DossierQueryStore,
  DossierStore,
  FileStore,
  hashLookupPin,
  lookupPinKey,
  newLookupPin,
  PaymentStore,
  ProcedureStore,
  type ReceiveDossierCommand,
  type ReusableFileRecord,
} from '../../../../libs/persistence/src';
import {
  type DossierAction,
  type DossierRules,
  type DossierWorkflowInput,
  type HandoffOrigin,
  TERMINAL_STATES,
} from '../../../../libs/domain/src';
import { type Principal } from '../auth/principal';
import { CalendarService } from '../calendar/calendar.service';
import { DossierWorkflowGateway } from '../infrastructure/dossier-workflow.gateway';
import { OrganisationService } from '../organisation/organisation.service';
import { traceCarrier } from '../../../../libs/telemetry/src';
import { OutboxRelayService, START_DOSSIER_WORKFLOW } from '../outbox/outbox-relay.service';
import { ProceduresService } from '../procedures/procedures.service';
import { DossierReader, type DossierDetail } from './dossier.reader';
import { NO_ACTIONS, seesPin, toDossierView, toListItem, type ViewerActions } from './dossier.mapper';
import { type DossierView } from './dto/dossier.view';
import { type IntakeRequest } from './dto/intake.dto';
import { buildReceipt } from './forms/dossier-forms';
import { checkHandedDocuments } from './handed-documents';

/** Canonical JSON (sorted keys) so the same body always hashes the same for idempotency. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonical).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** What an Idempotency-Key may be: it is stored (varchar 128) and names a Temporal Update (whose IDs are bounded). */
const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,128}$/;

/** A 422 naming the header, before a key too long or unprintable reaches the database or Temporal (it was a 503). */
function checkIdempotencyKey(key: string | undefined): void {
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw new DomainException(DomainErrorCode.VALIDATION_FAILED, 'The Idempotency-Key header is not a usable key.', [
      { field: 'idempotency-key', message: 'must be 1–128 printable ASCII characters (a UUID is a good key)' },
    ]);
  }
}

/** Intake's routing of a procedure's steps to units known only at receipt (the petition procedure's). */
export interface StepRoute {
  /** The unit and role a step of the procedure gets for this dossier. */
  step: (step: ProcedureStep) => { unit: string; role: StepRole };
  /** Received from the public form: the caller (the connected-system account) neither holds nor must be at the desk. */
  public: boolean;
}

@Injectable()
export class DossiersService {
  private readonly logger = new Logger(DossiersService.name);

  constructor(
    private readonly dossiers: DossierStore,
    private readonly reader: DossierReader,
    private readonly relay: OutboxRelayService,
    private readonly workflows: DossierWorkflowGateway,
    private readonly organisation: OrganisationService,
    private readonly procedures: ProceduresService,
    private readonly calendars: CalendarService,
    private readonly queries: DossierQueryStore,
    private readonly files: FileStore,
    private readonly procedureStore: ProcedureStore,
    private readonly payments: PaymentStore,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    this.partners = partnerSystems(config);
    this.codeFormat = dossierCodeFormat(config.DOSSIER_CODE_PATTERN);
    this.pinKey = lookupPinKey(config);
  }

  /** The pattern of the codes intake issues (validated at boot with the rest of the configuration). */
  private readonly codeFormat: DossierCodeFormat;
  /** The key lookup PINs are hashed with (LOOKUP_PIN_KEY, or derived from JWT_SECRET in embedded mode). */
  private readonly pinKey: Buffer;

  /** Partner systems serving agencies of connected procedures (their segments are handed over, not run here). */
  private readonly partners: PartnerSystem[];

  /**
   * Intake: checks the documents against the procedure version in force, then one transaction stores the dossier
   * with its code, its promised return time and the outbox row that starts its workflow. The clock starts now: for an
   * application submitted online (`submissionId`), at its reception, not at its submission.
   */
  async receive(
    principal: Principal,
    request: IntakeRequest,
    source: {
      idempotencyKey?: string;
      /** A partner's system handed over one segment of a connected procedure. */
      origin?: HandoffOrigin & { segmentCode: string };
      /** The application waiting at the desk that this reception takes in. */
      submissionId?: string;
      /** Steps routed at intake (a petition's: to the unit it is about), and whether the caller holds the desk's step. */
      route?: StepRoute;
      /** A petition: what it is about, linked to the petition dossier in the transaction that stores it. */
      petition?: ReceiveDossierCommand['petition'];
    } = {},
  ): Promise<{ view: DossierView; replayed: boolean; pin?: string }> {
    const { idempotencyKey, origin, submissionId, route, petition } = source;
    checkIdempotencyKey(idempotencyKey);
    if (request.procedureCode === PETITION_PROCEDURE_CODE && !petition) {
      // Its steps are routed to the unit the petition is about, which only the petition's intake knows.
      throw new DomainException(DomainErrorCode.VALIDATION_FAILED, 'Petitions are received as petitions.', [
        { field: 'procedureCode', message: `${PETITION_PROCEDURE_CODE} is received with POST /api/v1/petitions` },
      ]);
    }
    if (!origin && !route?.public) {
      this.assertInUnit(principal, request.receivingUnitCode, 'receive dossiers for');
    }
    const receivedAt = new Date();
    const {
      version,
      caseCode,
      procedure: kase,
    } = await this.procedures.forIntake(request.procedureCode, request.caseCode, receivedAt);
    const name = version.procedureName;
    const documents = checkHandedDocuments(request, kase, name);
    const reused = await this.reusedFiles(principal, request, origin !== undefined);
    const scoped = await this.calendars.forScope(request.receivingUnitCode);
    const { calendar } = scoped;
    // A partner's hand-off is one segment of a connected procedure: its steps and its share of the deadline.
    const segment = origin ? this.handedSegment(kase, origin.segmentCode, request.receivingUnitCode) : undefined;
    const processingTime = segment?.budget ?? kase.processingTime;
    const cutoff = segment ? undefined : kase.cutoff;
    const promisedAt =
      kase.returnsImmediately && !segment
        ? receivedAt
        : calendar.due(receivedAt, processingTime.amount, processingTime.unit, cutoff ?? {}).due;
    const steps = workflowSteps(kase).map((s) => (route ? { ...s, ...route.step(s) } : s));
    const rules: DossierRules = {
      procedureName: name,
      procedureVersionId: version.id,
      caseCode,
      processingTime,
      cutoff,
      transfer: kase.transfer ?? DEFAULT_TRANSFER_RULE,
      clockPolicy: kase.clockPolicy,
      steps: segment
        ? segmentOwnSteps(
            steps,
            segment.steps.map((s) => s.code),
          )
        : steps,
      segments:
        kase.segments?.length && !segment
          ? workflowSegments(kase, (agency) => agencyTaskQueue(this.config, agency), this.partners)
          : undefined,
      feesTotal: kase.fees.reduce((sum, f) => sum + f.amount, 0),
      legalBasis: version.definition.legalBasis,
      returnsImmediately: kase.returnsImmediately && !segment,
      // Whose head signs form 04: the resolving agency's, or the agency of the segment a partner handed us.
      agency: segment?.agency ?? version.resolvingAgencyCode,
      signing: kase.signing ?? DEFAULT_SIGNING,
    };
    const input: Omit<DossierWorkflowInput, 'dossierCode'> = {
      procedureCode: request.procedureCode,
      receivingUnitCode: request.receivingUnitCode,
      receivedAt: receivedAt.toISOString(),
      // A public petition is taken in by the connected-system account: any clerk of the desk claims its first step.
      receivedBy: route?.public ? undefined : principal.officerId,
      rules,
      ...(origin
        ? {
            handoff: {
              partner: origin.partner,
              handoffId: origin.handoffId,
              originDossierCode: origin.originDossierCode,
            },
          }
        : {}),
    };
    // Shown once, in this answer and on the receipt printed from it; the database keeps only its hash.
    const pin = newLookupPin();
    const { dossier, event, replayed } = await this.dossiers.receive({
      receivingUnitCode: request.receivingUnitCode,
      procedureCode: request.procedureCode,
      procedureVersionId: version.id,
      caseCode,
      channel: request.channel,
      applicant: { type: request.applicant.type, idNumber: request.applicant.idNumber, name: request.applicant.name },
      applicantContact: {
        address: request.applicant.address,
        phone: request.applicant.phone,
        email: request.applicant.email,
      },
      proxy: request.proxy
        ? { name: request.proxy.name, idNumber: request.proxy.idNumber, phone: request.proxy.phone }
        : null,
      documents,
      promisedAt,
      lookupPinHash: hashLookupPin(pin, this.pinKey),
      receivedAt,
      receiptDay: localDateOf(receivedAt, this.config.TIME_ZONE),
      codeFormat: this.codeFormat,
      receivedBy: principal.officerId,
      // The request's trace goes with the row: the relay's start continues it (tracing on).
      outbox: { kind: START_DOSSIER_WORKFLOW, payload: { ...input, ...traceCarrier() } },
      handoff: origin
        ? {
            id: origin.handoffId,
            partner: origin.partner,
            segmentCode: origin.segmentCode,
            originDossierCode: origin.originDossierCode,
          }
        : undefined,
      submissionId,
      petition,
      reusedFiles: reused.map(({ documentCode, file }) => reusedCopy(documentCode, file, principal)),
      idempotency: idempotencyKey
        ? {
            scope: `${principal.officerId}:POST ${submissionId ? `/submissions/${submissionId}/receive` : '/dossiers'}`,
            key: idempotencyKey,
            requestHash: sha256(canonical(request)),
          }
        : undefined,
    });
    if (!replayed) {
      this.relay.wake();
    }
    const detail = event
      ? await this.reader.received(
          dossier,
          event,
          {
            code: request.procedureCode,
            name,
            resolvingAgency: version.resolvingAgencyCode,
          },
          principal.fullName,
        )
      : await this.reader.detail(dossier.code);
    const view = toDossierView(detail, principal, scoped);
    // A replay answers without the PIN: the first answer had it, and only its hash was kept (the desk can issue anew).
    const shownPin = replayed ? undefined : pin;
    return {
      view: {
        ...view,
        lookupPin: shownPin !== undefined && seesPin(principal) ? shownPin : null,
        receipt: buildReceipt(detail, principal, calendar, kase.processingTime, shownPin),
      },
      replayed,
      // For a caller who hands it on itself (a public petition's answer): the view shows it only to the desk.
      pin: shownPin,
    };
  }

  /**
   * The files of earlier dossiers an intake reuses instead of scanning the papers again (`documents[].reuseFileId`):
   * each must be a certified paper or a result of a dossier of the same applicant (personal ID or tax code) that the
   * caller's units have seen, standing for the paper it is: a certified scan only for the same document code it
   * certified. A result stands for a paper only where the procedure accepts the result as that paper; no procedure
   * of the catalog says so yet, so a result reuses as nothing (its document code is null). Anything else is the same
   * 422, so ids of other applicants' files tell nothing.
   */
  private async reusedFiles(
    principal: Principal,
    request: IntakeRequest,
    handoff: boolean,
  ): Promise<{ documentCode: string; file: ReusableFileRecord }[]> {
    const wanted = request.documents.flatMap((d, i) => (d.reuseFileId ? [{ i, code: d.code, id: d.reuseFileId }] : []));
    if (wanted.length === 0) {
      return [];
    }
    const found = new Map((await this.files.byIds(wanted.map((w) => w.id))).map((f) => [f.id, f]));
    const visible = await this.organisation.visibleUnits(principal);
    const errors: { field: string; message: string }[] = [];
    const reused: { documentCode: string; file: ReusableFileRecord }[] = [];
    for (const w of wanted) {
      const file = found.get(w.id);
      const seen =
        file && (visible === 'ALL' || (await this.queries.units(file.dossierCode)).some((u) => visible.has(u)));
      const reusable =
        file &&
        seen &&
        !handoff &&
        file.applicantIdNumber === request.applicant.idNumber &&
        file.supersededBy === null &&
        file.purgedAt === null &&
        (file.kind === 'RESULT' || file.certifiedAt !== null);
      if (!reusable) {
        errors.push({
          field: `documents[${w.i}].reuseFileId`,
          message: handoff
            ? 'must be absent: a hand-off carries no files of this system'
            : 'must be a certified paper or a result of an earlier dossier of the same applicant, in your units',
        });
      } else if (file.documentCode !== w.code) {
        errors.push({
          field: `documents[${w.i}].reuseFileId`,
          message:
            file.kind === 'RESULT'
              ? `must be a certified scan of ${w.code}: the procedure does not accept an earlier result as this paper`
              : `must be a certified scan of ${w.code}, the paper it stands for (it certifies ${file.documentCode})`,
        });
      } else {
        reused.push({ documentCode: w.code, file });
      }
    }
    if (errors.length > 0) {
      throw new DomainException(
        DomainErrorCode.VALIDATION_FAILED,
        'A file named for reuse cannot be reused; the dossier was not received.',
        errors,
      );
    }
    return reused;
  }

  /** The return time intake would promise if the dossier were received now, and why. */
  async promisedTime(principal: Principal, procedureCode: string, receivingUnitCode: string, caseCode?: string) {
    this.assertInUnit(principal, receivingUnitCode, 'receive dossiers for');
    const receivedAt = new Date();
    const { caseCode: chosen, procedure: kase } = await this.procedures.forIntake(procedureCode, caseCode, receivedAt);
    const { calendar } = await this.calendars.forScope(receivingUnitCode);
    const { amount, unit } = kase.processingTime;
    const { anchor, due } = kase.returnsImmediately
      ? { anchor: receivedAt, due: receivedAt }
      : calendar.due(receivedAt, amount, unit, kase.cutoff ?? {});
    const at = (d: Date): string => formatFormTime(calendar, d);
    const units: Record<string, string> = { WD: 'ngày làm việc', WH: 'giờ làm việc', CD: 'ngày' };
    const explanation = kase.returnsImmediately
      ? 'Thủ tục trả kết quả ngay trong ngày tiếp nhận.'
      : `${amount} ${units[unit] ?? unit} tính từ ${at(anchor)}` +
        (anchor.getTime() > receivedAt.getTime()
          ? ` (tiếp nhận lúc ${at(receivedAt)}, ngoài giờ hoặc sau giờ tiếp nhận, nên tính từ ngày làm việc tiếp theo)`
          : '') +
        `: hẹn trả kết quả lúc ${at(due)}.`;
    return {
      procedureCode,
      caseCode: chosen,
      receivedAt: receivedAt.toISOString(),
      anchorAt: anchor.toISOString(),
      promisedAt: due.toISOString(),
      processingTime: { amount, unit },
      explanation,
    };
  }

  async get(principal: Principal, code: string): Promise<DossierView> {
    return this.view(principal, await this.visibleDetail(principal, code));
  }

  /** The view of a dossier the caller may see (checked), with what they may do now (`known`: as the workflow said). */
  private async view(
    principal: Principal,
    detail: DossierDetail,
    known?: { allowed: ViewerActions; seq: number },
  ): Promise<DossierView> {
    const code = detail.dossier.code;
    const [scoped, allowed] = await Promise.all([
      this.calendars.forScope(detail.dossier.receivingUnitCode),
      this.allowedActions(
        principal,
        code,
        detail.dossier.state,
        known?.seq === detail.dossier.lastEventSeq ? known.allowed : undefined,
      ),
    ]);
    return toDossierView(detail, principal, scoped, allowed);
  }

  /**
   * What the caller may do now, asked of the workflow that would judge the action (the segment's child when an
   * agency holds the dossier), so the console offers exactly what the action Update would accept.
   */
  private async allowedActions(
    principal: Principal,
    code: string,
    state: string,
    known?: ViewerActions,
  ): Promise<ViewerActions> {
    if (state === 'RECEIVED' || (TERMINAL_STATES as string[]).includes(state) || isAuditorOnly(principal)) {
      return NO_ACTIONS;
    }
    if (known) {
      // The workflow's answer to the officer's own action, given with it.
      return { actions: known.actions, nextSteps: known.nextSteps, returnTargets: known.returnTargets };
    }
    const actor = await this.organisation.actorOf(principal);
    try {
      return await this.workflows.allowedActions(code, actor);
    } catch (e) {
      // A dossier is readable while its workflow is unreachable or not started yet: it then offers no action.
      this.logger.warn(
        { dossier: code, error: e instanceof Error ? e.message : String(e) },
        'allowed actions unavailable',
      );
      return NO_ACTIONS;
    }
  }

  /** A dossier the caller may see (receiving unit, or a unit any of its steps went through). */
  async visibleDetail(principal: Principal, code: string): Promise<DossierDetail> {
    // The units first: nothing of a dossier outside the caller's units is read.
    await this.assertCanSee(principal, code, await this.reader.units(code));
    return this.reader.detail(code);
  }

  /**
   * Not found unless one of the dossier's units (receiving, or any step's) is the caller's to see: the answer is the
   * same as for a code no dossier has, so probing codes tells an officer nothing about dossiers outside their units.
   */
  private async assertCanSee(principal: Principal, code: string, units: string[]): Promise<void> {
    const visible = await this.organisation.visibleUnits(principal);
    if (visible !== 'ALL' && !units.some((u) => visible.has(u))) {
      this.logger.warn({ username: principal.username, dossier: code }, 'dossier outside the caller’s units');
      throw new DomainException(DomainErrorCode.NOT_FOUND, `No dossier has the code ${code}.`);
    }
  }

  /**
   * The fee a request-payment asks for: what the officer wrote, else the fee schedule of the dossier's procedure case
   * (the sum of its fees, named by them); 422 when neither gives a sum.
   */
  async feeToRequest(
    principal: Principal,
    code: string,
    given: { amount?: number; reason?: string },
  ): Promise<{ amount: number; reason: string }> {
    if (given.amount !== undefined && given.reason !== undefined) {
      return { amount: given.amount, reason: given.reason };
    }
    await this.assertVisible(principal, code);
    const d = await this.dossiers.findByCode(code);
    const version = d?.procedureVersionId
      ? (await this.procedureStore.definitions([d.procedureVersionId])).get(d.procedureVersionId)
      : undefined;
    const fees = (version?.cases.find((c) => c.code === d?.caseCode)?.fees ?? []).filter((f) => f.amount > 0);
    const amount = given.amount ?? fees.reduce((sum, f) => sum + f.amount, 0);
    if (amount <= 0) {
      throw new DomainException(
        DomainErrorCode.VALIDATION_FAILED,
        `The procedure case of dossier ${code} has no fee: say the amount to request.`,
        [{ field: 'amount', message: 'is required: the procedure case has no fee schedule' }],
      );
    }
    return { amount, reason: given.reason ?? fees.map((f) => f.name).join('; ') };
  }

  /** 404 unless the caller may see the dossier (the same answer as for a code no dossier has). */
  async assertVisible(principal: Principal, code: string): Promise<void> {
    await this.assertCanSee(principal, code, await this.reader.units(code));
  }

  /** An officer action: the workflow validates it (state, step, holder, role) and answers with the outcome. */
  async act(principal: Principal, code: string, request: DossierAction, idempotencyKey?: string): Promise<DossierView> {
    checkIdempotencyKey(idempotencyKey);
    assertActs(principal);
    // Only the units are needed to check access; the full dossier is read once, after the workflow answered.
    await this.assertCanSee(principal, code, await this.reader.units(code));
    const actor = await this.organisation.actorOf(principal);
    const answer = await this.workflows.act(
      code,
      { actor, request },
      {
        what: request.action,
        retryWith: 'Idempotency-Key',
        updateId: idempotencyKey ? `${request.action}:${principal.officerId}:${idempotencyKey}` : undefined,
      },
    );
    // The workflow answered what the officer may do next (dossiers started with the current rules): no query, as
    // long as the dossier read is the one it answered about (a retried Update answers as it first did).
    const { allowedAfter } = answer;
    // Seen by the caller before the action (checked above), and a transition only adds units: read it at once.
    return this.view(
      principal,
      await this.reader.detail(code),
      allowedAfter && !allowedAfter.delegatedTo ? { allowed: allowedAfter, seq: answer.lastEventSeq } : undefined,
    );
  }

  /**
   * The desk's payment of the dossier's open fee (the oldest still to pay): 409 when no fee is open (never asked for,
   * paid already — at the desk or through the gateway, even while the gateway's payment is still being recorded — or
   * cancelled); 422 unless the amount is the fee owed (a partial payment is not taken at the desk: a fee is paid in
   * full or not at all, as the citizen's receipt says). The desk claims the fee before the workflow records the payment
   * (the gateway's notification then waits, and is kept for a refund once the desk's payment is recorded); a refusal by
   * the workflow releases the claim.
   */
  async recordDeskPayment(
    principal: Principal,
    code: string,
    payment: Omit<Extract<DossierAction, { action: 'record-payment' }>, 'action'>,
    idempotencyKey?: string,
  ): Promise<DossierView> {
    checkIdempotencyKey(idempotencyKey);
    assertActs(principal);
    await this.assertVisible(principal, code);
    const open = await this.payments.openRequest(code);
    if (!open) {
      const fees = await this.payments.list(code);
      const online = fees.find((f) => f.channel === 'ONLINE_GATEWAY' && f.recordedAt === null);
      throw new DomainException(
        DomainErrorCode.INVALID_STATE,
        online
          ? `The fee of dossier ${code} was paid through the payment gateway (its payment is being recorded): the desk takes no second payment for it.`
          : `Dossier ${code} has no fee open: the desk records a payment only for a fee asked for (request-payment) and not yet paid.`,
        [],
        { rule: 'FEE_OPEN', action: 'record-payment' },
      );
    }
    if (payment.amount !== open.amount) {
      throw new DomainException(
        DomainErrorCode.VALIDATION_FAILED,
        `Dossier ${code} owes ${open.amount} đồng (${open.purpose}): the desk takes the fee in full.`,
        [
          {
            field: 'amount',
            message: `must be the fee owed, ${open.amount} đồng (a partial payment is not taken at the desk)`,
          },
        ],
      );
    }
    const claim = idempotencyKey ? `record-payment:${principal.officerId}:${idempotencyKey}` : randomUUID();
    if (!(await this.payments.claimForDesk(open.id, claim, new Date()))) {
      throw new DomainException(
        DomainErrorCode.INVALID_STATE,
        `The fee of dossier ${code} is being paid already (through the payment gateway, or at the desk): one payment per fee.`,
        [],
        { rule: 'FEE_OPEN', action: 'record-payment' },
      );
    }
    try {
      return await this.act(principal, code, { action: 'record-payment', ...payment }, idempotencyKey);
    } catch (e) {
      // Refused (not the desk, dossier closed…): the fee is open again. Unreachable: the payment may have been
      // recorded, so the claim holds until it is (or for its five minutes).
      if (!(e instanceof DomainException && e.code === DomainErrorCode.UNAVAILABLE)) {
        await this.payments.releaseDeskClaim(open.id, claim);
      }
      throw e;
    }
  }

  /** Resolves an assignee named by username or id. */
  assignee(ref: string, field: string) {
    return this.organisation.officerActor(ref, field);
  }

  /** Lists and worklists, scoped to what the caller may see; `assignedTo=me` sorts by remaining working time. */
  async list(
    principal: Principal,
    filter: {
      status?: number;
      state?: string;
      unit?: string;
      procedure?: string;
      overdue?: boolean;
      atRisk?: boolean;
      q?: string;
      assignedTo?: string;
      claimable?: boolean;
      receivedFrom?: string;
      receivedTo?: string;
      limit: number;
      offset: number;
    },
  ) {
    const visible = await this.organisation.visibleUnits(principal);
    const { total, page: ids } = await this.queries.search({
      visibleUnits: visible === 'ALL' ? 'ALL' : [...visible],
      status: filter.status,
      state: filter.state,
      unit: filter.unit,
      procedure: filter.procedure,
      ...(filter.assignedTo ? { holderId: filter.assignedTo === 'me' ? principal.officerId : filter.assignedTo } : {}),
      ...(filter.claimable ? { claimableBy: { unitCodes: principal.unitCodes, roles: principal.roles } } : {}),
      receivedFrom: filter.receivedFrom,
      receivedTo: filter.receivedTo,
      timeZone: this.config.TIME_ZONE,
      overdue: filter.overdue,
      atRisk: filter.atRisk,
      q: filter.q,
      limit: filter.limit,
      offset: filter.offset,
    });
    const names = new Map(ids.map((r) => [r.code, r.procedure_name]));
    const dossiers = await this.reader.rows(ids.map((r) => r.code));
    const now = new Date();
    const items = await Promise.all(
      dossiers.map(async (d) =>
        toListItem(d, names.get(d.code) ?? null, principal, await this.calendars.forScope(d.receivingUnitCode), now),
      ),
    );
    return { total, limit: filter.limit, offset: filter.offset, items };
  }

  /** The segment a partner handed over: one of the procedure's, owned by the unit that receives it here. */
  private handedSegment(kase: ProcedureCase, code: string, unit: string): InterAgencySegment {
    const segment = kase.segments?.find((s) => s.code === code);
    if (!segment) {
      throw new DomainException(DomainErrorCode.VALIDATION_FAILED, `The procedure has no segment ${code}.`, [
        {
          field: 'segment.code',
          message: `must be a segment of the procedure (${(kase.segments ?? []).map((s) => s.code).join(', ') || 'none: it is not a connected procedure'})`,
        },
      ]);
    }
    if (segment.agency !== unit) {
      throw new DomainException(DomainErrorCode.VALIDATION_FAILED, `Segment ${code} belongs to ${segment.agency}.`, [
        { field: 'segment.agency', message: `must be ${segment.agency}, the agency owning segment ${code}` },
      ]);
    }
    return segment;
  }

  private assertInUnit(principal: Principal, unitCode: string, what: string): void {
    if (!principal.unitCodes.includes(unitCode)) {
      throw new DomainException(
        DomainErrorCode.FORBIDDEN,
        `${principal.username} may not ${what} unit ${unitCode}; their units are ${principal.unitCodes.join(', ')}.`,
      );
    }
  }
}

/** The reused file's row in the new dossier: the same bytes, the earlier certification carried over. */
function reusedCopy(documentCode: string, file: ReusableFileRecord, principal: Principal) {
  return {
    kind: 'PAPER' as const,
    documentCode,
    fileName: file.fileName,
    contentType: file.contentType,
    sizeBytes: Number(file.sizeBytes),
    sha256: file.sha256,
    storageKey: file.storageKey,
    uploadedBy: principal.officerId,
    certifiedBy: file.kind === 'RESULT' ? file.uploadedBy : file.certifiedBy,
    certifiedAt: file.kind === 'RESULT' ? file.uploadedAt : file.certifiedAt,
    reusedFrom: file.reusedFrom ?? file.id,
  };
}

const isAuditorOnly = (principal: Principal): boolean =>
  principal.roles.includes('AUDITOR') && principal.roles.length === 1;

/** 403 for an auditor: auditors read, they do not act. */
function assertActs(principal: Principal): void {
  if (isAuditorOnly(principal)) {
    throw new DomainException(
      DomainErrorCode.FORBIDDEN,
      `${principal.username} is an auditor: auditors read, they do not act.`,
    );
  }
}
