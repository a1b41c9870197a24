import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { type TransitionRecord } from '../../libs/domain/src';
import {
  dataSourceOptions,
  MIGRATIONS,
  type ReceiveDossierCommand,
  DOSSIER_CHANGES_CHANNEL,
  TypeOrmDossierStore,
} from '../../libs/persistence/src';
import { createTestDatabase } from '../support/infrastructure';

describe(TypeOrmDossierStore.name, () => {
  let ds: DataSource;
  let sut: TypeOrmDossierStore;
  let clerkId: string;
  let url: string;
  let versionId: string;

  beforeAll(async () => {
    url = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(url, 30));
    await ds.initialize();
    sut = new TypeOrmDossierStore(ds);
    [{ id: clerkId }] = await ds.query(`SELECT id FROM officers WHERE username = 'clerk'`);
    [{ id: versionId }] = await ds.query(`SELECT id FROM procedure_versions WHERE procedure_code = '2.000908'`);
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  const command = (day: number, overrides: Partial<ReceiveDossierCommand> = {}): ReceiveDossierCommand => ({
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
    applicantContact: { phone: '0912345678' },
    proxy: null,
    lookupPinHash: 'scrypt$16384$8$1$c2FsdA$aGFzaA',
    outbox: { kind: 'START_DOSSIER_WORKFLOW', payload: {} },
    ...overrides,
  });

  it('gives 200 concurrent intakes at one unit on one day 200 distinct consecutive codes', async () => {
    const results = await Promise.all(Array.from({ length: 200 }, () => sut.receive(command(16))));
    const sequences = results.map((r) => Number(r.dossier.code.split('-').pop())).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(results.every((r) => r.dossier.code.startsWith('000.00.20.H36-260316-'))).toBe(true);
    const [outbox] = await ds.query(
      `SELECT count(DISTINCT aggregate_key)::int AS n FROM outbox_messages WHERE aggregate_key LIKE '%-260316-%'`,
    );
    expect(outbox.n).toBe(200);
  });

  it('starts each day and each unit at 0001 and continues after a restart', async () => {
    expect((await sut.receive(command(17))).dossier.code).toBe('000.00.20.H36-260317-0001');
    const commune = await sut.receive(command(17, { receivingUnitCode: '000.31.01.H36' }));
    expect(commune.dossier.code).toBe('000.31.01.H36-260317-0001');
    // A new store over a new pool (a restarted API) continues the sequence.
    const restarted = new DataSource(dataSourceOptions(url, 2));
    await restarted.initialize();
    expect((await new TypeOrmDossierStore(restarted).receive(command(17))).dossier.code).toBe(
      '000.00.20.H36-260317-0002',
    );
    await restarted.destroy();
  });

  it('numbers the code in the statement that stores it: its event, outbox row and facts carry the same code', async () => {
    const { dossier, event } = await sut.receive(command(19, { codeFormat: { systemCode: 'DV' } }));
    expect(dossier.code).toBe('000.00.20.H36-260319-DV0001');
    expect(event?.dossierCode).toBe(dossier.code);
    const [stored] = await ds.query(
      `SELECT (SELECT count(*)::int FROM dossier_events WHERE dossier_code = $1) AS events,
              (SELECT payload->>'dossierCode' FROM outbox_messages WHERE aggregate_key = $1) AS outbox,
              (SELECT count(*)::int FROM dossier_facts WHERE dossier_code = $1) AS facts`,
      [dossier.code],
    );
    expect(stored).toEqual({ events: 1, outbox: dossier.code, facts: 1 });
  });

  it('writes the sequence wider than four digits past 9999 in a day rather than repeat one', async () => {
    await ds.query(
      `INSERT INTO dossier_code_sequences (unit_code, day, last_value) VALUES ('000.00.20.H36', '2026-03-20', 9998)`,
    );
    expect((await sut.receive(command(20))).dossier.code).toBe('000.00.20.H36-260320-9999');
    expect((await sut.receive(command(20))).dossier.code).toBe('000.00.20.H36-260320-10000');
  });

  it('stores nothing and spends no sequence number when the receiving unit is unknown', async () => {
    await expect(sut.receive(command(18, { receivingUnitCode: '000.99.99.H36' }))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'receivingUnitCode', message: expect.any(String) }],
    });
    expect((await sut.receive(command(18))).dossier.code).toBe('000.00.20.H36-260318-0001');
  });

  it('replays an idempotent intake under concurrency: one dossier, one outbox row', async () => {
    const idempotency = { scope: `${clerkId}:POST /dossiers`, key: 'concurrent-1', requestHash: 'a'.repeat(64) };
    const results = await Promise.all(Array.from({ length: 10 }, () => sut.receive(command(19, { idempotency }))));
    expect(new Set(results.map((r) => r.dossier.code)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    const [row] = await ds.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE aggregate_key = $1`, [
      results[0].dossier.code,
    ]);
    expect(row.n).toBe(1);
  });

  it('spends no sequence number on a replayed key, nor on a key reused with another body', async () => {
    const idempotency = { scope: `${clerkId}:POST /dossiers`, key: 'spend-once', requestHash: 'b'.repeat(64) };
    const first = await sut.receive(command(21, { idempotency }));
    expect(first.dossier.code).toBe('000.00.20.H36-260321-0001');
    const again = await sut.receive(command(21, { idempotency }));
    expect(again).toMatchObject({ replayed: true, dossier: { code: first.dossier.code } });
    await expect(
      sut.receive(command(21, { idempotency: { ...idempotency, requestHash: 'c'.repeat(64) } })),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', errors: [{ field: 'Idempotency-Key' }] });
    expect((await sut.receive(command(21))).dossier.code).toBe('000.00.20.H36-260321-0002');
    const [key] = await ds.query(
      `SELECT response_status AS status, response_body AS body FROM idempotency_keys WHERE key = 'spend-once'`,
    );
    expect(key).toEqual({ status: 201, body: { code: first.dossier.code } });
  });

  it("queues the national portal's received message in the intake's own statement, when a portal is configured", async () => {
    const withPortal = new TypeOrmDossierStore(ds, { portalSync: true });
    const { dossier } = await withPortal.receive(command(22));
    const [message] = await ds.query(
      `SELECT kind, payload FROM outbox_messages WHERE aggregate_key = 'portal:' || $1`,
      [dossier.code],
    );
    const [clerk] = await ds.query(`SELECT full_name AS name FROM officers WHERE id = $1`, [clerkId]);
    expect(message).toEqual({
      kind: 'PORTAL_SYNC',
      payload: {
        syncId: `${dossier.code}:0`,
        seq: 0,
        dossierCode: dossier.code,
        submissionId: null,
        procedureCode: '2.000908',
        procedureName: expect.any(String),
        field: expect.any(String),
        applicantType: 'INDIVIDUAL',
        applicantId: '001203004567',
        receivedAt: '2026-03-22T02:40:00+00:00',
        promisedAt: '2026-04-22T02:40:00+00:00',
        statusCode: 2,
        event: 'RECEIVED',
        processingUnit: '000.00.20.H36',
        dueAt: '2026-04-22T02:40:00+00:00',
        finishedAt: null,
        returnedAt: null,
        supplement: null,
        progress: {
          officer: clerk.name,
          title: expect.any(String),
          unit: '000.00.20.H36',
          time: '2026-03-22T02:40:00+00:00',
          content: 'Tiếp nhận hồ sơ (ONLINE)',
          stepStart: '2026-03-22T02:40:00+00:00',
          legalEnd: '2026-04-22T02:40:00+00:00',
        },
      },
    });
    // Without a portal, none.
    const { dossier: quiet } = await sut.receive(command(22));
    expect(await ds.query(`SELECT 1 FROM outbox_messages WHERE aggregate_key = 'portal:' || $1`, [quiet.code])).toEqual(
      [],
    );
  });

  it('records a workflow event once however often the activity retries', async () => {
    const { dossier } = await sut.receive(command(20));
    const event = {
      dossierCode: dossier.code,
      seq: 1,
      type: 'PROCESSING_STARTED',
      nationalStatus: 4,
      occurredAt: new Date(),
    };
    expect(await sut.recordEvent(event)).toEqual({ applied: true });
    expect(await sut.recordEvent(event)).toEqual({ applied: false });
    expect((await sut.listEvents(dossier.code)).map((e) => e.seq)).toEqual([0, 1]);
    expect((await sut.findByCode(dossier.code))?.nationalStatus).toBe(4);
  });
  /** The first transition of the committed example A history (PROCESSING_STARTED), for `code`, with a breach. */
  function firstTransition(code: string, seq: number): TransitionRecord {
    const history = JSON.parse(
      readFileSync(join(__dirname, '../workflows/histories/dossier-workflow-v7-example-a-current-rules.json'), 'utf8'),
    ) as { events: { activityTaskScheduledEventAttributes?: { input: { payloads: { data: string }[] } } }[] };
    const scheduled = history.events.find((e) => e.activityTaskScheduledEventAttributes)!;
    const record = JSON.parse(
      Buffer.from(scheduled.activityTaskScheduledEventAttributes!.input.payloads[0].data, 'base64').toString('utf8'),
    ) as TransitionRecord;
    const at = record.event.occurredAt;
    return {
      ...record,
      dossierCode: code,
      seq,
      event: {
        ...record.event,
        facts: [
          {
            kind: 'DOSSIER_BREACH',
            unitCode: '000.00.20.H36',
            officerId: clerkId,
            stepNo: 1,
            stepCode: 'S01',
            dueAt: at,
            occurredAt: at,
          },
        ],
        notifications: [
          { kind: 'ASSIGNED', message: 'Hồ sơ mới', audience: [{ kind: 'OFFICER', officerId: clerkId }] },
        ],
      },
      projection: { ...record.projection, lastEventSeq: seq },
    };
  }

  it('stores a transition once, in one statement: a retry writes no row twice and announces nothing again', async () => {
    const { dossier } = await sut.receive(command(21));
    const listener = new Client({ connectionString: url });
    await listener.connect();
    const notices: string[] = [];
    listener.on('notification', (n) => notices.push(n.payload ?? ''));
    await listener.query(`LISTEN ${DOSSIER_CHANGES_CHANNEL}`);
    const record = firstTransition(dossier.code, 1);
    try {
      expect(await sut.recordTransition(record)).toEqual({ applied: true, notified: 1 });
      expect(await sut.recordTransition(record)).toEqual({ applied: false, notified: 0 });
      const count = async (table: string): Promise<number> =>
        (await ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE dossier_code = $1`, [dossier.code]))[0].n;
      expect(await count('dossier_events')).toBe(2);
      expect(await count('deadline_facts')).toBe(1);
      expect(await count('notifications')).toBe(1);
      expect(await count('dossier_steps')).toBe(record.projection.steps.length);
      const [row] = await ds.query(
        `SELECT d.state, d.national_status, d.current_step_code, d.last_event_seq, d.due_at, f.overdue_at
           FROM dossiers d JOIN dossier_facts f ON f.dossier_code = d.code WHERE d.code = $1`,
        [dossier.code],
      );
      expect(row).toMatchObject({
        state: record.projection.state,
        national_status: 4,
        current_step_code: 'S01',
        last_event_seq: 1,
        due_at: new Date(record.projection.deadline.dueAt!),
        overdue_at: new Date(record.event.occurredAt),
      });
      // An older transition delivered late is stored, and leaves the dossier row as the later one made it.
      const later = firstTransition(dossier.code, 3);
      expect(await sut.recordTransition(later)).toMatchObject({ applied: true });
      expect(await sut.recordTransition(firstTransition(dossier.code, 2))).toMatchObject({ applied: true });
      expect((await sut.findByCode(dossier.code))?.lastEventSeq).toBe(3);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const announced = notices.map((n) => JSON.parse(n) as { code: string; seq: number; notified: string[] });
      expect(announced.filter((n) => n.code === dossier.code).map((n) => [n.seq, n.notified])).toEqual([
        [1, [clerkId]],
        [3, [clerkId]],
        [2, [clerkId]],
      ]);
    } finally {
      await listener.end();
    }
  });

  it('cancels the fees still open when a transition finishes the dossier unpaid (refused or returned), and only then', async () => {
    const fee = async (code: string): Promise<string> => {
      await ds.query(
        `INSERT INTO payment_requests (dossier_code, requested_seq, amount, purpose, state, created_at)
         VALUES ($1, 1, 50000, 'Lệ phí', 'PENDING', now())`,
        [code],
      );
      return code;
    };
    const stateOf = async (code: string) =>
      (await ds.query(`SELECT state, cancel_reason FROM payment_requests WHERE dossier_code = $1`, [code]))[0] as {
        state: string;
        cancel_reason: string | null;
      };
    const finishing = (code: string, projection: Partial<TransitionRecord['projection']>): TransitionRecord => {
      const record = firstTransition(code, 1);
      return { ...record, projection: { ...record.projection, ...projection } };
    };
    const open = await fee((await sut.receive(command(23))).dossier.code);
    const refused = await fee((await sut.receive(command(24))).dossier.code);
    const returned = await fee((await sut.receive(command(25))).dossier.code);
    await sut.recordTransition(firstTransition(open, 2));
    await sut.recordTransition(finishing(refused, { state: 'READY_FOR_RETURN', outcome: 'REFUSED' }));
    await sut.recordTransition(finishing(returned, { state: 'RESULT_RETURNED', outcome: 'APPROVED' }));
    expect(await stateOf(open)).toEqual({ state: 'PENDING', cancel_reason: null });
    expect(await stateOf(refused)).toMatchObject({
      state: 'CANCELLED',
      cancel_reason: expect.stringContaining('REFUSED'),
    });
    expect(await stateOf(returned)).toMatchObject({ state: 'CANCELLED' });
  });
});

describe('migrations', () => {
  it('apply on an empty database, roll back completely and apply again', async () => {
    const url = await createTestDatabase();
    const ds = new DataSource(dataSourceOptions(url, 1));
    await ds.initialize();
    try {
      for (let i = 0; i < MIGRATIONS.length; i++) {
        await ds.undoLastMigration();
      }
      const tables = await ds.query(
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`,
      );
      expect(tables).toEqual([]);
      const applied = await ds.runMigrations();
      expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => new m().name));
    } finally {
      await ds.destroy();
    }
  });
});
