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
      const { params } = context.switchToHttp().getRequest<{ params: { code?: string } }>();
      return `${PER_DOSSIER}:${createHash('sha256')
        .update(params.code ?? '')
        .digest('hex')}`;
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
