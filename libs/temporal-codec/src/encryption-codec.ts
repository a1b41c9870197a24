import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec, ValueError } from '@temporalio/common';
import { decode as utf8, encode as bytes } from '@temporalio/common/lib/encoding';
import { temporal } from '@temporalio/proto';

/** The `encoding` of a payload this codec wrote; any other payload is passed through as it is. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Which key encrypted the payload (so a rotated-out key still opens what it wrote). */
export const KEY_ID_METADATA = 'encryption-key-id';
/** The cipher, named so a later one can sit beside it. */
export const CIPHER_METADATA = 'encryption-cipher';
export const CIPHER = 'AES-256-GCM';

const IV_BYTES = 12;
const TAG_BYTES = 16;
export const PAYLOAD_KEY_BYTES = 32;

/** The keys a process holds: it encrypts with `current` and decrypts with any of `keys`. */
export interface PayloadKeyring {
  current: string;
  keys: ReadonlyMap<string, Buffer>;
}

/**
 * Encrypts every Temporal payload (workflow inputs, Update arguments and results, activity inputs and results,
 * signals, queries, memos) with AES-256-GCM before it leaves the process, so the Temporal server and its database
 * only ever hold ciphertext: officers' notes, reasons and actors' names stay out of its history.
 *
 * The whole payload (its metadata and data) is encrypted; the wrapper carries the key ID in clear, which is also the
 * GCM associated data, so a payload cannot be relabelled to another key. Payloads without this codec's encoding (the
 * histories written before it was configured, and the committed replay histories) decode unchanged.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly currentKey: Buffer;

  constructor(private readonly keyring: PayloadKeyring) {
    const key = keyring.keys.get(keyring.current);
    if (!key) {
      throw new ValueError(`The current payload key "${keyring.current}" is not among the configured keys`);
    }
    for (const [id, k] of keyring.keys) {
      if (k.length !== PAYLOAD_KEY_BYTES) {
        throw new ValueError(`Payload key "${id}" must be ${PAYLOAD_KEY_BYTES} bytes, not ${k.length}`);
      }
    }
    this.currentKey = key;
  }

  encode(payloads: Payload[]): Promise<Payload[]> {
    return settle(() => payloads.map((payload) => this.encrypt(payload)));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return settle(() => payloads.map((payload) => this.decrypt(payload)));
  }

  private encrypt(payload: Payload): Payload {
    const keyId = this.keyring.current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.currentKey, iv);
    cipher.setAAD(Buffer.from(keyId, 'utf8'));
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: bytes(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: bytes(keyId),
        [CIPHER_METADATA]: bytes(CIPHER),
      },
      data: sealed,
    };
  }

  private decrypt(payload: Payload): Payload {
    const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
    if (!encoding || utf8(encoding) !== ENCRYPTED_ENCODING) {
      return payload;
    }
    const idBytes = payload.metadata?.[KEY_ID_METADATA];
    const keyId = idBytes ? utf8(idBytes) : '';
    const key = this.keyring.keys.get(keyId);
    if (!key) {
      throw new ValueError(
        `This payload was encrypted with key "${keyId}", which this process does not have: add it to TEMPORAL_PAYLOAD_KEYS`,
      );
    }
    const cipherBytes = payload.metadata?.[CIPHER_METADATA];
    if (cipherBytes && utf8(cipherBytes) !== CIPHER) {
      throw new ValueError(`Unknown payload cipher ${utf8(cipherBytes)}`);
    }
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) {
      throw new ValueError('Encrypted payload too short');
    }
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(keyId, 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    return temporal.api.common.v1.Payload.decode(plain);
  }
}

/** A synchronous step as a promise: a throw becomes a rejection, as callers of a codec expect. */
function settle<T>(step: () => T): Promise<T> {
  try {
    return Promise.resolve(step());
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}
