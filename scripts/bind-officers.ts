import { readFileSync } from 'node:fs';
import { loadConfig } from '../libs/config/src';
import { BindingError, bindOfficerIdentities, parseBindings } from './infra/officer-bindings';

/**
 * `npm run officers:bind -- [--issuer <iss>] username=subject … | --csv <file>`: binds existing officers to their
 * accounts at the identity provider (issuer, `sub`), which is how production tokens name them. The issuer defaults
 * to JWT_ISSUER; DATABASE_URL and the rest come from the same environment as the API's.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const args = process.argv.slice(2);
  const at = args.indexOf('--issuer');
  const issuer = at >= 0 ? args[at + 1] : config.JWT_ISSUER;
  if (!issuer) {
    throw new BindingError(['no issuer: pass --issuer <the iss of the provider’s tokens> or set JWT_ISSUER']);
  }
  const rest = at >= 0 ? [...args.slice(0, at), ...args.slice(at + 2)] : args;
  const bound = await bindOfficerIdentities(
    config.DATABASE_URL,
    issuer,
    parseBindings(rest, (path) => readFileSync(path, 'utf8')),
  );
  for (const b of bound) {
    console.log(`${b.username} ← ${b.subject} (${issuer})`);
  }
  console.log(`Bound ${bound.length} officer${bound.length === 1 ? '' : 's'}.`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
