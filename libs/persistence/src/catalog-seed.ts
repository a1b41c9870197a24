import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { type DataSource } from 'typeorm';
import { type ProcedureDefinition, validateProcedure } from '../../domain/src';
import { TypeOrmProcedureStore } from './stores/procedure.store';

/** The folder of the seed catalog, found from here whether running from sources or from dist/. */
function seedDir(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'libs', 'persistence', 'seed');
    if (existsSync(join(candidate, 'procedures.yaml'))) {
      return candidate;
    }
  }
  throw new Error('libs/persistence/seed/procedures.yaml not found');
}

/** Reads procedures from a YAML (or JSON) document with a `procedures:` list. */
export function parseCatalog(text: string): ProcedureDefinition[] {
  const doc = parse(text, { merge: true }) as { procedures?: ProcedureDefinition[] };
  if (!doc || !Array.isArray(doc.procedures)) {
    throw new Error('a catalog file has a top-level "procedures:" list');
  }
  return doc.procedures;
}

export function loadSeedCatalog(): ProcedureDefinition[] {
  return parseCatalog(readFileSync(join(seedDir(), 'procedures.yaml'), 'utf8'));
}

/** Publishes the seed catalog's procedures that are not in the database yet, validated like the admin API does. */
export async function seedCatalog(dataSource: DataSource): Promise<void> {
  const store = new TypeOrmProcedureStore(dataSource);
  const units = new Set((await dataSource.query<{ code: string }[]>(`SELECT code FROM units`)).map((u) => u.code));
  for (const procedure of loadSeedCatalog()) {
    const errors = validateProcedure(procedure, units);
    if (errors.length > 0) {
      throw new Error(
        `seed procedure ${procedure.code} is invalid: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
      );
    }
    if (!(await store.find(procedure.code))) {
      await store.publish(procedure, null);
    }
  }
}
