import { type DataSource } from 'typeorm';
import {
  DomainErrorCode,
  DomainException,
  type ProcedureDefinition,
  type ProcedureVersionDefinition,
} from '../../../domain/src';

export interface ProcedureVersionSummary {
  id: string;
  versionNo: number;
  effectiveFrom: string;
  legalBasis: string | null;
  createdAt: Date;
  /** Dossiers received under this version: once any, the version can no longer change. */
  dossiersUsing: number;
}

export interface StoredProcedure {
  code: string;
  localCode: string | null;
  name: string;
  field: string;
  level: string;
  resolvingAgency: string;
  versions: ProcedureVersionSummary[];
}

export interface VersionInForce {
  id: string;
  procedureCode: string;
  procedureName: string;
  resolvingAgencyCode: string;
  versionNo: number;
  effectiveFrom: string;
  definition: ProcedureVersionDefinition;
}

/** Announced (NOTIFY, by a trigger) when any change to the catalog's versions commits, whoever made it. */
export const CATALOG_CHANGED_CHANNEL = 'catalog_changed';

/** Port for the procedure catalog. */
export abstract class ProcedureStore {
  /** Adds a version (or replaces an unused one with the same effective date); returns its number. */
  abstract publish(p: ProcedureDefinition, createdBy: string | null): Promise<{ versionNo: number; replaced: boolean }>;
  abstract list(): Promise<StoredProcedure[]>;
  abstract find(code: string): Promise<StoredProcedure | null>;
  abstract version(code: string, versionNo: number): Promise<VersionInForce | null>;
  /** The version in force on a date (`YYYY-MM-DD`): the latest effective on or before it. */
  abstract inForce(code: string, date: string): Promise<VersionInForce | null>;
  /** Names of the procedures with these codes (unknown codes are left out). */
  abstract names(codes: string[]): Promise<Map<string, string>>;
  /** The definitions of these versions, by version ID. */
  abstract definitions(ids: string[]): Promise<Map<string, ProcedureVersionDefinition>>;

  /** Every agency that owns a segment of a connected procedure, in any version. */
  abstract segmentAgencies(): Promise<string[]>;
}

interface VersionRow {
  id: string;
  procedure_code: string;
  version_no: number;
  effective_from: string;
  legal_basis: string | null;
  created_at: Date;
  dossiers_using: number;
}

