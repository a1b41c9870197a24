import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { DataSource } from 'typeorm';
import { createRetentionActivities } from '../../activities/retention.activities';
import {
  dataSourceOptions,
  type DossierFileRecord,
  type FileKind,
  type FileStorage,
  ObjectMissingError,
  PostgresFileStorage,
  S3FileStorage,
  TypeOrmFileStore,
  TypeOrmRetentionStore,
} from '../../libs/persistence/src';
import { createTestDatabase } from '../support/infrastructure';
import { type RunningObjectStore, startObjectStore } from '../support/object-store';
import { insertReceivedDossier } from '../support/workflow-worker';

const DAY = 86_400_000;
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/**
 * The retention job's purge of stored scans (activities/retention.activities.ts) against each storage adapter: the
 * papers' bytes of a dossier closed past the retention period leave the store, their records stay; the result and
 * bytes a later dossier reuses stay.
 */
function scanRetention(name: string, open: (ds: DataSource) => FileStorage) {
  describe(`the retention of stored scans: ${name}`, () => {
    let ds: DataSource;
    let storage: FileStorage;
    let files: TypeOrmFileStore;
    let activities: ReturnType<typeof createRetentionActivities>;
    const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('WARN') });

    beforeAll(async () => {
      ds = new DataSource(dataSourceOptions(await createTestDatabase(), 4));
      await ds.initialize();
      storage = open(ds);
      files = new TypeOrmFileStore(ds);
      activities = createRetentionActivities({ retention: new TypeOrmRetentionStore(ds), storage, retentionDays: 365 });
    });

    afterAll(async () => {
      await ds?.destroy();
    });

    async function scan(
      code: string,
      kind: FileKind,
      officer: string,
      reusing?: DossierFileRecord,
    ): Promise<DossierFileRecord> {
      const storageKey = reusing?.storageKey ?? `dossiers/${code}/${randomUUID()}`;
      const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(3000)]);
      if (!reusing) {
        await storage.put(storageKey, bytes, { contentType: 'application/pdf' });
      }
      return files.insert({
        dossierCode: code,
        kind,
        documentCode: kind === 'PAPER' ? 'GT-TRU-SO' : null,
        fileName: 'Hợp đồng thuê nhà Trần Thị Bình.pdf',
        contentType: 'application/pdf',
        sizeBytes: reusing?.sizeBytes ?? bytes.length,
        sha256: reusing?.sha256 ?? sha256(bytes),
        storageKey,
        uploadedBy: officer,
        certifiedBy: officer,
        certifiedAt: new Date(),
        reusedFrom: reusing?.id ?? null,
      });
    }

    it('deletes the bytes of the papers, keeps their records, the result and the bytes a later dossier reuses', async () => {
      const old = `OLD-${randomBytes(4).toString('hex')}`;
      const later = `NEW-${randomBytes(4).toString('hex')}`;
      const officer = await insertReceivedDossier(ds, old);
      await insertReceivedDossier(ds, later);
      await ds.query(`UPDATE dossiers SET state = 'WITHDRAWN', finished_at = $2 WHERE code = $1`, [
        old,
        new Date(Date.now() - 400 * DAY),
      ]);
      const [paper, shared, result] = [
        await scan(old, 'PAPER', officer),
        await scan(old, 'PAPER', officer),
        await scan(old, 'RESULT', officer),
      ];
      const reuse = await scan(later, 'PAPER', officer, shared);

      // Nothing goes before the dossier is anonymised.
      expect(await env.run(activities.purgeExpiredScans, 100)).toBe(0);
      expect(await env.run(activities.anonymiseExpiredDossiers, 100)).toBe(1);
      expect(await env.run(activities.purgeExpiredScans, 100)).toBe(2);

      expect(await storage.stat(paper.storageKey)).toBeNull();
      await expect(storage.get(paper.storageKey)).rejects.toBeInstanceOf(ObjectMissingError);
      expect(await storage.stat(shared.storageKey)).toEqual({ size: shared.sizeBytes, contentType: 'application/pdf' });
      expect(await storage.stat(result.storageKey)).toEqual({ size: result.sizeBytes, contentType: 'application/pdf' });
      const kept = await files.list(old);
      expect(kept).toEqual([
        { ...paper, fileName: 'GT-TRU-SO.pdf', purgedAt: expect.any(Date) },
        { ...shared, fileName: 'GT-TRU-SO.pdf', purgedAt: expect.any(Date) },
        result,
      ]);
      expect(await files.list(later)).toEqual([reuse]);
      const [audit] = await ds.query(
        `SELECT actor, details FROM audit_log WHERE action = 'dossier.files.purge' ORDER BY seq DESC LIMIT 1`,
      );
      expect(audit).toMatchObject({
        actor: 'system:retention',
        details: {
          files: [
            { file: paper.id, dossier: old },
            { file: shared.id, dossier: old },
          ],
        },
      });

      // A second run finds nothing more; once the later dossier goes too, the shared bytes go with it.
      expect(await env.run(activities.purgeExpiredScans, 100)).toBe(0);
      await ds.query(`UPDATE dossiers SET state = 'WITHDRAWN', finished_at = $2 WHERE code = $1`, [
        later,
        new Date(Date.now() - 400 * DAY),
      ]);
      expect(await env.run(activities.anonymiseExpiredDossiers, 100)).toBe(1);
      expect(await env.run(activities.purgeExpiredScans, 100)).toBe(1);
      expect(await storage.stat(shared.storageKey)).toBeNull();
      expect(await storage.stat(result.storageKey)).not.toBeNull();
    });

    it('finishes a run that died after deleting the bytes: the scans are marked purged the next night', async () => {
      const code = `DIED-${randomBytes(4).toString('hex')}`;
      const officer = await insertReceivedDossier(ds, code);
      await ds.query(`UPDATE dossiers SET state = 'WITHDRAWN', finished_at = $2 WHERE code = $1`, [
        code,
        new Date(Date.now() - 400 * DAY),
      ]);
      const paper = await scan(code, 'PAPER', officer);
      expect(await env.run(activities.anonymiseExpiredDossiers, 100)).toBe(1);
      await storage.delete(paper.storageKey);
      expect(await env.run(activities.purgeExpiredScans, 100)).toBe(1);
      expect((await files.list(code))[0].purgedAt).toEqual(expect.any(Date));
    });
  });
}

let objectStore: RunningObjectStore;
let s3: S3FileStorage;

beforeAll(async () => {
  objectStore = await startObjectStore();
  s3 = new S3FileStorage(objectStore.settings);
}, 60_000);

afterAll(async () => {
  s3?.destroy();
  await objectStore?.stop();
});

scanRetention('embedded (PostgreSQL)', (ds) => new PostgresFileStorage(ds));
scanRetention('S3-compatible object store (versitygw on loopback)', () => s3);
