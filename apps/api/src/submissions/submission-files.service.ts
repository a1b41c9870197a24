import { randomUUID } from 'node:crypto';
import { type Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { DomainErrorCode, DomainException } from '../../../../libs/domain/src';
import {
  assertSubmissionWaiting,
  FileStorage,
  type SubmissionFileRecord,
  SubmissionFileStore,
} from '../../../../libs/persistence/src';
import { type Principal } from '../auth/principal';
import { acceptedScan, type UploadedScan } from '../files/scan-upload.interceptor';
import { storedFileName } from '../files/scan-type';
import { type SubmissionFileView } from './dto/submission-file.view';
import { SubmissionAccess } from './submission-access';

/** The most files one application carries (each at most FILE_MAX_BYTES): a portal does not fill the storage. */
export const SUBMISSION_MAX_FILES = 20;

const validation = (message: string, field: string, rule: string) =>
  new DomainException(DomainErrorCode.VALIDATION_FAILED, message, [{ field, message: rule }]);

export const toSubmissionFileView = (f: SubmissionFileRecord): SubmissionFileView => ({
  id: f.id,
  submissionId: f.submissionId,
  documentCode: f.documentCode,
  fileName: f.fileName,
  contentType: f.contentType,
  sizeBytes: Number(f.sizeBytes),
  sha256: f.sha256,
  uploadedAt: new Date(f.uploadedAt).toISOString(),
});

/**
 * The scans an online application carries: the portal that submitted it uploads one per paper while it waits at the
 * desk (the same sniffing, size limit and storage port as a dossier's); the desk looks at them before deciding. At the
 * reception they become the dossier's papers' files (not certified: the clerk certifies); at a refusal they are deleted.
 */
@Injectable()
export class SubmissionFilesService {
  private readonly logger = new Logger(SubmissionFilesService.name);

  constructor(
    private readonly files: SubmissionFileStore,
    private readonly storage: FileStorage,
    private readonly access: SubmissionAccess,
  ) {}

  async attach(
    principal: Principal,
    id: string,
    documentCode: string,
    scan: UploadedScan | undefined,
  ): Promise<SubmissionFileView> {
    const s = await this.access.visible(principal, id);
    // Decided already: say so first (nothing can be added by anyone).
    assertSubmissionWaiting(id, s);
    if (s.submittedBy !== principal.officerId) {
      throw new DomainException(
        DomainErrorCode.FORBIDDEN,
        `Only the system that submitted application ${id} adds its files; ${principal.username} did not submit it.`,
        [],
        { rule: 'NOT_HOLDER' },
      );
    }
    const file = acceptedScan(scan);
    const type = file.type;
    const papers = s.documents.map((d) => d.code);
    if (!papers.includes(documentCode)) {
      throw validation(
        'The paper is not one of the application’s; nothing was stored.',
        'documentCode',
        `must be the code of a document of the application (${papers.join(', ')})`,
      );
    }
    if ((await this.files.count(id)) >= SUBMISSION_MAX_FILES) {
      throw validation(
        `Application ${id} already carries ${SUBMISSION_MAX_FILES} files; nothing was stored.`,
        'file',
        `at most ${SUBMISSION_MAX_FILES} files per application`,
      );
    }
    const storageKey = `submissions/${id}/${randomUUID()}`;
    const stored = await this.storage.put(storageKey, file.buffer, { contentType: type });
    let record: SubmissionFileRecord | null = null;
    try {
      record = await this.files.insertIfWaiting({
        submissionId: id,
        documentCode,
        fileName: storedFileName(file.originalname, type),
        contentType: type,
        sizeBytes: stored.size,
        sha256: stored.sha256,
        storageKey,
        uploadedBy: principal.officerId,
      });
    } finally {
      if (!record) {
        await this.deleteBytes(storageKey);
      }
    }
    if (!record) {
      // decided while the bytes were being stored: 409 with its state
      assertSubmissionWaiting(id, await this.access.visible(principal, id));
      throw new DomainException(DomainErrorCode.INVALID_STATE, `Submission ${id} no longer waits at its desk.`);
    }
    return toSubmissionFileView(record);
  }

  async list(principal: Principal, id: string): Promise<SubmissionFileView[]> {
    await this.access.visible(principal, id);
    return (await this.files.list(id)).map(toSubmissionFileView);
  }

  async download(
    principal: Principal,
    id: string,
    fileId: string,
  ): Promise<{ file: SubmissionFileRecord; stream: Readable }> {
    await this.access.visible(principal, id);
    const file = await this.files.find(id, fileId);
    if (!file) {
      throw new DomainException(DomainErrorCode.NOT_FOUND, `Submission ${id} has no file ${fileId}.`);
    }
    return { file, stream: await this.storage.get(file.storageKey) };
  }

  /** A refused application's files: the records and the bytes, now. */
  async discard(id: string): Promise<void> {
    for (const key of await this.files.discard(id)) {
      await this.deleteBytes(key);
    }
  }

  private async deleteBytes(storageKey: string): Promise<void> {
    await this.storage
      .delete(storageKey)
      .catch((error: unknown) => this.logger.warn({ storageKey, error: String(error) }, 'orphan file left in storage'));
  }
}
