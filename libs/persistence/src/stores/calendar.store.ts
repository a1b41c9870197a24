import { type DataSource } from 'typeorm';
import {
  type CalendarData,
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

/** Announced (NOTIFY, by triggers) when any change to a calendar year or a scope's office hours commits. */
export const CALENDAR_CHANGED_CHANNEL = 'calendar_changed';

/**
 * The working calendar of a chain of scopes (national first) as plain data: its stored years (without their version)
 * and the office hours of the nearest scope that sets them. What the API computes with and hands to a workflow, and
 * what a workflow's activity loads.
 */
export async function loadCalendarData(store: CalendarStore, chain: string[], timeZone: string): Promise<CalendarData> {
  const [entries, hours] = await Promise.all([store.entries(chain), store.officeHours(chain)]);
  const officeHours = [...chain]
    .reverse()
    .map((s) => hours.get(s))
    .find(Boolean);
  return {
    timeZone,
    chain,
    ...(officeHours ? { officeHours } : {}),
    entries: entries.map((e) => ({
      scope: e.scope,
      year: e.year,
      holidays: e.holidays,
      makeupWorkdays: e.makeupWorkdays,
      source: e.source,
      legalBasis: e.legalBasis,
    })),
    loadedAt: new Date().toISOString(),
  };
}

/** Port for calendar data: scopes' office hours and their yearly entries. */
export abstract class CalendarStore {
  abstract entries(scopes: readonly string[]): Promise<StoredCalendarYear[]>;
  abstract officeHours(scopes: readonly string[]): Promise<Map<string, OfficeHours>>;
  abstract find(scope: string, year: number): Promise<StoredCalendarYear | null>;
  /** Inserts or replaces a scope's year; returns it with its new version. */
  abstract put(entry: ScopeYearEntry, updatedBy: string | null): Promise<StoredCalendarYear>;
  /** What `put` of this scope and year would start from and how many running dossiers it would signal; saves nothing. */
  abstract preview(scope: string, year: number): Promise<CalendarEditPreview>;
  /** Due-time moves that edits of this scope and year caused in dossiers, newest first. */
  abstract changes(
    scope: string,
    year: number,
    options: { since?: Date; limit: number },
  ): Promise<CalendarChangeRecord[]>;
}

export interface CalendarEditPreview {
  /** The year as it stands: the scope's own entry, the statutory year for the nation without one, else undefined. */
  before: ScopeYearEntry | undefined;
  /** Running dossiers whose workflows a save would signal to re-project their deadlines. */
  affectedDossiers: number;
}

/** One dossier's deadline re-projected by a calendar edit: its DEADLINE_REPROJECTED event and ledger entry. */
export interface CalendarChangeRecord {
  dossierCode: string;
  at: Date;
  scope: string;
  year: number;
  changedDates: string[];
  legalBasis: string | null;
  previousDueAt: string | null;
  dueAt: string | null;
  /** The ledger entry's explanation, in the engine's words (null if the dossier's ledger no longer has it). */
  explanation: string | null;
}

/**
 * The running dossiers an edit of (scope, year) reaches: in the scope's units, whose deadline can span the year.
 * `put` signals exactly these and `preview` counts exactly these.
 */
const affectedDossiers = (scope: string, year: string): string =>
  `FROM dossiers d
          WHERE d.state IN ('IN_PROGRESS', 'AWAITING_SUPPLEMENT', 'AWAITING_PAYMENT')
            AND (${scope} = 'VN' OR d.receiving_unit_code = ${scope} OR d.receiving_unit_code LIKE '%.' || ${scope})
            AND d.received_at < make_date(${year} + 1, 1, 2)::timestamptz
            AND (d.due_at IS NULL OR d.due_at >= make_date(${year} - 1, 12, 31)::timestamptz
                 OR (d.deadline->>'pausedSince') IS NOT NULL)`;

/** Without an entry of its own, the nation's year was the statutory one; a narrower scope added nothing. */
const standing = (scope: string, year: number, stored: StoredCalendarYear | undefined): ScopeYearEntry | undefined =>
  stored ?? (scope === NATIONAL_SCOPE ? { scope, ...statutoryHolidays(year) } : undefined);

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
      const before = standing(entry.scope, entry.year, previous ? toEntry(previous) : undefined);
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
           ${affectedDossiers('$2', '$3')}`,
        [JSON.stringify(change), entry.scope, entry.year],
      );
      return saved;
    });
  }

  async preview(scope: string, year: number): Promise<CalendarEditPreview> {
    const [stored, [{ count }]] = await Promise.all([
      this.find(scope, year),
      this.dataSource.query<{ count: number }[]>(`SELECT count(*)::int AS count ${affectedDossiers('$1', '$2')}`, [
        scope,
        year,
      ]),
    ]);
    return { before: standing(scope, year, stored ?? undefined), affectedDossiers: count };
  }

  async changes(
    scope: string,
    year: number,
    options: { since?: Date; limit: number },
  ): Promise<CalendarChangeRecord[]> {
    const rows = await this.dataSource.query<
      {
        dossierCode: string;
        at: Date;
        change: { scope: string; year: number; changedDates?: string[]; legalBasis?: string };
        previousDueAt: string | null;
        dueAt: string | null;
        explanation: string | null;
      }[]
    >(
      `SELECT e.dossier_code AS "dossierCode", e.occurred_at AS "at", e.payload->'change' AS "change",
              e.payload->'before'->>'due' AS "previousDueAt", e.payload->'after'->>'due' AS "dueAt",
              (SELECT l->>'explanation' FROM jsonb_array_elements(COALESCE(d.deadline->'ledger', '[]'::jsonb)) l
                WHERE l->>'kind' = 'CALENDAR_CHANGE' AND (l->>'at')::timestamptz = e.occurred_at LIMIT 1) AS "explanation"
         FROM dossier_events e JOIN dossiers d ON d.code = e.dossier_code
        WHERE e.type = 'DEADLINE_REPROJECTED'
          AND e.payload->'change'->>'scope' = $1 AND (e.payload->'change'->>'year')::int = $2
          AND ($3::timestamptz IS NULL OR e.occurred_at >= $3::timestamptz)
        ORDER BY e.occurred_at DESC, e.dossier_code
        LIMIT $4`,
      [scope, year, options.since ?? null, options.limit],
    );
    return rows.map((r) => ({
      dossierCode: r.dossierCode,
      at: r.at,
      scope: r.change.scope,
      year: Number(r.change.year),
      changedDates: r.change.changedDates ?? [],
      legalBasis: r.change.legalBasis ?? null,
      previousDueAt: r.previousDueAt,
      dueAt: r.dueAt,
      explanation: r.explanation,
    }));
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
