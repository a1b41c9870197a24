import { type CanActivate, type ExecutionContext, Inject, Injectable, type RawBodyRequest } from '@nestjs/common';
import { type Request } from 'express';
import { AppConfig, type PartnerSystem, partnerSystems } from '../../../../libs/config/src';
import { DomainErrorCode, DomainException } from '../../../../libs/domain/src';
import { HandoffStore } from '../../../../libs/persistence/src';
import {
  NONCE_HEADER,
  PARTNER_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verificationProblem,
} from './handoff-signature';

/** A request a partner system signed; `partner` is the verified sender. */
export type SignedRequest = RawBodyRequest<Request> & { partner?: PartnerSystem };

/**
 * Lets through only requests signed by a configured partner: known `X-Partner-Id`, an HMAC-SHA256 signature of the
 * method, path, sender, this system as recipient and the raw body under one of that partner's inbound keys, a
 * timestamp inside the replay window, and a nonce never seen before (kept in PostgreSQL, so every API instance
 * knows it). Runs before the body is validated, so an unsigned caller learns nothing about the payload's rules.
 */
@Injectable()
export class PartnerSignatureGuard implements CanActivate {
  private readonly partners: Map<string, PartnerSystem>;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly store: HandoffStore,
  ) {
    this.partners = new Map(partnerSystems(config).map((p) => [p.id, p]));
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<SignedRequest>();
    const id = request.header(PARTNER_HEADER);
    const partner = id ? this.partners.get(id) : undefined;
    if (!partner) {
      throw new DomainException(
        DomainErrorCode.UNAUTHENTICATED,
        id ? `${id} is not a partner system of this deployment.` : `${PARTNER_HEADER} must name the partner system.`,
      );
    }
    const headers = {
      timestamp: request.header(TIMESTAMP_HEADER),
      nonce: request.header(NONCE_HEADER),
      signature: request.header(SIGNATURE_HEADER),
    };
    const window = this.config.HANDOFF_REPLAY_WINDOW_SECONDS;
    const problem = verificationProblem(
      partner.inboundKeys,
      headers,
      {
        method: request.method,
        path: request.originalUrl,
        sender: partner.id,
        recipient: this.config.HANDOFF_SYSTEM_ID,
        body: request.rawBody ?? Buffer.alloc(0),
      },
      window,
    );
    if (problem) {
      throw new DomainException(DomainErrorCode.UNAUTHENTICATED, `Refused request from ${partner.id}: ${problem}.`);
    }
    // Remembered past the window's far edge, where the timestamp check takes over.
    const forgetAt = new Date((Number(headers.timestamp) + 2 * window) * 1000);
    if (!(await this.store.takeNonce(partner.id, headers.nonce!, forgetAt))) {
      throw new DomainException(
        DomainErrorCode.UNAUTHENTICATED,
        `Refused request from ${partner.id}: ${NONCE_HEADER} was used before: a replayed request.`,
      );
    }
    request.partner = partner;
    return true;
  }
}
