import { type DataSource, type EntityManager } from 'typeorm';

/** A scan an online application carries for one of its papers, before the desk decides on it. */
export interface SubmissionFileRecord {
  id: string;
  submissionId: string;
  documentCode: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  storageKey: string;
  uploadedBy: string;
  uploadedAt: Date;
}

export type NewSubmissionFile = Omit<SubmissionFileRecord, 'id' | 'uploadedAt'>;

/** Port for the records of an application's files (the bytes are behind FileStorage). */
export abstract class SubmissionFileStore {
  /**
   * Records the file while the application waits at its desk (state SUBMITTED, locked against a reception at the same
   * moment); null when it no longer waits, and nothing is recorded.
   */
  abstract insertIfWaiting(file: NewSubmissionFile): Promise<SubmissionFileRecord | null>;
  abstract list(submissionId: string): Promise<SubmissionFileRecord[]>;
  abstract find(submissionId: string, id: string): Promise<SubmissionFileRecord | null>;
  abstract count(submissionId: string): Promise<number>;
  /** Deletes the records of an application's files; returns the storage keys of their bytes (for the caller to delete). */
  abstract discard(submissionId: string): Promise<string[]>;
}

const COLUMNS = `f.id, f.submission_id AS "submissionId", f.document_code AS "documentCode", f.file_name AS "fileName",
  f.content_type AS "contentType", f.size_bytes::float8 AS "sizeBytes", f.sha256, f.storage_key AS "storageKey",
  f.uploaded_by AS "uploadedBy", f.uploaded_at AS "uploadedAt"`;

/**
 * The received application's files become the dossier's papers' files, in the intake's transaction: same id, bytes and
 * uploader (the portal's account), not certified (a clerk certifies the authenticated copy at the desk).
 */
export async function adoptSubmissionFiles(
  manager: EntityManager,
  submissionId: string,
  dossierCode: string,
): Promise<void> {
  await manager.query(
    `WITH moved AS (DELETE FROM submission_files WHERE submission_id = $1 RETURNING *)
     INSERT INTO dossier_files (id, dossier_code, kind, document_code, file_name, content_type, size_bytes, sha256,
                                storage_key, uploaded_by, uploaded_at)
     SELECT id, $2, 'PAPER', document_code, file_name, content_type, size_bytes, sha256, storage_key, uploaded_by,
            uploaded_at
       FROM moved`,
    [submissionId, dossierCode],
  );
}

export class TypeOrmSubmissionFileStore extends SubmissionFileStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async insertIfWaiting(file: NewSubmissionFile): Promise<SubmissionFileRecord | null> {
    return this.dataSource.transaction(async (m) => {
      // The reception locks the application FOR UPDATE: an upload either lands before it (and moves with it) or sees
      // the application decided.
      const [waiting] = await m.query<unknown[]>(
        `SELECT 1 FROM submissions WHERE id = $1 AND state = 'SUBMITTED' FOR SHARE`,
        [file.submissionId],
      );
      if (!waiting) {
        return null;
      }
      const [row] = await m.query<SubmissionFileRecord[]>(
        `WITH f AS (
           INSERT INTO submission_files (submission_id, document_code, file_name, content_type, size_bytes, sha256,
                                         storage_key, uploaded_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *)
         SELECT ${COLUMNS} FROM f`,
        [
          file.submissionId,
          file.documentCode,
          file.fileName,
          file.contentType,
          file.sizeBytes,
          file.sha256,
          file.storageKey,
          file.uploadedBy,
        ],
      );
      return row;
    });
  }

  list(submissionId: string): Promise<SubmissionFileRecord[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM submission_files f WHERE f.submission_id = $1 ORDER BY f.uploaded_at, f.id`,
      [submissionId],
    );
  }

  async find(submissionId: string, id: string): Promise<SubmissionFileRecord | null> {
    const [row] = await this.dataSource.query<SubmissionFileRecord[]>(
      `SELECT ${COLUMNS} FROM submission_files f WHERE f.submission_id = $1 AND f.id = $2`,
      [submissionId, id],
    );
    return row ?? null;
  }

  async count(submissionId: string): Promise<number> {
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM submission_files WHERE submission_id = $1`,
      [submissionId],
    );
    return n;
  }

  async discard(submissionId: string): Promise<string[]> {
    const rows = await this.dataSource.query<{ storage_key: string }[]>(
      // as a SELECT: TypeORM answers a bare DELETE with [rows, count]
      `WITH gone AS (DELETE FROM submission_files WHERE submission_id = $1 RETURNING storage_key)
       SELECT storage_key FROM gone`,
      [submissionId],
    );
    return rows.map((r) => r.storage_key);
  }
}
