import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
  PayloadTooLargeException,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { type Observable } from 'rxjs';
import { AppConfig } from '../../../../libs/config/src';
import { DomainErrorCode, DomainException } from '../../../../libs/domain/src';
import { type ScanType, sniffScanType } from './scan-type';

/** The part multer read (the fields this API uses). */
export interface UploadedScan {
  buffer: Buffer;
  originalname: string;
  size: number;
}

/**
 * Reads the `file` part of a multipart upload into memory, at most FILE_MAX_BYTES: a larger one is cut off by multer
 * as it arrives and refused with a 422 naming the field and the limit (multer's own answer would be a 413).
 */
@Injectable()
export class ScanUploadInterceptor implements NestInterceptor {
  private readonly inner: NestInterceptor;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    // No storage named: multer keeps the part in memory (a Buffer), cut off at the limit.
    const Multer = FileInterceptor('file', {
      // Browsers send the file name in UTF-8 without saying so (multer's default would read it as latin1).
      defParamCharset: 'utf8',
      limits: { fileSize: config.FILE_MAX_BYTES, files: 1, fields: 10, fieldSize: 1024 },
    });
    this.inner = new Multer({});
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await this.inner.intercept(context, next);
    } catch (e) {
      if (e instanceof PayloadTooLargeException) {
        throw new DomainException(DomainErrorCode.VALIDATION_FAILED, 'The file is too large; nothing was stored.', [
          { field: 'file', message: `must be at most ${this.config.FILE_MAX_BYTES} bytes (FILE_MAX_BYTES)` },
        ]);
      }
      throw e;
    }
  }
}

/** An uploaded scan with its type sniffed from its content; a missing or empty file or another type is a 422. */
export function acceptedScan(scan: UploadedScan | undefined): UploadedScan & { type: ScanType } {
  const refused = (message: string, rule: string) =>
    new DomainException(DomainErrorCode.VALIDATION_FAILED, message, [{ field: 'file', message: rule }]);
  if (!scan || scan.size === 0) {
    throw refused('No file was sent; nothing was stored.', 'is required: a PDF, JPEG or PNG scan');
  }
  const type = sniffScanType(scan.buffer);
  if (!type) {
    throw refused(
      'The file is not a PDF, JPEG or PNG; nothing was stored.',
      'must be a PDF, JPEG or PNG (the content is checked, not the file name or the declared type)',
    );
  }
  return { ...scan, type };
}
