import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { createOpenApiDocument } from './bootstrap';

/** Where the console keeps the document and the types generated from it (both committed, never edited by hand). */
export const clientFiles = (root: string) => ({
  document: join(root, 'apps/web/src/api/openapi.json'),
  schema: join(root, 'apps/web/src/api/schema.d.ts'),
});

/** openapi-typescript's programmatic API, reading the document on stdin and writing the types on stdout. */
const RENDER_TYPES = `
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
let input = '';
for await (const chunk of process.stdin) input += chunk;
process.stdout.write(COMMENT_HEADER + astToString(await openapiTS(JSON.parse(input), { silent: true })));
`;

/**
 * The TypeScript types of a document. openapi-typescript needs ES modules that Jest cannot load on Node 20, so it
 * runs in a child Node process: the script and the drift test render through this one function alike.
 */
export function renderSchemaTypes(documentJson: string, root: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--input-type=module', '--eval', RENDER_TYPES],
      { cwd: root, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`openapi-typescript failed: ${stderr || error.message}`)) : resolve(stdout),
    );
    child.stdin?.end(documentJson);
  });
}

/**
 * The document and the console's client types, as `npm run api:generate` writes them and the drift test expects
 * them. Only tooling imports this module.
 */
export async function generateClientFiles(root: string): Promise<{ document: string; schema: string }> {
  const document = `${JSON.stringify(await createOpenApiDocument(), null, 2)}\n`;
  return { document, schema: await renderSchemaTypes(document, root) };
}
