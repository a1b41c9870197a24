import { EXAMPLE_A_USERS, EXAMPLE_A_WALK } from '../../support/dossier-fixtures';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** How long the driver waits for one answer before it gives up on it and retries (same key). */
const REQUEST_TIMEOUT_MS = 20_000;
/** How long one request may keep failing (servers down, restarting) before the driver gives up on it. */
const GIVE_UP_AFTER_MS = 120_000;

/** The intake body of the driver's dossier `i`: its own applicant, so each dossier can be told apart in the database. */
export const intakeBody = (i: number, procedureCode = '2.000908') => ({
  procedureCode,
  receivingUnitCode: '000.00.20.H36',
  channel: 'ONLINE',
  applicant: { type: 'INDIVIDUAL', idNumber: `079${String(i).padStart(9, '0')}`, name: `Người nộp ${i}` },
  documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
});

/** The applicant ID number of the driver's dossier `i` (see intakeBody). */
export const applicantOf = (i: number): string => intakeBody(i).applicant.idNumber;

/** How many steps of example A's walk dossier `i` is walked: 2 to 7, so dossiers end in different places. */
export const stepsFor = (i: number): number => 2 + (i % 6);

export interface DriverResult {
  /** Dossier index → the code its intake answered (every answer for the key, to catch two codes for one key). */
  codes: Map<number, Set<string>>;
  /** Intakes answered as replays of an earlier attempt (Idempotent-Replayed). */
  replays: number;
  /** Requests sent again after no answer, a network error or a 5xx, by reason. */
  retries: Map<string, number>;
  /** Actions answered 200, per dossier. */
  walked: Map<number, number>;
  /** How many dossiers were started (received, then walked). */
  started: number;
  /** The dossiers received under the procedure with deadlines in seconds. */
  fast: Set<number>;
  /** Answers that are neither success nor retryable: each is a failure of the product under faults. */
  failures: { dossier: number; what: string; status: number | string; detail: string }[];
}

interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON from the wire has no static type
  body: any;
  replayed: boolean;
}

/**
 * A steady stream of intakes (with Idempotency-Key) and officer actions (example A walked a few steps each, with
 * Idempotency-Key), in `lanes` concurrent lanes, as clients that retry what went unanswered with the same key.
 */
export class Driver {
  readonly result: DriverResult = {
    codes: new Map(),
    replays: 0,
    retries: new Map(),
    walked: new Map(),
    started: 0,
    fast: new Set(),
    failures: [],
  };
  private tokens: Record<string, string> = {};
  private next = 0;
  /** Round robin over the APIs, as a load balancer spreads requests. */
  private turn = 0;
  private readonly baseUrls: string[];
  /** Dossiers whose walk is done (or failed). */
  done = 0;

  /**
   * Up to `dossiers` dossiers; no new one is started after `startUntil` (the ones under way are finished), so the
   * run keeps its time budget on a slow or busy machine. Every other dossier started before `fast.until` is of
   * `fast.procedure` (deadlines in seconds), so its timers fire, all of them, while the run goes on.
   */
  constructor(
    baseUrl: string | string[],
    private readonly dossiers: number,
    private readonly lanes: number,
    private startUntil: number = Number.POSITIVE_INFINITY,
    private readonly fast?: { procedure: string; until: number },
  ) {
    this.baseUrls = typeof baseUrl === 'string' ? [baseUrl] : baseUrl;
  }

  /** How many dossiers the driver started (each must end received and walked). */
  get started(): number {
    return this.next;
  }

  /** No new dossier from now on: the ones under way are finished. */
  stopStarting(): void {
    this.startUntil = 0;
  }

  /** Whether the driver still starts new dossiers. */
  get starting(): boolean {
    return this.next < this.dossiers && Date.now() < this.startUntil;
  }

  async run(): Promise<DriverResult> {
    for (const user of EXAMPLE_A_USERS) {
      const res = await this.send('token', 'POST', '/api/v1/auth/token', { body: { username: user } });
      this.tokens[user] = res.body.accessToken as string;
    }
    await Promise.all(Array.from({ length: this.lanes }, () => this.lane()));
    this.result.started = this.next;
    return this.result;
  }

