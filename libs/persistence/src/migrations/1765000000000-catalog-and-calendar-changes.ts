import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Changes other instances must hear, announced when they commit, whoever made them (any API instance, a script, an
 * administrator's SQL):
 * - the catalog's versions (a procedure published, a version replaced) on NOTIFY catalog_changed: a running worker
 *   (WORKER_AGENCIES=all) starts polling the task queue of an agency a new segment names, without a restart;
 * - the working calendars (a year's holidays, a scope's office hours) on NOTIFY calendar_changed: every API instance
 *   forgets the calendars it built, not only the one that saved the edit.
 */
export class CatalogAndCalendarChanges1765000000000 implements MigrationInterface {
  name = 'CatalogAndCalendarChanges1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION notify_catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('catalog_changed', '');
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON procedure_versions
      FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_changed()`);
    await q.query(`
      CREATE FUNCTION notify_calendar_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('calendar_changed', '');
        RETURN NULL;
      END $$`);
    for (const table of ['calendar_years', 'calendar_scopes']) {
      await q.query(`
        CREATE TRIGGER calendar_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION notify_calendar_changed()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['calendar_years', 'calendar_scopes']) {
      await q.query(`DROP TRIGGER calendar_changed ON ${table}`);
    }
    await q.query(`DROP FUNCTION notify_calendar_changed()`);
    await q.query(`DROP TRIGGER catalog_changed ON procedure_versions`);
    await q.query(`DROP FUNCTION notify_catalog_changed()`);
  }
}
