import { Readable } from 'node:stream';
import { type DataSource } from 'typeorm';
import {
  asStream,
  FileStorage,
  HashingCounter,
  knownSize,
  ObjectExistsError,
  ObjectMissingError,
  type PutResult,
  type StoredObject,
} from './file-storage';

/** Chunks of 1 MiB: a 20 MB scan is 20 rows, and no row holds more than a chunk in memory. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * Cuts a stream into chunks of exactly `size` bytes (the last one shorter). A piece is sliced, never re-copied: only
 * a chunk that straddles pieces is assembled (one copy of at most `size` bytes), so a file costs one pass over its
 * bytes however many chunks it makes (re-concatenating the remainder at every chunk copied ~210 MB for a 20 MB scan).
 */
export async function* chunked(source: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const piece of source) {
    let rest = piece;
    if (pendingBytes > 0) {
      // Complete the straddling chunk from the head of this piece.
      const head = rest.subarray(0, size - pendingBytes);
      pending.push(head);
      pendingBytes += head.length;
      rest = rest.subarray(head.length);
      if (pendingBytes < size) {
        continue;
      }
      yield Buffer.concat(pending, size);
      pending = [];
      pendingBytes = 0;
    }
    while (rest.length >= size) {
      yield rest.subarray(0, size);
      rest = rest.subarray(size);
    }
    if (rest.length > 0) {
      pending.push(rest);
      pendingBytes = rest.length;
    }
  }
  if (pendingBytes > 0) {
    yield pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes);
  }
}

/**
 * The embedded adapter: the bytes in PostgreSQL (`file_objects`, `file_chunks`), written in one transaction so a
 * failed upload leaves nothing behind. Chosen over a directory under the data dir because the embedded deployment
 * already keeps everything in its PostgreSQL: one backup (pg_dump) holds the dossiers and their scans together, the
 * test databases (cloned from a template) isolate files like everything else, and no second path must be configured,
 * secured and moved with the data. Volumes beyond a single unit's desk go to the S3 adapter.
 */
export class PostgresFileStorage extends FileStorage {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async put(key: string, body: Readable | Buffer, options: { contentType: string; size?: number }): Promise<PutResult> {
    const expected = knownSize(body, options.size);
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const created = (await runner.query(
        `INSERT INTO file_objects (storage_key, content_type) VALUES ($1, $2)
         ON CONFLICT (storage_key) DO NOTHING RETURNING storage_key`,
        [key, options.contentType],
      )) as unknown[];
      if (created.length === 0) {
        throw new ObjectExistsError(key);
      }
      const counter = new HashingCounter();
      const source = asStream(body).pipe(counter);
      let seq = 0;
      for await (const chunk of chunked(source, CHUNK_BYTES)) {
        await runner.query(`INSERT INTO file_chunks (storage_key, seq, bytes) VALUES ($1, $2, $3)`, [key, seq, chunk]);
        seq += 1;
      }
      if (expected !== undefined && counter.size !== expected) {
        throw new Error(`The body of ${key} was ${counter.size} bytes, not the ${expected} announced.`);
      }
      await runner.query(`UPDATE file_objects SET size_bytes = $2 WHERE storage_key = $1`, [key, counter.size]);
      await runner.commitTransaction();
      return { size: counter.size, sha256: counter.digest() };
    } catch (e) {
      if (runner.isTransactionActive) {
        await runner.rollbackTransaction();
      }
      throw e;
    } finally {
      await runner.release();
    }
  }

  async get(key: string): Promise<Readable> {
    if (!(await this.stat(key))) {
      throw new ObjectMissingError(key);
    }
    const dataSource = this.dataSource;
    // One chunk read at a time, as the reader asks for it: memory stays at a chunk whatever the file's size.
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let seq = 0; ; seq += 1) {
        const rows = await dataSource.query<{ bytes: Buffer }[]>(
          `SELECT bytes FROM file_chunks WHERE storage_key = $1 AND seq = $2`,
          [key, seq],
        );
        if (rows.length === 0) {
          return;
        }
        yield rows[0].bytes;
      }
    }
    return Readable.from(chunks());
  }

  async stat(key: string): Promise<StoredObject | null> {
    const rows = await this.dataSource.query<{ size: string; contentType: string }[]>(
      `SELECT size_bytes AS size, content_type AS "contentType" FROM file_objects WHERE storage_key = $1`,
      [key],
    );
    return rows.length === 0 ? null : { size: Number(rows[0].size), contentType: rows[0].contentType };
  }

  async delete(key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM file_objects WHERE storage_key = $1`, [key]);
  }
}