  private async lane(): Promise<void> {
    while (this.starting) {
      const i = this.next++;
      try {
        await this.dossier(i);
      } catch (e) {
        this.result.failures.push({ dossier: i, what: 'walk', status: 'error', detail: String(e) });
      } finally {
        this.done += 1;
      }
    }
  }

  /** One dossier: received (one key, however many attempts), taken into processing, then walked a few steps. */
  private async dossier(i: number): Promise<void> {
    const fast = this.fast && i % 2 === 1 && Date.now() < this.fast.until ? this.fast.procedure : undefined;
    if (fast) {
      this.result.fast.add(i);
    }
    const received = await this.send('intake', 'POST', '/api/v1/dossiers', {
      token: this.tokens.clerk,
      body: intakeBody(i, fast),
      key: `intake-${i}`,
    });
    if (received.status !== 201) {
      this.fail(i, 'intake', received);
      return;
    }
    const code = String(received.body.code);
    const codes = this.result.codes.get(i) ?? new Set<string>();
    codes.add(code);
    this.result.codes.set(i, codes);
    if (received.replayed) {
      this.result.replays += 1;
    }
    // The workflow takes the dossier into processing once the outbox relay started it.
    const deadline = Date.now() + GIVE_UP_AFTER_MS;
    for (;;) {
      const seen = await this.send('read', 'GET', `/api/v1/dossiers/${code}`, { token: this.tokens.clerk });
      if (seen.status === 200 && seen.body.currentStep?.code === 'S01') {
        break;
      }
      if (Date.now() > deadline) {
        this.fail(i, `taken into processing (${code})`, seen);
        return;
      }
      await sleep(200);
    }
    for (const [n, [who, action, body]] of EXAMPLE_A_WALK.slice(0, stepsFor(i)).entries()) {
      const res = await this.send(action, 'POST', `/api/v1/dossiers/${code}/actions/${action}`, {
        token: this.tokens[who],
        body: body ?? {},
        key: `walk-${i}-${n}`,
      });
      if (res.status !== 200) {
        this.fail(i, `${who} ${action} (step ${n} of ${code})`, res);
        return;
      }
      this.result.walked.set(i, n + 1);
    }
  }

  private fail(i: number, what: string, res: Reply): void {
    this.result.failures.push({
      dossier: i,
      what,
      status: res.status,
      detail: JSON.stringify(res.body)?.slice(0, 300) ?? '',
    });
  }

  private retried(reason: string): void {
    this.result.retries.set(reason, (this.result.retries.get(reason) ?? 0) + 1);
  }

  /**
   * Sends until answered with something other than a network error or a 5xx (those are retried, same key). With
   * several APIs each request goes to the next one in turn, and a refused connection (an instance stopping or
   * starting) is sent on to the next one at once, as a load balancer does.
   */
  private async send(
    what: string,
    method: string,
    path: string,
    options: { token?: string; body?: unknown; key?: string },
  ): Promise<Reply> {
    const giveUpAt = Date.now() + GIVE_UP_AFTER_MS;
    for (let attempt = 0; ; attempt++) {
      let reason: string;
      try {
        const baseUrl = this.baseUrls[this.turn++ % this.baseUrls.length];
        const res = await fetch(`${baseUrl}${path}`, {
          method,
          headers: {
            ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
            ...(options.key ? { 'idempotency-key': options.key } : {}),
          },
          body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const text = await res.text();
        if (res.status < 500) {
          return {
            status: res.status,
            body: text ? JSON.parse(text) : undefined,
            replayed: res.headers.get('idempotent-replayed') === 'true',
          };
        }
        reason = `${what}: ${res.status}`;
      } catch (e) {
        reason = `${what}: ${e instanceof Error && e.name === 'TimeoutError' ? 'no answer' : 'connection failed'}`;
      }
      this.retried(reason);
      if (Date.now() > giveUpAt) {
        return { status: 0, body: { reason }, replayed: false };
      }
      if (this.baseUrls.length > 1 && attempt === 0 && !reason.endsWith('no answer')) {
        // Another instance takes it at once; only when that fails too does the client back off.
        continue;
      }
      await sleep(Math.min(2000, 200 * 2 ** Math.min(attempt, 4)) * (0.5 + Math.random()));
    }
  }
}
