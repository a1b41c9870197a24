import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { loadConfig } from '../../../../libs/config/src';
import { HttpPortalSender } from '../outbox/portal-sender';
import {
  NONCE_HEADER,
  PARTNER_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verificationProblem,
} from './handoff-signature';
import { HttpHandoffSender } from './handoff-sender';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A real HTTP server on loopback that records what reaches it and answers as `answer` says. */
async function listen(
  answer: (req: IncomingMessage) => { status: number; headers?: Record<string, string> },
): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      const { status, headers } = answer(req);
      res.writeHead(status, headers).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

describe(HttpHandoffSender.name, () => {
  const outboundKey = 'o'.repeat(40);
  let partner: Awaited<ReturnType<typeof listen>>;
  let elsewhere: Awaited<ReturnType<typeof listen>>;
  let redirect: string | undefined;

  beforeAll(async () => {
    elsewhere = await listen(() => ({ status: 200 }));
    partner = await listen(() => (redirect ? { status: 307, headers: { location: redirect } } : { status: 200 }));
  });
  afterAll(() => {
    partner.server.close();
    elsewhere.server.close();
  });
  beforeEach(() => {
    redirect = undefined;
    partner.received.length = 0;
    elsewhere.received.length = 0;
  });

  const config = (overrides: Record<string, string> = {}) =>
    loadConfig({
      DATABASE_URL: 'postgres://u:p@localhost:5432/db',
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      DEPLOYMENT_MODE: 'embedded',
      JWT_SECRET: 'x'.repeat(32),
      HANDOFF_SYSTEM_ID: 'province-system',
      PORTAL_SYNC_URL: `${partner.url}/portal`,
      PARTNER_SYSTEMS: JSON.stringify([
        { id: 'police-system', url: partner.url, outboundKey, inboundKeys: ['i'.repeat(40)], agencies: ['P'] },
      ]),
      ...overrides,
    });

  it('signs the whole request for the partner, which verifies it with its inbound key for us', async () => {
    const path = '/api/v1/handoffs/aaaaaaaa-0000-4000-8000-000000000001/notices';
    await new HttpHandoffSender(config()).send('police-system', path, { handoffId: 'a', kind: 'WITHDRAWN' }, 'n-1');
    const [got] = partner.received;
    expect(got).toMatchObject({ method: 'POST', url: path });
    expect(got.headers[PARTNER_HEADER]).toBe('province-system');
    const headers = {
      timestamp: String(got.headers[TIMESTAMP_HEADER]),
      nonce: String(got.headers[NONCE_HEADER]),
      signature: String(got.headers[SIGNATURE_HEADER]),
    };
    const parts = { method: 'POST', path, sender: 'province-system', recipient: 'police-system', body: got.body };
    expect(verificationProblem([outboundKey], headers, parts, 300)).toBeNull();
    // Reflected back at the sender, it is not a message the sender would take from the partner.
    const reflected = { ...parts, sender: 'police-system', recipient: 'province-system' };
    expect(verificationProblem([outboundKey], headers, reflected, 300)).toMatch(/does not match/);
  });

  it('gives every attempt a fresh nonce, so a retry is not mistaken for a replay', async () => {
    const sender = new HttpHandoffSender(config());
    await sender.send('police-system', '/api/v1/handoffs', { handoffId: 'a' }, 'h-1');
    await sender.send('police-system', '/api/v1/handoffs', { handoffId: 'a' }, 'h-1');
    const [first, second] = partner.received.map((r) => r.headers[NONCE_HEADER]);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).not.toBe(first);
  });

  it('refuses a redirect instead of carrying the signed personal data to another address', async () => {
    redirect = `${elsewhere.url}/collect`;
    await expect(
      new HttpHandoffSender(config()).send('police-system', '/api/v1/handoffs', { idNumber: '001203004567' }, 'h-2'),
    ).rejects.toThrow(/fetch failed|redirect/i);
    expect(partner.received).toHaveLength(1);
    expect(elsewhere.received).toHaveLength(0);
  });

  it('has the portal sender refuse a redirect too', async () => {
    redirect = `${elsewhere.url}/collect`;
    await expect(new HttpPortalSender(config()).send({ syncId: 's-1', applicantId: '001203004567' })).rejects.toThrow(
      /fetch failed|redirect/i,
    );
    expect(elsewhere.received).toHaveLength(0);
  });
});
