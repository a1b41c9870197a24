import { DataSource } from 'typeorm';
import {
  ANONYMISED_NAME,
  dataSourceOptions,
  type ReceiveDossierCommand,
  TypeOrmAuditStore,
  TypeOrmDossierStore,
  TypeOrmRetentionStore,
} from '../../libs/persistence/src';
import { createTestDatabase } from '../support/infrastructure';

const DAY = 86_400_000;

describe(TypeOrmRetentionStore.name, () => {
  let ds: DataSource;
  let sut: TypeOrmRetentionStore;
  let dossiers: TypeOrmDossierStore;
  let clerkId: string;
  let versionId: string;
  let serial = 0;

  beforeAll(async () => {
    ds = new DataSource(dataSourceOptions(await createTestDatabase(), 4));
    await ds.initialize();
    sut = new TypeOrmRetentionStore(ds);
    dossiers = new TypeOrmDossierStore(ds);
    [{ id: clerkId }] = await ds.query(`SELECT id FROM officers WHERE username = 'clerk'`);
    [{ id: versionId }] = await ds.query(`SELECT id FROM procedure_versions WHERE procedure_code = '2.000908'`);
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  /** A dossier received at the desk (with an Idempotency-Key), then closed `closedDaysAgo` days ago or still open. */
  async function dossier(closedDaysAgo: number | null, state = 'RESULT_RETURNED'): Promise<string> {
    serial += 1;
    const command: ReceiveDossierCommand = {
      receivingUnitCode: '000.00.20.H36',
      procedureCode: '2.000908',
      procedureVersionId: versionId,
      caseCode: 'default',
      channel: 'IN_PERSON',
      applicant: { type: 'INDIVIDUAL', idNumber: '079301012345', name: 'Trần Thị Bích Ngọc' },
      receivedAt: new Date('2020-03-16T02:40:00Z'),
      receiptDay: { year: 2020, month: 3, day: 16 },
      receivedBy: clerkId,
      promisedAt: new Date('2020-04-16T02:40:00Z'),
      documents: [{ code: 'VB-DE-NGHI', name: 'Văn bản đề nghị', form: 'ORIGINAL', count: 1 }],
      applicantContact: { phone: '0987654321', address: 'Số 12 ngõ 34 phố Lý Thường Kiệt', email: 'ngoc@example.vn' },
      proxy: { name: 'Lê Văn Cường', idNumber: '001099012345', phone: '0912000111' },
      lookupPinHash: 'scrypt$16384$8$1$c2FsdA$aGFzaA',
      outbox: { kind: 'START_DOSSIER_WORKFLOW', payload: {} },
      idempotency: { scope: `${clerkId}:POST /dossiers`, key: `k-${serial}`, requestHash: 'a'.repeat(64) },
    };
    const { dossier: d } = await dossiers.receive(command);
    await ds.query(
      `INSERT INTO dossier_events (dossier_code, seq, type, national_status, payload, occurred_at)
       VALUES ($1, 1, 'STEP_COMPLETED', 4, $2, now()), ($1, 2, 'PAYMENT_RECORDED', 4, $3, now())`,
      [
        d.code,
        JSON.stringify({ step: 'R1', note: 'Bà Ngọc nộp bản gốc' }),
        JSON.stringify({ amount: 8000, reference: 'CK Tran Thi Bich Ngoc' }),
      ],
    );
    await ds.query(
      `INSERT INTO dossier_steps (dossier_code, no, code, name, unit_code, role, counted, started_at, note, as_of_seq)
       VALUES ($1, 1, 'R1', 'Tiếp nhận', '000.00.20.H36', 'DESK_CLERK', false, now(), 'Bà Ngọc nộp bản gốc', 1)`,
      [d.code],
    );
    if (closedDaysAgo !== null) {
      const at = new Date(Date.now() - closedDaysAgo * DAY);
      await ds.query(
        `UPDATE dossiers SET state = $2::varchar, finished_at = $3,
                result_returned_at = CASE WHEN $2::varchar = 'RESULT_RETURNED' THEN $3::timestamptz END
         WHERE code = $1`,
        [d.code, state, at],
      );
    }
    return d.code;
  }

  const row = async (code: string) =>
    (
      await ds.query(
        `SELECT applicant_type, applicant_name, applicant_id_number, applicant_contact, proxy, anonymised_at,
                procedure_code, receiving_unit_code, received_at, finished_at, state,
                (SELECT json_agg(payload ORDER BY seq) FROM dossier_events e WHERE e.dossier_code = d.code) AS events,
                (SELECT json_agg(note) FROM dossier_steps s WHERE s.dossier_code = d.code) AS notes,
                (SELECT count(*)::int FROM idempotency_keys k WHERE k.response_body->>'code' = d.code) AS idempotency,
                (SELECT row_to_json(f) FROM dossier_facts f WHERE f.dossier_code = d.code) AS facts
         FROM dossiers d WHERE code = $1`,
        [code],
      )
    )[0];

  it('anonymises the applicant, the proxy and the free text of dossiers closed before the cut-off, keeping the rest', async () => {
    const [returned, withdrawn, recent, open] = [
      await dossier(400),
      await dossier(500, 'WITHDRAWN'),
      await dossier(10),
      await dossier(null),
    ];
    const before = await row(returned);
    const untouched = { recent: await row(recent), open: await row(open) };

    const done = await sut.anonymiseClosedBefore(new Date(Date.now() - 365 * DAY), 100);

    expect(done).toEqual([withdrawn, returned]);
    const after = await row(returned);
    expect(after).toMatchObject({
      applicant_type: 'INDIVIDUAL',
      applicant_name: ANONYMISED_NAME,
      applicant_id_number: '',
      applicant_contact: {},
      proxy: null,
      anonymised_at: expect.any(Date),
      events: [{ channel: 'IN_PERSON' }, { step: 'R1' }, { amount: 8000 }],
      notes: [null],
      idempotency: 0,
    });
    // What statistics count does not change.
    for (const kept of ['procedure_code', 'receiving_unit_code', 'received_at', 'finished_at', 'state', 'facts']) {
      expect({ kept, value: after[kept] }).toEqual({ kept, value: before[kept] });
    }
    expect(JSON.stringify(after)).not.toMatch(/Ngọc|Ngoc|079301012345|0987654321|Cường|0912000111/);
    expect(await row(recent)).toEqual(untouched.recent);
    expect(await row(open)).toEqual(untouched.open);
  });

  it('goes batch by batch, never twice over a dossier, and says in the audit trail what it did', async () => {
    const codes = [await dossier(800), await dossier(700), await dossier(600)];
    const cutOff = new Date(Date.now() - 365 * DAY);
    expect(await sut.anonymiseClosedBefore(cutOff, 2)).toEqual(codes.slice(0, 2));
    expect(await sut.anonymiseClosedBefore(cutOff, 2)).toEqual(codes.slice(2));
    expect(await sut.anonymiseClosedBefore(cutOff, 2)).toEqual([]);
    const trail = await ds.query(
      `SELECT actor, action, details FROM audit_log WHERE action = 'dossier.anonymise' ORDER BY seq DESC LIMIT 2`,
    );
    expect(trail).toEqual([
      {
        actor: 'system:retention',
        action: 'dossier.anonymise',
        details: { codes: codes.slice(2), closedBefore: cutOff.toISOString() },
      },
      {
        actor: 'system:retention',
        action: 'dossier.anonymise',
        details: { codes: codes.slice(0, 2), closedBefore: cutOff.toISOString() },
      },
    ]);
    expect((await new TypeOrmAuditStore(ds).verify()).valid).toBe(true);
  });
});
