import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type EphemeralServerExecutable } from '@temporalio/testing';
import { toolingVariable } from '../../libs/config/src';

/** Pinned versions of the Temporal tools the project builds for itself. */
export const TEMPORAL_CLI_VERSION = '1.5.1';
export const TEMPORAL_TEST_SERVER_VERSION = '1.38.0';
/** The S3-compatible server the object-store adapter of dossier files is tested against (Apache-2.0). */
export const VERSITYGW_VERSION = '1.8.0';

/** Built tools live outside the clone so fresh clones and CI reruns reuse them (like Go's and Maven's caches). */
export function toolsDir(): string {
  return (
    toolingVariable('DOSSIER_TOOLS_DIR') ??
    join(toolingVariable('XDG_CACHE_HOME') ?? join(homedir(), '.cache'), 'dossier-engine', 'tools')
  );
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): void {
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status ?? result.signal}`);
  }
}

function capture(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  }
  return result.stdout;
}

/**
 * Builds a command from its Go module into `<tools>/<dir>/<binary>` once, with the local toolchain: `go install`, or
 * where it refuses the module (replace directives), its source fetched with `go mod download` and built from a copy.
 * Returns undefined where Go is missing.
 */
function ensureGoTool(tool: {
  label: string;
  dir: string;
  binary: string;
  module: string;
  pkg: string;
  version: string;
  ldflags?: string;
}): string | undefined {
  const dir = join(toolsDir(), tool.dir);
  const binary = join(dir, tool.binary);
  if (existsSync(binary)) {
    return binary;
  }
  if (!onPath('go')) {
    return undefined;
  }
  mkdirSync(toolsDir(), { recursive: true });
  const staging = mkdtempSync(join(toolsDir(), `.${tool.dir}-`));
  const flags = tool.ldflags ? ['-ldflags', tool.ldflags] : [];
  process.stderr.write(`Building ${tool.label} v${tool.version} from its Go module (once; a few minutes)…\n`);
  try {
    try {
      run('go', ['install', ...flags, `${tool.module}/${tool.pkg}@v${tool.version}`], {
        env: { ...process.env, GOBIN: staging, GOFLAGS: '-mod=mod' },
      });
    } catch {
      const info = JSON.parse(
        capture('go', ['mod', 'download', '-json', `${tool.module}@v${tool.version}`], { cwd: staging }),
      ) as { Dir: string };
      const source = join(staging, 'src');
      run('cp', ['-R', info.Dir, source]);
      run('chmod', ['-R', 'u+w', source]);
      run('go', ['build', ...flags, '-o', join(staging, tool.binary), `./${tool.pkg}`], { cwd: source });
      rmSync(source, { recursive: true, force: true });
    }
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

/**
 * The Temporal CLI (dev server), built once from its Go module with the local toolchain. If `go install` refuses
 * the module (replace directives), its source is fetched with `go mod download` and built from a copy.
 * Returns undefined where Go is missing: callers then let the SDK download the CLI.
 */
export function ensureTemporalCli(): string | undefined {
  const explicit = toolingVariable('TEMPORAL_CLI_PATH');
  if (explicit) {
    return explicit;
  }
  return ensureGoTool({
    label: 'Temporal CLI',
    dir: `temporal-cli-${TEMPORAL_CLI_VERSION}`,
    binary: 'temporal',
    module: 'github.com/temporalio/cli',
    pkg: 'cmd/temporal',
    version: TEMPORAL_CLI_VERSION,
    ldflags: `-X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`,
  });
}

/**
 * versitygw, an S3 gateway with a posix backend, built from its Go module like the Temporal CLI: the real
 * S3-compatible server the object-store adapter is tested against. Undefined where Go is missing.
 */
export function ensureVersityGw(): string | undefined {
  const explicit = toolingVariable('VERSITYGW_PATH');
  if (explicit) {
    return explicit;
  }
  return ensureGoTool({
    label: 'versitygw (S3 gateway)',
    dir: `versitygw-${VERSITYGW_VERSION}`,
    binary: 'versitygw',
    module: 'github.com/versity/versitygw',
    pkg: 'cmd/versitygw',
    version: VERSITYGW_VERSION,
  });
}

/**
 * The time-skipping test server: `io.temporal:temporal-test-server` and its dependencies from Maven Central, run with
 * the local JDK through a small launcher script. Returns undefined where Maven or Java is missing.
 */
export function ensureTestServer(): string | undefined {
  const explicit = toolingVariable('TEMPORAL_TEST_SERVER_PATH');
  if (explicit) {
    return explicit;
  }
  const dir = join(toolsDir(), `temporal-test-server-${TEMPORAL_TEST_SERVER_VERSION}`);
  const launcher = join(dir, 'temporal-test-server');
  if (existsSync(launcher)) {
    return withClassArchive(dir) ?? launcher;
  }
  if (!onPath('mvn') || !onPath('java')) {
    return undefined;
  }
  mkdirSync(toolsDir(), { recursive: true });
  const staging = mkdtempSync(join(toolsDir(), '.test-server-'));
  process.stderr.write(`Fetching Temporal test server ${TEMPORAL_TEST_SERVER_VERSION} from Maven Central (once)…\n`);
  try {
    writeFileSync(
      join(staging, 'pom.xml'),
      `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.tools</groupId><artifactId>temporal-test-server-runtime</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId><version>${TEMPORAL_TEST_SERVER_VERSION}</version></dependency>
  </dependencies>
