import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../../../libs/config/src';

const SEND_TIMEOUT_MS = 10_000;

/** Where portal sync messages go: pluggable, so a deployment can swap the transport. */
export abstract class PortalSender {
  /** Resolves once the portal accepted the message; throws to have it retried later. */
  abstract send(message: Record<string, unknown>): Promise<void>;
}

/**
 * HTTP: one POST per message with JSON, the message's sync ID as Idempotency-Key (delivery is at least once), and
 * the configured bearer token. Anything but a 2xx answer is a failure the relay retries with backoff.
 */
@Injectable()
export class HttpPortalSender extends PortalSender {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    super();
  }

  async send(message: Record<string, unknown>): Promise<void> {
    const url = this.config.PORTAL_SYNC_URL;
    if (!url) {
      throw new Error('PORTAL_SYNC_URL is not set; the portal message stays queued');
    }
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': String(message.syncId),
        ...(this.config.PORTAL_SYNC_TOKEN ? { authorization: `Bearer ${this.config.PORTAL_SYNC_TOKEN}` } : {}),
      },
      body: JSON.stringify(message),
      // A redirect would carry the ID numbers and the token elsewhere: refused, retried, and visible in last_error.
      redirect: 'error',
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    // Read to the end either way, so the connection goes back to the pool instead of staying open.
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok) {
      throw new Error(`the portal answered ${res.status} ${res.statusText}`);
    }
  }
}
