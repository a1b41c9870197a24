import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { decode as utf8 } from '@temporalio/common/lib/encoding';
import { CIPHER, ENCRYPTED_ENCODING, EncryptionCodec, KEY_ID_METADATA } from './encryption-codec';

const note = { action: 'complete', note: 'Ông Nguyễn Văn An đã bổ sung sơ đồ mặt bằng' };
const plain = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const text = (payload: Payload): string => Buffer.from(payload.data ?? []).toString('utf8');
const valueOf = (payload: Payload): unknown => defaultPayloadConverter.fromPayload(payload);

describe(EncryptionCodec.name, () => {
  const k2025 = randomBytes(32);
  const k2026 = randomBytes(32);
  const sut = new EncryptionCodec({ current: '2026-01', keys: new Map([['2026-01', k2026]]) });

  it('encrypts the whole payload with AES-256-GCM under the current key, naming the key in the metadata', async () => {
    const [sealed] = await sut.encode([plain(note)]);
    expect(utf8(sealed.metadata![METADATA_ENCODING_KEY])).toBe(ENCRYPTED_ENCODING);
    expect(utf8(sealed.metadata![KEY_ID_METADATA])).toBe('2026-01');
    expect(utf8(sealed.metadata!['encryption-cipher'])).toBe(CIPHER);
    expect(text(sealed)).not.toContain('Nguy');
    expect(text(sealed)).not.toContain('json/plain');
    const [opened] = await sut.decode([sealed]);
    expect(valueOf(opened)).toEqual(note);
  });

  it('uses a fresh IV each time: the same value never encrypts to the same bytes', async () => {
    const [a, b] = await sut.encode([plain(note), plain(note)]);
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
  });

  it('still opens what a rotated-out key wrote, and writes with the current key only', async () => {
    const before = new EncryptionCodec({ current: '2025-06', keys: new Map([['2025-06', k2025]]) });
    const [old] = await before.encode([plain(note)]);
    const rotated = new EncryptionCodec({
      current: '2026-01',
      keys: new Map([
        ['2026-01', k2026],
        ['2025-06', k2025],
      ]),
    });
    expect(valueOf((await rotated.decode([old]))[0])).toEqual(note);
    const [fresh] = await rotated.encode([plain(note)]);
    expect(utf8(fresh.metadata![KEY_ID_METADATA])).toBe('2026-01');
  });

  it('refuses a payload whose key it does not hold, naming the key', async () => {
    const other = new EncryptionCodec({ current: 'other', keys: new Map([['other', randomBytes(32)]]) });
    const [sealed] = await other.encode([plain(note)]);
    await expect(sut.decode([sealed])).rejects.toThrow(/encrypted with key "other".*TEMPORAL_PAYLOAD_KEYS/);
  });

  it('refuses a tampered payload and one relabelled to another key', async () => {
    const [sealed] = await sut.encode([plain(note)]);
    const data = Buffer.from(sealed.data!);
    data[20] ^= 1;
    await expect(sut.decode([{ ...sealed, data }])).rejects.toThrow(/unable to authenticate|auth/i);
    const both = new EncryptionCodec({
      current: '2026-01',
      keys: new Map([
        ['2026-01', k2026],
        ['alias', k2026],
      ]),
    });
    const relabelled = { ...sealed, metadata: { ...sealed.metadata, [KEY_ID_METADATA]: Buffer.from('alias') } };
    await expect(both.decode([relabelled])).rejects.toThrow(/unable to authenticate|auth/i);
  });

  it('passes through payloads it did not write (histories from before it, the committed replay histories)', async () => {
    const unencrypted = [plain(note), plain(null), plain(undefined), { metadata: {}, data: new Uint8Array() }];
    expect(await sut.decode(unencrypted)).toEqual(unencrypted);
  });

  it('will not start with a current key it does not hold or a key of the wrong length', () => {
    expect(() => new EncryptionCodec({ current: 'x', keys: new Map([['y', k2026]]) })).toThrow(/"x" is not among/);
    expect(() => new EncryptionCodec({ current: 'x', keys: new Map([['x', randomBytes(16)]]) })).toThrow(
      /must be 32 bytes/,
    );
  });
});
