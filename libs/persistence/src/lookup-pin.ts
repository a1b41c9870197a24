import { randomBytes, randomInt, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto';

/**
 * The citizen's lookup PIN is stored as a salted scrypt hash, `scrypt$<N>$<r>$<p>$<salt>$<hash>` (base64url): the
 * database, its backups and anyone reading them never see a PIN. Six digits stay guessable offline at any cost
 * setting, so the online limits (per client, per dossier, the lock after wrong PINs) remain the main defence; the
 * cost here (16 MiB, about 40 ms) makes a leaked table a matter of hours per dossier instead of one second for all.
 */
const COST = { N: 2 ** 14, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const FORMAT = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

function derive(pin: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) =>
    scrypt(pin, salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** A new six-digit PIN, uniformly drawn. */
export const newLookupPin = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

export async function hashLookupPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(pin, salt, COST);
  return `scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** Whether `pin` is the one hashed in `stored` (constant-time compare); false for a missing or malformed hash. */
export async function lookupPinMatches(stored: string | null, pin: string): Promise<boolean> {
  const parts = stored ? FORMAT.exec(stored) : null;
  if (!parts) {
    // The same work as a real check, so the answer's timing does not tell a dossier without a PIN apart.
    await derive(pin, Buffer.alloc(16), COST);
    return false;
  }
  const [, N, r, p, salt, hash] = parts;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(pin, Buffer.from(salt, 'base64url'), { N: Number(N), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
