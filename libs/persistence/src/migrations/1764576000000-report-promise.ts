import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Reports judge a dossier against the return time it was promised, not the one an apology letter (form 04) set:
 * each fact row says whether the dossier was extended and what its due time was without the extension. The rollups
 * keep what the 766 index needs beyond the table (refusals after the due time, dossiers supplemented more than once)
 * and the late dossiers with an apology letter; they are rebuilt by the next scheduled refresh.
 */
export class ReportPromise1764576000000 implements MigrationInterface {
  name = 'ReportPromise1764576000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE dossier_facts
        ADD COLUMN extended        boolean NOT NULL DEFAULT false,
        -- the due time without the extension (set once an extended dossier finishes): what it is judged against
        ADD COLUMN original_due_at timestamptz`);
    // Dossiers extended before: the due time the extension replaced, where nothing moved the clock after it (no
    // pause, no calendar edit), so it is exact; those finished after it were late, whatever the new time said.
    await q.query(`
      UPDATE dossier_facts f SET extended = true, original_due_at = x.original, recorded_at = now()
      FROM (
        SELECT d.code, (e.payload->>'originalDueAt')::timestamptz AS original, e.seq
        FROM dossiers d
        JOIN dossier_events e ON e.dossier_code = d.code AND e.type = 'EXTENSION_GRANTED'
        WHERE d.extended
      ) x
      WHERE f.dossier_code = x.code`);
    await q.query(`
      UPDATE dossier_facts f SET original_due_at = NULL
      WHERE f.extended AND EXISTS (
        SELECT 1 FROM dossier_events e, dossier_events x
        WHERE x.dossier_code = f.dossier_code AND x.type = 'EXTENSION_GRANTED'
          AND e.dossier_code = f.dossier_code AND e.seq > x.seq
          AND e.type IN ('SUPPLEMENT_REQUESTED', 'PAYMENT_REQUESTED', 'DEADLINE_REPROJECTED'))`);
    await q.query(`
      UPDATE dossier_facts SET timeliness = 'LATE'
      WHERE extended AND finished_at > original_due_at AND outcome IN ('APPROVED', 'REFUSED')`);

    await q.query(`
      ALTER TABLE report_rollups
        ADD COLUMN late_with_apology int NOT NULL DEFAULT 0,
        ADD COLUMN refused_late      int NOT NULL DEFAULT 0,
        -- accumulated: finished within the deadline (as 766 counts it) after more than one supplement request
        ADD COLUMN repeated_done     int NOT NULL DEFAULT 0,
        -- at the day's end: open and not overdue after more than one supplement request
        ADD COLUMN repeated_open_end int NOT NULL DEFAULT 0`);
    // No run recorded: the next refresh rebuilds every unit (until then, reports answer from the facts).
    await q.query(`DELETE FROM report_rollup_runs`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM report_rollup_runs`);
    await q.query(`
      ALTER TABLE report_rollups DROP COLUMN late_with_apology, DROP COLUMN refused_late, DROP COLUMN repeated_done,
        DROP COLUMN repeated_open_end`);
    await q.query(`ALTER TABLE dossier_facts DROP COLUMN extended, DROP COLUMN original_due_at`);
  }
}
