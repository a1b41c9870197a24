import { type DataConverter } from '@temporalio/common';
import {
  type History,
  historyToJSON,
  type JSONPayload,
  JSONToPayload,
  payloadToJSON,
} from '@temporalio/common/lib/proto-utils';
import { ENCRYPTED_ENCODING, EncryptionCodec, type PayloadKeyring } from '../../libs/temporal-codec/src';

/**
 * The payload keys every test tier runs with (committed: they protect nothing but test data), so tests see what
 * production sees: Temporal holds only ciphertext. `test-2` is current; `test-1` stands for a rotated-out key.
 */
const KEYS: Record<string, string> = {
  'test-2': Buffer.alloc(32, 0x5a).toString('base64'),
  'test-1': Buffer.alloc(32, 0xa5).toString('base64'),
};

/** `TEMPORAL_PAYLOAD_KEYS` with these keys, the first current (as the product reads it). */
export const testPayloadKeys = (...ids: (keyof typeof KEYS)[]): string =>
  ids.map((id) => `${id}:${KEYS[id]}`).join(',');

/** The keys the product runs with in tests: `test-2` current, `test-1` still readable. */
export const TEST_PAYLOAD_KEYS = testPayloadKeys('test-2', 'test-1');

export const testKeyring = (current: keyof typeof KEYS = 'test-2'): PayloadKeyring => ({
  current,
  keys: new Map(Object.entries(KEYS).map(([id, key]) => [id, Buffer.from(key, 'base64')])),
});

/** The data converter of the product's processes, for test workers, clients and replays outside them. */
export const testDataConverter = (): DataConverter => ({ payloadCodecs: [new EncryptionCodec(testKeyring())] });

const ENCRYPTED = Buffer.from(ENCRYPTED_ENCODING).toString('base64');

/**
 * A history as JSON with its payloads decrypted, for the committed replay histories: they stay readable in review,
 * and replay (which passes unencrypted payloads through the codec) reads them like any older history.
 */
export async function readableHistoryJSON(history: History): Promise<string> {
  const codec = new EncryptionCodec(testKeyring());
  const decrypt = async (node: unknown): Promise<unknown> => {
    if (Array.isArray(node)) {
      return Promise.all(node.map(decrypt));
    }
    if (!node || typeof node !== 'object') {
      return node;
    }
    const payload = node as JSONPayload;
    if (payload.metadata?.encoding === ENCRYPTED) {
      const [plain] = await codec.decode([JSONToPayload(payload)]);
      return payloadToJSON(plain);
    }
    const entries = await Promise.all(Object.entries(node).map(async ([k, v]) => [k, await decrypt(v)] as const));
    return Object.fromEntries(entries);
  };
  return JSON.stringify(await decrypt(JSON.parse(historyToJSON(history))), null, 2);
}
