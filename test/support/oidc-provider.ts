import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

export interface OidcAccount {
  /** The seeded officer's username: what they type on the provider's page, and the `preferred_username` claim. */
  username: string;
  /** The account's `sub` (stable, opaque, as a real provider's): what the API binds the officer to. */
  subject: string;
  password: string;
  name: string;
}

export interface RunningOidcProvider {
  issuer: string;
  clientId: string;
  /** The resource indicator of the API: the `aud` of the access tokens (the API's JWT_AUDIENCE). */
  audience: string;
  /** Registers the console (its origin, known once the product listens) as the provider's one client and serves. */
  serveConsole(consoleBaseUrl: string): Promise<void>;
  stop(): Promise<void>;
}

const SCRIPT = resolve(__dirname, 'oidc-provider.mjs');

/**
 * A real OpenID provider (`oidc-provider`, ESM-only) on a free loopback port, as a child Node process: one public
 * client (PKCE, no secret), its own login page with these accounts, JWT access tokens for `audience`.
 */
export async function startOidcProvider(
  accounts: OidcAccount[],
  options: { clientId?: string; audience?: string } = {},
): Promise<RunningOidcProvider> {
  const clientId = options.clientId ?? 'mot-cua-console';
  const audience = options.audience ?? 'https://dossiers.test/api';
  const child = spawn(process.execPath, [SCRIPT, JSON.stringify({ clientId, audience, accounts })], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const events = createInterface({ input: child.stdout });
  const next = (event: string): Promise<Record<string, string>> => waitFor(child, events, event, () => stderr);
  const { issuer } = await next('listening');
  return {
    issuer,
    clientId,
    audience,
    serveConsole: async (consoleBaseUrl) => {
      const ready = next('ready');
      child.stdin?.write(
        `${JSON.stringify({
          redirectUri: `${consoleBaseUrl}/dang-nhap/callback`,
          postLogoutRedirectUri: `${consoleBaseUrl}/dang-nhap`,
        })}\n`,
      );
      await ready;
    },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

function waitFor(
  child: ChildProcess,
  events: ReturnType<typeof createInterface>,
  event: string,
  stderr: () => string,
): Promise<Record<string, string>> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => fail(new Error(`the OpenID provider did not report ${event}: ${stderr()}`)), 15_000);
    const onLine = (line: string) => {
      try {
        const message = JSON.parse(line) as Record<string, string>;
        if (message.event === event) {
          cleanup();
          resolvePromise(message);
        }
      } catch {
        // Not one of the script's messages.
      }
    };
    const onExit = (code: number | null) => fail(new Error(`the OpenID provider exited (${code}): ${stderr()}`));
    const cleanup = () => {
      clearTimeout(timer);
      events.off('line', onLine);
      child.off('exit', onExit);
    };
    const fail = (e: Error) => {
      cleanup();
      reject(e);
    };
    events.on('line', onLine);
    child.once('exit', onExit);
  });
}
