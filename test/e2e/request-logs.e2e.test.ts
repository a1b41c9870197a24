import { randomBytes } from 'node:crypto';
import { eventually } from '../support/infrastructure';
import { type RunningProduct, startProduct } from '../support/product';

const APPLICANT = {
  type: 'INDIVIDUAL',
  idNumber: '079301012345',
  name: 'Trần Thị Bích Ngọc',
  phone: '0987654321',
  address: 'Số 12 ngõ 34 phố Lý Thường Kiệt',
};

/** Every form a string may take in a JSON log line: as is, escaped to ASCII, and URL-encoded both ways. */
const spellings = (value: string): string[] => [
  value,
  value.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  encodeURIComponent(value),
  encodeURIComponent(value).replace(/%20/g, '+'),
];

/**
 * The API's own logs (request lines and everything it logs besides, at trace level), captured while a citizen looks
 * up a dossier by PIN and an officer searches by name: none of what identifies the citizen is written.
 */
describe('request logs keep nothing personal (e2e)', () => {
  let product: RunningProduct;
  const lines: string[] = [];
  const logs = (): string => lines.join('');

  beforeAll(async () => {
    // Without a worker in this process, everything the API logs (in a request or not) goes to `logs`.
    product = await startProduct({
      worker: false,
      overrides: { LOG_LEVEL: 'trace' },
      logs: { write: (line: string) => void lines.push(line) },
    });
  });

  afterAll(async () => {
    await product?.stop();
  });

  it('logs a lookup, a name search and signed or keyed requests without the PIN, name, ID number or secrets', async () => {
    const clerk = await product.token('clerk');
    const idempotencyKey = `intake-${randomBytes(8).toString('hex')}`;
    const received = await product.request('POST', '/api/v1/dossiers', {
      token: clerk,
      headers: { 'idempotency-key': idempotencyKey },
      body: {
        procedureCode: '2.000908',
        receivingUnitCode: '000.00.20.H36',
        channel: 'IN_PERSON',
        applicant: APPLICANT,
        documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
      },
    });
    expect(received.status).toBe(201);
    const code: string = received.body.code;
    const pin: string = received.body.receipt.data.lookupPin;
    expect(pin).toMatch(/^\d{6}$/);

    // The citizen's lookup: PIN in the body; an old link's PIN in a query string (the route is gone: 404, not logged).
    const lookup = await product.request('POST', `/public/v1/dossiers/${code}/lookup`, { body: { pin } });
    expect(lookup.status).toBe(200);
    const legacy = await product.request('GET', `/public/v1/dossiers/${code}?pin=${pin}`);
    expect(legacy.status).toBe(404);
    // An officer's searches by name and by ID number.
    const byName = await product.request('GET', `/api/v1/dossiers?q=${encodeURIComponent(APPLICANT.name)}`, {
      token: clerk,
    });
    expect(byName.status).toBe(200);
    expect(byName.body.items.map((i: { code: string }) => i.code)).toContain(code);
    const byId = await product.request('GET', `/api/v1/dossiers?q=${APPLICANT.idNumber}&limit=5`, { token: clerk });
    expect(byId.status).toBeLessThan(500);
    // A partner's signature and an officer's stated purpose (which may name the citizen) are not logged either.
    const signature = `v1=${randomBytes(32).toString('hex')}`;
    const signed = await product.request('POST', '/api/v1/handoffs', {
      body: { handoffId: 'x' },
      headers: { 'x-partner-id': 'nobody', 'x-signature-timestamp': '1', 'x-signature': signature },
    });
    expect(signed.status).toBe(401);
    const purpose = `Xác minh theo đơn của bà ${APPLICANT.name}`;
    const read = await product.request('GET', `/api/v1/dossiers/${code}`, {
      token: clerk,
      headers: { 'x-purpose': encodeURIComponent(purpose) },
    });
    expect(read.status).toBe(200);

    // The last request's line is written when its response ends.
    await eventually(
      () => Promise.resolve(logs().includes(`"url":"/api/v1/dossiers/${code}"`) ? true : undefined),
      'the last request in the log',
    );
    const text = logs();
    const leaks = [
      ...[APPLICANT.name, 'Bích Ngọc', APPLICANT.address, purpose].flatMap(spellings),
      APPLICANT.idNumber,
      APPLICANT.phone,
      idempotencyKey,
      signature,
      signature.slice(3),
    ].filter((secret) => text.includes(secret));
    expect(leaks).toEqual([]);
    // The PIN as a number of its own (six digits also occur inside timestamps and durations).
    expect(text).not.toMatch(new RegExp(`(?<![0-9])${pin}(?![0-9])`));
    // What the log does keep: each request, its path and the names of its parameters.
    expect(text).toContain(`"url":"/public/v1/dossiers/${code}/lookup"`);
    expect(text).toContain(`"url":"/api/v1/dossiers?q=[REDACTED]"`);
    expect(text).toContain(`"url":"/api/v1/dossiers?q=[REDACTED]&limit=[REDACTED]"`);
    expect(text).toContain('"x-signature":"[REDACTED]"');
    expect(text).toContain('"idempotency-key":"[REDACTED]"');
  });
});
