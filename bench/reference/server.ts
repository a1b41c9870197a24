import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool } from 'pg';

/**
 * The reference's intake: a plain node:http handler (no framework) that stores one dossier row and one outbox row in
 * one transaction and answers 201 with the dossier's code. Env: REFERENCE_DATABASE_URL, PORT, DATABASE_POOL_SIZE.
 */
const pool = new Pool({
  connectionString: process.env.REFERENCE_DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
});

interface IntakeBody {
  procedureCode?: unknown;
  receivingUnitCode?: unknown;
  applicant?: unknown;
  documents?: unknown;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<IntakeBody> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as IntakeBody;
}

async function intake(body: IntakeBody): Promise<string> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const {
      rows: [{ code }],
    } = await client.query<{ code: string }>(
      `WITH next AS (SELECT nextval(pg_get_serial_sequence('dossiers', 'id')) AS id)
       INSERT INTO dossiers (id, code, procedure_code, receiving_unit_code, applicant, documents)
       SELECT id, 'R-' || id, $1, $2, $3, $4 FROM next
       RETURNING code`,
      [body.procedureCode, body.receivingUnitCode, JSON.stringify(body.applicant), JSON.stringify(body.documents)],
    );
    await client.query(`INSERT INTO outbox (dossier_code, payload) VALUES ($1, $2)`, [
      code,
      JSON.stringify({ code, procedureCode: body.procedureCode, receivingUnitCode: body.receivingUnitCode }),
    ]);
    await client.query('COMMIT');
    return code;
  } catch (e) {
    await client.query('ROLLBACK');
    throw e;
  } finally {
    client.release();
  }
}

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/dossiers') {
    return send(res, 404, { error: 'not found' });
  }
  readJson(req)
    .then((body) => {
      if (typeof body.procedureCode !== 'string' || typeof body.receivingUnitCode !== 'string') {
        return send(res, 422, { error: 'procedureCode and receivingUnitCode are required' });
      }
      return intake(body).then((code) => send(res, 201, { code }));
    })
    .catch((e: unknown) => send(res, 500, { error: e instanceof Error ? e.message : String(e) }));
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
