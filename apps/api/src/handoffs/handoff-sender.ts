import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, type PartnerSystem, partnerSystems } from '../../../../libs/config/src';
import { signedHeaders } from './handoff-signature';

const SEND_TIMEOUT_MS = 10_000;

/** Where hand-offs and their answers go: pluggable, so a deployment can swap the transport. */
export abstract class HandoffSender {
  /** Resolves once the partner accepted the message; throws to have it retried later. */
  abstract send(
    partnerId: string,
    path: string,
    message: Record<string, unknown>,
    idempotencyKey: string,
  ): Promise<void>;
}

/**
 * HTTP to the partner's API: one signed POST per message (HMAC-SHA256 over method, path, sender, recipient and body
 * with this deployment's outbound key for the partner, a fresh nonce each attempt), the hand-off or callback ID as
 * Idempotency-Key. A redirect is refused, not followed: the signature and the personal data are for the configured
 * URL only (`https://` in production, checked at boot). A partner down, or answering anything but 2xx, is a failure
 * the relay retries with backoff; the message stays queued meanwhile.
 */
@Injectable()
export class HttpHandoffSender extends HandoffSender {
  private readonly partners: Map<string, PartnerSystem>;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    super();
    this.partners = new Map(partnerSystems(config).map((p) => [p.id, p]));
  }

  async send(partnerId: string, path: string, message: Record<string, unknown>, idempotencyKey: string): Promise<void> {
    const partner = this.partners.get(partnerId);
    if (!partner) {
      throw new Error(`partner system ${partnerId} is not configured (PARTNER_SYSTEMS); the message stays queued`);
    }
    const body = JSON.stringify(message);
    const res = await fetch(`${partner.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': idempotencyKey,
        ...signedHeaders(partner.outboundKey, {
          method: 'POST',
          path,
          sender: this.config.HANDOFF_SYSTEM_ID,
          recipient: partner.id,
          body,
        }),
      },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    // Read to the end either way, so the connection goes back to the pool instead of staying open.
    const detail = await res.text().catch(() => '');
    if (!res.ok) {
      throw new Error(`partner ${partnerId} answered ${res.status} ${res.statusText} ${detail.slice(0, 300)}`);
    }
  }
}
