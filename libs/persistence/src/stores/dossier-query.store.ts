import { type DataSource, In } from 'typeorm';
import { DossierEntity } from '../entities';

/** What a list or worklist asks for, with the caller's scope already resolved. */
export interface DossierSearch {
  /** The units whose dossiers the caller may see, or every unit. */
  visibleUnits: 'ALL' | string[];
  status?: number;
  state?: string;
  unit?: string;
  procedure?: string;
  /** Open dossiers held by this officer (or ready for return). */
  holderId?: string;
  /** Dossiers with an open step nobody holds, of one of these roles in one of these units. */
  claimableBy?: { unitCodes: string[]; roles: string[] };
  /** Received on or after / on or before these days of the deployment's zone. */
  receivedFrom?: string;
  receivedTo?: string;
  timeZone: string;
  overdue?: boolean;
  atRisk?: boolean;
  q?: string;
  limit: number;
  offset: number;
}

/** One row of the dossier register (form 07). */
export interface RegisterRow {
  code: string;
  procedure_code: string;
  procedure_name: string | null;
  applicant_name: string;
  applicant_contact: { address?: string; phone?: string };
  agency_name: string | null;
  received_at: Date;
  promised_at: Date | null;
  result_returned_at: Date | null;
  delivery: string | null;
}

/** A unit a dossier mentions, with its head. */
export interface DossierUnitRow {
  code: string;
  name: string;
  parent_code: string | null;
  head_officer_id: string | null;
  head_name: string | null;
}

/** Port for what the dossiers' lists, views, forms and register read; bound to the TypeORM implementation below. */
export abstract class DossierQueryStore {
  /** The matching dossiers' count and one page of their codes (with the procedure's name), in list order. */
  abstract search(
    search: DossierSearch,
  ): Promise<{ total: number; page: { code: string; procedure_name: string | null }[] }>;
  /** Dossier rows in the given order. */
  abstract rows(codes: string[]): Promise<DossierEntity[]>;
  /** The units a dossier has been through (receiving desk and every step's unit); empty when there is no dossier. */
  abstract units(code: string): Promise<string[]>;
  abstract procedure(code: string): Promise<{ name: string; resolving_agency_code: string } | undefined>;
  abstract unitsWithHeads(codes: string[]): Promise<DossierUnitRow[]>;
  abstract officerNames(ids: string[]): Promise<{ id: string; full_name: string }[]>;
  /** Every dossier a unit received between two days of the deployment's zone, inclusive, in order of receipt. */
  abstract register(unit: string, from: string, to: string, timeZone: string): Promise<RegisterRow[]>;
}

