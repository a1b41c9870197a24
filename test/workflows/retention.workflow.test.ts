import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { DataSource } from 'typeorm';
import { createRetentionActivities } from '../../activities/retention.activities';
import {
  dataSourceOptions,
  type FileKind,
  PostgresFileStorage,
  TypeOrmFileStore,
  TypeOrmRetentionStore,
} from '../../libs/persistence/src';
import { personalDataRetentionWorkflow } from '../../workflows/retention.workflow';
import { createTestDatabase, infrastructure } from '../support/infrastructure';
import { readableHistoryJSON, testDataConverter } from '../support/payload-keys';
import { insertReceivedDossier, workflowBundle } from '../support/workflow-worker';

const DAY = 86_400_000;

/**
 * The nightly retention run on the dev server, with its real activities on a test database and the embedded file
 * storage. `RECORD_HISTORIES=1` writes its history for the replay test (retention-workflow-v1.json was recorded before
 * the purge patch: it anonymises only).
 */
describe('personalDataRetentionWorkflow', () => {
  let db: DataSource;
  let connection: NativeConnection;
  let client: Client;
  let clientConnection: Connection;
  let storage: PostgresFileStorage;
  let files: TypeOrmFileStore;

  beforeAll(async () => {
    db = new DataSource(dataSourceOptions(await createTestDatabase(), 4));
    await db.initialize();
    storage = new PostgresFileStorage(db);
    files = new TypeOrmFileStore(db);
    const { temporalAddress } = infrastructure();
    connection = await NativeConnection.connect({ address: temporalAddress });
    clientConnection = await Connection.connect({ address: temporalAddress });
    client = new Client({ connection: clientConnection, dataConverter: testDataConverter() });
  });

  afterAll(async () => {
    await clientConnection?.close();
    await connection?.close();
    await db?.destroy();
  });

  /** A scan stored and recorded on the dossier (or, with `reusing`, another dossier's bytes reused). */
  async function scan(code: string, kind: FileKind, officer: string, reusing?: { id: string; storageKey: string }) {
    const storageKey = reusing?.storageKey ?? `dossiers/${code}/${randomUUID()}`;
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2000)]);
    const stored = reusing ? null : await storage.put(storageKey, bytes, { contentType: 'application/pdf' });
    return files.insert({
      dossierCode: code,
      kind,
      documentCode: kind === 'PAPER' ? 'VB-DE-NGHI' : null,
      fileName: 'CCCD Nguyễn Văn An.pdf',
      contentType: 'application/pdf',
      sizeBytes: stored?.size ?? bytes.length,
      sha256: stored?.sha256 ?? 'a'.repeat(64),
      storageKey,
      uploadedBy: officer,
      certifiedBy: officer,
      certifiedAt: new Date(),
      reusedFrom: reusing?.id ?? null,
    });
  }

  it("anonymises the dossiers closed past the retention period, then deletes their papers' bytes", async () => {
    const code = `RET-${Date.now()}`;
    const later = `${code}-2`;
    const officer = await insertReceivedDossier(db, code);
    await insertReceivedDossier(db, later);
    await db.query(`UPDATE dossiers SET state = 'RESULT_RETURNED', result_returned_at = $2 WHERE code = $1`, [
      code,
      new Date(Date.now() - 400 * DAY),
    ]);
    const paper = await scan(code, 'PAPER', officer);
    const reusedPaper = await scan(code, 'PAPER', officer);
    const result = await scan(code, 'RESULT', officer);
    // The later dossier (open) reuses one of the papers: those bytes stay while it needs them.
    await scan(later, 'PAPER', officer, reusedPaper);

    const taskQueue = `retention-${Date.now()}`;
    const worker = await Worker.create({
      connection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      dataConverter: testDataConverter(),
      activities: createRetentionActivities({ retention: new TypeOrmRetentionStore(db), storage, retentionDays: 365 }),
    });
    const summary = await worker.runUntil(async () => {
      const handle = await client.workflow.start(personalDataRetentionWorkflow, {
        taskQueue,
        workflowId: `retention-${code}`,
      });
      const ran = await handle.result();
      if (process.env.RECORD_HISTORIES === '1') {
        writeFileSync(
          join(__dirname, 'histories', 'retention-workflow-v2-purges-scans.json'),
          await readableHistoryJSON(await handle.fetchHistory()),
        );
      }
      return ran;
    });

    expect(summary).toEqual({ anonymised: 1, purgedScans: 2, complete: true });
    const [row] = await db.query(`SELECT anonymised_at FROM dossiers WHERE code = $1`, [code]);
    expect(row.anonymised_at).toEqual(expect.any(Date));
    // The paper only this dossier had: bytes gone. The reused one and the result: bytes kept.
    expect(await storage.stat(paper.storageKey)).toBeNull();
    expect(await storage.stat(reusedPaper.storageKey)).not.toBeNull();
    expect(await storage.stat(result.storageKey)).not.toBeNull();
    const after = await files.list(code);
    expect(after.map((f) => ({ id: f.id, purged: f.purgedAt !== null, fileName: f.fileName, sha: f.sha256 }))).toEqual([
      { id: paper.id, purged: true, fileName: 'VB-DE-NGHI.pdf', sha: paper.sha256 },
      { id: reusedPaper.id, purged: true, fileName: 'VB-DE-NGHI.pdf', sha: reusedPaper.sha256 },
      { id: result.id, purged: false, fileName: 'CCCD Nguyễn Văn An.pdf', sha: result.sha256 },
    ]);
    expect((await files.list(later)).map((f) => f.purgedAt)).toEqual([null]);
  });
});
