import { Client, Connection } from '@temporalio/client';
import { METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { type History } from '@temporalio/common/lib/proto-utils';
import { ENCRYPTED_ENCODING, EncryptionCodec, KEY_ID_METADATA } from '../../libs/temporal-codec/src';
import { eventually } from '../support/infrastructure';
import { testKeyring, testPayloadKeys } from '../support/payload-keys';
import { type RunningProduct, startProduct } from '../support/product';

const APPLICANT = { type: 'INDIVIDUAL', idNumber: '079301012345', name: 'Trần Thị Bích Ngọc' };
const NOTE = 'Đã đối chiếu bản gốc giấy tờ của bà Trần Thị Bích Ngọc';
const REASON = 'Bà Trần Thị Bích Ngọc xin rút hồ sơ để bổ sung hợp đồng thuê nhà';

/**
 * The payloads of a history that carry the application's values: inputs, Update arguments and results, activity
 * inputs and results (local ones' results in their markers). Never encoded, by Temporal's design, and free of personal
 * data (domain §10): search attributes (the server indexes them), and what the SDK writes into its markers beside the
 * result (a patch's ID; a local activity's type, attempt and times).
 */
function payloadsOf(node: unknown, found: Payload[] = [], parent = ''): Payload[] {
  if (node && typeof node === 'object' && !(node instanceof Uint8Array)) {
    if ('metadata' in node && 'data' in node) {
      found.push(node as Payload);
    } else {
      for (const [key, value] of Object.entries(node)) {
        const sdkOwn = key === 'searchAttributes' || (parent === 'details' && (key === 'data' || key === 'patch-data'));
        if (!sdkOwn) {
          payloadsOf(value, found, key);
        }
      }
    }
  }
  return found;
}

/** All the text a history holds, bytes read as UTF-8: what anyone with access to Temporal's store could read. */
function textOf(node: unknown): string {
  if (node instanceof Uint8Array) {
    return Buffer.from(node).toString('utf8');
  }
  if (typeof node === 'string') {
    return node;
  }
  if (node && typeof node === 'object') {
    return Object.values(node).map(textOf).join('\n');
  }
  return '';
}

const metadata = (payload: Payload, key: string): string =>
  Buffer.from(payload.metadata?.[key] ?? new Uint8Array()).toString('utf8');

/** A dossier's workflow history straight from Temporal, with a client that holds no key. */
async function rawHistory(product: RunningProduct, workflowId: string): Promise<History> {
  const connection = await Connection.connect({ address: product.config.TEMPORAL_ADDRESS });
  try {
    const client = new Client({ connection, namespace: product.config.TEMPORAL_NAMESPACE });
    return await client.workflow.getHandle(workflowId).fetchHistory();
  } finally {
    await connection.close();
  }
}

const intake = {
  procedureCode: '2.000908',
  receivingUnitCode: '000.00.20.H36',
  channel: 'IN_PERSON',
  applicant: APPLICANT,
  documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
};

async function receive(product: RunningProduct): Promise<string> {
  const clerk = await product.token('clerk');
  const res = await product.request('POST', '/api/v1/dossiers', { token: clerk, body: intake });
  expect(res.status).toBe(201);
  const code = res.body.code as string;
  await eventually(async () => {
    const d = await product.request('GET', `/api/v1/dossiers/${code}`, { token: clerk });
    return d.body.state === 'IN_PROGRESS' ? true : undefined;
  }, 'the workflow to start');
  return code;
}

async function act(product: RunningProduct, code: string, username: string, action: string, body: object = {}) {
  const res = await product.request('POST', `/api/v1/dossiers/${code}/actions/${action}`, {
    token: await product.token(username),
    body,
  });
  expect({ action, status: res.status }).toEqual({ action, status: 200 });
  return res.body;
}

/** Domain §10: Temporal holds the dossiers' notes and reasons encrypted, under keys that can be rotated. */
describe('Temporal payloads are encrypted (e2e)', () => {
  describe('with the current key', () => {
    let product: RunningProduct;

    beforeAll(async () => {
      product = await startProduct();
    });

    afterAll(async () => {
      await product?.stop();
    });

    it("keeps no note, reason or applicant's name in plain text in a workflow's history", async () => {
      const code = await receive(product);
      await act(product, code, 'clerk', 'complete', { note: NOTE });
      const withdrawn = await act(product, code, 'clerk', 'withdraw', { reason: REASON });
      expect(withdrawn.state).toBe('WITHDRAWN');

      const history = await rawHistory(product, code);
      const payloads = payloadsOf(history);
      expect(payloads.length).toBeGreaterThan(5);
      // Every payload is ciphertext under the current key; nothing readable is left beside it.
      expect(new Set(payloads.map((p) => metadata(p, METADATA_ENCODING_KEY)))).toEqual(new Set([ENCRYPTED_ENCODING]));
      expect(new Set(payloads.map((p) => metadata(p, KEY_ID_METADATA)))).toEqual(new Set(['test-2']));
      const raw = textOf(history);
      expect(raw).toContain('dossierWorkflow');
      for (const secret of [NOTE, REASON, APPLICANT.name, 'Bích Ngọc', 'Hồ sơ', 'đối chiếu']) {
        expect({ secret, found: raw.includes(secret) }).toEqual({ secret, found: false });
      }
      // The workers did read them: decrypted with the key, the history holds the note and the reason.
      const opened = await new EncryptionCodec(testKeyring()).decode(payloads);
      const plain = textOf(opened);
      expect(plain).toContain(NOTE);
      expect(plain).toContain(REASON);
    });
  });

  describe('across a key rotation', () => {
    let product: RunningProduct | undefined;

    afterAll(async () => {
      await product?.stop();
    });

    it('carries on a dossier whose history was written under the old key, writing under the new one', async () => {
      // Before the rotation: the deployment has only test-1.
      product = await startProduct({ overrides: { TEMPORAL_PAYLOAD_KEYS: testPayloadKeys('test-1') } });
      const code = await receive(product);
      await act(product, code, 'clerk', 'complete', { note: NOTE });
      const { DATABASE_URL, TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE } = product.config;
      await product.stop();
      product = undefined;

      // After: test-2 is current and test-1 is still held; a fresh worker replays the old payloads to go on.
      product = await startProduct({
        overrides: {
          DATABASE_URL,
          TEMPORAL_NAMESPACE,
          TEMPORAL_TASK_QUEUE,
          TEMPORAL_PAYLOAD_KEYS: testPayloadKeys('test-2', 'test-1'),
        },
      });
      const claimed = await act(product, code, 'head', 'claim');
      expect(claimed.currentStep.holder).toMatchObject({ officerId: expect.any(String) });
      const read = await product.request('GET', `/api/v1/dossiers/${code}`, { token: await product.token('head') });
      expect(read.body.steps[0]).toMatchObject({ note: NOTE });

      const keys = payloadsOf(await rawHistory(product, code)).map((p) => metadata(p, KEY_ID_METADATA));
      expect(new Set(keys)).toEqual(new Set(['test-1', 'test-2']));
      expect(keys.indexOf('test-2')).toBeGreaterThan(keys.lastIndexOf('test-1'));
    });
  });
});
