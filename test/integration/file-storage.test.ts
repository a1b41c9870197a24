import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import {
  dataSourceOptions,
  type FileStorage,
  ObjectExistsError,
  ObjectMissingError,
  PostgresFileStorage,
  S3FileStorage,
} from '../../libs/persistence/src';
import { createTestDatabase } from '../support/infrastructure';
import { type RunningObjectStore, startObjectStore } from '../support/object-store';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

const readAll = async (stream: Readable): Promise<Buffer> => {
  const parts: Buffer[] = [];
  for await (const part of stream) {
    parts.push(Buffer.isBuffer(part) ? part : Buffer.from(part as Uint8Array));
  }
  return Buffer.concat(parts);
};

/** A stream of `total` pseudo-random bytes in 64 KiB pieces (never held whole), and the SHA-256 they make. */
function generated(total: number): { stream: Readable; sha256: string } {
  const hash = createHash('sha256');
  const pieces: Buffer[] = [];
  for (let sent = 0; sent < total; sent += 65_536) {
    const piece = randomBytes(Math.min(65_536, total - sent));
    hash.update(piece);
    pieces.push(piece);
  }
  return { stream: Readable.from(pieces), sha256: hash.digest('hex') };
}

/** The same contract, whichever adapter keeps the bytes. */
function storageContract(name: string, open: () => FileStorage) {
  describe(`the file storage contract: ${name}`, () => {
    const key = () => `dossiers/test/${randomUUID()}`;

    it('puts a file and answers its size and SHA-256; gets the same bytes back; stats its size and type', async () => {
      const storage = open();
      const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(5000)]);
      const k = key();
      const put = await storage.put(k, bytes, { contentType: 'application/pdf' });
      expect(put).toEqual({ size: bytes.length, sha256: sha256(bytes) });
      expect(sha256(await readAll(await storage.get(k)))).toBe(sha256(bytes));
      expect(await storage.stat(k)).toEqual({ size: bytes.length, contentType: 'application/pdf' });
    });

    it('streams a large file in and out (12 MiB, more than one chunk) with its SHA-256 intact', async () => {
      const storage = open();
      const total = 12 * 1024 * 1024 + 123;
      const { stream, sha256: expected } = generated(total);
      const k = key();
      const put = await storage.put(k, stream, { contentType: 'image/png', size: total });
      expect(put).toEqual({ size: total, sha256: expected });
      const hash = createHash('sha256');
      let size = 0;
      for await (const part of await storage.get(k)) {
        hash.update(part as Buffer);
        size += (part as Buffer).length;
      }
      expect({ size, sha256: hash.digest('hex') }).toEqual({ size: total, sha256: expected });
    }, 60_000);

    it('refuses to overwrite: a second put under a used key fails and the first bytes stay', async () => {
      const storage = open();
      const k = key();
      const first = Buffer.from('%PDF-first');
      await storage.put(k, first, { contentType: 'application/pdf' });
      await expect(storage.put(k, Buffer.from('%PDF-second'), { contentType: 'application/pdf' })).rejects.toThrow(
        ObjectExistsError,
      );
      expect((await readAll(await storage.get(k))).toString()).toBe('%PDF-first');
    });

    it('answers a missing object: get fails with ObjectMissingError, stat is null', async () => {
      const storage = open();
      const k = key();
      await expect(storage.get(k)).rejects.toThrow(ObjectMissingError);
      expect(await storage.stat(k)).toBeNull();
    });

    it('deletes: the object is gone, and deleting again is harmless', async () => {
      const storage = open();
      const k = key();
      await storage.put(k, Buffer.from('\x89PNG\r\n\x1a\n'), { contentType: 'image/png' });
      await storage.delete(k);
      expect(await storage.stat(k)).toBeNull();
      await expect(storage.get(k)).rejects.toThrow(ObjectMissingError);
      await expect(storage.delete(k)).resolves.toBeUndefined();
    });
  });
}

let ds: DataSource;
let objectStore: RunningObjectStore;
let s3: S3FileStorage;

beforeAll(async () => {
  ds = new DataSource(dataSourceOptions(await createTestDatabase(), 4));
  await ds.initialize();
  objectStore = await startObjectStore();
  s3 = new S3FileStorage(objectStore.settings);
}, 60_000);

afterAll(async () => {
  s3?.destroy();
  await objectStore?.stop();
  await ds?.destroy();
});

storageContract('embedded (PostgreSQL)', () => new PostgresFileStorage(ds));
storageContract('S3-compatible object store (versitygw on loopback)', () => s3);

describe('the embedded adapter', () => {
  it('leaves nothing behind when a put fails half way (a body shorter than announced)', async () => {
    const storage = new PostgresFileStorage(ds);
    const k = `dossiers/test/${randomUUID()}`;
    await expect(
      storage.put(k, Readable.from([randomBytes(3 * 1024 * 1024)]), {
        contentType: 'image/png',
        size: 4 * 1024 * 1024,
      }),
    ).rejects.toThrow(/not the 4194304 announced/);
    expect(await storage.stat(k)).toBeNull();
    expect(await ds.query(`SELECT 1 FROM file_chunks WHERE storage_key = $1`, [k])).toEqual([]);
  });
});
