import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Reports at a country's scale (issue 17). Pre-aggregated subtrees for the reports from the rollups: per unit that has sub-units and local day, the same
 * accumulated flows and end-of-day stocks as `report_rollups`, summed over the unit's whole subtree (the unit
 * included). A report of a unit reads its own row and one row per direct sub-unit, whatever the size of the tree
 * under them (a country's quarter: 64 units' rows instead of 10,000). Rebuilt with the rollups, for the ancestors of
 * the units whose facts changed, and all of them when the tree changed (the run keeps a digest of the tree).
 * And the facts of a period by unit and receipt, so one province's quarter no longer reads the whole country's.
 */
export class SubtreeRollups1765020000000 implements MigrationInterface {
  name = 'SubtreeRollups1765020000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE report_subtree_rollups (LIKE report_rollups INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    await q.query(`ALTER TABLE report_subtree_rollups ADD PRIMARY KEY (unit_code, day)`);
    // the units' tree the subtree rollups of a run were summed over
    await q.query(`ALTER TABLE report_rollup_runs ADD COLUMN tree text`);
    // The facts of a period: those received in it by unit and receipt (see IN_PERIOD), the span index keeping those
    // carried over into it.
    await q.query(`CREATE INDEX dossier_facts_unit_received ON dossier_facts (unit_code, received_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX dossier_facts_unit_received`);
    await q.query(`ALTER TABLE report_rollup_runs DROP COLUMN tree`);
    await q.query(`DROP TABLE report_subtree_rollups`);
  }
}
