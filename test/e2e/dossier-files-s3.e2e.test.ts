import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { S3FileStorage } from '../../libs/persistence/src';
import { type RunningObjectStore, startObjectStore } from '../support/object-store';
import { type RunningProduct, startProduct } from '../support/product';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** The product configured for production storage (FILE_STORAGE=s3) against a real S3-compatible server on loopback. */
describe('dossier files in an S3-compatible object store (e2e)', () => {
  let store: RunningObjectStore;
  let product: RunningProduct;
  const stored = { code: '', file: '', token: '' };

  beforeAll(async () => {
    store = await startObjectStore();
    product = await startProduct({ worker: false, overrides: { ...store.env, LOG_LEVEL: 'error' } });
  }, 60_000);

  afterAll(async () => {
    await product?.stop();
    await store?.stop();
  });

  it('stores an uploaded scan in the bucket, not in PostgreSQL, and serves the same bytes back', async () => {
    const token = await product.token('clerk');
    const received = await product.request('POST', '/api/v1/dossiers', {
      token,
      body: {
        procedureCode: '2.000908',
        receivingUnitCode: '000.00.20.H36',
        channel: 'IN_PERSON',
        applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' },
        documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
      },
    });
    expect(received.status).toBe(201);
    const code: string = received.body.code;
    const scan = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(40_000)]);
    const form = new FormData();
    form.append('kind', 'PAPER');
    form.append('documentCode', 'GT-TRU-SO');
    form.append('file', new Blob([scan]), 'so-ho-khau.jpeg');
    const uploaded = await fetch(`${product.baseUrl}/api/v1/dossiers/${code}/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(uploaded.status).toBe(201);
    const file = (await uploaded.json()) as { id: string; sha256: string; contentType: string };
    expect(file).toMatchObject({ sha256: sha256(scan), contentType: 'image/jpeg' });

    const db = product.api.get(DataSource);
    const [{ storage_key: key }] = await db.query(`SELECT storage_key FROM dossier_files WHERE id = $1`, [file.id]);
    const bucket = new S3FileStorage(store.settings);
    expect(await bucket.stat(key)).toEqual({ size: scan.length, contentType: 'image/jpeg' });
    bucket.destroy();
    expect(await db.query(`SELECT count(*)::int AS n FROM file_objects`)).toEqual([{ n: 0 }]);

    const served = await fetch(`${product.baseUrl}/api/v1/dossiers/${code}/files/${file.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(sha256(Buffer.from(await served.arrayBuffer()))).toBe(sha256(scan));
    Object.assign(stored, { code, file: file.id, token });
  });

  it('a file whose object is gone from the bucket answers 404 naming the file, not 500', async () => {
    const upload = new FormData();
    upload.append('kind', 'PAPER');
    upload.append('documentCode', 'VB-DE-NGHI');
    upload.append('file', new Blob([Buffer.from('%PDF-1.7\n% to be lost\n')]), 'don.pdf');
    const res = await fetch(`${product.baseUrl}/api/v1/dossiers/${stored.code}/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stored.token}` },
      body: upload,
    });
    const { id } = (await res.json()) as { id: string };
    const db = product.api.get(DataSource);
    const [{ storage_key: key }] = await db.query(`SELECT storage_key FROM dossier_files WHERE id = $1`, [id]);
    const bucket = new S3FileStorage(store.settings);
    await bucket.delete(key);
    bucket.destroy();
    const lost = await product.request('GET', `/api/v1/dossiers/${stored.code}/files/${id}`, { token: stored.token });
    expect(lost.status).toBe(404);
    expect(lost.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(lost.body).toMatchObject({ code: 'NOT_FOUND', rule: 'FILE_CONTENT_MISSING', file: id });
  });

  it('answers 503 with Retry-After while the object store is down, for an upload and a download', async () => {
    await store.stop();
    const form = new FormData();
    form.append('kind', 'PAPER');
    form.append('documentCode', 'VB-DE-NGHI');
    form.append('file', new Blob([Buffer.from('%PDF-1.7\n% outage\n')]), 'don.pdf');
    const upload = await fetch(`${product.baseUrl}/api/v1/dossiers/${stored.code}/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stored.token}` },
      body: form,
    });
    expect(upload.status).toBe(503);
    expect(upload.headers.get('retry-after')).toBe('5');
    expect(await upload.json()).toMatchObject({ status: 503, code: 'UNAVAILABLE' });
    const download = await product.request('GET', `/api/v1/dossiers/${stored.code}/files/${stored.file}`, {
      token: stored.token,
    });
    expect(download.status).toBe(503);
    expect(download.headers.get('retry-after')).toBe('5');
    expect(download.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
