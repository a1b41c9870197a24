import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../../../libs/config/src';
import { DomainErrorCode, DomainException, type DossierAction, TERMINAL_STATES } from '../../../../libs/domain/src';
import { DossierQueryStore, DossierStore, PaymentStore, ProcedureStore } from '../../../../libs/persistence/src';
import { type Principal } from '../auth/principal';
import { CalendarService } from '../calendar/calendar.service';
import { DossierWorkflowGateway } from '../infrastructure/dossier-workflow.gateway';
import { OrganisationService } from '../organisation/organisation.service';
import { DossierReader, type DossierDetail } from './dossier.reader';
import { NO_ACTIONS, toDossierView, toListItem, type ViewerActions } from './dossier.mapper';
import { type DossierView } from './dto/dossier.view';
import { checkIdempotencyKey } from './idempotency-key';

@Injectable()
export class DossiersService {
  private readonly logger = new Logger(DossiersService.name);

  constructor(
    private readonly dossiers: DossierStore,
    private readonly reader: DossierReader,
    private readonly workflows: DossierWorkflowGateway,
    private readonly organisation: OrganisationService,
    private readonly calendars: CalendarService,
    private readonly queries: DossierQueryStore,
    private readonly procedureStore: ProcedureStore,
    private readonly payments: PaymentStore,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

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