export class TypeOrmProcedureStore extends ProcedureStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async publish(p: ProcedureDefinition, createdBy: string | null): Promise<{ versionNo: number; replaced: boolean }> {
    return this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO procedures (code, local_code, name, field, level, resolving_agency_code) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (code) DO UPDATE SET local_code = EXCLUDED.local_code, name = EXCLUDED.name, field = EXCLUDED.field,
           level = EXCLUDED.level, resolving_agency_code = EXCLUDED.resolving_agency_code, updated_at = now()`,
        [p.code, p.localCode ?? null, p.name, p.field, p.level, p.resolvingAgency],
      );
      // Serialise publishers of one procedure so version numbers never collide.
      await m.query(`SELECT 1 FROM procedures WHERE code = $1 FOR UPDATE`, [p.code]);
      const [same] = await m.query<{ id: string; version_no: number; used: number }[]>(
        `SELECT v.id, v.version_no, (SELECT count(*)::int FROM dossiers d WHERE d.procedure_version_id = v.id) AS used
         FROM procedure_versions v WHERE v.procedure_code = $1 AND v.effective_from = $2`,
        [p.code, p.version.effectiveFrom],
      );
      if (same && same.used > 0) {
        throw new DomainException(
          DomainErrorCode.CONFLICT,
          `Version ${same.version_no} of ${p.code} (effective ${p.version.effectiveFrom}) is used by ${same.used} dossier(s) and can no longer change; publish a new version with a later effective date.`,
          [{ field: 'version.effectiveFrom', message: 'a version in use is immutable' }],
        );
      }
      if (same) {
        await m.query(
          `UPDATE procedure_versions SET definition = $2, legal_basis = $3, created_at = now(), created_by = $4 WHERE id = $1`,
          [same.id, JSON.stringify(p.version), p.version.legalBasis ?? null, createdBy],
        );
        return { versionNo: same.version_no, replaced: true };
      }
      const [{ next }] = await m.query<{ next: number }[]>(
        `SELECT coalesce(max(version_no), 0) + 1 AS next FROM procedure_versions WHERE procedure_code = $1`,
        [p.code],
      );
      await m.query(
        `INSERT INTO procedure_versions (procedure_code, version_no, effective_from, legal_basis, definition, created_by)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [p.code, next, p.version.effectiveFrom, p.version.legalBasis ?? null, JSON.stringify(p.version), createdBy],
      );
      return { versionNo: next, replaced: false };
    });
  }

  list(): Promise<StoredProcedure[]> {
    return this.load();
  }

  async find(code: string): Promise<StoredProcedure | null> {
    const [procedure] = await this.load(code);
    return procedure ?? null;
  }

  /** All procedures, or the one with `code`, each with its versions. */
  private async load(code?: string): Promise<StoredProcedure[]> {
    const procedures = await this.dataSource.query<
      {
        code: string;
        local_code: string | null;
        name: string;
        field: string;
        level: string;
        resolving_agency_code: string;
      }[]
    >(`SELECT * FROM procedures WHERE $1::varchar IS NULL OR code = $1 ORDER BY code`, [code ?? null]);
    const versions = await this.versions(code);
    return procedures.map((p) => ({
      code: p.code,
      localCode: p.local_code,
      name: p.name,
      field: p.field,
      level: p.level,
      resolvingAgency: p.resolving_agency_code,
      versions: versions.filter((v) => v.procedure_code === p.code).map(toSummary),
    }));
  }

  async version(code: string, versionNo: number): Promise<VersionInForce | null> {
    return this.oneVersion(`v.procedure_code = $1 AND v.version_no = $2`, [code, versionNo]);
  }

  async inForce(code: string, date: string): Promise<VersionInForce | null> {
    return this.oneVersion(
      `v.procedure_code = $1 AND v.effective_from <= $2::date ORDER BY v.effective_from DESC LIMIT 1`,
      [code, date],
    );
  }

  async names(codes: string[]): Promise<Map<string, string>> {
    const rows = await this.dataSource.query<{ code: string; name: string }[]>(
      `SELECT code, name FROM procedures WHERE code = ANY($1)`,
      [codes],
    );
    return new Map(rows.map((r) => [r.code, r.name]));
  }

  async definitions(ids: string[]): Promise<Map<string, ProcedureVersionDefinition>> {
    const rows = await this.dataSource.query<{ id: string; definition: ProcedureVersionDefinition }[]>(
      `SELECT id, definition FROM procedure_versions WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.definition]));
  }

  async segmentAgencies(): Promise<string[]> {
    const rows = await this.dataSource.query<{ agency: string }[]>(
      `SELECT DISTINCT segment->>'agency' AS agency
         FROM procedure_versions v,
              jsonb_array_elements(v.definition->'cases') AS kase,
              jsonb_array_elements(COALESCE(kase->'segments', '[]'::jsonb)) AS segment
        ORDER BY 1`,
    );
    return rows.map((r) => r.agency);
  }

  private async oneVersion(where: string, params: unknown[]): Promise<VersionInForce | null> {
    const [row] = await this.dataSource.query<
      {
        id: string;
        procedure_code: string;
        procedure_name: string;
        resolving_agency_code: string;
        version_no: number;
        effective_from: string;
        definition: ProcedureVersionDefinition;
      }[]
    >(
      `SELECT v.id, v.procedure_code, p.name AS procedure_name, p.resolving_agency_code, v.version_no,
              to_char(v.effective_from, 'YYYY-MM-DD') AS effective_from, v.definition
       FROM procedure_versions v JOIN procedures p ON p.code = v.procedure_code WHERE ${where}`,
      params,
    );
    return row
      ? {
          id: row.id,
          procedureCode: row.procedure_code,
          procedureName: row.procedure_name,
          resolvingAgencyCode: row.resolving_agency_code,
          versionNo: row.version_no,
          effectiveFrom: row.effective_from,
          definition: row.definition,
        }
      : null;
  }

  private versions(code?: string): Promise<VersionRow[]> {
    return this.dataSource.query<VersionRow[]>(
      `SELECT v.id, v.procedure_code, v.version_no, to_char(v.effective_from, 'YYYY-MM-DD') AS effective_from, v.legal_basis,
              v.created_at, (SELECT count(*)::int FROM dossiers d WHERE d.procedure_version_id = v.id) AS dossiers_using
       FROM procedure_versions v WHERE $1::varchar IS NULL OR v.procedure_code = $1
       ORDER BY v.procedure_code, v.version_no`,
      [code ?? null],
    );
  }
}

const toSummary = (v: VersionRow): ProcedureVersionSummary => ({
  id: v.id,
  versionNo: v.version_no,
  effectiveFrom: v.effective_from,
  legalBasis: v.legal_basis,
  createdAt: v.created_at,
  dossiersUsing: v.dossiers_using,
});
