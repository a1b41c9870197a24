import { type Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  asStream,
  FileStorage,
  HashingCounter,
  knownSize,
  ObjectExistsError,
  ObjectMissingError,
  type PutResult,
  StorageUnavailableError,
  type StoredObject,
} from './file-storage';

/** How to reach the bucket (see FILE_STORAGE=s3 and the S3_* settings). */
export interface S3Settings {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

const statusOf = (e: unknown): number | undefined =>
  e instanceof S3ServiceException ? e.$metadata.httpStatusCode : undefined;

/** What Node reports when the store was never reached or went away (after the SDK's own retries). */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

const UNREACHABLE_TEXT = new RegExp(`\\b(${[...UNREACHABLE].join('|')})\\b`);

/**
 * Whether the store failed to serve rather than refused: no HTTP answer at all (refused, reset, timed out: the SDK
 * already retried), or a 5xx (503 SlowDown included). A 4xx is the request's own fault and stays as it is.
 */
function unavailable(e: unknown): boolean {
  if (e instanceof S3ServiceException) {
    return (e.$metadata.httpStatusCode ?? 500) >= 500;
  }
  for (let x: unknown = e, depth = 0; x && typeof x === 'object' && depth < 4; depth++) {
    const { code, name, message } = x as { code?: unknown; name?: unknown; message?: unknown };
    if ((typeof code === 'string' && UNREACHABLE.has(code)) || name === 'TimeoutError') {
      return true;
    }
    // The SDK's retry step rewraps an error it does not recognise as one (another realm's) as "… wrapper for
    // Error: connect ECONNREFUSED …", keeping only the text.
    if (typeof message === 'string' && UNREACHABLE_TEXT.test(message)) {
      return true;
    }
    x = (x as { cause?: unknown }).cause;
  }
  return false;
}

/** Runs one call to the store, its outage said as StorageUnavailableError (the API answers 503 with Retry-After). */
async function served<T>(key: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw unavailable(e) ? new StorageUnavailableError(key, e) : e;
  }
}

/**
 * The production adapter: an S3-compatible object store. A put is a conditional PutObject (`If-None-Match: *`), so a
 * key is written once and never replaced, even by two API instances racing; the body streams through (its length is
 * sent ahead, as S3 needs), hashed on the way.
 */
export class S3FileStorage extends FileStorage {
  private readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    super();
    this.client = new S3Client({
      endpoint: settings.endpoint,
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
      // A checksum only where the operation needs one: the SHA-256 is ours, computed as the bytes pass.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, body: Readable | Buffer, options: { contentType: string; size?: number }): Promise<PutResult> {
    const size = knownSize(body, options.size);
    if (size === undefined) {
      throw new Error(`The size of ${key} must be known to stream it to the object store.`);
    }
    const counter = new HashingCounter();
    const source = asStream(body);
    source.on('error', (e) => counter.destroy(e));
    try {
      await served(key, () =>
        this.client.send(
          new PutObjectCommand({
            Bucket: this.settings.bucket,
            Key: key,
            Body: source.pipe(counter),
            ContentLength: size,
            ContentType: options.contentType,
            IfNoneMatch: '*',
          }),
        ),
      );
    } catch (e) {
      if (statusOf(e) === 412 || statusOf(e) === 409) {
        throw new ObjectExistsError(key);
      }
      throw e;
    }
    return { size: counter.size, sha256: counter.digest() };
  }

  async get(key: string): Promise<Readable> {
    try {
      const answer = await served(key, () =>
        this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: key })),
      );
      return answer.Body as Readable;
    } catch (e) {
      if (statusOf(e) === 404) {
        throw new ObjectMissingError(key);
      }
      throw e;
    }
  }

  async stat(key: string): Promise<StoredObject | null> {
    try {
      const head = await served(key, () =>
        this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: key })),
      );
      return { size: head.ContentLength ?? 0, contentType: head.ContentType ?? 'application/octet-stream' };
    } catch (e) {
      if (statusOf(e) === 404) {
        return null;
      }
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    await served(key, () => this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: key })));
  }

  /** Closes the client's sockets. */
  destroy(): void {
    this.client.destroy();
  }

  /** Nest calls it when the application closes: no socket is left open. */
  onModuleDestroy(): void {
    this.destroy();
  }
}
