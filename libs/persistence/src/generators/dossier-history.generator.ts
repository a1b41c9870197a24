import { type DataSource } from 'typeorm';
import { type Channel, NationalStatus } from '../../../domain/src';

/**
 * Builds dossier histories in bulk (the dossier rows and their report facts) that reproduce given figures exactly:
 * published provincial statistics in tests, and millions of dossiers for benchmarks. Deterministic for a seed.
 */

/** Where one generated dossier ends up by the end of the period. */
export type GeneratedFate =
  | 'EARLY'
  | 'ON_TIME'
  | 'LATE'
  | 'WITHIN'
  | 'OVERDUE'
  | 'PAUSED_SUPPLEMENT'
  | 'PAUSED_PAYMENT'
  | 'WITHDRAWN'
  | 'REFUSED';

export interface PeriodFigures {
  unitCode: string;
  procedureCode: string;
  /** The period, local dates inclusive, and the instants bounding it. */
  from: Date;
  to: Date;
  carriedOver: number;
  newByChannel: Record<Channel, number>;
  /** Exact numbers of dossiers per fate; the rest of the total stays in progress within the deadline. */
  fates: Partial<Record<Exclude<GeneratedFate, 'WITHIN'>, number>>;
}

/** A seeded PRNG (mulberry32): the same seed gives the same histories. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const DAY = 86_400_000;

interface Row {
  unit: string;
  procedure: string;
  channel: Channel;
  receivedAt: number;
  fate: GeneratedFate;
  /** The end of the period the fate is judged at. */
  from: number;
  to: number;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** The rows of one period's figures: carried-over ones received in the 60 days before it, new ones in it. */
export function periodRows(f: PeriodFigures, random: () => number): Row[] {
  const from = f.from.getTime();
  const to = f.to.getTime();
  const channels = (Object.entries(f.newByChannel) as [Channel, number][]).flatMap(([c, n]) =>
    Array<Channel>(n).fill(c),
  );
  const total = f.carriedOver + channels.length;
  const fates = (Object.entries(f.fates) as [GeneratedFate, number][]).flatMap(([fate, n]) =>
    Array<GeneratedFate>(n).fill(fate),
  );
  if (fates.length > total) {
    throw new RangeError(`the fates add up to ${fates.length}, more than the ${total} dossiers of the period`);
  }
  shuffle(fates, random);
  fates.push(...Array<GeneratedFate>(total - fates.length).fill('WITHIN'));
  const rows: Row[] = [];
  for (let i = 0; i < total; i += 1) {
    const carried = i < f.carriedOver;
    rows.push({
      unit: f.unitCode,
      procedure: f.procedureCode,
      channel: carried
        ? (['IN_PERSON', 'ONLINE', 'POSTAL'] as const)[Math.floor(random() * 2)]
        : channels[i - f.carriedOver],
      receivedAt: carried ? from - Math.ceil(random() * 60 * DAY) : from + Math.floor(random() * (to - from)),
      fate: fates[i],
      from,
      to,
    });
  }
  return rows;
}

/**
 * A realistic load: `count` dossiers received uniformly over [from, to) at random units and procedures, each
 * finished within 30 days of receipt (mostly early, some on time, a few late, withdrawn or refused), except those
 * still open at `to` (received in its last weeks: within the deadline, overdue or paused).
 */
export function loadRows(
  options: { count: number; units: string[]; procedures: string[]; from: Date; to: Date },
  random: () => number,
): Row[] {
  const from = options.from.getTime();
  const to = options.to.getTime();
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const rows: Row[] = [];
  for (let i = 0; i < options.count; i += 1) {
    const receivedAt = from + Math.floor(random() * (to - from));
    const left = to - receivedAt;
    const r = random();
    const open = left < 30 * DAY && random() < 1 - left / (30 * DAY);
    const fate: GeneratedFate = open
      ? r < 0.8
        ? 'WITHIN'
        : r < 0.9
          ? 'OVERDUE'
          : r < 0.97
            ? 'PAUSED_SUPPLEMENT'
            : 'PAUSED_PAYMENT'
      : r < 0.85
        ? 'EARLY'
        : r < 0.965
          ? 'ON_TIME'
          : r < 0.985
            ? 'LATE'
            : r < 0.995
              ? 'WITHDRAWN'
              : 'REFUSED';
    const c = random();
    rows.push({
      unit: pick(options.units),
      procedure: pick(options.procedures),
      channel: c < 0.55 ? 'ONLINE' : c < 0.98 ? 'IN_PERSON' : 'POSTAL',
      receivedAt,
      fate,
      // finished ones within 30 days of receipt; open ones are judged at the end of the load
      from: receivedAt,
      to: open ? to : Math.min(to, receivedAt + Math.ceil(random() * 30) * DAY),
    });
  }
  return rows;
}

