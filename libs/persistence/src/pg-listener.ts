import { type Logger } from '@nestjs/common';
import { Client } from 'pg';

const RECONNECT_MS = 1_000;

/** What a listener does with what it hears, and when it starts or stops hearing. */
export interface PgListenerHandlers {
  /** A notice on the channel (its payload, if any). */
  notice(payload: string | undefined): void;
  /** LISTEN took effect: from now on every notice is heard. */
  listening?(): void;
  /** The connection is gone (a reconnect follows): notices are not heard until `listening` again. */
  lost?(): void;
}

/**
 * PostgreSQL LISTEN on one connection of its own, re-opened a second after it is lost. What was said while it was
 * down is not replayed: the handlers' `lost` and `listening` say when hearing stopped and resumed.
 */
export class PgListener {
  private client: Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly channel: string,
    private readonly logger: Logger,
    private readonly handlers: PgListenerHandlers,
  ) {}

  /** Starts listening in the background: the caller does not wait for the connection. */
  start(): void {
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) {
      clearTimeout(this.retry);
    }
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl });
    let lost = false;
    const onLost = (e?: Error): void => {
      this.handlers.lost?.();
      if (lost || this.stopped) {
        return;
      }
      lost = true;
      this.logger.warn({ error: e?.message ?? 'connection ended', channel: this.channel }, 'LISTEN lost; reconnecting');
      if (this.client === client) {
        this.client = null;
      }
      void client.end().catch(() => undefined);
      this.retry = setTimeout(() => void this.connect(), RECONNECT_MS);
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.channel === this.channel) {
        this.handlers.notice(message.payload);
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      if (this.stopped) {
        await client.end();
        return;
      }
      this.client = client;
      this.handlers.listening?.();
    } catch (e) {
      onLost(e instanceof Error ? e : new Error(String(e)));
    }
  }
}
