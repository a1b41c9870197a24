import { DataSource } from 'typeorm';
import {
  dataSourceOptions,
  hashLookupPin,
  lookupPinMatches,
  type ReceiveDossierCommand,
  TypeOrmDossierStore,
  TypeOrmPublicLookupStore,
  TypeOrmRateLimitStore,
} from '../../libs/persistence/src';
import { createTestDatabase } from '../support/infrastructure';

const MIGRATION = 'LookupPins1764594000000';

/** The key the tests hash PINs with (the product's comes from LOOKUP_PIN_KEY). */
const PIN_KEY = Buffer.alloc(32, 1);

describe('lookup PINs and rate limits in PostgreSQL', () => {
  let url: string;
  let ds: DataSource;
  let command: (day: number) => Promise<ReceiveDossierCommand>;

  beforeAll(async () => {
    url = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(url, 40));
    await ds.initialize();
    const [{ id: clerkId }] = await ds.query(`SELECT id FROM officers WHERE username = 'clerk'`);
    const [{ id: versionId }] = await ds.query(`SELECT id FROM procedure_versions WHERE procedure_code = '2.000908'`);
    command = (day) =>
      Promise.resolve({
        receivingUnitCode: '000.00.20.H36',
        procedureCode: '2.000908',
        procedureVersionId: versionId,
        caseCode: 'default',
        channel: 'ONLINE',
        applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' },
        receivedAt: new Date(`2026-03-${day}T02:40:00Z`),
        receiptDay: { year: 2026, month: 3, day },
        receivedBy: clerkId,
        promisedAt: new Date(`2026-04-${day}T02:40:00Z`),
        documents: [{ code: 'VB-DE-NGHI', name: 'Văn bản đề nghị', form: 'ORIGINAL', count: 1 }],
        applicantContact: {},
        proxy: null,
        lookupPinHash: hashLookupPin('042917', PIN_KEY),
        outbox: { kind: 'START_DOSSIER_WORKFLOW', payload: {} },
      });
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  it('counts at most the limit of thirty concurrent guesses at one PIN, from any number of instances', async () => {
    const { dossier } = await new TypeOrmDossierStore(ds).receive(await command(16));
    const stores = [new TypeOrmPublicLookupStore(ds), new TypeOrmPublicLookupStore(ds)];
    const attempts = await Promise.all(
      Array.from({ length: 30 }, (_, i) => stores[i % 2].beginAttempt(dossier.code, 10)),
    );
    expect(attempts.filter((a) => a.kind === 'counted')).toHaveLength(10);
    expect(attempts.filter((a) => a.kind === 'locked')).toHaveLength(20);
    expect(await stores[0].wrongPin(dossier.code, 10)).toBe(true);
    expect(await stores[1].beginAttempt('000.00.20.H36-990101-0001', 10)).toEqual({ kind: 'unknown' });
    expect(await stores[1].reissuePin(dossier.code, hashLookupPin('111111', PIN_KEY))).toBe(true);
    expect(await stores[1].beginAttempt(dossier.code, 10)).toMatchObject({ kind: 'counted' });
    expect(await stores[1].reissuePin('000.00.20.H36-990101-0001', 'x')).toBe(false);
  });

  it('lets thirty concurrent requests through a limit of ten exactly ten times, counted across instances', async () => {
    const stores = [new TypeOrmRateLimitStore(ds), new TypeOrmRateLimitStore(ds)];
    const counts = await Promise.all(
      Array.from({ length: 30 }, (_, i) => stores[i % 2].hit('per-client:test', 60_000, 10, 60_000)),
    );
    expect(counts.filter((c) => c.blockedSecondsLeft === 0)).toHaveLength(10);
    // Blocked for the minute (a second more for a request whose transaction began before the block was set).
    expect(counts.filter((c) => c.blockedSecondsLeft > 0).every((c) => c.blockedSecondsLeft <= 61)).toBe(true);
  });

  it('starts a new window once the old one is over', async () => {
    const store = new TypeOrmRateLimitStore(ds);
    expect(await store.hit('short', 1_000, 1, 1_000)).toMatchObject({ hits: 1, blockedSecondsLeft: 0 });
    expect((await store.hit('short', 1_000, 1, 1_000)).blockedSecondsLeft).toBeGreaterThan(0);
    await ds.query(
      `UPDATE rate_limit_counters SET window_ends_at = now() - interval '1 s', blocked_until = now() - interval '1 s'
        WHERE key = 'short'`,
    );
    expect(await store.hit('short', 1_000, 1, 1_000)).toMatchObject({ hits: 1, blockedSecondsLeft: 0 });
    await store.purge();
    expect(await ds.query(`SELECT key FROM rate_limit_counters WHERE key = 'short'`)).toHaveLength(1);
  });

  it('hashes the PINs of the dossiers received before the migration, which then keeps no plain PIN', async () => {
    const { dossier } = await new TypeOrmDossierStore(ds).receive(await command(17));
    const migrations = new DataSource(dataSourceOptions(url, 1));
    await migrations.initialize();
    try {
      while ((await migrations.query(`SELECT 1 FROM schema_migrations WHERE name = $1`, [MIGRATION])).length > 0) {
        await migrations.undoLastMigration();
      }
      // As an older release stored it.
      await migrations.query(`UPDATE dossiers SET lookup_pin = '042917' WHERE code = $1`, [dossier.code]);
      await migrations.runMigrations();
      const [row] = await migrations.query(`SELECT to_jsonb(d) AS row FROM dossiers d WHERE code = $1`, [dossier.code]);
      expect(row.row).not.toHaveProperty('lookup_pin');
      expect(row.row).toMatchObject({ lookup_wrong_pins: 0, lookup_locked_at: null });
      expect(await lookupPinMatches(row.row.lookup_pin_hash, '042917', PIN_KEY)).toBe(true);
      const [{ plain }] = await migrations.query(
        `SELECT count(*)::int AS plain FROM dossiers WHERE lookup_pin_hash IS NOT NULL AND lookup_pin_hash !~ '^scrypt\\$'`,
      );
      expect(plain).toBe(0);
    } finally {
      await migrations.destroy();
    }
  });
});
