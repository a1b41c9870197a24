import { createHash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';

/** What the storage knows of an object it holds. */
export interface StoredObject {
  size: number;
  contentType: string;
}

/** What a put wrote: its size and SHA-256 (hex), counted on the bytes as they went through. */
export interface PutResult {
  size: number;
  sha256: string;
}

/** A put to a key that already holds an object: objects are written once, never replaced. */
export class ObjectExistsError extends Error {
  constructor(readonly key: string) {
    super(`An object is already stored under ${key}; stored files are never overwritten.`);
    this.name = 'ObjectExistsError';
  }
}

/** A get of a key that holds nothing. */
export class ObjectMissingError extends Error {
  constructor(readonly key: string) {
    super(`No object is stored under ${key}.`);
    this.name = 'ObjectMissingError';
  }
}

/**
 * The storage did not serve the request (unreachable, timed out, or answered 5xx): nothing is known to be wrong with
 * the request, which may be retried as it was (503 with Retry-After, like an unavailable database).
 */
export class StorageUnavailableError extends Error {
  constructor(
    readonly key: string,
    cause?: unknown,
  ) {
    super(`The file storage did not answer for ${key}.`, { cause });
    this.name = 'StorageUnavailableError';
  }
}

/**
 * The port the scans of papers and results go through. Two adapters: the embedded default (PostgreSQL, in chunks)
 * and an S3-compatible object store. Both stream: a put reads its body once, a get hands back a stream.
 */
export abstract class FileStorage {
  /**
   * Writes the bytes under a new key. `size` is the body's length when known (an object store needs it for a
   * stream); a body of another length is refused. A key already used → ObjectExistsError.
   */
  abstract put(
    key: string,
    body: Readable | Buffer,
    options: { contentType: string; size?: number },
  ): Promise<PutResult>;
  /** The bytes, streamed; ObjectMissingError for a key that holds nothing. */
  abstract get(key: string): Promise<Readable>;
  /** Size and type, or null when the key holds nothing. */
  abstract stat(key: string): Promise<StoredObject | null>;
  /** Removes the object (nothing happens for a key that holds nothing). */
  abstract delete(key: string): Promise<void>;
}

/** Counts and hashes the bytes that pass through it. */
export class HashingCounter extends Transform {
  private readonly hash = createHash('sha256');
  size = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    callback(null, chunk);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/** A body as a stream (a Buffer is streamed in one piece). */
export function asStream(body: Readable | Buffer): Readable {
  return Buffer.isBuffer(body) ? Readable.from([body]) : body;
}

/** A body's length when it can be known without reading it. */
export function knownSize(body: Readable | Buffer, size?: number): number | undefined {
  return Buffer.isBuffer(body) ? body.length : size;
}