</project>
`,
    );
    run('mvn', ['-B', '-q', 'dependency:copy-dependencies', '-DoutputDirectory=lib', '-DincludeScope=runtime'], {
      cwd: staging,
    });
    // exec keeps the JVM as the process the SDK started, so its shutdown signal reaches the server itself.
    writeFileSync(
      join(staging, 'temporal-test-server'),
      `#!/bin/sh\nexec java -XX:+UseSerialGC -Xss512k -cp "${dir}/lib/*" io.temporal.testserver.TestServer "$@"\n`,
    );
    chmodSync(join(staging, 'temporal-test-server'), 0o755);
    rmSync(join(staging, 'pom.xml'));
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return withClassArchive(dir) ?? launcher;
}

/**
 * The test server's launcher with a class-data archive (AppCDS) of the classes it loads while starting: the JVM then
 * starts in under a second instead of 3–6 s on two busy cores, where the SDK gives the server 5 s to answer before
 * it gives up ("ephemeral server did not start within 5s"). The archive is dumped once by a server run for 12 s and
 * stopped (SIGTERM exits normally, which writes it). Undefined when it cannot be made: the plain launcher serves.
 */
function withClassArchive(dir: string): string | undefined {
  const fast = join(dir, 'temporal-test-server-cds');
  if (existsSync(fast)) {
    return fast;
  }
  const archive = join(dir, 'startup-classes.jsa');
  const java = ['-XX:+UseSerialGC', '-Xss512k'];
  const port = String(20000 + Math.floor(Math.random() * 20000));
  spawnSync(
    'timeout',
    ['-s', 'TERM', '12', 'java', ...java, `-XX:ArchiveClassesAtExit=${archive}`, '-cp', `${dir}/lib/*`, MAIN, port],
    { stdio: 'ignore' },
  );
  if (!existsSync(archive)) {
    return undefined;
  }
  // -Xshare:auto: an archive the JVM cannot use (another JDK) is ignored, the server starts as without it.
  writeFileSync(
    fast,
    `#!/bin/sh\nexec java ${java.join(' ')} -Xshare:auto -XX:SharedArchiveFile=${archive} -Xlog:cds=off -Xlog:cds+dynamic=off -cp "${dir}/lib/*" ${MAIN} "$@"\n`,
  );
  chmodSync(fast, 0o755);
  return fast;
}

const MAIN = 'io.temporal.testserver.TestServer';

/** Debian's chromium and the fonts Vietnamese text needs (Playwright's own browser downloads do not work here). */
const BROWSER_PACKAGES = ['chromium', 'fonts-noto-core'];
const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/**
 * The browser the console's tests drive: `CHROMIUM_PATH`, else an installed chromium, else Debian's, installed with
 * apt where this runs as root (CI and fresh machines). Returns undefined where none can be had.
 */
export function ensureChromium(): string | undefined {
  const explicit = toolingVariable('CHROMIUM_PATH');
  if (explicit) {
    return explicit;
  }
  const found = (): string | undefined => CHROMIUM_CANDIDATES.find((path) => existsSync(path));
  const fontsMissing = (): boolean => !existsSync('/usr/share/fonts/truetype/noto');
  if (found() && !fontsMissing()) {
    return found();
  }
  if (!onPath('apt-get') || process.getuid?.() !== 0) {
    return found();
  }
  process.stderr.write(`Installing ${BROWSER_PACKAGES.join(' ')} from Debian's packages (once)…\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...BROWSER_PACKAGES], { env });
  return found();
}

export function devServerExecutable(): EphemeralServerExecutable {
  const path = ensureTemporalCli();
  return path ? { type: 'existing-path', path } : { type: 'cached-download' };
}

export function testServerExecutable(): EphemeralServerExecutable {
  const path = ensureTestServer();
  return path ? { type: 'existing-path', path } : { type: 'cached-download' };
}
