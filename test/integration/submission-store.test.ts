import { DataSource } from 'typeorm';
import {
  dataSourceOptions,
  type NewSubmission,
  type ReceiveDossierCommand,
  TypeOrmDossierStore,
  TypeOrmSubmissionStore,
} from '../../libs/persistence/src';
import { createTestDatabase, eventually } from '../support/infrastructure';

describe(TypeOrmSubmissionStore.name, () => {
  let ds: DataSource;
  let sut: TypeOrmSubmissionStore;
  let dossiers: TypeOrmDossierStore;
  let clerkId: string;
  let portalId: string;
  let versionId: string;

  beforeAll(async () => {
    ds = new DataSource(dataSourceOptions(await createTestDatabase(), 10));
    await ds.initialize();
    sut = new TypeOrmSubmissionStore(ds, { portalSync: true });
    dossiers = new TypeOrmDossierStore(ds, { portalSync: true });
    [{ id: clerkId }] = await ds.query(`SELECT id FROM officers WHERE username = 'clerk'`);
    [{ id: portalId }] = await ds.query(`SELECT id FROM officers WHERE username = 'agency-system'`);
    [{ id: versionId }] = await ds.query(`SELECT id FROM procedure_versions WHERE procedure_code = '2.000908'`);
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  const application = (overrides: Partial<NewSubmission> = {}): NewSubmission => ({
    receivingUnitCode: '000.00.20.H36',
    procedureCode: '2.000908',
    caseCode: 'default',
    channel: 'ONLINE',
    applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' },
    applicantContact: { phone: '0912345678' },
    proxy: null,
    documents: [{ code: 'VB-DE-NGHI', name: 'Văn bản đề nghị', form: 'ORIGINAL', count: 1 }],
    submittedAt: new Date('2026-03-16T01:00:00Z'),
    submittedBy: portalId,
    ...overrides,
  });

  const reception = (day: number, submissionId: string): ReceiveDossierCommand => {
    const dd = String(day).padStart(2, '0');
    return {
      receivingUnitCode: '000.00.20.H36',
      procedureCode: '2.000908',
      procedureVersionId: versionId,
      caseCode: 'default',
      channel: 'ONLINE',
      applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' },
      receivedAt: new Date(`2026-04-${dd}T02:40:00Z`),
      receiptDay: { year: 2026, month: 4, day },
      receivedBy: clerkId,
      promisedAt: new Date(`2026-05-${dd}T02:40:00Z`),
      documents: [{ code: 'VB-DE-NGHI', name: 'Văn bản đề nghị', form: 'ORIGINAL', count: 1 }],
      applicantContact: {},
      proxy: null,
      lookupPinHash: 'scrypt$16384$8$1$c2FsdA$aGFzaA',
      outbox: { kind: 'START_DOSSIER_WORKFLOW', payload: {} },
      submissionId,
    };
  };

  /** The portal messages queued under a key, in the order the relay will send them. */
  const portalQueue = async (key: string): Promise<[number, string][]> =>
    (
      await ds.query<{ status: number; event: string }[]>(
        `SELECT (payload->>'statusCode')::int AS status, payload->>'event' AS event
           FROM outbox_messages WHERE kind = 'PORTAL_SYNC' AND aggregate_key = $1 ORDER BY id`,
        [key],
      )
    ).map((r) => [r.status, r.event]);

  it('moves a waiting application’s portal message to its dossier’s key, ahead of the reception’s', async () => {
    const { submission } = await sut.submit(application());
    expect(await portalQueue(`portal:submission:${submission.id}`)).toEqual([[1, 'SUBMITTED']]);
    const { dossier } = await dossiers.receive(reception(1, submission.id));
    expect(await portalQueue(`portal:submission:${submission.id}`)).toEqual([]);
    expect(await portalQueue(`portal:${dossier.code}`)).toEqual([
      [1, 'SUBMITTED'],
      [2, 'RECEIVED'],
    ]);
    expect(await sut.find(submission.id)).toMatchObject({
      state: 'RECEIVED',
      nationalStatus: 2,
      dossierCode: dossier.code,
      decidedBy: clerkId,
    });
  });

  it('lets one of a reception and a refusal racing for an application win, never both', async () => {
    for (let day = 2; day < 8; day++) {
      const { submission } = await sut.submit(application());
      const [received, refused] = await Promise.allSettled([
        dossiers.receive(reception(day, submission.id)),
        sut.refuse(submission.id, { reasons: ['Không thuộc thẩm quyền'], by: clerkId, at: new Date() }),
      ]);
      expect([received.status, refused.status].sort()).toEqual(['fulfilled', 'rejected']);
      const loser = received.status === 'rejected' ? received : (refused as PromiseRejectedResult);
      expect(loser.reason).toMatchObject({ code: 'INVALID_STATE' });
      const after = await sut.find(submission.id);
      if (received.status === 'fulfilled') {
        expect(after).toMatchObject({ state: 'RECEIVED', dossierCode: received.value.dossier.code });
      } else {
        expect(after).toMatchObject({
          state: 'REFUSED',
          dossierCode: null,
          refusalReasons: ['Không thuộc thẩm quyền'],
        });
        const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM dossiers WHERE received_at = $1`, [
          reception(day, submission.id).receivedAt,
        ]);
        expect(n).toBe(0);
      }
    }
  });

  it('gives two receptions of one application with one Idempotency-Key at once the one dossier, and a retry too', async () => {
    const { submission } = await sut.submit(application());
    const idempotency = {
      scope: `${clerkId}:POST /submissions/${submission.id}/receive`,
      key: 'double-click',
      requestHash: 'd'.repeat(64),
    };
    // Both get past the key's check before either commits: the application is held until both wait for it.
    const holder = ds.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query(`SELECT 1 FROM submissions WHERE id = $1 FOR UPDATE`, [submission.id]);
    const both = Promise.all([
      dossiers.receive({ ...reception(10, submission.id), idempotency }),
      dossiers.receive({ ...reception(10, submission.id), idempotency }),
    ]);
    await eventually(async () => {
      const [{ waiting }] = await ds.query<{ waiting: number }[]>(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      return waiting >= 2 ? true : undefined;
    }, 'both receptions to wait for the application');
    await holder.commitTransaction();
    await holder.release();
    const [a, b] = await both;
    expect(a.dossier.code).toBe(b.dossier.code);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    const retry = await dossiers.receive({ ...reception(10, submission.id), idempotency });
    expect(retry).toMatchObject({ replayed: true, dossier: { code: a.dossier.code } });
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM dossiers WHERE code LIKE '%-260410-%'`);
    expect(n).toBe(1);
  });

  it('spends no dossier code on the reception of an application already refused', async () => {
    const { submission } = await sut.submit(application());
    await sut.refuse(submission.id, { reasons: ['Không đủ điều kiện'], by: clerkId, at: new Date() });
    await expect(dossiers.receive(reception(9, submission.id))).rejects.toMatchObject({
      code: 'INVALID_STATE',
      details: { state: 'REFUSED' },
    });
    const next = await sut.submit(application());
    expect((await dossiers.receive(reception(9, next.submission.id))).dossier.code).toBe('000.00.20.H36-260409-0001');
    expect(await portalQueue(`portal:submission:${submission.id}`)).toEqual([
      [1, 'SUBMITTED'],
      [3, 'REFUSED_AT_DESK'],
    ]);
  });

  it('records a refusal at the counter in one act: refused by the clerk, only status 3 for the portal', async () => {
    const { submission } = await sut.submit(
      application({
        channel: 'IN_PERSON',
        submittedBy: clerkId,
        documents: [],
        refusal: { reasons: ['Ngoài phạm vi'] },
      }),
    );
    expect(submission).toMatchObject({
      state: 'REFUSED',
      nationalStatus: 3,
      decidedBy: clerkId,
      decidedByName: 'Nguyễn Thị Lan',
      refusalReasons: ['Ngoài phạm vi'],
      dossierCode: null,
    });
    expect(await portalQueue(`portal:submission:${submission.id}`)).toEqual([[3, 'REFUSED_AT_DESK']]);
  });
});
