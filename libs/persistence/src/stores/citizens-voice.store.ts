import { type DataSource, type EntityManager } from 'typeorm';
import { PETITION_PROCEDURE_CODE, type Rating, type RatingChannel } from '../../../domain/src';
import { appendAudit } from './audit.store';
import { SERVICE_DOSSIER } from './service-dossiers.sql';

/** The state a dossier must be in to be rated: its result was handed to the citizen. */
export const RATABLE_STATE = 'RESULT_RETURNED';

export interface NewRating {
  dossierCode: string;
  rating: Rating;
  comment: string | null;
  channel: RatingChannel;
  /** The desk officer recording it on the citizen's behalf (null: the citizen). */
  recordedBy: string | null;
  at: Date;
  /** The client's address, for the audit of a citizen's rating superseding the desk's. */
  clientAddress?: string | null;
}

export interface RatingRecord {
  dossierCode: string;
  rating: Rating;
  comment: string | null;
  channel: RatingChannel;
  recordedByName: string | null;
  ratedAt: Date;
}

/**
 * What a rating attempt found: stored, stored over the desk's rating on the citizen's behalf (the citizen's own word
 * supersedes it; the desk's is kept in the history), already rated, not ratable (a petition: no service was rated),
 * not returned yet (with the state), or no such dossier.
 */
export type RateOutcome =
  | { kind: 'rated'; record: RatingRecord }
  | { kind: 'superseded'; record: RatingRecord; previous: RatingRecord }
  | { kind: 'not-ratable'; procedureCode: string }
  | { kind: 'already-rated'; record: RatingRecord }
  | { kind: 'not-returned'; state: string }
  | { kind: 'unknown' };

export interface NewPetitionLink {
  petitionCode: string;
  aboutDossierCode: string | null;
  aboutStepCode: string | null;
  aboutOfficerId: string | null;
  responsibleUnitCode: string;
  text: string;
}

export interface PetitionLink extends NewPetitionLink {
  aboutOfficerName: string | null;
}

/** Ratings counted in a group: rated, and how many of each answer. */
export interface RatingCounts {
  rated: number;
  satisfied: number;
  acceptable: number;
  notSatisfied: number;
}

export interface SatisfactionRows {
  total: RatingCounts;
  byUnit: (RatingCounts & { unitCode: string })[];
  byProcedure: (RatingCounts & { procedureCode: string; procedureName: string })[];
  byOfficer: (RatingCounts & { officerId: string; name: string | null })[];
}

/** Petitions (dossiers of the petition procedure) a unit's subtree answers, over a period. */
export interface PetitionFigures {
  received: number;
  answered: number;
  answeredOnTime: number;
  answeredLate: number;
  /** Not answered by the period's end and already past their deadline then: late whenever they are answered. */
  overdueUnanswered: number;
}

const COUNTS = `count(*)::int AS rated,
  count(*) FILTER (WHERE rating = 'SATISFIED')::int AS satisfied,
  count(*) FILTER (WHERE rating = 'ACCEPTABLE')::int AS acceptable,
  count(*) FILTER (WHERE rating = 'NOT_SATISFIED')::int AS "notSatisfied"`;

