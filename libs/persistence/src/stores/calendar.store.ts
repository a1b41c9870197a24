import { type DataSource } from 'typeorm';
import {
  type CalendarDay,
  type CalendarSource,
  NATIONAL_SCOPE,
  type OfficeHours,
  type ScopeYearEntry,
  statutoryHolidays,
} from '../../../calendar/src';

export interface StoredCalendarYear extends ScopeYearEntry {
  version: number;
  updatedAt: Date;
  updatedBy: string | null;
}

/** Port for calendar data: scopes' office hours and their yearly entries. */
export abstract class CalendarStore {
  abstract entries(scopes: readonly string[]): Promise<StoredCalendarYear[]>;
  abstract officeHours(scopes: readonly string[]): Promise<Map<string, OfficeHours>>;
  abstract find(scope: string, year: number): Promise<StoredCalendarYear | null>;
  /** Inserts or replaces a scope's year; returns it with its new version. */
  abstract put(entry: ScopeYearEntry, updatedBy: string | null): Promise<StoredCalendarYear>;
}

interface Row {
  scope: string;
  year: number;
  holidays: CalendarDay[];
  makeup_workdays: CalendarDay[];
  source: CalendarSource;
  legal_basis: string | null;
  version: number;
  updated_at: Date;
  updated_by: string | null;
}

const toEntry = (r: Row): StoredCalendarYear => ({
  scope: r.scope,
  year: r.year,
  holidays: r.holidays,
  makeupWorkdays: r.makeup_workdays,
  source: r.source,
  legalBasis: r.legal_basis ?? undefined,
  version: r.version,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

export class TypeOrmCalendarStore extends CalendarStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async entries(scopes: readonly string[]): Promise<StoredCalendarYear[]> {
    const rows = await this.dataSource.query<Row[]>(`SELECT * FROM calendar_years WHERE scope = ANY($1)`, [scopes]);
    return rows.map(toEntry);
  }

  async officeHours(scopes: readonly string[]): Promise<Map<string, OfficeHours>> {
    const rows = await this.dataSource.query<{ scope: string; office_hours: OfficeHours }[]>(
      `SELECT scope, office_hours FROM calendar_scopes WHERE scope = ANY($1) AND office_hours IS NOT NULL`,
      [scopes],
    );
    return new Map(rows.map((r) => [r.scope, r.office_hours]));
  }

  async find(scope: string, year: number): Promise<StoredCalendarYear | null> {
    const [row] = await this.dataSource.query<Row[]>(`SELECT * FROM calendar_years WHERE scope = $1 AND year = $2`, [
      scope,
      year,
    ]);
    return row ? toEntry(row) : null;
  }

  /**
   * Saves a scope's year and, in the same transaction, queues a CALENDAR_CHANGED message for every running dossier
   * whose calendar includes the scope and whose deadline can span the year: its workflow re-projects its due times.
   */
  async put(entry: ScopeYearEntry, updatedBy: string | null): Promise<StoredCalendarYear> {
    return this.dataSource.transaction(async (manager) => {
      const [previous] = await manager.query<Row[]>(
        `SELECT * FROM calendar_years WHERE scope = $1 AND year = $2 FOR UPDATE`,
        [entry.scope, entry.year],
      );
      const [row] = await manager.query<Row[]>(
        `INSERT INTO calendar_years (scope, year, holidays, makeup_workdays, source, legal_basis, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (scope, year) DO UPDATE SET holidays = EXCLUDED.holidays, makeup_workdays = EXCLUDED.makeup_workdays,
           source = EXCLUDED.source, legal_basis = EXCLUDED.legal_basis, updated_by = EXCLUDED.updated_by,
           updated_at = now(), version = calendar_years.version + 1
         RETURNING *`,
        [
          entry.scope,
          entry.year,
          JSON.stringify(entry.holidays),
          JSON.stringify(entry.makeupWorkdays),
          entry.source ?? 'OFFICIAL',
          entry.legalBasis ?? null,
          updatedBy,
        ],
      );
      const saved = toEntry(row);
      // Without an entry of its own, the nation's year was the statutory one; a narrower scope added nothing.
      const before = previous
        ? toEntry(previous)
        : entry.scope === NATIONAL_SCOPE
          ? { scope: entry.scope, ...statutoryHolidays(entry.year) }
          : undefined;
      const changedDates = changedBetween(before, saved);
      const change = {
        scope: entry.scope,
        year: entry.year,
        changedDates,
        legalBasis: entry.legalBasis,
        changedBy: updatedBy ?? undefined,
      };
      await manager.query(
        `INSERT INTO outbox_messages (kind, aggregate_key, payload, created_at, available_at)
         SELECT 'CALENDAR_CHANGED', d.code, jsonb_build_object('dossierCode', d.code, 'change', $1::jsonb), now(), now()
           FROM dossiers d
          WHERE d.state IN ('IN_PROGRESS', 'AWAITING_SUPPLEMENT', 'AWAITING_PAYMENT')
            AND ($2 = 'VN' OR d.receiving_unit_code = $2 OR d.receiving_unit_code LIKE '%.' || $2)
            AND d.received_at < make_date($3 + 1, 1, 2)::timestamptz
            AND (d.due_at IS NULL OR d.due_at >= make_date($3 - 1, 12, 31)::timestamptz
                 OR (d.deadline->>'pausedSince') IS NOT NULL)`,
        [JSON.stringify(change), entry.scope, entry.year],
      );
      return saved;
    });
  }
}

/** Dates whose status differs between two versions of a scope's year (for the ledger of affected dossiers). */
function changedBetween(before: ScopeYearEntry | undefined, after: ScopeYearEntry): string[] {
  const key = (e: ScopeYearEntry | undefined): Map<string, string> =>
    new Map([
      ...(e?.holidays ?? []).map((d) => [d.date, 'H'] as const),
      ...(e?.makeupWorkdays ?? []).map((d) => [d.date, 'M'] as const),
    ]);
  const a = key(before);
  const b = key(after);
  return [...new Set([...a.keys(), ...b.keys()])].filter((d) => a.get(d) !== b.get(d)).sort();
}
