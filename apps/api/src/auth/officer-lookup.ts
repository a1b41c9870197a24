import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../../../libs/config/src';
import {
  OFFICERS_CHANGED_CHANNEL,
  type OfficerEntity,
  OrganisationStore,
  PgListener,
} from '../../../../libs/persistence/src';
import { OfficerCache } from './officer-cache';
import { type TokenIdentity } from './token-verifier';

const keyOf = (identity: TokenIdentity): string =>
  'username' in identity ? `u:${identity.username}` : `s:${identity.issuer}\u0000${identity.subject}`;

/**
 * The active officer a token stands for, as the guard needs it on every request. Kept up to OFFICER_CACHE_TTL_MS
 * (the bound within which a disabled officer, or a changed role or unit, takes effect in the worst case), and
 * forgotten at once when PostgreSQL announces a change to the officers table (LISTEN officers_changed, raised by a
 * trigger on any change, whoever makes it). While that connection is down nothing is cached, so the bound holds
 * even for a change whose notice was lost.
 */
@Injectable()
export class OfficerLookup implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(OfficerLookup.name);
  private readonly cache: OfficerCache<OfficerEntity>;
  private readonly uncached = new OfficerCache<OfficerEntity>(0);
  private readonly listener: PgListener;
  private listening = false;

  constructor(
    private readonly organisation: OrganisationStore,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    this.cache = new OfficerCache(config.OFFICER_CACHE_TTL_MS);
    this.listener = new PgListener(config.DATABASE_URL, OFFICERS_CHANGED_CHANNEL, this.logger, {
      notice: () => this.cache.clear(),
      // Whatever changed before LISTEN took effect was not heard: start from an empty cache.
      listening: () => {
        this.cache.clear();
        this.listening = true;
      },
      lost: () => {
        this.listening = false;
        this.cache.clear();
      },
    });
  }

  activeOfficer(identity: TokenIdentity): Promise<OfficerEntity | null> {
    const cache = this.listening ? this.cache : this.uncached;
    return cache.get(keyOf(identity), () => this.organisation.activeOfficer(identity));
  }

  onModuleInit(): void {
    if (this.config.OFFICER_CACHE_TTL_MS > 0) {
      this.listener.start();
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener.stop();
  }
}
