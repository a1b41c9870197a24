import { createHash, randomBytes } from 'node:crypto';
import { type HttpReply, type RunningProduct } from './product';

/** SHA-256 of some bytes, hex: what the product records for a file. */
export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** A PDF by its signature (what the product sniffs), followed by random bytes. */
export const pdf = (size = 3000): Buffer => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size)]);

/** A PNG by its signature, followed by random bytes. */
export const png = (size = 2000): Buffer =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(size)]);

export interface Scan {
  bytes: Buffer;
  name: string;
  type: string;
}

/** A multipart upload (form fields and the `file` part) to a path of the API, as a browser sends it. */
export async function uploadScan(
  product: RunningProduct,
  token: string,
  path: string,
  fields: Record<string, string>,
  file?: Scan,
): Promise<HttpReply> {
  const form = new FormData();
  Object.entries(fields).forEach(([k, v]) => form.append(k, v));
  if (file) {
    form.append('file', new Blob([file.bytes], { type: file.type }), file.name);
  }
  const res = await fetch(`${product.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

/** A download: the status, headers and bytes (not parsed). */
export async function download(
  product: RunningProduct,
  path: string,
  init: RequestInit,
): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const res = await fetch(`${product.baseUrl}${path}`, init);
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}
