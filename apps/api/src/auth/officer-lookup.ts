import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfig } from '../../../../libs/config/src';
import { OFFICERS_CHANGED_CHANNEL, type OfficerEntity, OrganisationStore } from '../../../../libs/persistence/src';
import { OfficerCache } from './officer-cache';
import { type TokenIdentity } from './token-verifier';

const RECONNECT_MS = 1_000;

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
  private client: Client | null = null;
  private listening = false;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly organisation: OrganisationStore,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    this.cache = new OfficerCache(config.OFFICER_CACHE_TTL_MS);
  }

  activeOfficer(identity: TokenIdentity): Promise<OfficerEntity | null> {
    const cache = this.listening ? this.cache : this.uncached;
    return cache.get(keyOf(identity), () => this.organisation.activeOfficer(identity));
  }

  onModuleInit(): void {
    if (this.config.OFFICER_CACHE_TTL_MS > 0) {
      void this.connect();
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.retry) {
      clearTimeout(this.retry);
    }
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.config.DATABASE_URL });
    let lost = false;
    const onLost = (e?: Error): void => {
      this.listening = false;
      this.cache.clear();
      if (lost || this.stopped) {
        return;
      }
      lost = true;
      this.logger.warn({ error: e?.message ?? 'connection ended' }, 'officer change feed lost; not caching officers');
      if (this.client === client) {
        this.client = null;
      }
      void client.end().catch(() => undefined);
      this.retry = setTimeout(() => void this.connect(), RECONNECT_MS);
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.channel === OFFICERS_CHANGED_CHANNEL) {
        this.cache.clear();
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${OFFICERS_CHANGED_CHANNEL}`);
      if (this.stopped) {
        await client.end();
        return;
      }
      this.client = client;
      // Whatever changed before LISTEN took effect was not heard: start from an empty cache.
      this.cache.clear();
      this.listening = true;
    } catch (e) {
      onLost(e instanceof Error ? e : new Error(String(e)));
    }
  }
}
