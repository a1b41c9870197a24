import { type DataSource } from 'typeorm';
import { type CalendarDay, type CalendarSource, type OfficeHours, type ScopeYearEntry } from '../../../calendar/src';

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

  async put(entry: ScopeYearEntry, updatedBy: string | null): Promise<StoredCalendarYear> {
    const [row] = await this.dataSource.query<Row[]>(
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
    return toEntry(row);
  }
}
