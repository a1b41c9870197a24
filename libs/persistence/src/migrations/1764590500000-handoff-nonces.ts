import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The nonces of the signed hand-off requests taken in: the exact same request (a capture replayed inside the replay
 * window) applies once, whichever API instance it reaches. A nonce is forgotten once its request is too old anyway.
 */
export class HandoffNonces1764590500000 implements MigrationInterface {
  name = 'HandoffNonces1764590500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE handoff_nonces (
        partner_id varchar(64) NOT NULL,
        nonce      varchar(64) NOT NULL,
        forget_at  timestamptz NOT NULL,
        PRIMARY KEY (partner_id, nonce)
      )`);
    await q.query(`CREATE INDEX handoff_nonces_forget_at ON handoff_nonces (forget_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE handoff_nonces`);
  }
}
