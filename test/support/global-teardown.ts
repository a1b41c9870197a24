import { rmSync } from 'node:fs';
import { dirname } from 'node:path';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as { __temporal?: { teardown(): Promise<void> }; __pg?: { stop(): Promise<void> } };
  await g.__temporal?.teardown();
  await g.__pg?.stop();
  const file = process.env.DOSSIER_TEST_INFRASTRUCTURE;
  if (file) {
    rmSync(dirname(file), { recursive: true, force: true });
  }
}
