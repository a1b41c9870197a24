import { type DataSource } from 'typeorm';

/** A PostgreSQL role name as `CREATE ROLE` takes it unquoted. */
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Tables the application only ever appends to and reads: the role gets no UPDATE or DELETE on them. */
const APPEND_ONLY = ['audit_log'];

/**
 * Grants the role the API and the worker run as what they use, and nothing that changes the schema: reads and writes
 * on the tables (the audit trail: read and append only), the sequences behind their ids. Not the owner: the role can
 * neither disable the audit trail's trigger nor alter, drop or truncate a table. Run by the owner after each
 * migration (`npm run migrate -- --grant-to=<role>`), so a table a migration added is granted too.
 */
export async function grantApplicationRole(ds: DataSource, role: string): Promise<void> {
  if (!ROLE_NAME.test(role)) {
    throw new Error(`--grant-to: "${role}" is not a role name (lower-case letters, digits and _, at most 63)`);
  }
  const [found] = await ds.query<{ rolsuper: boolean; owner: boolean }[]>(
    `SELECT r.rolsuper, r.rolname = (SELECT tableowner FROM pg_tables WHERE tablename = 'dossiers' AND schemaname = 'public') AS owner
       FROM pg_roles r WHERE r.rolname = $1`,
    [role],
  );
  if (!found) {
    throw new Error(`--grant-to: no role "${role}"; create it first (CREATE ROLE ${role} LOGIN PASSWORD '…')`);
  }
  if (found.rolsuper || found.owner) {
    throw new Error(
      `--grant-to: "${role}" is ${found.rolsuper ? 'a superuser' : 'the tables’ owner'}: it could disable the audit trail's trigger; run the processes as a role of their own`,
    );
  }
  await ds.transaction(async (m) => {
    await m.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await m.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
    await m.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    for (const table of APPEND_ONLY) {
      await m.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${table} FROM ${role}`);
    }
  });
}
