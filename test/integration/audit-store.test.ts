import { DataSource } from 'typeorm';
import { type AuditEntry, dataSourceOptions, TypeOrmAuditStore } from '../../libs/persistence/src';
import { createTestDatabase } from '../support/infrastructure';

const entry = (i: number, overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  actorId: null,
  actor: 'clerk',
  action: 'dossier.read',
  dossierCode: `000.00.20.H36-260316-${String(i).padStart(4, '0')}`,
  purpose: 'processing the dossier',
  clientAddress: '127.0.0.1',
  details: { i },
  ...overrides,
});

describe(TypeOrmAuditStore.name, () => {
  let ds: DataSource;
  let sut: TypeOrmAuditStore;

  beforeAll(async () => {
    ds = new DataSource(dataSourceOptions(await createTestDatabase(), 10));
    await ds.initialize();
    sut = new TypeOrmAuditStore(ds);
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  it('appends 300 concurrent rows as one unforked chain, in far fewer transactions than rows', async () => {
    const records = await Promise.all(Array.from({ length: 300 }, (_, i) => sut.append(entry(i + 1))));
    expect(new Set(records.map((r) => r.seq)).size).toBe(300);
    // Each caller got its own row back.
    expect(records.map((r) => r.details.i)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    const verification = await sut.verify();
    expect(verification).toMatchObject({ valid: true, checked: 300, firstBroken: null });
    // Grouped: the rows of one transaction share its instant; one by one, 300 serial commits would not.
    expect(new Set(records.map((r) => r.occurredAt.getTime())).size).toBeLessThan(100);
  });

  it('fails only the request whose row cannot be written when it was grouped with others', async () => {
    const outcomes = await Promise.allSettled([
      sut.append(entry(1001)),
      sut.append(entry(1002, { action: 'x'.repeat(100) })), // longer than the column allows
      sut.append(entry(1003)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await sut.verify()).toMatchObject({ valid: true, checked: 302 });
  });
});
