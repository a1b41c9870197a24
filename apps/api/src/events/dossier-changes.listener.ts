import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type Observable, Subject } from 'rxjs';
import { AppConfig } from '../../../../libs/config/src';
import { DOSSIER_CHANGES_CHANNEL, type DossierChange, PgListener } from '../../../../libs/persistence/src';

/**
 * Hears every stored dossier transition, from any worker, through PostgreSQL LISTEN on one connection of its own,
 * and hands them to the open event streams. A lost connection is re-opened; what was said meanwhile is not replayed
 * (consoles refetch when their stream reconnects).
 */
@Injectable()
export class DossierChangesListener implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(DossierChangesListener.name);
  private readonly subject = new Subject<DossierChange>();
  private readonly listener: PgListener;

  /** Every transition as it is committed. */
  readonly changes: Observable<DossierChange> = this.subject.asObservable();

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.listener = new PgListener(config.DATABASE_URL, DOSSIER_CHANGES_CHANNEL, this.logger, {
      notice: (payload) => {
        if (!payload) {
          return;
        }
        try {
          this.subject.next(JSON.parse(payload) as DossierChange);
        } catch (e) {
          this.logger.warn({ error: e instanceof Error ? e.message : String(e) }, 'unreadable dossier change notice');
        }
      },
    });
  }

  onModuleInit(): void {
    // Boot does not wait for it: the API serves without live updates until the connection is up.
    this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.subject.complete();
    await this.listener.stop();
  }
}
