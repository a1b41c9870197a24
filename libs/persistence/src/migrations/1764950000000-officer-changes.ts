import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Any change to the officers table (an officer disabled, a role or unit changed, an account bound) is announced on
 * NOTIFY officers_changed when it commits, whoever made it (the API, a script, an administrator's SQL): the API's
 * cache of signed-in officers empties at once instead of waiting out its bound.
 */
export class OfficerChanges1764950000000 implements MigrationInterface {
  name = 'OfficerChanges1764950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION notify_officers_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('officers_changed', '');
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER officers_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON officers
      FOR EACH STATEMENT EXECUTE FUNCTION notify_officers_changed()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER officers_changed ON officers`);
    await q.query(`DROP FUNCTION notify_officers_changed()`);
  }
}
