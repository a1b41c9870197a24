import { type DataSource, type EntityManager } from 'typeorm';
import { DomainErrorCode, DomainException } from '../../../domain/src';
import { SERVICE_DOSSIER } from './service-dossiers.sql';

export const FILE_KINDS = ['PAPER', 'RESULT'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/** A scan attached to a dossier: a paper (its code in the procedure) or the result. */
export interface DossierFileRecord {
  id: string;
  dossierCode: string;
  kind: FileKind;
  documentCode: string | null;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  storageKey: string;
  uploadedBy: string;
  uploadedAt: Date;
  certifiedBy: string | null;
  certifiedAt: Date | null;
  /** The earlier dossier's file this one reuses (same bytes, same storage key). */
  reusedFrom: string | null;
  /** A result replaced by a later one (kept for officers, no longer served to the citizen nor reused). */
  supersededBy: string | null;
  supersededAt: Date | null;
  /**
   * When the personal-data retention job deleted the scan's bytes (a paper of a dossier closed past the retention
   * period); the record stays for the statistics. Null while the bytes are kept.
   */
  purgedAt: Date | null;
}

/** A file of an earlier dossier that an intake may reuse, with the dossier it belongs to. */
export interface ReusableFileRecord extends DossierFileRecord {
  applicantIdNumber: string;
  procedureCode: string;
  receivedAt: Date;
}

export type NewDossierFile = Omit<
  DossierFileRecord,
  'id' | 'uploadedAt' | 'certifiedBy' | 'certifiedAt' | 'supersededBy' | 'supersededAt' | 'purgedAt'
> & {
  certifiedBy?: string | null;
  certifiedAt?: Date | null;
};

/** What the 766 digitisation indicators count, for the dossiers of some units in a period. */
export interface DigitisationCounts {
  /** Dossiers received in the period. */
  received: number;
  /** Of them, those every handed paper of which has a certified copy on file. */
  digitised: number;
  /** Of them, those that reuse at least one file of an earlier dossier. */
  reusing: number;
  /** Results returned in the period. */
  results: number;
  /** Of them, those whose result is on file. */
  digitisedResults: number;
}

/** Port for the records of dossier files (the bytes are behind FileStorage). */
export abstract class FileStore {
  /**
   * Records a file; with `supersedes`, in the same transaction marks that current result of the dossier as replaced
   * by it (409 when it is not one: already superseded, a paper, another dossier's).
   */
  abstract insert(file: NewDossierFile, supersedes?: string): Promise<DossierFileRecord>;
  abstract list(dossierCode: string): Promise<DossierFileRecord[]>;
  abstract find(dossierCode: string, id: string): Promise<DossierFileRecord | null>;
  /**
   * The result files the citizen is served (the lookup lists them, the public download serves them): only once the
   * result was returned (RESULT_RETURNED), and never one superseded by a later result.
   */
  abstract citizenResults(dossierCode: string): Promise<DossierFileRecord[]>;
  /** Marks a paper as the authenticated copy; an already certified one keeps its first certification. */
  abstract certify(id: string, officerId: string, at: Date): Promise<DossierFileRecord | null>;
  /** Files by id, with their dossier's applicant (to check a reuse). */
  abstract byIds(ids: string[]): Promise<ReusableFileRecord[]>;
  /**
   * Certified papers and results of an applicant's dossiers that one of the units has seen (received, or a step
   * went through), newest first; reused copies are left out (their original is listed), and so are purged scans.
   */
  abstract reusable(applicantIdNumber: string, visibleUnits: 'ALL' | string[]): Promise<ReusableFileRecord[]>;
  abstract digitisation(units: string[], from: Date, to: Date): Promise<DigitisationCounts>;
}

const COLUMNS = `f.id, f.dossier_code AS "dossierCode", f.kind, f.document_code AS "documentCode",
  f.file_name AS "fileName", f.content_type AS "contentType", f.size_bytes::float8 AS "sizeBytes", f.sha256,
  f.storage_key AS "storageKey", f.uploaded_by AS "uploadedBy", f.uploaded_at AS "uploadedAt",
  f.certified_by AS "certifiedBy", f.certified_at AS "certifiedAt", f.reused_from AS "reusedFrom",
  f.superseded_by AS "supersededBy", f.superseded_at AS "supersededAt", f.purged_at AS "purgedAt"`;
const WITH_DOSSIER = `${COLUMNS}, d.applicant_id_number AS "applicantIdNumber", d.procedure_code AS "procedureCode",
  d.received_at AS "receivedAt"`;

export class TypeOrmFileStore extends FileStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  insert(file: NewDossierFile, supersedes?: string): Promise<DossierFileRecord> {
    return this.dataSource.transaction(async (manager) => {
      const row = await insertDossierFile(manager, file);
      if (supersedes !== undefined) {
        const replaced = await manager.query<unknown[]>(
          `UPDATE dossier_files SET superseded_by = $3, superseded_at = $4
           WHERE id = $1 AND dossier_code = $2 AND kind = 'RESULT' AND superseded_by IS NULL RETURNING id`,
          [supersedes, file.dossierCode, row.id, row.uploadedAt],
        );
        if (replaced.length === 0) {
          throw new DomainException(
            DomainErrorCode.CONFLICT,
            `File ${supersedes} is not a current result of dossier ${file.dossierCode}: it cannot be superseded.`,
            [],
            { rule: 'ALREADY_SUPERSEDED' },
          );
        }
      }
      return row;
    });
  }

  list(dossierCode: string): Promise<DossierFileRecord[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM dossier_files f WHERE f.dossier_code = $1 ORDER BY f.uploaded_at, f.id`,
      [dossierCode],
    );
  }

  async find(dossierCode: string, id: string): Promise<DossierFileRecord | null> {
    const [row] = await this.dataSource.query<DossierFileRecord[]>(
      `SELECT ${COLUMNS} FROM dossier_files f WHERE f.dossier_code = $1 AND f.id = $2`,
      [dossierCode, id],
    );
    return row ?? null;
  }

  citizenResults(dossierCode: string): Promise<DossierFileRecord[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM dossier_files f JOIN dossiers d ON d.code = f.dossier_code
       WHERE f.dossier_code = $1 AND f.kind = 'RESULT' AND f.superseded_by IS NULL AND d.state = 'RESULT_RETURNED'
       ORDER BY f.uploaded_at, f.id`,
      [dossierCode],
    );
  }

  async certify(id: string, officerId: string, at: Date): Promise<DossierFileRecord | null> {
    await this.dataSource.query(
      `UPDATE dossier_files SET certified_by = $2, certified_at = $3 WHERE id = $1 AND certified_at IS NULL`,
      [id, officerId, at],
    );
    const [row] = await this.dataSource.query<DossierFileRecord[]>(
      `SELECT ${COLUMNS} FROM dossier_files f WHERE f.id = $1`,
      [id],
    );
    return row ?? null;
  }

  byIds(ids: string[]): Promise<ReusableFileRecord[]> {
    return this.dataSource.query(
      `SELECT ${WITH_DOSSIER} FROM dossier_files f JOIN dossiers d ON d.code = f.dossier_code
       WHERE f.id = ANY($1::uuid[])`,
      [ids],
    );
  }

  reusable(applicantIdNumber: string, visibleUnits: 'ALL' | string[]): Promise<ReusableFileRecord[]> {
    return this.dataSource.query(
      `SELECT ${WITH_DOSSIER} FROM dossier_files f JOIN dossiers d ON d.code = f.dossier_code
       WHERE d.applicant_id_number = $1 AND f.reused_from IS NULL AND f.superseded_by IS NULL AND f.purged_at IS NULL
         AND (f.kind = 'RESULT' OR f.certified_at IS NOT NULL)
         AND ($2::text[] IS NULL OR d.receiving_unit_code = ANY($2) OR EXISTS (
               SELECT 1 FROM dossier_steps s WHERE s.dossier_code = d.code AND s.unit_code = ANY($2)))
       ORDER BY f.uploaded_at DESC, f.id
       LIMIT 200`,
      [applicantIdNumber, visibleUnits === 'ALL' ? null : visibleUnits],
    );
  }

  async digitisation(units: string[], from: Date, to: Date): Promise<DigitisationCounts> {
    const [received] = await this.dataSource.query<Pick<DigitisationCounts, 'received' | 'digitised' | 'reusing'>[]>(
      `SELECT count(*)::int AS received,
              count(*) FILTER (
                WHERE jsonb_array_length(d.documents) > 0 AND NOT EXISTS (
                  SELECT 1 FROM jsonb_array_elements(d.documents) doc
                  WHERE NOT EXISTS (
                    SELECT 1 FROM dossier_files x
                    WHERE x.dossier_code = d.code AND x.kind = 'PAPER' AND x.document_code = doc->>'code'
                      AND x.certified_at IS NOT NULL)))::int AS digitised,
              count(*) FILTER (
                WHERE EXISTS (SELECT 1 FROM dossier_files x WHERE x.dossier_code = d.code AND x.reused_from IS NOT NULL)
              )::int AS reusing
       FROM dossiers d
       WHERE d.received_at >= $2 AND d.received_at < $3 AND d.receiving_unit_code IN (SELECT unnest($1::text[]))
         AND ${SERVICE_DOSSIER('d')}`,
      [units, from, to],
    );
    const [results] = await this.dataSource.query<Pick<DigitisationCounts, 'results' | 'digitisedResults'>[]>(
      `SELECT count(DISTINCT e.dossier_code)::int AS results,
              count(DISTINCT e.dossier_code) FILTER (
                WHERE EXISTS (SELECT 1 FROM dossier_files x WHERE x.dossier_code = e.dossier_code AND x.kind = 'RESULT')
              )::int AS "digitisedResults"
       FROM dossier_events e JOIN dossiers d ON d.code = e.dossier_code
       WHERE e.type = 'RESULT_RETURNED' AND e.occurred_at >= $2 AND e.occurred_at < $3
         AND d.receiving_unit_code IN (SELECT unnest($1::text[])) AND ${SERVICE_DOSSIER('d')}`,
      [units, from, to],
    );
    return { ...received, ...results };
  }
}

/**
 * Inserts a file row with the caller's transaction: an upload's own, or the intake's for the files it reuses (so a
 * received dossier never lacks the papers its request named, and a replay finds them).
 */
export async function insertDossierFile(manager: EntityManager, file: NewDossierFile): Promise<DossierFileRecord> {
  const [row] = await manager.query<DossierFileRecord[]>(
    `WITH f AS (
       INSERT INTO dossier_files (dossier_code, kind, document_code, file_name, content_type, size_bytes, sha256,
                                  storage_key, uploaded_by, certified_by, certified_at, reused_from)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *)
     SELECT ${COLUMNS} FROM f`,
    [
      file.dossierCode,
      file.kind,
      file.documentCode,
      file.fileName,
      file.contentType,
      file.sizeBytes,
      file.sha256,
      file.storageKey,
      file.uploadedBy,
      file.certifiedBy ?? null,
      file.certifiedAt ?? null,
      file.reusedFrom,
    ],
  );
  return row;
}
