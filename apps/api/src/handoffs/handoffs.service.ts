import { Injectable } from '@nestjs/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DataSource } from 'typeorm';
import { DomainErrorCode, DomainException } from '../../../../libs/domain/src';
import { HandoffStore, OfficerEntity } from '../../../../libs/persistence/src';
import { handoffCallbackUpdate } from '../../../../workflows/dossier.messages';
import { type Principal, type Role } from '../auth/principal';
import { DossiersService } from '../dossiers/dossiers.service';
import { TemporalClientProvider } from '../infrastructure/temporal.module';
import { type HandoffAnswer, type HandoffCallbackDto, type HandoffPackageDto } from './dto/handoff.dto';

const UPDATE_DEADLINE_MS = 15_000;

/**
 * Hand-offs with partner agencies' systems. Inbound: a partner's segment becomes a dossier here, once per hand-off
 * ID, processed by our officers; its answers go back through the outbox. Callbacks: a partner's answer about a
 * segment we handed to it reaches the dossier's workflow as an Update, once per callback ID.
 */
@Injectable()
export class HandoffsService {
  private readonly store: HandoffStore;

  constructor(
    private readonly dossiers: DossiersService,
    private readonly temporal: TemporalClientProvider,
    private readonly dataSource: DataSource,
  ) {
    this.store = new HandoffStore(dataSource);
  }

  async receive(partner: string, pkg: HandoffPackageDto): Promise<HandoffAnswer> {
    const existing = await this.store.received(pkg.handoffId, partner);
    if (existing) {
      return { handoffId: pkg.handoffId, dossierCode: existing, applied: false };
    }
    const { view, replayed } = await this.dossiers.receive(
      await this.systemPrincipal(),
      {
        procedureCode: pkg.procedureCode,
        caseCode: pkg.caseCode,
        receivingUnitCode: pkg.segment.agency,
        channel: 'ONLINE',
        applicant: pkg.applicant,
        documents: pkg.documents,
      },
      `handoff:${partner}:${pkg.handoffId}`,
      { partner, handoffId: pkg.handoffId, originDossierCode: pkg.originDossierCode, segmentCode: pkg.segment.code },
    );
    return { handoffId: pkg.handoffId, dossierCode: view.code, applied: !replayed, state: view.state };
  }

  async callback(partner: string, handoffId: string, answer: HandoffCallbackDto): Promise<HandoffAnswer> {
    const sent = await this.store.sent(handoffId, partner);
    if (!sent) {
      throw new DomainException(DomainErrorCode.NOT_FOUND, `No hand-off ${handoffId} was sent to ${partner}.`);
    }
    if (await this.store.callbackTaken(handoffId, answer.callbackId)) {
      return { handoffId, dossierCode: sent.dossierCode, applied: false };
    }
    const handle = this.temporal.client.workflow.getHandle(sent.dossierCode);
    let state: string;
    try {
      const snapshot = await this.temporal.connection.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () =>
        handle.executeUpdate(handoffCallbackUpdate, {
          args: [{ ...answer, handoffId, partner }],
          updateId: `handoff-callback:${handoffId}:${answer.callbackId}`,
        }),
      );
      state = snapshot.state;
    } catch (e) {
      if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure) {
        const code =
          e.cause.type === 'INVALID_REQUEST' ? DomainErrorCode.VALIDATION_FAILED : DomainErrorCode.INVALID_STATE;
        throw new DomainException(code, e.cause.message, [], { rule: e.cause.type, kind: answer.kind });
      }
      if (e instanceof WorkflowNotFoundError) {
        throw new DomainException(DomainErrorCode.INVALID_STATE, `Dossier ${sent.dossierCode} is no longer running.`);
      }
      throw new DomainException(
        DomainErrorCode.UNAVAILABLE,
        `Processing did not answer for dossier ${sent.dossierCode}; retry the callback with the same callbackId.`,
      );
    }
    await this.store.takeCallback(handoffId, answer.callbackId, answer.kind);
    return { handoffId, dossierCode: sent.dossierCode, applied: true, state };
  }

  /** Hand-offs are received in the name of the deployment's connected-system account. */
  private async systemPrincipal(): Promise<Principal> {
    const officer = await this.dataSource
      .getRepository(OfficerEntity)
      .createQueryBuilder('o')
      .where(`o.active AND 'AGENCY_SYSTEM' = ANY(o.roles)`)
      .orderBy('o.username')
      .getOne();
    if (!officer) {
      throw new DomainException(
        DomainErrorCode.UNAVAILABLE,
        'No active officer with the AGENCY_SYSTEM role receives hand-offs in this deployment.',
      );
    }
    return {
      officerId: officer.id,
      username: officer.username,
      fullName: officer.fullName,
      roles: officer.roles as Role[],
      unitCodes: officer.unitCodes,
    };
  }
}
