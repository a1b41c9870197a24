import { type CanActivate, type ExecutionContext, Inject, Injectable, type RawBodyRequest } from '@nestjs/common';
import { type Request } from 'express';
import { AppConfig, type PartnerSystem, partnerSystems } from '../../../../libs/config/src';
import { DomainErrorCode, DomainException } from '../../../../libs/domain/src';
import { PARTNER_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verificationProblem } from './handoff-signature';

/** A request a partner system signed; `partner` is the verified sender. */
export type SignedRequest = RawBodyRequest<Request> & { partner?: PartnerSystem };

/**
 * Lets through only requests signed by a configured partner: known `X-Partner-Id`, an HMAC-SHA256 signature of the
 * raw body under that partner's key, and a timestamp inside the replay window. Runs before the body is validated,
 * so an unsigned caller learns nothing about the payload's rules.
 */
@Injectable()
export class PartnerSignatureGuard implements CanActivate {
  private readonly partners: Map<string, PartnerSystem>;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    this.partners = new Map(partnerSystems(config).map((p) => [p.id, p]));
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<SignedRequest>();
    const id = request.header(PARTNER_HEADER);
    const partner = id ? this.partners.get(id) : undefined;
    if (!partner) {
      throw new DomainException(
        DomainErrorCode.UNAUTHENTICATED,
        id ? `${id} is not a partner system of this deployment.` : `${PARTNER_HEADER} must name the partner system.`,
      );
    }
    const problem = verificationProblem(
      partner.key,
      { timestamp: request.header(TIMESTAMP_HEADER), signature: request.header(SIGNATURE_HEADER) },
      request.rawBody ?? Buffer.alloc(0),
      this.config.HANDOFF_REPLAY_WINDOW_SECONDS,
    );
    if (problem) {
      throw new DomainException(DomainErrorCode.UNAUTHENTICATED, `Refused request from ${partner.id}: ${problem}.`);
    }
    request.partner = partner;
    return true;
  }
}
