import { DataSource } from 'typeorm';
import { dataSourceOptions, type IdentityBinding, TypeOrmOrganisationStore } from '../../libs/persistence/src';

export class BindingError extends Error {
  constructor(readonly problems: string[]) {
    super(`Nothing was bound:\n  - ${problems.join('\n  - ')}`);
    this.name = 'BindingError';
  }
}

/**
 * The bindings named on the command line: `username=subject` pairs, and `username,subject` lines of CSV files given
 * with `--csv <file>` (an export of the provider's accounts; a first line `username,subject` is a header).
 */
export function parseBindings(args: string[], readFile: (path: string) => string): IdentityBinding[] {
  const bindings: IdentityBinding[] = [];
  const problems: string[] = [];
  const add = (username: string, subject: string, where: string): void => {
    if (!username || !subject) {
      problems.push(`${where}: expected username and subject`);
    } else {
      bindings.push({ username, subject });
    }
  };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--csv') {
      const file = args[++i] ?? '';
      readFile(file)
        .split(/\r?\n/)
        .forEach((line, n) => {
          const [username = '', subject = '', ...rest] = line.split(',').map((c) => c.trim());
          if (line.trim() === '' || (n === 0 && username === 'username' && subject === 'subject')) {
            return;
          }
          add(username, rest.length > 0 ? '' : subject, `${file}:${n + 1}`);
        });
    } else {
      const [username = '', subject = ''] = args[i].split(/=(.*)/s);
      add(username, subject, `argument ${args[i]}`);
    }
  }
  const seen = new Map<string, string>();
  for (const b of bindings) {
    const other = seen.get(b.subject);
    if (other !== undefined && other !== b.username) {
      problems.push(`subject ${b.subject} is given to both ${other} and ${b.username}`);
    }
    seen.set(b.subject, b.username);
  }
  if (new Set(bindings.map((b) => b.username)).size !== bindings.length) {
    problems.push('each username may appear once');
  }
  if (bindings.length === 0 && problems.length === 0) {
    problems.push('no binding given: username=subject pairs, or --csv <file>');
  }
  if (problems.length > 0) {
    throw new BindingError(problems);
  }
  return bindings;
}

/** Binds officers to their accounts at the identity provider `issuer`, all or none. */
export async function bindOfficerIdentities(
  databaseUrl: string,
  issuer: string,
  bindings: IdentityBinding[],
): Promise<IdentityBinding[]> {
  const ds = new DataSource(dataSourceOptions(databaseUrl, 1));
  await ds.initialize();
  try {
    const outcome = await new TypeOrmOrganisationStore(ds).bindIdentities(issuer, bindings);
    if (!outcome.ok) {
      throw new BindingError([
        ...outcome.unknownUsernames.map((u) => `no officer has the username ${u}`),
        ...outcome.takenSubjects.map((t) => `subject ${t.subject} of ${issuer} is already bound to ${t.boundTo}`),
      ]);
    }
    return outcome.bound;
  } finally {
    await ds.destroy();
  }
}
