import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { type Observable, Subject } from 'rxjs';
import { AppConfig } from '../../../../libs/config/src';
import { DOSSIER_CHANGES_CHANNEL, type DossierChange } from '../../../../libs/persistence/src';

const RECONNECT_MS = 1_000;

/**
 * Hears every stored dossier transition, from any worker, through PostgreSQL LISTEN on one connection of its own,
 * and hands them to the open event streams. A lost connection is re-opened; what was said meanwhile is not replayed
 * (consoles refetch when their stream reconnects).
 */
@Injectable()
export class DossierChangesListener implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(DossierChangesListener.name);
  private readonly subject = new Subject<DossierChange>();
  private client: Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;

  /** Every transition as it is committed. */
  readonly changes: Observable<DossierChange> = this.subject.asObservable();

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  onModuleInit(): void {
    // Boot does not wait for it: the API serves without live updates until the connection is up.
    void this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.retry) {
      clearTimeout(this.retry);
    }
    this.subject.complete();
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.config.DATABASE_URL });
    let lost = false;
    const onLost = (e?: Error): void => {
      if (lost || this.stopped) {
        return;
      }
      lost = true;
      this.logger.warn({ error: e?.message ?? 'connection ended' }, 'dossier change feed lost; reconnecting');
      if (this.client === client) {
        this.client = null;
      }
      void client.end().catch(() => undefined);
      this.retry = setTimeout(() => void this.connect(), RECONNECT_MS);
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.channel !== DOSSIER_CHANGES_CHANNEL || !message.payload) {
        return;
      }
      try {
        this.subject.next(JSON.parse(message.payload) as DossierChange);
      } catch (e) {
        this.logger.warn({ error: e instanceof Error ? e.message : String(e) }, 'unreadable dossier change notice');
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${DOSSIER_CHANGES_CHANNEL}`);
      if (this.stopped) {
        await client.end();
        return;
      }
      this.client = client;
    } catch (e) {
      onLost(e instanceof Error ? e : new Error(String(e)));
    }
  }
}
