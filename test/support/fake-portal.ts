import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

export interface PortalMessage {
  key: string;
  authorization: string | undefined;
  body: { syncId: string; seq: number | null; statusCode: number; event: string; [k: string]: unknown };
}

export interface FakePortal {
  url: string;
  /** What it accepted, in the order it accepted it, once per Idempotency-Key. */
  accepted: PortalMessage[];
  refused: () => number;
  server: Server;
}

/**
 * A fake national portal: records what it accepts, keyed by the Idempotency-Key, and answers 503 to the first
 * `outage` requests so the product has to retry without losing or reordering anything.
 */
export async function fakePortal(outage = 0): Promise<FakePortal> {
  const accepted: PortalMessage[] = [];
  let refused = 0;
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      if (refused < outage) {
        refused += 1;
        res.writeHead(503).end();
        return;
      }
      const key = String(req.headers['idempotency-key']);
      if (!accepted.some((a) => a.key === key)) {
        accepted.push({
          key,
          authorization: req.headers.authorization,
          body: JSON.parse(raw) as PortalMessage['body'],
        });
      }
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api/sync/dossiers`, accepted, refused: () => refused, server };
}
