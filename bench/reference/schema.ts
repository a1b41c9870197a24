import { Client } from 'pg';

/** The task queue and workflow type of the reference (apart from the product's, on the same Temporal server). */
export const REFERENCE_TASK_QUEUE = 'reference-intake';
export const REFERENCE_WORKFLOW_TYPE = 'referenceDossierWorkflow';

/**
 * The reference's tables, in a database of their own: what a hand-built intake needs to be durable (the dossier,
 * the outbox row that starts its workflow, the row its workflow's first task writes) and nothing more.
 */
export async function createReferenceSchema(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`
      CREATE TABLE IF NOT EXISTS dossiers (
        id bigserial PRIMARY KEY,
        code text NOT NULL UNIQUE,
        procedure_code text NOT NULL,
        receiving_unit_code text NOT NULL,
        applicant jsonb NOT NULL,
        documents jsonb NOT NULL,
        state text NOT NULL DEFAULT 'RECEIVED',
        received_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE IF NOT EXISTS outbox (
        id bigserial PRIMARY KEY,
        dossier_code text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        dispatched_at timestamptz
      );
      CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (id) WHERE dispatched_at IS NULL;
      CREATE TABLE IF NOT EXISTS dossier_events (
        id bigserial PRIMARY KEY,
        dossier_code text NOT NULL,
        kind text NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      );
    `);
  } finally {
    await client.end();
  }
}
