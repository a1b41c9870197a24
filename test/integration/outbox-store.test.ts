import { DataSource } from 'typeorm';
import { dataSourceOptions, TypeOrmOutboxStore } from '../../libs/persistence/src';
import { createTestDatabase } from '../support/infrastructure';

describe(TypeOrmOutboxStore.name, () => {
  let ds: DataSource;
  let sut: TypeOrmOutboxStore;

  beforeAll(async () => {
    ds = new DataSource(dataSourceOptions(await createTestDatabase(), 4));
    await ds.initialize();
    sut = new TypeOrmOutboxStore(ds);
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  const queue = async (kind: string, key: string): Promise<string> => {
    const [{ id }] = await ds.query<{ id: string }[]>(
      `INSERT INTO outbox_messages (kind, aggregate_key, payload, created_at, available_at)
       VALUES ($1, $2, '{}', now(), now() - interval '1 second') RETURNING id`,
      [kind, key],
    );
    return String(id);
  };

  beforeEach(async () => {
    await ds.query(`DELETE FROM outbox_messages`);
  });

  it('leases the capped kind up to its cap and the other kinds up to the limit, in one statement', async () => {
    const starts = [await queue('START', 'a'), await queue('START', 'b'), await queue('START', 'c')];
    const others = [await queue('PORTAL', 'p1'), await queue('PORTAL', 'p2')];
    const leased = await sut.lease(10, 60_000, { kind: 'START', limit: 2 });
    expect(leased.map((m) => m.id)).toEqual([starts[0], starts[1], ...others]);
    // What is leased is not leased again until its lease runs out; the third start is still there.
    expect((await sut.lease(10, 60_000, { kind: 'START', limit: 2 })).map((m) => m.id)).toEqual([starts[2]]);
  });

  it('leases none of the capped kind at a cap of 0, and every kind without a cap', async () => {
    const start = await queue('START', 'a');
    const portal = await queue('PORTAL', 'p');
    expect((await sut.lease(10, 60_000, { kind: 'START', limit: 0 })).map((m) => m.id)).toEqual([portal]);
    await ds.query(`UPDATE outbox_messages SET available_at = now() - interval '1 second'`);
    expect((await sut.lease(10, 60_000)).map((m) => m.id)).toEqual([start, portal]);
  });

  it("leases a key's oldest pending message only, so one dossier's messages keep their order", async () => {
    const first = await queue('PORTAL', 'portal:x');
    await queue('PORTAL', 'portal:x');
    expect((await sut.lease(10, 60_000)).map((m) => m.id)).toEqual([first]);
  });
});
