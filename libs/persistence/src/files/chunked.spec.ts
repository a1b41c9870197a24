import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { chunked } from './postgres-file-storage';

const MiB = 1024 * 1024;
const sha256 = (parts: Buffer[]): string => {
  const hash = createHash('sha256');
  parts.forEach((p) => hash.update(p));
  return hash.digest('hex');
};
const collect = async (pieces: Buffer[], size: number): Promise<Buffer[]> => {
  const out: Buffer[] = [];
  for await (const chunk of chunked(Readable.from(pieces), size)) {
    out.push(chunk);
  }
  return out;
};

describe('chunked (the embedded storage cuts a scan into 1 MiB rows)', () => {
  it('cuts a 20 MiB scan handed in one piece into views of it, copying none of its bytes', async () => {
    const scan = randomBytes(20 * MiB + 12_345);
    const chunks = await collect([scan], MiB);
    expect(chunks.map((c) => c.length)).toEqual([...Array<number>(20).fill(MiB), 12_345]);
    // every chunk is a slice of the upload itself: no re-concatenation of what remains
    expect(chunks.every((c) => c.buffer === scan.buffer)).toBe(true);
    expect(sha256(chunks)).toBe(sha256([scan]));
  });

  it('assembles only the chunks that straddle pieces, and reassembles to the same SHA-256', async () => {
    const bytes = randomBytes(5 * MiB + 777);
    const pieces: Buffer[] = [];
    for (let at = 0, n = 1; at < bytes.length; n += 1) {
      const len = Math.min(bytes.length - at, (n * 300_007) % (3 * MiB) || 1);
      pieces.push(bytes.subarray(at, at + len));
      at += len;
    }
    const chunks = await collect(pieces, MiB);
    expect(chunks.slice(0, -1).every((c) => c.length === MiB)).toBe(true);
    expect(chunks.at(-1)!.length).toBe(777);
    expect(sha256(chunks)).toBe(sha256([bytes]));
  });

  it('yields nothing for an empty stream and one short chunk for a small one', async () => {
    expect(await collect([], MiB)).toEqual([]);
    expect(await collect([Buffer.from('ab'), Buffer.from('c')], MiB)).toEqual([Buffer.from('abc')]);
  });
});
