import { DataSource } from 'typeorm';
import { PETITION_PROCEDURE_CODE } from '../../libs/domain/src';
import { dataSourceOptions, TypeOrmRetentionStore } from '../../libs/persistence/src';
import { createHash } from 'node:crypto';
import { leadingZeroBits, solveChallenge } from '../../apps/api/src/public/petition-proof';
import { CENTRE, EXAMPLE_A_USERS, EXAMPLE_A_WALK } from '../support/dossier-fixtures';
import { eventually } from '../support/infrastructure';
import { type HttpReply, type RunningProduct, startProduct } from '../support/product';

const COMMUNE = '000.31.01.H36';
const DIVISION = '000.12.01.H36';
const ROOT = '000.00.00.H36';
const WRONG_PINS_BEFORE_LOCK = 5;
/** Public petitions one client may file to one unit a day in this test (all its requests come from 127.0.0.1). */
const PETITIONS_PER_DAY = 3;

/** Today as a local (UTC+7) date: the reports' period. */
const today = (): string => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

/**
 * Citizens' voice over HTTP: ratings of returned dossiers (by the citizen with code and PIN, or by the desk), petitions
 * run as dossiers of the petition procedure and routed to the head of the unit concerned, and the figures of the
 * satisfaction report and the 766 satisfaction indicators, checked against the dossiers this test makes.
 */