export class TypeOrmDossierQueryStore extends DossierQueryStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async search(
    filter: DossierSearch,
  ): Promise<{ total: number; page: { code: string; procedure_name: string | null }[] }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.visibleUnits !== 'ALL') {
      const units = param(filter.visibleUnits);
      where.push(
        `(d.receiving_unit_code = ANY(${units}) OR d.current_unit_code = ANY(${units})
          OR EXISTS (SELECT 1 FROM dossier_steps s WHERE s.dossier_code = d.code AND s.unit_code = ANY(${units})))`,
      );
    }
    if (filter.status !== undefined) {
      where.push(`d.national_status = ${param(filter.status)}`);
    }
    if (filter.state) {
      where.push(`d.state = ${param(filter.state)}`);
    }
    if (filter.unit) {
      const u = param(filter.unit);
      where.push(`(d.receiving_unit_code = ${u} OR d.current_unit_code = ${u})`);
    }
    if (filter.procedure) {
      where.push(`d.procedure_code = ${param(filter.procedure)}`);
    }
    if (filter.holderId !== undefined) {
      where.push(`d.holder_id = ${param(filter.holderId)}`);
      where.push(`d.finished_at IS NULL OR d.state = 'READY_FOR_RETURN'`);
    }
    if (filter.claimableBy) {
      // What a claim would accept: an open step nobody holds, of one of the caller's roles in one of their units.
      where.push(
        `d.holder_id IS NULL AND d.state IN ('IN_PROGRESS', 'READY_FOR_RETURN') AND d.current_unit_code = ANY(${param(filter.claimableBy.unitCodes)})
         AND EXISTS (SELECT 1 FROM dossier_steps s WHERE s.dossier_code = d.code AND s.completed_at IS NULL
                     AND s.holder_id IS NULL AND s.role = ANY(${param(filter.claimableBy.roles)}))`,
      );
    }
    // Days are the deployment zone's, turned into instants so the received_at indexes serve the range.
    if (filter.receivedFrom) {
      where.push(
        `d.received_at >= (${param(filter.receivedFrom)}::date::timestamp AT TIME ZONE ${param(filter.timeZone)})`,
      );
    }
    if (filter.receivedTo) {
      where.push(
        `d.received_at < ((${param(filter.receivedTo)}::date + 1)::timestamp AT TIME ZONE ${param(filter.timeZone)})`,
      );
    }
    if (filter.overdue) {
      where.push(`d.finished_at IS NULL AND d.due_at < now()`);
    }
    if (filter.atRisk) {
      // Less than one working day left (the warning point has passed) but not yet late.
      where.push(
        `d.finished_at IS NULL AND d.due_at >= now() AND (d.deadline->>'warningAt') IS NOT NULL
         AND (d.deadline->>'warningAt')::timestamptz <= now()`,
      );
    }
    if (filter.q) {
      const q = param(`%${filter.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
      where.push(`(d.code ILIKE ${q} OR d.applicant_name ILIKE ${q})`);
    }
    const clause = where.length > 0 ? `WHERE ${where.map((w) => `(${w})`).join(' AND ')}` : '';
    const order =
      filter.holderId !== undefined || filter.claimableBy
        ? `d.paused_since IS NOT NULL, d.due_at ASC NULLS LAST, d.received_at`
        : `d.received_at DESC, d.code DESC`;
    // Counted separately: a page past the end still reports the total.
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM dossiers d ${clause}`,
      params,
    );
    const page: { code: string; procedure_name: string | null }[] = await this.dataSource.query(
      `SELECT d.code, p.name AS procedure_name FROM dossiers d LEFT JOIN procedures p ON p.code = d.procedure_code
       ${clause} ORDER BY ${order} LIMIT ${param(filter.limit)} OFFSET ${param(filter.offset)}`,
      params,
    );
    return { total, page };
  }

  async rows(codes: string[]): Promise<DossierEntity[]> {
    if (codes.length === 0) {
      return [];
    }
    const rows = await this.dataSource.getRepository(DossierEntity).findBy({ code: In(codes) });
    const byCode = new Map(rows.map((r) => [r.code, r]));
    return codes.map((c) => byCode.get(c)).filter((r): r is DossierEntity => r !== undefined);
  }

  async units(code: string): Promise<string[]> {
    const rows: { unit: string }[] = await this.dataSource.query(
      `SELECT receiving_unit_code AS unit FROM dossiers WHERE code = $1
       UNION SELECT unit_code FROM dossier_steps WHERE dossier_code = $1`,
      [code],
    );
    return rows.map((r) => r.unit);
  }

  async procedure(code: string): Promise<{ name: string; resolving_agency_code: string } | undefined> {
    const [row] = await this.dataSource.query<{ name: string; resolving_agency_code: string }[]>(
      `SELECT name, resolving_agency_code FROM procedures WHERE code = $1`,
      [code],
    );
    return row;
  }

  unitsWithHeads(codes: string[]): Promise<DossierUnitRow[]> {
    return this.dataSource.query(
      `SELECT u.code, u.name, u.parent_code, u.head_officer_id, h.full_name AS head_name
       FROM units u LEFT JOIN officers h ON h.id = u.head_officer_id WHERE u.code = ANY($1)`,
      [codes],
    );
  }

  officerNames(ids: string[]): Promise<{ id: string; full_name: string }[]> {
    return this.dataSource.query(`SELECT id, full_name FROM officers WHERE id = ANY($1::uuid[])`, [ids]);
  }

  register(unit: string, from: string, to: string, timeZone: string): Promise<RegisterRow[]> {
    return this.dataSource.query(
      `SELECT d.code, d.procedure_code, p.name AS procedure_name, d.applicant_name, d.applicant_contact,
              u.name AS agency_name, d.received_at, d.promised_at, d.result_returned_at,
              (SELECT e.payload->>'deliveryMethod' FROM dossier_events e
                WHERE e.dossier_code = d.code AND e.type = 'RESULT_RETURNED' ORDER BY e.seq LIMIT 1) AS delivery
         FROM dossiers d
         LEFT JOIN procedures p ON p.code = d.procedure_code
         LEFT JOIN units u ON u.code = p.resolving_agency_code
        WHERE d.receiving_unit_code = $1
          AND d.received_at >= ($2::date)::timestamp AT TIME ZONE $4
          AND d.received_at < ($3::date + 1)::timestamp AT TIME ZONE $4
        ORDER BY d.received_at, d.code`,
      [unit, from, to, timeZone],
    );
  }
}