/** Links a petition to what it is about, in the transaction that receives the petition dossier (dossier.store.ts). */
export async function insertPetitionLink(manager: EntityManager, l: NewPetitionLink): Promise<void> {
  await manager.query(
    `INSERT INTO petition_links (petition_code, about_dossier_code, about_step_code, about_officer_id,
                                 responsible_unit_code, text)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [l.petitionCode, l.aboutDossierCode, l.aboutStepCode, l.aboutOfficerId, l.responsibleUnitCode, l.text],
  );
}

/** A petition answered in the period: its processing ended (the head's answer) with a timeliness. */
const ANSWERED = `d.finished_at >= $3 AND d.finished_at < $4 AND d.timeliness IS NOT NULL`;

/**
 * A petition still unanswered at the period's end (or now, for a period not over) and past its deadline by then. The
 * on-time share counts answered petitions, judged when answered; one still within its deadline is left to the period
 * that answers it, but one already overdue can no longer be answered on time and counts as late now, as the 766
 * on-time rate counts dossiers "in progress past the deadline" (domain §6, §7). It counts again, late, when answered.
 */
const OVERDUE_UNANSWERED = `d.received_at < $4 AND (d.finished_at IS NULL OR d.finished_at >= $4)
  AND d.due_at < least($4, now())`;

/**
 * The ratings of the period on dossiers (not petitions: no service was rated) the subtree received or handled (a step
 * held in it), with the units of the subtree that did (`touched`: one row per dossier and unit).
 */
const RATED_IN_SCOPE = `
  WITH rated AS (
    SELECT r.dossier_code, r.rating, d.procedure_code, d.receiving_unit_code
      FROM dossier_ratings r JOIN dossiers d ON d.code = r.dossier_code
     WHERE r.rated_at >= $2 AND r.rated_at < $3 AND ${SERVICE_DOSSIER('d')}),
  touched AS (
    SELECT DISTINCT dossier_code, unit_code FROM (
      SELECT dossier_code, receiving_unit_code AS unit_code FROM rated
      UNION ALL
      SELECT s.dossier_code, s.unit_code FROM dossier_steps s JOIN rated USING (dossier_code)) u
     WHERE unit_code = ANY($1)),
  scoped AS (SELECT * FROM rated WHERE dossier_code IN (SELECT dossier_code FROM touched))`;

/** Port of citizens' ratings and petitions: one rating per dossier, petitions linked to what they are about. */
export abstract class CitizensVoiceStore {
  /**
   * Stores the dossier's rating unless it has one or its result is not returned yet (checked in one statement); a
   * citizen's rating replaces one the desk recorded on their behalf (the desk's kept in the history, audited), never
   * the other way round.
   */
  abstract rate(rating: NewRating): Promise<RateOutcome>;
  /** The ratings a dossier's current one superseded, oldest first. */
  abstract supersededRatings(dossierCode: string): Promise<(RatingRecord & { supersededAt: Date })[]>;
  abstract rating(dossierCode: string): Promise<RatingRecord | null>;
  /** The unit that held the dossier's step (its last run, when it was sent back), or null: no such step yet. */
  abstract stepUnit(dossierCode: string, stepCode: string): Promise<string | null>;
  /** The petition's link (null: the dossier is not a petition). */
  abstract petition(petitionCode: string): Promise<PetitionLink | null>;
  /** Codes of the petitions about a dossier, oldest first. */
  abstract petitionsAbout(dossierCode: string): Promise<string[]>;
  abstract satisfaction(units: string[], from: Date, to: Date): Promise<SatisfactionRows>;
  /**
   * Petitions routed to the subtree: received in the period, answered in it (on time or late), and unanswered past
   * their deadline at its end.
   */
  abstract petitionFigures(units: string[], procedureCode: string, from: Date, to: Date): Promise<PetitionFigures>;
  /** The subtree's dossiers (not petitions) that a petition received in the period is about (each counted once). */
  abstract complainedDossiers(units: string[], from: Date, to: Date): Promise<number>;
  /** The citizens' ratings given in the period on dossiers (not petitions) the subtree received. */
  abstract ratingsReceivedBy(units: string[], from: Date, to: Date): Promise<RatingCounts>;
}

interface RatingRow {
  dossier_code: string;
  rating: Rating;
  comment: string | null;
  channel: RatingChannel;
  recorded_by_name: string | null;
  rated_at: Date;
}

const toRecord = (r: RatingRow): RatingRecord => ({
  dossierCode: r.dossier_code,
  rating: r.rating,
  comment: r.comment,
  channel: r.channel,
  recordedByName: r.recorded_by_name,
  ratedAt: new Date(r.rated_at),
});

const SELECT_RATING = `SELECT r.dossier_code, r.rating, r.comment, r.channel, o.full_name AS recorded_by_name, r.rated_at
  FROM dossier_ratings r LEFT JOIN officers o ON o.id = r.recorded_by WHERE r.dossier_code = $1`;

export class TypeOrmCitizensVoiceStore extends CitizensVoiceStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async rate(n: NewRating): Promise<RateOutcome> {
    // A petition is no service to rate: its answer is judged by the petitions' own on-time share.
    const [target] = await this.dataSource.query<{ procedure_code: string }[]>(
      `SELECT procedure_code FROM dossiers WHERE code = $1`,
      [n.dossierCode],
    );
    if (target?.procedure_code === PETITION_PROCEDURE_CODE) {
      return { kind: 'not-ratable', procedureCode: target.procedure_code };
    }
    // A dossier already anonymised keeps no new personal text: its comment is not stored.
    const inserted = await this.dataSource.query<{ dossier_code: string }[]>(
      `INSERT INTO dossier_ratings (dossier_code, rating, comment, channel, recorded_by, rated_at)
       SELECT d.code, $2, CASE WHEN d.anonymised_at IS NULL THEN $3 END, $4, $5, $6
         FROM dossiers d WHERE d.code = $1 AND d.state = $7
       ON CONFLICT (dossier_code) DO NOTHING
       RETURNING dossier_code`,
      [n.dossierCode, n.rating, n.comment, n.channel, n.recordedBy, n.at, RATABLE_STATE],
    );
    if (inserted.length === 0 && n.channel === 'CITIZEN') {
      const superseded = await this.supersedeDeskRating(n);
      if (superseded) {
        return superseded;
      }
    }
    const record = await this.rating(n.dossierCode);
    if (inserted.length > 0 && record) {
      return { kind: 'rated', record };
    }
    if (record) {
      return { kind: 'already-rated', record };
    }
    return target ? { kind: 'not-returned', state: (await this.state(n.dossierCode)) ?? '' } : { kind: 'unknown' };
  }

  /** The citizen's rating over the desk's (locked, so two at once supersede it once), the desk's kept and audited. */
  private async supersedeDeskRating(n: NewRating): Promise<RateOutcome | null> {
    return this.dataSource.transaction(async (m) => {
      const [previousRow] = await m.query<RatingRow[]>(
        `SELECT r.dossier_code, r.rating, r.comment, r.channel, o.full_name AS recorded_by_name, r.rated_at,
                r.recorded_by
           FROM dossier_ratings r LEFT JOIN officers o ON o.id = r.recorded_by
          WHERE r.dossier_code = $1 AND r.channel = 'DESK' FOR UPDATE OF r`,
        [n.dossierCode],
      );
      if (!previousRow) {
        return null;
      }
      await m.query(
        `INSERT INTO dossier_rating_history (dossier_code, rating, comment, channel, recorded_by, rated_at, superseded_at)
         SELECT dossier_code, rating, comment, channel, recorded_by, rated_at, $2
           FROM dossier_ratings WHERE dossier_code = $1`,
        [n.dossierCode, n.at],
      );
      await m.query(
        `UPDATE dossier_ratings r
            SET rating = $2, comment = CASE WHEN d.anonymised_at IS NULL THEN $3 END, channel = 'CITIZEN',
                recorded_by = NULL, rated_at = $4
           FROM dossiers d WHERE d.code = r.dossier_code AND r.dossier_code = $1`,
        [n.dossierCode, n.rating, n.comment, n.at],
      );
      const previous = toRecord(previousRow);
      await appendAudit(m, {
        actorId: null,
        actor: 'citizen',
        action: 'dossier.rating.supersede',
        dossierCode: n.dossierCode,
        purpose: 'the citizen’s own rating supersedes the one the desk recorded on their behalf',
        clientAddress: n.clientAddress ?? null,
        details: {
          previous: { rating: previous.rating, channel: previous.channel, ratedAt: previous.ratedAt.toISOString() },
          rating: n.rating,
        },
      });
      const [row] = await m.query<RatingRow[]>(SELECT_RATING, [n.dossierCode]);
      return { kind: 'superseded' as const, record: toRecord(row), previous };
    });
  }

  private async state(code: string): Promise<string | null> {
    const [row] = await this.dataSource.query<{ state: string }[]>(`SELECT state FROM dossiers WHERE code = $1`, [
      code,
    ]);
    return row?.state ?? null;
  }

  async supersededRatings(dossierCode: string): Promise<(RatingRecord & { supersededAt: Date })[]> {
    const rows = await this.dataSource.query<(RatingRow & { superseded_at: Date })[]>(
      `SELECT h.dossier_code, h.rating, h.comment, h.channel, o.full_name AS recorded_by_name, h.rated_at,
              h.superseded_at
         FROM dossier_rating_history h LEFT JOIN officers o ON o.id = h.recorded_by
        WHERE h.dossier_code = $1 ORDER BY h.superseded_at, h.id`,
      [dossierCode],
    );
    return rows.map((r) => ({ ...toRecord(r), supersededAt: new Date(r.superseded_at) }));
  }

  async rating(dossierCode: string): Promise<RatingRecord | null> {
    const [row] = await this.dataSource.query<RatingRow[]>(SELECT_RATING, [dossierCode]);
    return row ? toRecord(row) : null;
  }

  async stepUnit(dossierCode: string, stepCode: string): Promise<string | null> {
    const [row] = await this.dataSource.query<{ unit_code: string }[]>(
      `SELECT unit_code FROM dossier_steps WHERE dossier_code = $1 AND code = $2 ORDER BY no DESC LIMIT 1`,
      [dossierCode, stepCode],
    );
    return row?.unit_code ?? null;
  }

  async petition(petitionCode: string): Promise<PetitionLink | null> {
    const [row] = await this.dataSource.query<
      {
        petition_code: string;
        about_dossier_code: string | null;
        about_step_code: string | null;
        about_officer_id: string | null;
        about_officer_name: string | null;
        responsible_unit_code: string;
        text: string | null;
      }[]
    >(
      `SELECT p.*, o.full_name AS about_officer_name
         FROM petition_links p LEFT JOIN officers o ON o.id = p.about_officer_id
        WHERE p.petition_code = $1`,
      [petitionCode],
    );
    return row
      ? {
          petitionCode: row.petition_code,
          aboutDossierCode: row.about_dossier_code,
          aboutStepCode: row.about_step_code,
          aboutOfficerId: row.about_officer_id,
          aboutOfficerName: row.about_officer_name,
          responsibleUnitCode: row.responsible_unit_code,
          text: row.text ?? '',
        }
      : null;
  }

  async petitionsAbout(dossierCode: string): Promise<string[]> {
    const rows = await this.dataSource.query<{ petition_code: string }[]>(
      `SELECT p.petition_code FROM petition_links p JOIN dossiers d ON d.code = p.petition_code
        WHERE p.about_dossier_code = $1 ORDER BY d.received_at, p.petition_code`,
      [dossierCode],
    );
    return rows.map((r) => r.petition_code);
  }

  async satisfaction(units: string[], from: Date, to: Date): Promise<SatisfactionRows> {
    const args = [units, from, to];
    const [[total], byUnit, byProcedure, byOfficer] = await Promise.all([
      this.dataSource.query<RatingCounts[]>(`${RATED_IN_SCOPE} SELECT ${COUNTS} FROM scoped`, args),
      this.dataSource.query<(RatingCounts & { unitCode: string })[]>(
        `${RATED_IN_SCOPE}
         SELECT t.unit_code AS "unitCode", ${COUNTS}
           FROM touched t JOIN rated r USING (dossier_code)
          GROUP BY t.unit_code ORDER BY t.unit_code`,
        args,
      ),
      this.dataSource.query<(RatingCounts & { procedureCode: string; procedureName: string })[]>(
        `${RATED_IN_SCOPE}
         SELECT s.procedure_code AS "procedureCode", coalesce(p.name, s.procedure_code) AS "procedureName", ${COUNTS}
           FROM scoped s LEFT JOIN procedures p ON p.code = s.procedure_code
          GROUP BY s.procedure_code, p.name ORDER BY s.procedure_code`,
        args,
      ),
      // Every officer who held a step of the dossier in the subtree, once per dossier.
      this.dataSource.query<(RatingCounts & { officerId: string; name: string | null })[]>(
        `${RATED_IN_SCOPE},
         handled AS (
           SELECT DISTINCT st.dossier_code, st.holder_id
             FROM dossier_steps st JOIN scoped USING (dossier_code)
            WHERE st.holder_id IS NOT NULL AND st.unit_code = ANY($1))
         SELECT h.holder_id AS "officerId", o.full_name AS name, ${COUNTS}
           FROM handled h JOIN rated r USING (dossier_code) LEFT JOIN officers o ON o.id = h.holder_id
          GROUP BY h.holder_id, o.full_name ORDER BY o.full_name, h.holder_id`,
        args,
      ),
    ]);
    return { total, byUnit, byProcedure, byOfficer };
  }

  async petitionFigures(units: string[], procedureCode: string, from: Date, to: Date): Promise<PetitionFigures> {
    const [row] = await this.dataSource.query<PetitionFigures[]>(
      `SELECT count(*) FILTER (WHERE d.received_at >= $3 AND d.received_at < $4)::int AS received,
              count(*) FILTER (WHERE ${ANSWERED})::int AS answered,
              count(*) FILTER (WHERE ${ANSWERED} AND d.timeliness IN ('EARLY', 'ON_TIME'))::int AS "answeredOnTime",
              count(*) FILTER (WHERE ${ANSWERED} AND d.timeliness = 'LATE')::int AS "answeredLate",
              count(*) FILTER (WHERE ${OVERDUE_UNANSWERED})::int AS "overdueUnanswered"
         FROM petition_links p JOIN dossiers d ON d.code = p.petition_code
        WHERE p.responsible_unit_code = ANY($1) AND d.procedure_code = $2`,
      [units, procedureCode, from, to],
    );
    return row;
  }

  async complainedDossiers(units: string[], from: Date, to: Date): Promise<number> {
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(DISTINCT p.about_dossier_code)::int AS n
         FROM petition_links p
         JOIN dossiers petition ON petition.code = p.petition_code
         JOIN dossiers about ON about.code = p.about_dossier_code
        WHERE about.receiving_unit_code = ANY($1) AND petition.received_at >= $2 AND petition.received_at < $3
          AND ${SERVICE_DOSSIER('about')}`,
      [units, from, to],
    );
    return n;
  }

  async ratingsReceivedBy(units: string[], from: Date, to: Date): Promise<RatingCounts> {
    const [row] = await this.dataSource.query<RatingCounts[]>(
      `SELECT ${COUNTS} FROM dossier_ratings r JOIN dossiers d ON d.code = r.dossier_code
        WHERE d.receiving_unit_code = ANY($1) AND r.rated_at >= $2 AND r.rated_at < $3 AND ${SERVICE_DOSSIER('d')}`,
      [units, from, to],
    );
    return row;
  }
}
