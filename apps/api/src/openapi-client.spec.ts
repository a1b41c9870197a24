import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { clientFiles, generateClientFiles } from './openapi-client';

const ROOT = join(__dirname, '../../..');

/** Why a committed file differs from what the API generates now (its first differing line), or undefined. */
async function drift(path: string, generated: string): Promise<string | undefined> {
  const name = relative(ROOT, path);
  const committed = await readFile(path, 'utf8').catch(() => undefined);
  if (committed === undefined) {
    return `${name} is missing: run npm run api:generate`;
  }
  if (committed === generated) {
    return undefined;
  }
  const was = committed.split('\n');
  const now = generated.split('\n');
  const at = Math.max(
    0,
    now.findIndex((line, i) => line !== was[i]),
  );
  const line = (lines: string[]): string => JSON.stringify(lines[at]?.trim() ?? '(end of file)');
  return `${name} is out of date at line ${at + 1} (committed ${line(was)}, generated ${line(now)}): run npm run api:generate`;
}

describe('the console client generated from the OpenAPI document', () => {
  const files = clientFiles(ROOT);
  let generated: { document: string; schema: string };

  beforeAll(async () => {
    generated = await generateClientFiles(ROOT);
  }, 60_000);

  it('matches the committed document', async () => {
    expect(await drift(files.document, generated.document)).toBeUndefined();
  });

  it('matches the committed types', async () => {
    expect(await drift(files.schema, generated.schema)).toBeUndefined();
  });
});
