import { Client, Connection } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { temporalDataConverter } from '../../libs/config/src';
import { EXAMPLE_A_USERS, EXAMPLE_A_WALK } from '../support/dossier-fixtures';
import { eventually } from '../support/infrastructure';
import { type HttpReply, type RunningProduct, startProduct } from '../support/product';
import { download as fetchBytes, pdf, png, sha256, uploadScan } from '../support/scans';

const CENTRE = '000.00.20.H36';
const APPLICANT = { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' };
const OTHER_APPLICANT = { type: 'INDIVIDUAL', idNumber: '079301002345', name: 'Trần Thị Bình' };
const MAX_BYTES = 64 * 1024;

/**
 * Papers and results as files, over HTTP: scans at intake, certification, the result at the last step, the citizen's
 * download with code and PIN, reuse at the applicant's next intake, and the 766 digitisation and reuse shares.
 * The embedded storage (PostgreSQL) keeps the bytes; the object-store adapter passes the same storage contract in
 * test/integration/file-storage.test.ts.
 */
describe('papers and results as files (e2e)', () => {
  let product: RunningProduct;
  let db: DataSource;
  const tokens: Record<string, string> = {};
  const first: { code: string; pin: string; paper: string; proof: string; result: string; resultBytes: Buffer } = {
    code: '',
    pin: '',
    paper: '',
    proof: '',
    result: '',
    resultBytes: Buffer.alloc(0),
  };
  const scans = { paper: pdf(), proof: png() };
  let secondCode = '';

  const upload = (
    who: string,
    code: string,
    fields: Record<string, string>,
    file?: { bytes: Buffer; name: string; type: string },
  ): Promise<HttpReply> => uploadScan(product, tokens[who], `/api/v1/dossiers/${code}/files`, fields, file);

  const download = (path: string, init: RequestInit) => fetchBytes(product, path, init);

  const intake = async (applicant: typeof APPLICANT, documents: Record<string, string>[]): Promise<HttpReply> =>
    product.request('POST', '/api/v1/dossiers', {
      token: tokens.clerk,
      body: { procedureCode: '2.000908', receivingUnitCode: CENTRE, channel: 'IN_PERSON', applicant, documents },
    });

  const stored = async (): Promise<{ files: number; objects: number }> => {
    const [row] = await db.query(
      `SELECT (SELECT count(*) FROM dossier_files)::int AS files, (SELECT count(*) FROM file_objects)::int AS objects`,
    );
    return row;
  };

  beforeAll(async () => {
    product = await startProduct({ overrides: { FILE_MAX_BYTES: String(MAX_BYTES), LOG_LEVEL: 'error' } });
    db = product.api.get(DataSource);
    for (const who of [...EXAMPLE_A_USERS, 'clerk2', 'commune-clerk', 'auditor', 'admin']) {
      tokens[who] = await product.token(who);
    }
    const received = await intake(APPLICANT, [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }]);
    expect(received.status).toBe(201);
    first.code = received.body.code;
    first.pin = received.body.lookupPin;
  }, 60_000);

  afterAll(async () => {
    await product?.stop();
  });

  it('the desk attaches the scan of each paper at intake: type sniffed from the content, size and SHA-256 recorded', async () => {
    const paper = await upload(
      'clerk',
      first.code,
      { kind: 'PAPER', documentCode: 'VB-DE-NGHI' },
      { bytes: scans.paper, name: 'Đơn đề nghị.pdf', type: 'application/pdf' },
    );
    expect(paper.status).toBe(201);
    expect(paper.body).toMatchObject({
      dossierCode: first.code,
      kind: 'PAPER',
      documentCode: 'VB-DE-NGHI',
      fileName: 'Đơn đề nghị.pdf',
      contentType: 'application/pdf',
      sizeBytes: scans.paper.length,
      sha256: sha256(scans.paper),
      certified: null,
      reusedFrom: null,
    });
    // named .jpg and declared as JPEG, it is a PNG: the content decides
    const proof = await upload(
      'clerk',
      first.code,
      { kind: 'PAPER', documentCode: 'GT-TRU-SO' },
      { bytes: scans.proof, name: 'tru-so.jpg', type: 'image/jpeg' },
    );
    expect(proof.status).toBe(201);
    expect(proof.body).toMatchObject({ contentType: 'image/png', fileName: 'tru-so.png', sha256: sha256(scans.proof) });
    first.paper = paper.body.id;
    first.proof = proof.body.id;
  });

  it('refuses bad inputs with 422 naming the field and the rule, and stores nothing', async () => {
    const before = await stored();
    const disguised = await upload(
      'clerk',
      first.code,
      { kind: 'PAPER', documentCode: 'VB-DE-NGHI' },
      { bytes: Buffer.from('<html><script>alert(1)</script></html>'), name: 'scan.pdf', type: 'application/pdf' },
    );
    expect(disguised.status).toBe(422);
    expect(disguised.body.errors).toEqual([
      { field: 'file', message: expect.stringMatching(/must be a PDF, JPEG or PNG \(the content is checked/) },
    ]);
    const large = await upload(
      'clerk',
      first.code,
      { kind: 'PAPER', documentCode: 'VB-DE-NGHI' },
      { bytes: pdf(MAX_BYTES + 10), name: 'big.pdf', type: 'application/pdf' },
    );
    expect(large.status).toBe(422);
    expect(large.body.errors).toEqual([
      { field: 'file', message: `must be at most ${MAX_BYTES} bytes (FILE_MAX_BYTES)` },
    ]);
    const notHanded = await upload(
      'clerk',
      first.code,
      { kind: 'PAPER', documentCode: 'GIAY-KHAC' },
      { bytes: pdf(), name: 'x.pdf', type: 'application/pdf' },
    );
    expect(notHanded.status).toBe(422);
    expect(notHanded.body.errors[0]).toMatchObject({ field: 'documentCode' });
    const missing = await upload('clerk', first.code, { kind: 'PAPER', documentCode: 'VB-DE-NGHI' });
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual([{ field: 'file', message: 'is required: a PDF, JPEG or PNG scan' }]);
    expect(await stored()).toEqual(before);
  });

  it('the desk certifies a scan as the authenticated copy (who, when); other roles may not', async () => {
    const refused = await product.request('POST', `/api/v1/dossiers/${first.code}/files/${first.paper}/certify`, {
      token: tokens.specialist,
    });
    expect(refused.status).toBe(403);
    for (const id of [first.paper, first.proof]) {
      const certified = await product.request('POST', `/api/v1/dossiers/${first.code}/files/${id}/certify`, {
        token: tokens.clerk,
      });
      expect(certified.status).toBe(200);
      expect(certified.body.certified).toMatchObject({ by: { name: expect.any(String) }, at: expect.any(String) });
    }
    const list = await product.request('GET', `/api/v1/dossiers/${first.code}/files`, { token: tokens.head });
    expect(list.body.items.map((f: { certified: unknown }) => f.certified !== null)).toEqual([true, true]);
    // the limits of an upload, as configured, for the console to show beside it
    expect(list.body).toMatchObject({
      maxBytes: MAX_BYTES,
      contentTypes: ['application/pdf', 'image/jpeg', 'image/png'],
    });
  });

  it('takes the result only once the last step is done, then from the officer who completed it', async () => {
    const early = await upload(
      'clerk',
      first.code,
      { kind: 'RESULT' },
      { bytes: pdf(), name: 'quyet-dinh.pdf', type: 'application/pdf' },
    );
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('INVALID_STATE');
    await eventually(
      async () =>
        (await product.request('GET', `/api/v1/dossiers/${first.code}`, { token: tokens.clerk })).body.currentStep
          ?.code === 'S01'
          ? true
          : undefined,
      'the workflow to start',
    );
    for (const [who, action, body] of EXAMPLE_A_WALK) {
      const res = await product.request('POST', `/api/v1/dossiers/${first.code}/actions/${action}`, {
        token: tokens[who],
        body: body ?? {},
      });
      expect({ who, action, status: res.status }).toEqual({ who, action, status: 200 });
    }
    // A step's officer other than the last, and ADMIN, may see the dossier but do not hold the decision.
    for (const who of ['specialist', 'admin']) {
      const refused = await upload(
        who,
        first.code,
        { kind: 'RESULT' },
        { bytes: pdf(), name: 'x.pdf', type: 'application/pdf' },
      );
      expect({ who, status: refused.status, rule: refused.body.rule }).toEqual({
        who,
        status: 403,
        rule: 'ROLE_NOT_ALLOWED',
      });
    }
    first.resultBytes = pdf(8000);
    const result = await upload(
      'dept-clerk',
      first.code,
      { kind: 'RESULT' },
      { bytes: first.resultBytes, name: 'Giấy chứng nhận.pdf', type: 'application/pdf' },
    );
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({ kind: 'RESULT', documentCode: null, sha256: sha256(first.resultBytes) });
    first.result = result.body.id;
    // Not the citizen's before it is returned: the lookup lists nothing and the download is not found.
    const lookup = await product.request('POST', `/public/v1/dossiers/${first.code}/lookup`, {
      body: { pin: first.pin },
    });
    expect(lookup.body.resultFiles).toEqual([]);
    const beforeReturn = await fetch(`${product.baseUrl}/public/v1/dossiers/${first.code}/files/${first.result}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pin: first.pin }),
    });
    expect(beforeReturn.status).toBe(404);
    const returned = await product.request('POST', `/api/v1/dossiers/${first.code}/actions/return-result`, {
      token: tokens.clerk,
      body: { deliveryMethod: 'ELECTRONIC' },
    });
    expect(returned.status).toBe(200);
  }, 120_000);

  it('the citizen downloads the result with code and PIN; a wrong PIN or a paper is not found; each download audited', async () => {
    const lookup = await product.request('POST', `/public/v1/dossiers/${first.code}/lookup`, {
      body: { pin: first.pin },
    });
    expect(lookup.body.resultFiles).toEqual([
      {
        id: first.result,
        fileName: 'Giấy chứng nhận.pdf',
        contentType: 'application/pdf',
        sizeBytes: first.resultBytes.length,
      },
    ]);
    const post = (id: string, pin: string) =>
      download(`/public/v1/dossiers/${first.code}/files/${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pin }),
      });
    const got = await post(first.result, first.pin);
    expect(got.status).toBe(200);
    expect(sha256(got.bytes)).toBe(sha256(first.resultBytes));
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('content-disposition')).toBe(
      `attachment; filename="Giay chung nhan.pdf"; filename*=UTF-8''${encodeURIComponent('Giấy chứng nhận.pdf')}`,
    );
    const wrongPin = await post(first.result, first.pin === '000000' ? '111111' : '000000');
    expect(wrongPin.status).toBe(404);
    const paper = await post(first.paper, first.pin);
    expect(paper.status).toBe(404);
    const audit = await db.query(
      `SELECT actor, details FROM audit_log WHERE action = 'dossier.file.read' AND dossier_code = $1`,
      [first.code],
    );
    expect(audit).toEqual([{ actor: 'anonymous', details: { file: first.result, by: 'applicant (code + PIN)' } }]);
  });

  it('serves a file to an officer in scope (audited), and 404 to one whose units never saw the dossier', async () => {
    const path = `/api/v1/dossiers/${first.code}/files/${first.proof}`;
    const inScope = await download(path, { headers: { authorization: `Bearer ${tokens.specialist}` } });
    expect(inScope.status).toBe(200);
    expect(inScope.headers.get('content-type')).toBe('image/png');
    expect(sha256(inScope.bytes)).toBe(sha256(scans.proof));
    const outside = await download(path, { headers: { authorization: `Bearer ${tokens['commune-clerk']}` } });
    expect(outside.status).toBe(404);
    const [row] = await db.query(
      `SELECT actor, details FROM audit_log WHERE action = 'dossier.file.read' AND actor = 'specialist'`,
    );
    expect(row).toEqual({ actor: 'specialist', details: { file: first.proof } });
  });

  it('after return, a new result only supersedes the earlier one explicitly (audited): the citizen gets the new one, officers keep both', async () => {
    const citizen = (id: string) =>
      download(`/public/v1/dossiers/${first.code}/files/${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pin: first.pin }),
      });
    const corrected = pdf(5000);
    const file = { bytes: corrected, name: 'Giấy chứng nhận (đính chính).pdf', type: 'application/pdf' };
    const before = await stored();
    const silent = await upload('clerk', first.code, { kind: 'RESULT' }, file);
    expect({ status: silent.status, code: silent.body.code }).toEqual({ status: 409, code: 'INVALID_STATE' });
    const unknown = await upload('clerk', first.code, { kind: 'RESULT', supersedes: first.paper }, file);
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([{ field: 'supersedes', message: expect.stringContaining(first.result) }]);
    expect(await stored()).toEqual(before);

    // the desk of the receiving unit returns the result: it may correct it
    const replacing = await upload('clerk', first.code, { kind: 'RESULT', supersedes: first.result }, file);
    expect(replacing.status).toBe(201);
    const [audit] = await db.query(
      `SELECT details FROM audit_log WHERE action = 'dossier.file.attach' AND details->>'file' = $1`,
      [replacing.body.id],
    );
    expect(audit.details).toMatchObject({ kind: 'RESULT', supersedes: first.result });
    // once returned, the last step is the desk's return: the officer of the step before no longer attaches results
    const notTheDesk = await upload('dept-clerk', first.code, { kind: 'RESULT', supersedes: replacing.body.id }, file);
    expect({ status: notTheDesk.status, rule: notTheDesk.body.rule }).toEqual({
      status: 403,
      rule: 'ROLE_NOT_ALLOWED',
    });
    // a superseded file is superseded once
    const again = await upload('clerk2', first.code, { kind: 'RESULT', supersedes: first.result }, file);
    expect(again.status).toBe(422);

    const officers = await product.request('GET', `/api/v1/dossiers/${first.code}/files`, { token: tokens.clerk });
    const results = officers.body.items.filter((f: { kind: string }) => f.kind === 'RESULT');
    expect(results).toEqual([
      expect.objectContaining({ id: first.result, superseded: { by: replacing.body.id, at: expect.any(String) } }),
      expect.objectContaining({ id: replacing.body.id, superseded: null }),
    ]);
    const kept = await download(`/api/v1/dossiers/${first.code}/files/${first.result}`, {
      headers: { authorization: `Bearer ${tokens.clerk}` },
    });
    expect(sha256(kept.bytes)).toBe(sha256(first.resultBytes));

    const lookup = await product.request('POST', `/public/v1/dossiers/${first.code}/lookup`, {
      body: { pin: first.pin },
    });
    expect(lookup.body.resultFiles.map((f: { id: string }) => f.id)).toEqual([replacing.body.id]);
    expect((await citizen(first.result)).status).toBe(404);
    const served = await citizen(replacing.body.id);
    expect(served.status).toBe(200);
    expect(sha256(served.bytes)).toBe(sha256(corrected));
    first.result = replacing.body.id;
    first.resultBytes = corrected;
  });

  it("offers the applicant's certified papers and result at the next intake, in the desk's scope only", async () => {
    const offered = await product.request('POST', '/api/v1/applicants/reusable-files', {
      token: tokens.clerk,
      body: { idNumber: APPLICANT.idNumber },
    });
    expect(offered.status).toBe(200);
    expect(new Set(offered.body.items.map((f: { id: string }) => f.id))).toEqual(
      new Set([first.paper, first.proof, first.result]),
    );
    const elsewhere = await product.request('POST', '/api/v1/applicants/reusable-files', {
      token: tokens['commune-clerk'],
      body: { idNumber: APPLICANT.idNumber },
    });
    expect(elsewhere.body.items).toEqual([]);
    // the national ID is never in a path (proxies log paths): the former GET is gone, a bad number is named
    const inPath = await product.request('GET', `/api/v1/applicants/${APPLICANT.idNumber}/reusable-files`, {
      token: tokens.clerk,
    });
    expect(inPath.status).toBe(404);
    const malformed = await product.request('POST', '/api/v1/applicants/reusable-files', {
      token: tokens.clerk,
      body: { idNumber: '12345' },
    });
    expect(malformed.status).toBe(422);
    expect(malformed.body.errors).toEqual([{ field: 'idNumber', message: expect.stringMatching(/^idNumber must be/) }]);
  });

  it("a second dossier of the same applicant reuses the certified paper instead of a new scan; another applicant's may not", async () => {
    const foreign = await intake(OTHER_APPLICANT, [
      { code: 'VB-DE-NGHI', reuseFileId: first.paper },
      { code: 'GT-TRU-SO' },
    ]);
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors).toEqual([{ field: 'documents[0].reuseFileId', message: expect.any(String) }]);

    const second = await intake(APPLICANT, [{ code: 'VB-DE-NGHI', reuseFileId: first.paper }, { code: 'GT-TRU-SO' }]);
    expect(second.status).toBe(201);
    secondCode = second.body.code as string;
    const files = await product.request('GET', `/api/v1/dossiers/${second.body.code}/files`, { token: tokens.clerk });
    expect(files.body.items).toEqual([
      expect.objectContaining({
        kind: 'PAPER',
        documentCode: 'VB-DE-NGHI',
        sha256: sha256(scans.paper),
        certified: expect.objectContaining({ at: expect.any(String) }),
        reusedFrom: { fileId: first.paper, dossierCode: first.code },
      }),
    ]);
    const reused = await download(`/api/v1/dossiers/${second.body.code}/files/${files.body.items[0].id}`, {
      headers: { authorization: `Bearer ${tokens.clerk}` },
    });
    expect(sha256(reused.bytes)).toBe(sha256(scans.paper));
    const [audit] = await db.query(
      `SELECT details FROM audit_log WHERE action = 'dossier.receive' AND dossier_code = $1`,
      [second.body.code],
    );
    expect(audit.details).toEqual({ reusedFiles: [first.paper] });
  });

  it('reports the 766 digitised, result and reuse shares with their numerators and denominators', async () => {
    const day = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const index = await product.request('GET', `/api/v1/reports/index-766?from=${day}&to=${day}&unit=${CENTRE}`, {
      token: tokens.head,
    });
    expect(index.status).toBe(200);
    // two dossiers received: the first with both papers certified, the second with one reused and one not scanned
    expect(index.body.indicators.digitisedShare).toEqual({
      value: 50,
      unit: '%',
      numerator: 1,
      denominator: 2,
      target: 80,
    });
    expect(index.body.indicators.reusedDataShare).toEqual({
      value: 50,
      unit: '%',
      numerator: 1,
      denominator: 2,
      target: 80,
    });
    // one result returned, its file attached
    expect(index.body.indicators.digitisedResultShare).toEqual({
      value: 100,
      unit: '%',
      numerator: 1,
      denominator: 1,
      target: 80,
    });
  });

  // The tests below receive more dossiers: they come after the 766 counts above.
  let third = '';
  let thirdUncertified = '';

  it('only the desk of the receiving unit certifies a paper, and only while the dossier is being processed; never a result', async () => {
    const received = await intake(APPLICANT, [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }]);
    const code: string = received.body.code;
    const paper = await upload(
      'clerk',
      code,
      { kind: 'PAPER', documentCode: 'GT-TRU-SO' },
      { bytes: png(), name: 'tru-so.png', type: 'image/png' },
    );
    expect(paper.status).toBe(201);
    await eventually(
      async () =>
        (await product.request('GET', `/api/v1/dossiers/${code}`, { token: tokens.clerk })).body.currentStep?.code ===
        'S01'
          ? true
          : undefined,
      'the workflow to start',
    );
    // to the department's step: a desk there (DESK_CLERK) now sees the dossier, but did not take the paper in
    await db.query(
      `INSERT INTO officers (username, full_name, roles, unit_codes) VALUES ('dept-desk', 'Lê Văn Tâm', '{DESK_CLERK}', '{000.00.12.H36}')`,
    );
    tokens['dept-desk'] = await product.token('dept-desk');
    for (const [who, action, body] of EXAMPLE_A_WALK.slice(0, 3)) {
      const res = await product.request('POST', `/api/v1/dossiers/${code}/actions/${action}`, {
        token: tokens[who],
        body: body ?? {},
      });
      expect(res.status).toBe(200);
    }
    const certify = (who: string, dossier: string, id: string) =>
      product.request('POST', `/api/v1/dossiers/${dossier}/files/${id}/certify`, { token: tokens[who] });
    const elsewhere = await certify('dept-desk', code, paper.body.id);
    expect({ status: elsewhere.status, rule: elsewhere.body.rule }).toEqual({ status: 403, rule: 'ROLE_NOT_ALLOWED' });
    expect((await certify('clerk', code, paper.body.id)).status).toBe(200);
    // the first dossier's result was returned: its papers are no longer certified, and a result never is
    const finished = await certify('clerk', first.code, first.paper);
    expect({ status: finished.status, code: finished.body.code }).toEqual({ status: 409, code: 'INVALID_STATE' });
    const result = await certify('clerk', first.code, first.result);
    expect({ status: result.status, code: result.body.code }).toEqual({ status: 409, code: 'INVALID_STATE' });
    third = code;
  }, 60_000);

  it('a reused file stands only for the paper it certified, in scope, of the applicant; otherwise 422 and nothing received', async () => {
    const uncertified = await upload(
      'clerk',
      third,
      { kind: 'PAPER', documentCode: 'GT-TRU-SO' },
      { bytes: png(), name: 'tru-so.png', type: 'image/png' },
    );
    expect(uncertified.body.certified).toBeNull();
    thirdUncertified = uncertified.body.id as string;
    const counts = async () =>
      (
        await db.query(
          `SELECT (SELECT count(*) FROM dossiers)::int AS dossiers, (SELECT count(*) FROM dossier_files)::int AS files`,
        )
      )[0];
    const before = await counts();
    const refused = async (
      documents: Record<string, string>[],
      who = 'clerk',
      unit = CENTRE,
      procedureCode = '2.000908',
    ) =>
      product.request('POST', '/api/v1/dossiers', {
        token: tokens[who],
        body: { procedureCode, receivingUnitCode: unit, channel: 'IN_PERSON', applicant: APPLICANT, documents },
      });
    // a certified scan of VB-DE-NGHI for GT-TRU-SO
    const otherPaper = await refused([{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO', reuseFileId: first.paper }]);
    expect(otherPaper.status).toBe(422);
    expect(otherPaper.body.errors).toEqual([
      { field: 'documents[1].reuseFileId', message: expect.stringMatching(/^must be a certified scan of GT-TRU-SO/) },
    ]);
    // the result for a paper: no procedure accepts it as one
    const result = await refused([{ code: 'VB-DE-NGHI', reuseFileId: first.result }, { code: 'GT-TRU-SO' }]);
    expect(result.status).toBe(422);
    expect(result.body.errors).toEqual([
      { field: 'documents[0].reuseFileId', message: expect.stringMatching(/does not accept an earlier result/) },
    ]);
    const generic = 'must be a certified paper or a result of an earlier dossier of the same applicant, in your units';
    // not certified
    const notCertified = await refused([
      { code: 'VB-DE-NGHI' },
      { code: 'GT-TRU-SO', reuseFileId: uncertified.body.id },
    ]);
    expect(notCertified.status).toBe(422);
    expect(notCertified.body.errors).toEqual([{ field: 'documents[1].reuseFileId', message: generic }]);
    // out of the desk's scope: the commune's clerk never saw the centre's dossier
    const outside = await refused(
      [{ code: 'BAN-CHINH', reuseFileId: first.paper }],
      'commune-clerk',
      '000.31.01.H36',
      '2.000815',
    );
    expect(outside.status).toBe(422);
    expect(outside.body.errors).toEqual([{ field: 'documents[0].reuseFileId', message: generic }]);
    expect(await counts()).toEqual(before);
  });

  it('the reused papers are recorded with the dossier: a failed intake leaves nothing, and its retry gets them', async () => {
    // The row of a reused file fails once (as a lost connection or a full disk would), after the dossier row is written.
    // (a sequence, not a table: its count survives the rollback of the intake that failed)
    await db.query(`CREATE SEQUENCE reuse_attempts`);
    await db.query(`
      CREATE FUNCTION fail_reuse_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.reused_from IS NOT NULL AND nextval('reuse_attempts') = 1 THEN
          RAISE EXCEPTION 'the reused file could not be recorded';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(
      `CREATE TRIGGER fail_reuse_once BEFORE INSERT ON dossier_files FOR EACH ROW EXECUTE FUNCTION fail_reuse_once()`,
    );
    try {
      const [{ n: dossiersBefore }] = await db.query(`SELECT count(*)::int AS n FROM dossiers`);
      const send = () =>
        product.request('POST', '/api/v1/dossiers', {
          token: tokens.clerk,
          headers: { 'Idempotency-Key': 'reuse-retry-1' },
          body: {
            procedureCode: '2.000908',
            receivingUnitCode: CENTRE,
            channel: 'IN_PERSON',
            applicant: APPLICANT,
            documents: [{ code: 'VB-DE-NGHI', reuseFileId: first.paper }, { code: 'GT-TRU-SO' }],
          },
        });
      const failed = await send();
      expect(failed.status).toBe(500);
      expect(await db.query(`SELECT count(*)::int AS n FROM dossiers`)).toEqual([{ n: dossiersBefore }]);
      const retried = await send();
      expect(retried.status).toBe(201);
      const files = await product.request('GET', `/api/v1/dossiers/${retried.body.code}/files`, {
        token: tokens.clerk,
      });
      expect(files.body.items).toEqual([
        expect.objectContaining({
          documentCode: 'VB-DE-NGHI',
          reusedFrom: { fileId: first.paper, dossierCode: first.code },
        }),
      ]);
      // and a replay of the same request answers the same dossier, with its reused paper
      const replayed = await send();
      expect(replayed.body.code).toBe(retried.body.code);
    } finally {
      await db.query(`DROP TRIGGER fail_reuse_once ON dossier_files`);
      await db.query(`DROP FUNCTION fail_reuse_once()`);
      await db.query(`DROP SEQUENCE reuse_attempts`);
    }
  });

  it('a file whose bytes are gone from storage answers 404 naming the file, not 500', async () => {
    // (the third dossier's scan: the first dossier's files are kept for the retention test below)
    const [{ storage_key: key }] = await db.query(`SELECT storage_key FROM dossier_files WHERE id = $1`, [
      thirdUncertified,
    ]);
    await db.query(`DELETE FROM file_objects WHERE storage_key = $1`, [key]);
    const res = await product.request('GET', `/api/v1/dossiers/${third}/files/${thirdUncertified}`, {
      token: tokens.clerk,
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND', rule: 'FILE_CONTENT_MISSING', file: thirdUncertified });
    expect(res.body.detail).toContain(thirdUncertified);
  });

  it("after the retention period, the nightly run deletes the papers' bytes: their records and the 766 counts stay, the download answers 410", async () => {
    const day = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const index = async () => {
      const { indicators } = (
        await product.request('GET', `/api/v1/reports/index-766?from=${day}&to=${day}&unit=${CENTRE}`, {
          token: tokens.head,
        })
      ).body;
      const { digitisedShare, reusedDataShare, digitisedResultShare } = indicators;
      return { digitisedShare, reusedDataShare, digitisedResultShare };
    };
    const before = await index();
    const listed = async (code: string) =>
      (await product.request('GET', `/api/v1/dossiers/${code}/files`, { token: tokens.clerk })).body.items as {
        id: string;
        kind: string;
        sha256: string;
        sizeBytes: number;
        certified: unknown;
        purgedAt: string | null;
      }[];
    const filesBefore = await listed(first.code);
    const objectOf = async (id: string): Promise<number> => {
      const [row] = await db.query(
        `SELECT count(o.*)::int AS n FROM dossier_files f LEFT JOIN file_objects o ON o.storage_key = f.storage_key
         WHERE f.id = $1`,
        [id],
      );
      return row.n as number;
    };
    expect(await objectOf(first.proof)).toBe(1);
    // The first dossier was returned longer ago than PERSONAL_DATA_RETENTION_DAYS (1825 by default).
    await db.query(
      `UPDATE dossiers SET result_returned_at = result_returned_at - interval '2000 days',
                           finished_at = finished_at - interval '2000 days'
       WHERE code = $1`,
      [first.code],
    );
    const connection = await Connection.connect({ address: product.config.TEMPORAL_ADDRESS });
    try {
      const client = new Client({
        connection,
        namespace: product.config.TEMPORAL_NAMESPACE,
        dataConverter: temporalDataConverter(product.config),
      });
      const schedule = client.schedule.getHandle('personal-data-retention');
      await eventually(() => schedule.describe(), 'the retention schedule created at boot');
      await schedule.trigger();
    } finally {
      await connection.close();
    }
    const after = await eventually(async () => {
      const items = await listed(first.code);
      return items.filter((f) => f.purgedAt).length === 2 ? items : undefined;
    }, "the first dossier's papers purged");

    // The records stay, with their SHA-256, size and certification; only the papers are purged, not the result.
    expect(after.map((f) => ({ ...f, purgedAt: undefined, fileName: undefined }))).toEqual(
      filesBefore.map((f) => ({ ...f, purgedAt: undefined, fileName: undefined })),
    );
    // (the papers: first.paper and first.proof; the results: first.result and the one superseding it)
    expect(after.map((f) => [f.id, f.purgedAt !== null])).toEqual(filesBefore.map((f) => [f.id, f.kind === 'PAPER']));
    expect(filesBefore.filter((f) => f.kind === 'PAPER').map((f) => f.id)).toEqual([first.paper, first.proof]);
    // The bytes are gone from the store; the download says so (410, problem+json).
    expect(await objectOf(first.proof)).toBe(0);
    const gone = await fetch(`${product.baseUrl}/api/v1/dossiers/${first.code}/files/${first.proof}`, {
      headers: { authorization: `Bearer ${tokens.clerk}` },
    });
    expect(gone.status).toBe(410);
    expect(gone.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await gone.json()).toMatchObject({ status: 410, code: 'GONE', rule: 'RETENTION_PURGED' });
    // The paper the second (open) dossier reuses keeps its bytes for it; the result is kept.
    const reused = (await listed(secondCode))[0];
    const copy = await download(`/api/v1/dossiers/${secondCode}/files/${reused.id}`, {
      headers: { authorization: `Bearer ${tokens.clerk}` },
    });
    expect(copy.status).toBe(200);
    expect(sha256(copy.bytes)).toBe(sha256(scans.paper));
    const result = await download(`/api/v1/dossiers/${first.code}/files/${first.result}`, {
      headers: { authorization: `Bearer ${tokens.clerk}` },
    });
    expect(sha256(result.bytes)).toBe(sha256(first.resultBytes));
    // The 766 digitisation, reuse and result figures do not move.
    expect(await index()).toEqual(before);
  }, 120_000);
});
