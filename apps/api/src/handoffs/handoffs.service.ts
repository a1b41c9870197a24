import { Injectable } from '@nestjs/common';
import { DomainErrorCode, DomainException } from '../../../../libs/domain/src';
import { HandoffStore } from '../../../../libs/persistence/src';
import { type DossierAction } from '../../../../libs/domain/src';
import { type Principal, type Role } from '../auth/principal';
import { IntakeService } from '../dossiers/intake.service';
import { DossierWorkflowGateway } from '../infrastructure/dossier-workflow.gateway';
import { OrganisationService } from '../organisation/organisation.service';
import {
  type HandoffAnswer,
  type HandoffCallbackDto,
  type HandoffNoticeDto,
  type HandoffPackageDto,
} from './dto/handoff.dto';

/** The body names the hand-off it is about; a message whose body and path disagree is refused, not guessed at. */
function assertSameHandoff(path: string, body: string): void {
  if (path.toLowerCase() !== body.toLowerCase()) {
    throw new DomainException(
      DomainErrorCode.VALIDATION_FAILED,
      `The body is about hand-off ${body}, the path about ${path}.`,
      [{ field: 'handoffId', message: 'must equal the hand-off ID in the path' }],
    );
  }
}

/**
 * Hand-offs with partner agencies' systems. Inbound: a partner's segment becomes a dossier here, once per hand-off
 * ID, processed by our officers; its answers go back through the outbox. Callbacks: a partner's answer about a
 * segment we handed to it reaches the dossier's workflow as an Update, once per callback ID.
 */
@Injectable()
export class HandoffsService {
  constructor(
    private readonly intake: IntakeService,
    private readonly workflows: DossierWorkflowGateway,
    private readonly store: HandoffStore,
    private readonly organisation: OrganisationService,
  ) {}

  async receive(partner: string, pkg: HandoffPackageDto): Promise<HandoffAnswer> {
    const existing = await this.store.received(pkg.handoffId, partner);
    if (existing) {
      return { handoffId: pkg.handoffId, dossierCode: existing, applied: false };
    }
    const { view, replayed } = await this.intake.receive(
      await this.systemPrincipal(),
      {
        procedureCode: pkg.procedureCode,
        caseCode: pkg.caseCode,
        receivingUnitCode: pkg.segment.agency,
        channel: 'ONLINE',
        applicant: pkg.applicant,
        documents: pkg.documents,
      },
      {
        idempotencyKey: `handoff:${partner}:${pkg.handoffId}`,
        origin: {
          partner,
          handoffId: pkg.handoffId,
          originDossierCode: pkg.originDossierCode,
          segmentCode: pkg.segment.code,
        },
      },
    );
    return { handoffId: pkg.handoffId, dossierCode: view.code, applied: !replayed, state: view.state };
  }

  async callback(partner: string, handoffId: string, answer: HandoffCallbackDto): Promise<HandoffAnswer> {
    assertSameHandoff(handoffId, answer.handoffId);
    const sent = await this.store.sent(handoffId, partner);
    if (!sent) {
      throw new DomainException(DomainErrorCode.NOT_FOUND, `No hand-off ${handoffId} was sent to ${partner}.`);
    }
    if (await this.store.callbackTaken(handoffId, answer.callbackId)) {
      return { handoffId, dossierCode: sent.dossierCode, applied: false };
    }
    // The dossier is over here (e.g. the applicant withdrew): the answer changes nothing, and the partner may stop.
    const ended = await this.store.ended(sent.dossierCode);
    if (ended) {
      return { handoffId, dossierCode: sent.dossierCode, applied: false, state: ended };
    }
    const { state } = await this.workflows.handoffCallback(
      sent.dossierCode,
      { ...answer, handoffId, partner },
      { what: answer.kind, retryWith: 'callbackId', updateId: `handoff-callback:${handoffId}:${answer.callbackId}` },
    );
    await this.store.takeCallback(handoffId, answer.callbackId, answer.kind);
    return { handoffId, dossierCode: sent.dossierCode, applied: true, state };
  }

  /**
   * The partner that handed us a segment passes on what its desk took in: the applicant's supplement (our dossier
   * resumes) or a withdrawal (ours stops). Applied as the connected system's action, once per notice ID.
   */
  async notice(partner: string, handoffId: string, notice: HandoffNoticeDto): Promise<HandoffAnswer> {
    assertSameHandoff(handoffId, notice.handoffId);
    const dossierCode = await this.store.received(handoffId, partner);
    if (!dossierCode) {
      throw new DomainException(DomainErrorCode.NOT_FOUND, `No hand-off ${handoffId} was received from ${partner}.`);
    }
    const ended = await this.store.ended(dossierCode);
    if (ended) {
      return { handoffId, dossierCode, applied: false, state: ended };
    }
    const request: DossierAction =
      notice.kind === 'SUPPLEMENT_SUBMITTED'
        ? { action: 'submit-supplement', note: notice.note ?? `Bổ sung nhận tại hệ thống ${partner}` }
        : { action: 'withdraw', reason: notice.reason ?? '' };
    const actor = await this.organisation.actorOf(await this.systemPrincipal());
    const { state } = await this.workflows.act(
      dossierCode,
      { actor, request },
      { what: notice.kind, retryWith: 'noticeId', updateId: `handoff-notice:${handoffId}:${notice.noticeId}` },
    );
    return { handoffId, dossierCode, applied: true, state };
  }

  /** Hand-offs are received in the name of the deployment's connected-system account. */
  private async systemPrincipal(): Promise<Principal> {
    const officer = await this.organisation.agencySystemOfficer();
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