interface Materialised {
  code: string;
  row: Row;
  dueAt: number;
  finishedAt: number | null;
  outcome: string | null;
  timeliness: string | null;
  overdueAt: number | null;
  pausedFrom: number | null;
  pauseReason: string | null;
  state: string;
  status: NationalStatus;
}

/** Times consistent with the fate: finished inside the period, due before or after as the fate says. */
function materialise(row: Row, code: string, random: () => number): Materialised {
  const start = Math.max(row.receivedAt, row.from);
  const inPeriod = (): number => start + Math.floor(random() * Math.max(1, row.to - start - 1));
  const base = {
    code,
    row,
    finishedAt: null,
    outcome: null,
    timeliness: null,
    overdueAt: null,
    pausedFrom: null,
    pauseReason: null,
  };
  switch (row.fate) {
    case 'EARLY':
    case 'ON_TIME':
    case 'LATE': {
      const finishedAt = inPeriod();
      // A late dossier was due after its receipt and before it finished.
      const lateBy = Math.min(2 * DAY, Math.floor((finishedAt - row.receivedAt) / 2));
      const dueAt =
        row.fate === 'EARLY' ? finishedAt + 3 * DAY : row.fate === 'ON_TIME' ? finishedAt : finishedAt - lateBy;
      return {
        ...base,
        dueAt,
        finishedAt,
        outcome: 'APPROVED',
        timeliness: row.fate,
        overdueAt: row.fate === 'LATE' ? dueAt : null,
        state: 'RESULT_RETURNED',
        status: NationalStatus.RESULT_RETURNED,
      };
    }
    case 'WITHDRAWN':
    case 'REFUSED': {
      const finishedAt = inPeriod();
      return {
        ...base,
        dueAt: finishedAt + 5 * DAY,
        finishedAt,
        outcome: row.fate,
        timeliness: 'EARLY',
        state: row.fate === 'WITHDRAWN' ? 'WITHDRAWN' : 'CLOSED',
        status: row.fate === 'WITHDRAWN' ? NationalStatus.WITHDRAWN : NationalStatus.STOPPED,
      };
    }
    case 'OVERDUE': {
      const dueAt = inPeriod();
      return { ...base, dueAt, overdueAt: dueAt, state: 'IN_PROGRESS', status: NationalStatus.PROCESSING };
    }
    case 'PAUSED_SUPPLEMENT':
    case 'PAUSED_PAYMENT': {
      const supplement = row.fate === 'PAUSED_SUPPLEMENT';
      return {
        ...base,
        dueAt: row.to + 10 * DAY,
        pausedFrom: inPeriod(),
        pauseReason: supplement ? 'SUPPLEMENT' : 'PAYMENT',
        state: supplement ? 'AWAITING_SUPPLEMENT' : 'AWAITING_PAYMENT',
        status: supplement ? NationalStatus.SUPPLEMENT_REQUESTED : NationalStatus.FINANCIAL_OBLIGATION,
      };
    }
    case 'WITHIN':
      return { ...base, dueAt: row.to + 5 * DAY, state: 'IN_PROGRESS', status: NationalStatus.PROCESSING };
  }
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * Writes the rows as dossiers (one receiving officer, synthetic applicants) and their report facts, in batches.
 * Codes follow the national pattern with a daily sequence per unit that starts at `firstSequence`, so generated
 * histories never collide with dossiers received through the product on the same day.
 */
export async function insertHistories(
  ds: DataSource,
  rows: Row[],
  options: { receivedBy: string; seed: number; firstSequence?: number; batch?: number },
): Promise<number> {
  const random = seededRandom(options.seed ^ 0x5bd1e995);
  const fields = new Map(
    (await ds.query<{ code: string; field: string }[]>(`SELECT code, field FROM procedures`)).map((p) => [
      p.code,
      p.field,
    ]),
  );
  rows.sort((a, b) => a.receivedAt - b.receivedAt);
  const sequence = new Map<string, number>();
  const all = rows.map((row) => {
    const day = new Date(row.receivedAt + 7 * 3_600_000).toISOString().slice(2, 10).replace(/-/g, '');
    const key = `${row.unit}-${day}`;
    const next = (sequence.get(key) ?? (options.firstSequence ?? 5000) - 1) + 1;
    sequence.set(key, next);
    return materialise(row, `${key}-${String(next).padStart(4, '0')}`, random);
  });
  const size = options.batch ?? 20_000;
  for (let i = 0; i < all.length; i += size) {
    const part = all.slice(i, i + size);
    const col = <T>(pick: (m: Materialised) => T): T[] => part.map(pick);
    await ds.query(
      `INSERT INTO dossiers (code, receiving_unit_code, procedure_code, channel, applicant_type, applicant_id_number,
                             applicant_name, national_status, received_at, received_by, updated_at, state, outcome,
                             promised_at, due_at, finished_at, timeliness, paused_since, pause_reason,
                             result_returned_at, last_event_seq)
       SELECT code, unit, procedure, channel, 'INDIVIDUAL', '000000000000', 'Hồ sơ sinh thử', status, received, $10,
              coalesce(finished, received), state, outcome, due, due, finished, timeliness, paused, pause_reason,
              CASE WHEN state = 'RESULT_RETURNED' THEN finished END, 1
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::smallint[], $6::timestamptz[], $7::text[],
                   $8::text[], $9::timestamptz[], $11::timestamptz[], $12::text[], $13::timestamptz[], $14::text[])
            AS t(code, unit, procedure, channel, status, received, state, outcome, due, finished, timeliness, paused,
                 pause_reason)`,
      [
        col((m) => m.code),
        col((m) => m.row.unit),
        col((m) => m.row.procedure),
        col((m) => m.row.channel),
        col((m) => m.status),
        col((m) => iso(m.row.receivedAt)),
        col((m) => m.state),
        col((m) => m.outcome),
        col((m) => iso(m.dueAt)),
        options.receivedBy,
        col((m) => iso(m.finishedAt)),
        col((m) => m.timeliness),
        col((m) => iso(m.pausedFrom)),
        col((m) => m.pauseReason),
      ],
    );
    await ds.query(
      `INSERT INTO dossier_facts (dossier_code, unit_code, procedure_code, field, channel, received_at, due_at,
                                  overdue_at, finished_at, outcome, timeliness, paused_from, pause_reason,
                                  supplement_requests, recorded_at)
       SELECT code, unit, procedure, field, channel, received, due, overdue, finished, outcome, timeliness, paused,
              pause_reason, CASE WHEN pause_reason = 'SUPPLEMENT' THEN 1 ELSE 0 END, now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[],
                   $8::timestamptz[], $9::timestamptz[], $10::text[], $11::text[], $12::timestamptz[], $13::text[])
            AS t(code, unit, procedure, field, channel, received, due, overdue, finished, outcome, timeliness, paused,
                 pause_reason)`,
      [
        col((m) => m.code),
        col((m) => m.row.unit),
        col((m) => m.row.procedure),
        col((m) => fields.get(m.row.procedure) ?? ''),
        col((m) => m.row.channel),
        col((m) => iso(m.row.receivedAt)),
        col((m) => iso(m.dueAt)),
        col((m) => iso(m.overdueAt)),
        col((m) => iso(m.finishedAt)),
        col((m) => m.outcome),
        col((m) => m.timeliness),
        col((m) => iso(m.pausedFrom)),
        col((m) => m.pauseReason),
      ],
    );
  }
  return all.length;
}

/** Builds and writes the histories that reproduce one period's published figures. */
export async function generatePeriod(
  ds: DataSource,
  figures: PeriodFigures,
  options: { receivedBy: string; seed: number; firstSequence?: number },
): Promise<number> {
  return insertHistories(ds, periodRows(figures, seededRandom(options.seed)), options);
}
