import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { createHash } from 'node:crypto';

/** Throttler names: attempts per client address, and attempts per dossier code from anywhere. */
export const PER_CLIENT = 'per-client';
export const PER_DOSSIER = 'per-dossier';

/**
 * A six-digit PIN is guessable by brute force unless attempts are limited. The per-client limit stops one
 * address hammering; the per-dossier limit stops many addresses sharing the guessing of one code.
 */
@Injectable()
export class PublicLookupThrottlerGuard extends ThrottlerGuard {
  protected override generateKey(context: ExecutionContext, suffix: string, name: string): string {
    if (name === PER_DOSSIER) {
      // The dossier is in the path (lookup, rating) or, for a petition about one, in the body.
      const { params, body } = context
        .switchToHttp()
        .getRequest<{ params: { code?: string }; body?: { dossierCode?: unknown } }>();
      const code = params.code ?? (typeof body?.dossierCode === 'string' ? body.dossierCode : undefined);
      if (code === undefined) {
        // A petition about no dossier: counted per client under the per-dossier limit.
        return super.generateKey(context, suffix, name);
      }
      return `${PER_DOSSIER}:${createHash('sha256').update(code).digest('hex')}`;
    }
    return super.generateKey(context, suffix, name);
  }

  /** The standard Retry-After header (seconds) besides the per-throttler ones, and a message a citizen can act on. */
  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    context
      .switchToHttp()
      .getResponse<{ header(name: string, value: string): void }>()
      .header('Retry-After', String(detail.timeToBlockExpire));
    return super.throwThrottlingException(context, detail);
  }

  protected override getErrorMessage(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<string> {
    const minutes = Math.max(1, Math.ceil(detail.timeToBlockExpire / 60));
    return Promise.resolve(
      detail.key.startsWith(`${PER_DOSSIER}:`)
        ? `Too many lookups of this dossier; try again in ${minutes} minutes.`
        : `Too many lookups from this address; try again in ${minutes} minutes.`,
    );
  }
}
