import { createHmac, hkdfSync, randomBytes, randomInt, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto';

/**
 * The citizen's lookup PIN is stored as `hmac-sha256$<salt>$<mac>` (base64url): an HMAC-SHA256 of a random salt and
 * the PIN under a secret kept outside the database (LOOKUP_PIN_KEY). The database, its backups and anyone reading
 * them never see a PIN, and without the key a leaked table cannot be tested against the million six-digit PINs at
 * any speed — where a slow hash (scrypt, the earlier format) only slows that search down to hours, at ~50 ms of CPU
 * on every intake. The online limits (per client, per dossier, the lock after wrong PINs) stay the defence against
 * guessing through the API.
 *
 * PINs stored earlier as `scrypt$<N>$<r>$<p>$<salt>$<hash>` keep verifying.
 */
const HMAC_FORMAT = /^hmac-sha256\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;
const SCRYPT_FORMAT = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;
const SCRYPT_KEY_LENGTH = 32;

/** The key PINs are hashed with: LOOKUP_PIN_KEY, or in embedded mode one derived from JWT_SECRET. */
export function lookupPinKey(config: { LOOKUP_PIN_KEY?: string; JWT_SECRET?: string }): Buffer {
  if (config.LOOKUP_PIN_KEY) {
    return Buffer.from(config.LOOKUP_PIN_KEY, 'base64');
  }
  if (config.JWT_SECRET) {
    return Buffer.from(hkdfSync('sha256', config.JWT_SECRET, 'dossier-engine', 'lookup-pin', 32));
  }
  throw new Error('LOOKUP_PIN_KEY is required to hash lookup PINs (embedded mode derives it from JWT_SECRET)');
}

const mac = (key: Buffer, salt: Buffer, pin: string): Buffer =>
  createHmac('sha256', key).update(salt).update(pin).digest();

/** A new six-digit PIN, uniformly drawn. */
export const newLookupPin = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

export function hashLookupPin(pin: string, key: Buffer): string {
  const salt = randomBytes(16);
  return `hmac-sha256$${salt.toString('base64url')}$${mac(key, salt, pin).toString('base64url')}`;
}

/** Whether `pin` is the one hashed in `stored` (constant-time compare); false for a missing or malformed hash. */
export async function lookupPinMatches(stored: string | null, pin: string, key: Buffer): Promise<boolean> {
  const keyed = stored ? HMAC_FORMAT.exec(stored) : null;
  if (keyed) {
    const [, salt, expected] = keyed;
    return same(mac(key, Buffer.from(salt, 'base64url'), pin), Buffer.from(expected, 'base64url'));
  }
  const slow = stored ? SCRYPT_FORMAT.exec(stored) : null;
  if (slow) {
    const [, N, r, p, salt, hash] = slow;
    const actual = await scryptOf(pin, Buffer.from(salt, 'base64url'), { N: Number(N), r: Number(r), p: Number(p) });
    return same(actual, Buffer.from(hash, 'base64url'));
  }
  // The same work as a real check, so the answer's timing does not tell a dossier without a PIN apart.
  mac(key, Buffer.alloc(16), pin);
  return false;
}

const same = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);

function scryptOf(pin: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) =>
    scrypt(pin, salt, SCRYPT_KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/**
 * The earlier format, kept for the migration that hashed the plain PINs of its day (it has no key to use): a salted
 * scrypt hash (N = 2^14, r = 8, p = 1).
 */
export async function scryptLookupPin(pin: string): Promise<string> {
  const cost = { N: 2 ** 14, r: 8, p: 1 };
  const salt = randomBytes(16);
  const hash = await scryptOf(pin, salt, cost);
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}
