import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { AppConfig } from '../../../../libs/config/src';
import { localDateOf } from '../../../../libs/calendar/src';
import { DomainErrorCode, DomainException } from '../../../../libs/domain/src';
import { DossierStore } from '../../../../libs/persistence/src';
import { returnResultUpdate } from '../../../../workflows/dossier.messages';
import { type DossierWorkflowInput } from '../../../../workflows/dossier.types';
import { type Principal } from '../auth/principal';
import { TemporalClientProvider } from '../infrastructure/temporal.module';
import { OrganisationService } from '../organisation/organisation.service';
import { ProceduresService } from '../procedures/procedures.service';
import { OutboxRelayService, START_DOSSIER_WORKFLOW } from '../outbox/outbox-relay.service';
import { toDossierView } from './dossier.mapper';
import { type DossierView } from './dto/dossier.view';
import { type IntakeRequest, type ReturnResultRequest } from './dto/intake.dto';

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

@Injectable()
export class DossiersService {
  constructor(
    private readonly dossiers: DossierStore,
    private readonly relay: OutboxRelayService,
    private readonly temporal: TemporalClientProvider,
    private readonly organisation: OrganisationService,
    private readonly procedures: ProceduresService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Intake: one transaction stores the dossier with its code and the outbox row that starts its workflow. */
  async receive(
    principal: Principal,
    request: IntakeRequest,
    idempotencyKey?: string,
  ): Promise<{ view: DossierView; replayed: boolean }> {
    this.assertInUnit(principal, request.receivingUnitCode, 'receive dossiers for');
    const receivedAt = new Date();
    const { version, caseCode } = await this.procedures.forIntake(request.procedureCode, request.caseCode, receivedAt);
    const input: Omit<DossierWorkflowInput, 'dossierCode'> = {
      procedureCode: request.procedureCode,
      receivingUnitCode: request.receivingUnitCode,
      receivedAt: receivedAt.toISOString(),
    };
    const { dossier, replayed } = await this.dossiers.receive({
      receivingUnitCode: request.receivingUnitCode,
      procedureCode: request.procedureCode,
      procedureVersionId: version.id,
      caseCode,
      channel: request.channel,
      applicant: { type: request.applicant.type, idNumber: request.applicant.idNumber, name: request.applicant.name },
      receivedAt,
      receiptDay: localDateOf(receivedAt, this.config.TIME_ZONE),
      receivedBy: principal.officerId,
      outbox: { kind: START_DOSSIER_WORKFLOW, payload: { ...input } },
      idempotency: idempotencyKey
        ? {
            scope: `${principal.officerId}:POST /dossiers`,
            key: idempotencyKey,
            requestHash: sha256(canonical(request)),
          }
        : undefined,
    });
    if (!replayed) {
      this.relay.wake();
    }
    const events = await this.dossiers.listEvents(dossier.code);
    return { view: toDossierView(dossier, events, principal), replayed };
  }

  async get(principal: Principal, code: string): Promise<DossierView> {
    const dossier = await this.dossiers.findByCode(code);
    if (!dossier) {
      throw new DomainException(DomainErrorCode.NOT_FOUND, `No dossier has the code ${code}.`);
    }
    await this.organisation.assertCanSee(principal, dossier.receivingUnitCode, 'see dossiers of');
    return toDossierView(dossier, await this.dossiers.listEvents(code), principal);
  }

  /** The desk hands the result to the applicant; the workflow validates the state and records it. */
  async returnResult(
    principal: Principal,
    code: string,
    request: ReturnResultRequest,
    idempotencyKey?: string,
  ): Promise<DossierView> {
    const dossier = await this.dossiers.findByCode(code);
    if (!dossier) {
      throw new DomainException(DomainErrorCode.NOT_FOUND, `No dossier has the code ${code}.`);
    }
    this.assertInUnit(principal, dossier.receivingUnitCode, 'return results for');
    const handle = this.temporal.client.workflow.getHandle(code);
    try {
      await this.temporal.connection.withDeadline(Date.now() + 15_000, () =>
        handle.executeUpdate(returnResultUpdate, {
          args: [{ actorId: principal.officerId, deliveryMethod: request.deliveryMethod, note: request.note }],
          updateId: idempotencyKey ? `return-result:${principal.officerId}:${idempotencyKey}` : undefined,
        }),
      );
    } catch (e) {
      throw this.translateUpdateError(e, code);
    }
    return this.get(principal, code);
  }

  private translateUpdateError(e: unknown, code: string): Error {
    if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure) {
      return new DomainException(DomainErrorCode.INVALID_STATE, e.cause.message);
    }
    if (e instanceof WorkflowNotFoundError) {
      return new DomainException(
        DomainErrorCode.INVALID_STATE,
        `Dossier ${code} is still being handed to processing; try again in a moment.`,
      );
    }
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
      return new DomainException(
        DomainErrorCode.UNAVAILABLE,
        `Processing did not answer for dossier ${code}; retry with the same Idempotency-Key.`,
      );
    }
    return new DomainException(
      DomainErrorCode.UNAVAILABLE,
      `The workflow service is unavailable (${e instanceof Error ? e.message : String(e)}); retry with the same Idempotency-Key.`,
    );
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