describe('citizens’ voice: ratings and petitions (e2e)', () => {
  let product: RunningProduct;
  let db: DataSource;
  const tokens: Record<string, string> = {};
  /** Example A at the centre (rated by the citizen) and a commune certification (rated by the desk). */
  const made: Record<'centre' | 'commune', { code: string; pin: string }> = {} as never;
  const petitions: Record<'onTime' | 'open' | 'late', string> = {} as never;

  beforeAll(async () => {
    product = await startProduct({
      overrides: {
        PUBLIC_LOOKUPS_PER_CLIENT_PER_MINUTE: '1000',
        PUBLIC_LOOKUPS_PER_DOSSIER_PER_HOUR: '1000',
        PUBLIC_LOOKUP_WRONG_PINS_BEFORE_LOCK: String(WRONG_PINS_BEFORE_LOCK),
        REPORT_ROLLUP_INTERVAL_MINUTES: '1440',
        PUBLIC_PETITIONS_PER_CLIENT_PER_UNIT_PER_DAY: String(PETITIONS_PER_DAY),
        PUBLIC_PETITION_PROOF_BITS: '12',
      },
    });
    db = new DataSource(dataSourceOptions(product.config.DATABASE_URL, 2));
    await db.initialize();
    for (const u of [...EXAMPLE_A_USERS, 'commune-clerk', 'commune-chair', 'auditor']) {
      tokens[u] = await product.token(u);
    }
  }, 120_000);

  afterAll(async () => {
    await db?.destroy();
    await product?.stop();
  });

  const as = (who: string, method: string, path: string, body?: unknown): Promise<HttpReply> =>
    product.request(method, path, { token: tokens[who], body });

  const act = async (who: string, code: string, action: string, body: Record<string, unknown> = {}) => {
    const res = await as(who, 'POST', `/api/v1/dossiers/${code}/actions/${action}`, body);
    expect({ who, action, status: res.status, detail: res.body.detail }).toMatchObject({ status: 200 });
    return res.body;
  };

  const started = (who: string, code: string) =>
    eventually(async () => {
      const res = await as(who, 'GET', `/api/v1/dossiers/${code}`);
      return res.body.currentStep ? res.body : undefined;
    }, `the workflow of ${code} to take it`);

  const receive = async (clerk: string, body: Record<string, unknown>) => {
    const res = await as(clerk, 'POST', '/api/v1/dossiers', {
      channel: 'IN_PERSON',
      applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' },
      ...body,
    });
    expect(res.status).toBe(201);
    await started(clerk, res.body.code);
    return { code: res.body.code as string, pin: res.body.lookupPin as string };
  };

  const rate = (code: string, body: Record<string, unknown>) =>
    product.request('POST', `/public/v1/dossiers/${code}/rating`, { body });

  /** The proof of work a public petition carries: a challenge of the API, solved as a client would. */
  const proof = async () => {
    const issued = await product.request('GET', '/public/v1/petitions/challenge');
    expect(issued.status).toBe(200);
    return {
      challenge: issued.body.challenge as string,
      nonce: solveChallenge(issued.body.challenge, issued.body.bits),
    };
  };

  /** A petition from the public form, with a fresh proof unless the body brings its own. */
  const petitionPublicly = async (body: Record<string, unknown>) =>
    product.request('POST', '/public/v1/petitions', { body: { proof: await proof(), ...body } });

  const petitionCount = async (): Promise<number> =>
    (await db.query(`SELECT count(*)::int AS n FROM petition_links`))[0].n;

  it('refuses a citizen’s rating before the result is returned, naming the state', async () => {
    made.centre = await receive('clerk', {
      procedureCode: '2.000908',
      receivingUnitCode: CENTRE,
      documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
    });
    const early = await rate(made.centre.code, { pin: made.centre.pin, rating: 'SATISFIED' });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'INVALID_STATE', state: 'IN_PROGRESS', reason: 'NOT_RETURNED' });
    expect(early.body.detail).toContain('IN_PROGRESS');
  });

  it('takes the citizen’s rating of a returned dossier once, with code and PIN; a wrong PIN counts toward the lock', async () => {
    const { code, pin } = made.centre;
    for (const [who, action, body] of EXAMPLE_A_WALK) {
      await act(who, code, action, body);
    }
    const returned = await act('clerk', code, 'return-result', { deliveryMethod: 'IN_PERSON' });
    expect(returned.state).toBe('RESULT_RETURNED');

    const wrong = await rate(code, { pin: pin === '000000' ? '111111' : '000000', rating: 'NOT_SATISFIED' });
    expect(wrong.status).toBe(404);
    const [{ lookup_wrong_pins: counted }] = await db.query(`SELECT lookup_wrong_pins FROM dossiers WHERE code = $1`, [
      code,
    ]);
    expect(counted).toBe(1);

    const rated = await rate(code, { pin, rating: 'SATISFIED', comment: 'Chị Lan hướng dẫn rất tận tình' });
    expect(rated.status).toBe(201);
    expect(rated.body).toEqual({ dossierCode: code, rating: 'SATISFIED', ratedAt: expect.any(String) });
    // The citizen's own rating is audited like the desk's, the actor anonymous (proved by the PIN).
    const [ratedAudit] = await db.query(
      `SELECT actor, actor_id, details FROM audit_log WHERE dossier_code = $1 AND action = 'dossier.rate'`,
      [code],
    );
    expect(ratedAudit).toEqual({ actor: 'anonymous', actor_id: null, details: { by: 'applicant (code + PIN)' } });
    const [row] = await db.query(
      `SELECT rating, comment, channel, recorded_by FROM dossier_ratings WHERE dossier_code = $1`,
      [code],
    );
    expect(row).toEqual({
      rating: 'SATISFIED',
      comment: 'Chị Lan hướng dẫn rất tận tình',
      channel: 'CITIZEN',
      recorded_by: null,
    });

    const again = await rate(code, { pin, rating: 'NOT_SATISFIED' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'INVALID_STATE', reason: 'ALREADY_RATED' });
    const [kept] = await db.query(`SELECT rating FROM dossier_ratings WHERE dossier_code = $1`, [code]);
    expect(kept.rating).toBe('SATISFIED');
  });

  it('locks the rating like the lookup after too many wrong PINs', async () => {
    const { code, pin } = made.centre;
    const wrongPin = pin === '000000' ? '111111' : '000000';
    for (let i = 0; i < WRONG_PINS_BEFORE_LOCK; i++) {
      await rate(code, { pin: wrongPin, rating: 'ACCEPTABLE' });
    }
    const locked = await product.request('POST', `/public/v1/dossiers/${code}/lookup`, { body: { pin } });
    expect(locked.status).toBe(409);
    expect(locked.body).toMatchObject({ reason: 'LOOKUP_LOCKED' });
    // The desk issues a new PIN: the citizen's receipt works again.
    const reissued = await as('clerk', 'POST', `/api/v1/dossiers/${code}/lookup-pin`);
    expect(reissued.status).toBe(200);
    made.centre.pin = reissued.body.pin;
  });

  it('lets the desk of the receiving unit record a rating on the citizen’s behalf, audited', async () => {
    made.commune = await receive('commune-clerk', {
      procedureCode: '2.000815',
      receivingUnitCode: COMMUNE,
      documents: [{ code: 'BAN-CHINH' }],
    });
    const { code } = made.commune;
    await act('commune-clerk', code, 'complete');
    await act('commune-chair', code, 'claim');
    await act('commune-chair', code, 'complete');
    await act('commune-clerk', code, 'return-result', { deliveryMethod: 'IN_PERSON' });

    const body = { rating: 'NOT_SATISFIED', comment: 'Phải chờ lâu' };
    expect((await as('commune-chair', 'POST', `/api/v1/dossiers/${code}/rating`, body)).status).toBe(403);
    expect((await as('clerk', 'POST', `/api/v1/dossiers/${code}/rating`, body)).status).toBe(404);
    const recorded = await as('commune-clerk', 'POST', `/api/v1/dossiers/${code}/rating`, body);
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({
      dossierCode: code,
      rating: 'NOT_SATISFIED',
      comment: 'Phải chờ lâu',
      channel: 'DESK',
      recordedByName: 'Trần Văn Bình',
    });
    expect((await as('commune-clerk', 'POST', `/api/v1/dossiers/${code}/rating`, body)).status).toBe(409);
    const [audit] = await db.query(
      `SELECT actor, action FROM audit_log WHERE dossier_code = $1 AND action = 'dossier.rate'`,
      [code],
    );
    expect(audit).toEqual({ actor: 'commune-clerk', action: 'dossier.rate' });

    const page = await as('commune-chair', 'GET', `/api/v1/dossiers/${code}/voice`);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ code, rating: { rating: 'NOT_SATISFIED', channel: 'DESK' }, petitions: [] });
  });

  it('routes a petition about a dossier’s step to the head of that step’s unit, and answers it on time', async () => {
    const filed = await as('clerk', 'POST', '/api/v1/petitions', {
      receivingUnitCode: CENTRE,
      petitioner: { name: 'Nguyễn Văn An', phone: '0912345678' },
      text: 'Chuyên viên thẩm định yêu cầu giấy tờ không có trong danh mục',
      dossierCode: made.centre.code,
      stepCode: 'S05',
    });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ aboutDossierCode: made.centre.code, responsibleUnitCode: DIVISION });
    const code: string = filed.body.code;
    petitions.onTime = code;
    const received = await started('clerk', code);
    expect(received).toMatchObject({
      procedure: { code: PETITION_PROCEDURE_CODE },
      currentStep: { code: 'K1', holder: { fullName: 'Nguyễn Thị Lan' } },
      applicant: { name: 'Nguyễn Văn An', idNumber: '' },
    });
    await act('clerk', code, 'complete', { note: 'Chuyển Phòng Tôn giáo' });
    const routed = await as('division-head', 'GET', `/api/v1/dossiers/${code}`);
    expect(routed.body.currentStep).toMatchObject({ code: 'K2', unitCode: DIVISION });
    expect(routed.body.steps.at(-1)).toMatchObject({ code: 'K2', role: 'DIVISION_HEAD' });
    // The centre's head is not the head of the unit concerned.
    expect((await as('head', 'POST', `/api/v1/dossiers/${code}/actions/claim`)).status).toBe(403);
    await act('division-head', code, 'claim');
    const answered = await act('division-head', code, 'complete', { note: 'Đã trả lời công dân' });
    expect(answered).toMatchObject({ state: 'READY_FOR_RETURN', timeliness: 'EARLY' });
    await act('clerk', code, 'return-result', { deliveryMethod: 'ELECTRONIC' });

    const page = await as('clerk', 'GET', `/api/v1/dossiers/${made.centre.code}/voice`);
    expect(page.body).toMatchObject({ rating: { rating: 'SATISFIED', channel: 'CITIZEN' }, petitions: [code] });
    const petitionPage = await as('division-head', 'GET', `/api/v1/dossiers/${code}/voice`);
    expect(petitionPage.body.petition).toMatchObject({
      dossierCode: made.centre.code,
      stepCode: 'S05',
      responsibleUnitCode: DIVISION,
    });
  });

  it('answers 404 to a desk petition naming a dossier out of the clerk’s scope, as for a code no dossier has', async () => {
    const before = await petitionCount();
    const body = {
      receivingUnitCode: COMMUNE,
      petitioner: { name: 'Nguyễn Văn An' },
      text: 'Hồ sơ chậm',
      dossierCode: made.centre.code,
      stepCode: 'S05',
    };
    // The commune's clerk sees neither the centre's dossier nor which unit held its step.
    const outOfScope = await as('commune-clerk', 'POST', '/api/v1/petitions', body);
    expect(outOfScope.status).toBe(404);
    expect(outOfScope.body).toMatchObject({ code: 'NOT_FOUND' });
    expect(JSON.stringify(outOfScope.body)).not.toContain(DIVISION);
    const unknown = await as('commune-clerk', 'POST', '/api/v1/petitions', {
      ...body,
      dossierCode: `${COMMUNE}-990101-0099`,
    });
    expect(unknown.status).toBe(404);
    expect(Object.keys(unknown.body).sort()).toEqual(Object.keys(outOfScope.body).sort());
    expect(await petitionCount()).toBe(before);
  });

  it('takes a public petition bound to a dossier by its code and PIN, routed to the head of its receiving unit', async () => {
    const body = {
      petitioner: { name: 'Nguyễn Văn An', email: 'an.nguyen@example.vn' },
      text: 'Đề nghị niêm yết rõ lệ phí chứng thực',
      dossierCode: made.commune.code,
    };
    const wrong = await petitionPublicly({ ...body, pin: made.commune.pin === '000000' ? '111111' : '000000' });
    expect(wrong.status).toBe(404);
    const filed = await petitionPublicly({ ...body, pin: made.commune.pin });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ aboutDossierCode: made.commune.code, responsibleUnitCode: COMMUNE });
    expect(filed.body.lookupPin).toMatch(/^\d{6}$/);
    petitions.open = filed.body.code;
    // Filed (audited under the petition's own code), with what it is about and never the petitioner's name.
    const filedAudit = await db.query(
      `SELECT actor, details::text AS details FROM audit_log WHERE dossier_code = $1 AND action = 'petition.file'`,
      [filed.body.code],
    );
    expect(filedAudit).toHaveLength(1);
    expect(JSON.parse(filedAudit[0].details)).toEqual({
      by: 'citizen (public)',
      about: made.commune.code,
      unit: COMMUNE,
    });
    expect(filedAudit[0].details).not.toContain('Nguyễn Văn An');
    // Nobody holds the desk's step of a public petition: a clerk of the receiving unit claims it.
    const received = await started('commune-clerk', petitions.open);
    expect(received.currentStep).toMatchObject({ code: 'K1', unitCode: COMMUNE, holder: null });
    await act('commune-clerk', petitions.open, 'claim');
    await act('commune-clerk', petitions.open, 'complete');
    const routed = await as('commune-chair', 'GET', `/api/v1/dossiers/${petitions.open}`);
    expect(routed.body.currentStep).toMatchObject({ code: 'K2', unitCode: COMMUNE });
    expect(routed.body.steps.at(-1)).toMatchObject({ code: 'K2', role: 'UNIT_HEAD' });
    // The petitioner looks the answer up with the petition's own code and PIN.
    const status = await product.request('POST', `/public/v1/dossiers/${petitions.open}/lookup`, {
      body: { pin: filed.body.lookupPin },
    });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ state: 'IN_PROGRESS', procedure: { code: PETITION_PROCEDURE_CODE } });
  });

  it('reports the ratings by unit, procedure and officer, and the petitions answered on time', async () => {
    // A petition answered late, as history: received 15 working days ago at the centre about the same dossier,
    // answered today past its 10-working-day deadline (no test can wait out a deadline in real time).
    petitions.late = `${CENTRE}-990101-0001`;
    const [{ id: clerkId }] = await db.query(`SELECT id FROM officers WHERE username = 'clerk'`);
    await db.query(
      `INSERT INTO dossiers (code, receiving_unit_code, procedure_code, channel, applicant_type, applicant_id_number,
                             applicant_name, national_status, received_at, received_by, state, finished_at,
                             timeliness, updated_at)
       VALUES ($1, $2, $3, 'IN_PERSON', 'INDIVIDUAL', '', 'Lê Thị Hoa', 10, now() - interval '21 days', $4,
               'RESULT_RETURNED', now(), 'LATE', now())`,
      [petitions.late, CENTRE, PETITION_PROCEDURE_CODE, clerkId],
    );
    await db.query(
      `INSERT INTO petition_links (petition_code, about_dossier_code, responsible_unit_code, text)
       VALUES ($1, $2, $3, 'Chậm trả kết quả')`,
      [petitions.late, made.centre.code, DIVISION],
    );

    // A rating stored on a petition (as an older version allowed): no service was rated, the report leaves it out.
    await db.query(
      `INSERT INTO dossier_ratings (dossier_code, rating, channel, rated_at) VALUES ($1, 'SATISFIED', 'CITIZEN', now())`,
      [petitions.late],
    );

    const period = `from=${today()}&to=${today()}`;
    const report = await as('auditor', 'GET', `/api/v1/reports/satisfaction?${period}&unit=${ROOT}`);
    expect(report.status).toBe(200);
    expect(report.body.total).toEqual({
      rated: 2,
      satisfied: 1,
      acceptable: 0,
      notSatisfied: 1,
      contentShare: { value: 50, unit: '%', numerator: 1, denominator: 2 },
    });
    const byUnit = Object.fromEntries(
      report.body.byUnit.map((r: { unitCode: string; rated: number; satisfied: number }) => [
        r.unitCode,
        [r.rated, r.satisfied],
      ]),
    );
    expect(byUnit).toMatchObject({ [CENTRE]: [1, 1], [DIVISION]: [1, 1], [COMMUNE]: [1, 0] });
    const byProcedure = Object.fromEntries(
      report.body.byProcedure.map((r: { procedure: { code: string }; rated: number; notSatisfied: number }) => [
        r.procedure.code,
        [r.rated, r.notSatisfied],
      ]),
    );
    expect(byProcedure).toEqual({ '2.000908': [1, 0], '2.000815': [1, 1] });
    const byOfficer = Object.fromEntries(
      report.body.byOfficer.map((r: { name: string; satisfied: number; notSatisfied: number }) => [
        r.name,
        [r.satisfied, r.notSatisfied],
      ]),
    );
    // Example A's specialist and the commune's chair each handled one rated dossier.
    expect(byOfficer).toMatchObject({ 'Lê Minh Châu': [1, 0], 'Ngô Thị Mai': [0, 1], 'Nguyễn Thị Lan': [1, 0] });
    expect(report.body.petitions).toEqual({
      received: 2,
      answered: 2,
      answeredOnTime: 1,
      answeredLate: 1,
      overdueUnanswered: 0,
      onTimeShare: { value: 50, unit: '%', numerator: 1, denominator: 2 },
    });

    // The division's head sees its subtree: example A went through it, the commune's dossier did not.
    const division = await as('division-head', 'GET', `/api/v1/reports/satisfaction?${period}&unit=${DIVISION}`);
    expect(division.body.total).toMatchObject({ rated: 1, satisfied: 1 });
    expect(division.body.petitions).toMatchObject({ received: 1, answered: 2, answeredOnTime: 1, answeredLate: 1 });
    expect((await as('division-head', 'GET', `/api/v1/reports/satisfaction?${period}&unit=${COMMUNE}`)).status).toBe(
      403,
    );
  });

  it('computes the 766 satisfaction indicators from the ratings and the petitions', async () => {
    const period = `from=${today()}&to=${today()}`;
    const res = await eventually(async () => {
      const r = await as('auditor', 'GET', `/api/v1/reports/index-766?${period}&unit=${ROOT}&averages=false`);
      // The two dossiers received through the API today; the petitions are no dossiers of the service.
      return r.body.indicators?.onTimeRate?.denominator === 2 ? r : undefined;
    }, 'the facts of the dossiers of the day');
    const i = res.body.indicators;
    // Example A and the commune's certification, both within their deadlines (the two petitions are left out).
    expect(i.onTimeRate).toMatchObject({ numerator: 2, denominator: 2 });
    expect(i.onlineSubmissionShare).toMatchObject({ numerator: 0, denominator: 2 });
    expect(i.electronicResultShare).toMatchObject({ numerator: 0, denominator: 2 });
    expect(i.citizenRatingShare).toMatchObject({ value: 50, numerator: 1, denominator: 2 });
    // Petitions received today are about example A and the commune's dossier: both dossiers of the day.
    expect(i.complaintShare).toMatchObject({ value: 100, numerator: 2, denominator: 2 });
    expect(i.handlingSatisfaction).toMatchObject({ value: 0, numerator: 0, denominator: 2, target: 90 });
    // The petition answered on time today and the one answered late (the public one is within its deadline).
    expect(i.petitionOnTimeShare).toMatchObject({ value: 50, numerator: 1, denominator: 2 });
  });

  it('refuses rating a petition: its answer counts in the petitions’ own on-time share, not in the service ratings', async () => {
    const refused = await as('clerk', 'POST', `/api/v1/dossiers/${petitions.onTime}/rating`, { rating: 'SATISFIED' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'INVALID_STATE', reason: 'NOT_RATABLE' });
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM dossier_ratings WHERE dossier_code = $1`, [
      petitions.onTime,
    ]);
    expect(n).toBe(0);
  });

  it('leaves petitions out of the national progress table and its officer and step reports', async () => {
    const period = `from=${today()}&to=${today()}`;
    const byProcedure = await as('auditor', 'GET', `/api/v1/reports/progress?${period}&unit=${ROOT}&groupBy=procedure`);
    expect(byProcedure.status).toBe(200);
    const keys = byProcedure.body.rows.map((r: { key: string }) => r.key);
    expect(keys).toEqual(expect.arrayContaining(['2.000908', '2.000815']));
    expect(keys).not.toContain(PETITION_PROCEDURE_CODE);
    // Example A and the commune's certification: the two dossiers of the day, none of the petitions.
    expect(byProcedure.body.total.counts.total).toBe(2);
    const bySteps = await as('auditor', 'GET', `/api/v1/reports/progress?${period}&unit=${ROOT}&groupBy=step`);
    const stepKeys = bySteps.body.rows.map((r: { key: string }) => r.key);
    expect(stepKeys).toContain('S05');
    expect(stepKeys).not.toContain('K1');
    expect(stepKeys).not.toContain('K2');
    // The division's head answered a petition and held steps of example A: only example A's steps are counted.
    const byOfficer = await as('auditor', 'GET', `/api/v1/reports/progress?${period}&unit=${DIVISION}&groupBy=officer`);
    const head = byOfficer.body.rows.find((r: { name: string }) => r.name === 'Đỗ Thị Hạnh');
    const [{ held }] = await db.query(
      `SELECT count(*)::int AS held FROM dossier_steps s JOIN officers o ON o.id = s.holder_id
        WHERE o.username = 'division-head' AND s.counted AND s.dossier_code = $1 AND s.unit_code = $2`,
      [made.centre.code, DIVISION],
    );
    expect(held).toBeGreaterThan(0);
    expect(head.counts.total).toBe(held);
    const figure = await as(
      'auditor',
      'GET',
      `/api/v1/reports/progress/dossiers?${period}&unit=${ROOT}&figure=total&limit=100`,
    );
    expect(figure.body.items.map((i: { code: string }) => i.code).sort()).toEqual(
      [made.centre.code, made.commune.code].sort(),
    );
  });

  it('lets the citizen’s own rating supersede the desk’s, kept in the history and audited; never the other way round', async () => {
    const third = await receive('commune-clerk', {
      procedureCode: '2.000815',
      receivingUnitCode: COMMUNE,
      documents: [{ code: 'BAN-CHINH' }],
    });
    await act('commune-clerk', third.code, 'complete');
    await act('commune-chair', third.code, 'claim');
    await act('commune-chair', third.code, 'complete');
    await act('commune-clerk', third.code, 'return-result', { deliveryMethod: 'IN_PERSON' });
    const desk = await as('commune-clerk', 'POST', `/api/v1/dossiers/${third.code}/rating`, {
      rating: 'SATISFIED',
    });
    expect(desk.status).toBe(201);

    // Desk first, then the citizen: the citizen's word counts, the desk's is kept.
    const citizen = await rate(third.code, {
      pin: third.pin,
      rating: 'NOT_SATISFIED',
      comment: 'Không được hỏi ý kiến',
    });
    expect(citizen.status).toBe(201);
    expect(citizen.body).toMatchObject({ dossierCode: third.code, rating: 'NOT_SATISFIED' });
    const [row] = await db.query(`SELECT rating, channel, recorded_by FROM dossier_ratings WHERE dossier_code = $1`, [
      third.code,
    ]);
    expect(row).toEqual({ rating: 'NOT_SATISFIED', channel: 'CITIZEN', recorded_by: null });
    const history = await db.query(
      `SELECT rating, channel, recorded_by IS NOT NULL AS by_officer FROM dossier_rating_history WHERE dossier_code = $1`,
      [third.code],
    );
    expect(history).toEqual([{ rating: 'SATISFIED', channel: 'DESK', by_officer: true }]);
    const [audit] = await db.query(
      `SELECT actor, details FROM audit_log WHERE dossier_code = $1 AND action = 'dossier.rating.supersede'`,
      [third.code],
    );
    expect(audit).toMatchObject({
      actor: 'citizen',
      details: { rating: 'NOT_SATISFIED', previous: { rating: 'SATISFIED', channel: 'DESK' } },
    });
    const page = await as('commune-chair', 'GET', `/api/v1/dossiers/${third.code}/voice`);
    expect(page.body).toMatchObject({
      rating: { rating: 'NOT_SATISFIED', channel: 'CITIZEN', recordedByName: null },
      supersededRatings: [{ rating: 'SATISFIED', channel: 'DESK', recordedByName: 'Trần Văn Bình' }],
    });
    // Once the citizen rated, neither they nor the desk rate again.
    expect((await rate(third.code, { pin: third.pin, rating: 'SATISFIED' })).status).toBe(409);
    const deskAgain = await as('commune-clerk', 'POST', `/api/v1/dossiers/${third.code}/rating`, {
      rating: 'SATISFIED',
    });
    expect(deskAgain.status).toBe(409);
    expect(deskAgain.body).toMatchObject({ reason: 'ALREADY_RATED', ratedBy: 'CITIZEN' });

    // The citizen first, then the desk: refused, the citizen's rating stays.
    const overCitizen = await as('clerk', 'POST', `/api/v1/dossiers/${made.centre.code}/rating`, {
      rating: 'NOT_SATISFIED',
    });
    expect(overCitizen.status).toBe(409);
    expect(overCitizen.body).toMatchObject({ code: 'INVALID_STATE', reason: 'ALREADY_RATED', ratedBy: 'CITIZEN' });
    const [kept] = await db.query(`SELECT rating, channel FROM dossier_ratings WHERE dossier_code = $1`, [
      made.centre.code,
    ]);
    expect(kept).toEqual({ rating: 'SATISFIED', channel: 'CITIZEN' });
  });

  it('receives a public petition naming a dossier without its PIN as the unit’s, not counted against the dossier', async () => {
    const filed = await petitionPublicly({
      petitioner: { name: 'Phạm Thị Thu' },
      text: 'Hồ sơ của tôi bị trả lại nhiều lần',
      dossierCode: made.commune.code,
      unitCode: CENTRE,
    });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ aboutDossierCode: null, responsibleUnitCode: CENTRE });
    const [link] = await db.query(`SELECT about_dossier_code, text FROM petition_links WHERE petition_code = $1`, [
      filed.body.code,
    ]);
    expect(link.about_dossier_code).toBeNull();
    // The head reads the code the petitioner quoted, marked unverified.
    expect(link.text).toContain(made.commune.code);
    const page = await as('commune-chair', 'GET', `/api/v1/dossiers/${made.commune.code}/voice`);
    expect(page.body.petitions).toEqual([petitions.open]);
    // Without a unit, nothing to address it to.
    const nowhere = await petitionPublicly({
      petitioner: { name: 'Phạm Thị Thu' },
      text: 'Góp ý',
      dossierCode: made.commune.code,
    });
    expect(nowhere.status).toBe(422);
    expect(nowhere.body.errors).toEqual([expect.objectContaining({ field: 'unitCode' })]);
  });

  it('takes public petitions only with a proof of work, each challenge once', async () => {
    const body = { petitioner: { name: 'Đỗ Văn Hùng' }, text: 'Góp ý', unitCode: ROOT };
    const before = await petitionCount();
    const none = await product.request('POST', '/public/v1/petitions', { body });
    expect(none.status).toBe(422);
    expect(none.body.errors).toEqual([expect.objectContaining({ field: 'proof' })]);
    const issued = await product.request('GET', '/public/v1/petitions/challenge');
    expect(issued.body).toMatchObject({ bits: 12, algorithm: 'sha256-leading-zero-bits' });
    const challenge: string = issued.body.challenge;
    let wrong = 0;
    while (leadingZeroBits(createHash('sha256').update(`${challenge}:w${wrong}`).digest()) >= 12) {
      wrong += 1;
    }
    const unsolved = await product.request('POST', '/public/v1/petitions', {
      body: { ...body, proof: { challenge, nonce: `w${wrong}` } },
    });
    expect(unsolved.status).toBe(422);
    expect(unsolved.body.errors).toEqual([expect.objectContaining({ field: 'proof' })]);
    const forged = challenge.replace(/\.[^.]+$/, '.AAAA');
    const minted = await product.request('POST', '/public/v1/petitions', {
      body: { ...body, proof: { challenge: forged, nonce: solveChallenge(forged, 12) } },
    });
    expect(minted.status).toBe(422);
    const solved = { challenge, nonce: solveChallenge(challenge, 12) };
    expect((await product.request('POST', '/public/v1/petitions', { body: { ...body, proof: solved } })).status).toBe(
      201,
    );
    const reused = await product.request('POST', '/public/v1/petitions', { body: { ...body, proof: solved } });
    expect(reused.status).toBe(422);
    expect(reused.body.errors).toEqual([expect.objectContaining({ field: 'proof' })]);
    expect(await petitionCount()).toBe(before + 1);
  });

  it('refuses a flood of public petitions to a unit past the daily cap per client with 429 naming the rule, storing nothing', async () => {
    const body = { petitioner: { name: 'Đỗ Văn Hùng' }, text: 'Góp ý', unitCode: DIVISION };
    for (let i = 0; i < PETITIONS_PER_DAY; i++) {
      expect((await petitionPublicly(body)).status).toBe(201);
    }
    const before = await petitionCount();
    const flooded = await petitionPublicly(body);
    expect(flooded.status).toBe(429);
    expect(flooded.headers.get('content-type')).toContain('application/problem+json');
    expect(flooded.body).toMatchObject({
      status: 429,
      code: 'TOO_MANY_REQUESTS',
      rule: 'PUBLIC_PETITIONS_PER_CLIENT_PER_UNIT_PER_DAY',
      limit: PETITIONS_PER_DAY,
    });
    expect(Number(flooded.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await petitionCount()).toBe(before);
    // Another unit's desk still takes this client's petition.
    expect((await petitionPublicly({ ...body, unitCode: COMMUNE })).status).toBe(201);
  });

  it('routes a petition about an officer to the head of the officer’s unit; names what a petition lacks', async () => {
    const body = {
      receivingUnitCode: CENTRE,
      petitioner: { name: 'Phạm Thị Thu' },
      text: 'Cán bộ hẹn nhiều lần',
      officer: 'specialist',
    };
    expect((await as('commune-clerk', 'POST', '/api/v1/petitions', body)).status).toBe(403);
    const filed = await as('clerk', 'POST', '/api/v1/petitions', body);
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ aboutDossierCode: null, responsibleUnitCode: DIVISION });
    // At the desk's step until the clerk routes it: the division's head sees it from its answer step on.
    const page = await as('clerk', 'GET', `/api/v1/dossiers/${filed.body.code}/voice`);
    expect(page.status).toBe(200);
    expect(page.body.petition).toMatchObject({ dossierCode: null, officerName: 'Lê Minh Châu' });

    // The generic intake does not take the petition procedure: it would not know where to route it.
    const generic = await as('clerk', 'POST', '/api/v1/dossiers', {
      procedureCode: PETITION_PROCEDURE_CODE,
      receivingUnitCode: CENTRE,
      channel: 'IN_PERSON',
      applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Phạm Thị Thu' },
      documents: [],
    });
    expect(generic.status).toBe(422);
    expect(generic.body.errors).toEqual([expect.objectContaining({ field: 'procedureCode' })]);

    const unbound = await petitionPublicly({ petitioner: { name: 'Phạm Thị Thu' }, text: 'Góp ý chung' });
    expect(unbound.status).toBe(422);
    expect(unbound.body.errors).toEqual([expect.objectContaining({ field: 'unitCode' })]);
  });

  it('anonymises a rating’s comment and a petition’s text with the closed dossiers', async () => {
    await db.query(
      `UPDATE dossiers SET finished_at = finished_at - interval '400 days',
                           result_returned_at = result_returned_at - interval '400 days'
       WHERE code = ANY($1)`,
      [[made.centre.code, petitions.onTime]],
    );
    const done = await new TypeOrmRetentionStore(db).anonymiseClosedBefore(new Date(Date.now() - 86_400_000), 10);
    expect(done.sort()).toEqual([made.centre.code, petitions.onTime].sort());
    const [rating] = await db.query(`SELECT rating, comment FROM dossier_ratings WHERE dossier_code = $1`, [
      made.centre.code,
    ]);
    expect(rating).toEqual({ rating: 'SATISFIED', comment: null });
    const [link] = await db.query(`SELECT text, about_dossier_code FROM petition_links WHERE petition_code = $1`, [
      petitions.onTime,
    ]);
    expect(link).toEqual({ text: null, about_dossier_code: made.centre.code });
    const [petitioner] = await db.query(`SELECT applicant_name, applicant_contact FROM dossiers WHERE code = $1`, [
      petitions.onTime,
    ]);
    expect(petitioner).toEqual({ applicant_name: 'Đã ẩn danh', applicant_contact: {} });
  });
});
