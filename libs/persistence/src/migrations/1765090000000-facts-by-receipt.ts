import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The whole country's quarter from the dossier facts (issue 17): the facts received in a period, by receipt alone.
 * The B-tree on `(unit_code, received_at)` serves a province (its units' rows only); asked for every unit of the
 * country it was no cheaper than reading the whole table, which the planner did (a parallel sequential scan of all
 * 10M facts for 1.35M of the quarter). With this index the country's quarter reads the quarter's rows (see
 * `CLASSIFY` in report.sql.ts).
 */
export class FactsByReceipt1765090000000 implements MigrationInterface {
  name = 'FactsByReceipt1765090000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX dossier_facts_received ON dossier_facts (received_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX dossier_facts_received`);
  }
}
