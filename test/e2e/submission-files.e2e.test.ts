import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/persistence/src';
import { CENTRE } from '../support/dossier-fixtures';
import { type HttpReply, type RunningProduct, startProduct } from '../support/product';
import { download, pdf, png, type Scan, sha256, uploadScan } from '../support/scans';

const MAX_BYTES = 64 * 1024;

const application = (name: string, idNumber: string) => ({
  procedureCode: '2.000908',
  receivingUnitCode: CENTRE,
  applicant: { type: 'INDIVIDUAL', idNumber, name },
  documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
});

/**
 * Online applications carry their scans, over HTTP: the portal uploads one per paper while the application waits at
 * the desk (checked like a dossier's: content sniffed, size capped, paper of the application); the desk looks at them;
 * received, they are the dossier's papers' files (same bytes, not certified until a clerk certifies); refused, they
 * are deleted with their bytes.
 */
describe('online submissions carry their files (e2e)', () => {
  let product: RunningProduct;
  let db: DataSource;
  const tokens: Record<string, string> = {};
  const scans: Record<string, Scan> = {
    'VB-DE-NGHI': { bytes: pdf(), name: 'Văn bản đề nghị.pdf', type: 'application/pdf' },
    'GT-TRU-SO': { bytes: png(), name: 'tru-so.png', type: 'image/png' },
  };
  const received: { submission: string; files: Record<string, string>; dossier: string } = {
    submission: '',
    files: {},
    dossier: '',
  };

  beforeAll(async () => {
    product = await startProduct({ overrides: { FILE_MAX_BYTES: String(MAX_BYTES), LOG_LEVEL: 'error' } });
    db = new DataSource(dataSourceOptions(product.config.DATABASE_URL, 2));
    await db.initialize();
    for (const who of ['agency-system', 'clerk', 'commune-clerk']) {
      tokens[who] = await product.token(who);
    }
  }, 60_000);

  afterAll(async () => {
    await db?.destroy();
    await product?.stop();
  });

  const submit = async (name: string, idNumber: string): Promise<string> => {
    const res = await product.request('POST', '/api/v1/submissions', {
      token: tokens['agency-system'],
      body: application(name, idNumber),
    });
    expect(res.status).toBe(201);
    return res.body.id;
  };
  const attach = (who: string, id: string, documentCode: string, scan?: Scan): Promise<HttpReply> =>
    uploadScan(product, tokens[who], `/api/v1/submissions/${id}/files`, { documentCode }, scan);
  const listed = (who: string, id: string) =>
    product.request('GET', `/api/v1/submissions/${id}/files`, { token: tokens[who] });
  const storedUnder = async (id: string): Promise<{ rows: number; objects: number }> => {
    const [row] = await db.query(
      `SELECT (SELECT count(*) FROM submission_files WHERE submission_id = $1)::int AS rows,
              (SELECT count(*) FROM file_objects WHERE storage_key LIKE 'submissions/' || $1 || '/%')::int AS objects`,
      [id],
    );
    return row;
  };

  it('the portal attaches the scan of each paper to its waiting application; the desk sees and downloads them', async () => {
    received.submission = await submit('Vũ Thị Lan', '001203006001');
    for (const [code, scan] of Object.entries(scans)) {
      const res = await attach('agency-system', received.submission, code, scan);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        submissionId: received.submission,
        documentCode: code,
        contentType: scan.type,
        sizeBytes: scan.bytes.length,
        sha256: sha256(scan.bytes),
      });
      received.files[code] = res.body.id;
    }
    const list = await listed('clerk', received.submission);
    expect(list.status).toBe(200);
    expect(list.body.items.map((f: { documentCode: string }) => f.documentCode)).toEqual(['VB-DE-NGHI', 'GT-TRU-SO']);
    const got = await download(
      product,
      `/api/v1/submissions/${received.submission}/files/${received.files['GT-TRU-SO']}`,
      { headers: { authorization: `Bearer ${tokens.clerk}` } },
    );
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(sha256(got.bytes)).toBe(sha256(scans['GT-TRU-SO'].bytes));
    // another desk's clerk does not see the application at all
    expect((await listed('commune-clerk', received.submission)).status).toBe(404);
  });

  it('refuses a bad scan with 422 naming the field, another role with 403, and stores nothing', async () => {
    const before = await storedUnder(received.submission);
    const disguised = await attach('agency-system', received.submission, 'VB-DE-NGHI', {
      bytes: Buffer.from('<html><script>alert(1)</script></html>'),
      name: 'scan.pdf',
      type: 'application/pdf',
    });
    expect(disguised.status).toBe(422);
    expect(disguised.body.errors).toEqual([
      { field: 'file', message: expect.stringMatching(/must be a PDF, JPEG or PNG/) },
    ]);
    const large = await attach('agency-system', received.submission, 'VB-DE-NGHI', {
      bytes: pdf(MAX_BYTES + 10),
      name: 'big.pdf',
      type: 'application/pdf',
    });
    expect(large.status).toBe(422);
    expect(large.body.errors).toEqual([
      { field: 'file', message: `must be at most ${MAX_BYTES} bytes (FILE_MAX_BYTES)` },
    ]);
    const notItsPaper = await attach('agency-system', received.submission, 'GIAY-KHAC', scans['VB-DE-NGHI']);
    expect(notItsPaper.status).toBe(422);
    expect(notItsPaper.body.errors).toEqual([expect.objectContaining({ field: 'documentCode' })]);
    const missing = await attach('agency-system', received.submission, 'VB-DE-NGHI');
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual([{ field: 'file', message: 'is required: a PDF, JPEG or PNG scan' }]);
    const byClerk = await attach('clerk', received.submission, 'VB-DE-NGHI', scans['VB-DE-NGHI']);
    expect(byClerk.status).toBe(403);
    expect(await storedUnder(received.submission)).toEqual(before);
  });

  it('at reception the files become the dossier’s papers’ files, not certified until the clerk certifies them', async () => {
    const res = await product.request('POST', `/api/v1/submissions/${received.submission}/receive`, {
      token: tokens.clerk,
      body: {},
    });
    expect(res.status).toBe(201);
    received.dossier = res.body.code;
    const files = await product.request('GET', `/api/v1/dossiers/${received.dossier}/files`, { token: tokens.clerk });
    expect(files.body.items).toEqual(
      Object.entries(scans).map(([code, scan]) =>
        expect.objectContaining({
          id: received.files[code],
          kind: 'PAPER',
          documentCode: code,
          sha256: sha256(scan.bytes),
          certified: null,
          reusedFrom: null,
          uploadedBy: expect.objectContaining({ name: 'Cổng dịch vụ công tỉnh' }),
        }),
      ),
    );
    const got = await download(product, `/api/v1/dossiers/${received.dossier}/files/${received.files['VB-DE-NGHI']}`, {
      headers: { authorization: `Bearer ${tokens.clerk}` },
    });
    expect(sha256(got.bytes)).toBe(sha256(scans['VB-DE-NGHI'].bytes));
    const certified = await product.request(
      'POST',
      `/api/v1/dossiers/${received.dossier}/files/${received.files['VB-DE-NGHI']}/certify`,
      { token: tokens.clerk },
    );
    expect(certified.status).toBe(200);
    expect(certified.body.certified).toMatchObject({ at: expect.any(String) });
    // the application carries nothing more, and takes nothing more
    expect((await listed('clerk', received.submission)).body.items).toEqual([]);
    const late = await attach('agency-system', received.submission, 'VB-DE-NGHI', scans['VB-DE-NGHI']);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'INVALID_STATE', state: 'RECEIVED' });
    expect((await storedUnder(received.submission)).rows).toBe(0);
  });

  it('refusing an application deletes its files and their bytes at once', async () => {
    const id = await submit('Đỗ Văn Minh', '001203006002');
    expect((await attach('agency-system', id, 'VB-DE-NGHI', scans['VB-DE-NGHI'])).status).toBe(201);
    expect(await storedUnder(id)).toEqual({ rows: 1, objects: 1 });
    const refused = await product.request('POST', `/api/v1/submissions/${id}/refuse`, {
      token: tokens.clerk,
      body: { reasons: ['Không thuộc thẩm quyền'] },
    });
    expect(refused.status).toBe(200);
    expect(await storedUnder(id)).toEqual({ rows: 0, objects: 0 });
    expect((await listed('clerk', id)).body.items).toEqual([]);
  });
});
