import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The deadlines a calendar edit moved are listed from their DEADLINE_REPROJECTED events (the admin's calendar
 * screen): a partial index keeps that listing off a scan of every dossier event.
 */
export class CalendarChangeIndex1764489600000 implements MigrationInterface {
  name = 'CalendarChangeIndex1764489600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX dossier_events_reprojected ON dossier_events (occurred_at DESC) WHERE type = 'DEADLINE_REPROJECTED'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX dossier_events_reprojected`);
  }
}
