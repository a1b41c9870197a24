import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { clientFiles, generateClientFiles } from '../apps/api/src/openapi-client';

/** Writes the API's OpenAPI document and the console's typed client schema (no database or Temporal needed). */
async function main(): Promise<void> {
  const files = clientFiles(process.cwd());
  const { document, schema } = await generateClientFiles(process.cwd());
  await mkdir(dirname(files.document), { recursive: true });
  await writeFile(files.document, document);
  await writeFile(files.schema, schema);
  console.log(`Wrote ${files.document} and ${files.schema}.`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
