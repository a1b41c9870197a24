import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * An officer is bound to one account at the identity provider: the token's issuer and its `sub` (stable, never
 * reassigned), not the `preferred_username` a provider may let users change. Unbound officers cannot sign in in
 * production until `npm run officers:bind` maps them (see the README).
 */
export class OfficerIdentity1764700060000 implements MigrationInterface {
  name = 'OfficerIdentity1764700060000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE officers ADD COLUMN idp_issuer text, ADD COLUMN idp_subject text`);
    await q.query(
      `ALTER TABLE officers ADD CONSTRAINT officers_idp_both CHECK ((idp_issuer IS NULL) = (idp_subject IS NULL))`,
    );
    await q.query(`CREATE UNIQUE INDEX officers_idp_identity ON officers (idp_issuer, idp_subject)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX officers_idp_identity`);
    await q.query(`ALTER TABLE officers DROP CONSTRAINT officers_idp_both`);
    await q.query(`ALTER TABLE officers DROP COLUMN idp_subject, DROP COLUMN idp_issuer`);
  }
}
