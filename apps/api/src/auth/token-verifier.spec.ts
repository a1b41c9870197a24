import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, type JWTPayload, type KeyLike, SignJWT } from 'jose';
import { loadConfig } from '../../../../libs/config/src';
import { Hs256TokenVerifier, JwksTokenVerifier } from './token-verifier';

const AUDIENCE = 'https://dossiers.test/api';

describe('JwksTokenVerifier', () => {
  let server: Server;
  let issuer: string;
  let privateKey: KeyLike;
  let discoveryUp = false;
  /** What the discovery document names as jwks_uri (the provider's own, unless a test says otherwise). */
  let jwksUri: () => string;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((req, res) => {
      if (req.url === '/.well-known/openid-configuration' && discoveryUp) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer, jwks_uri: jwksUri() }));
      } else if (req.url === '/jwks') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
      } else {
        res.writeHead(503).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    jwksUri = () => `${issuer}/jwks`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  /** A token of the provider's key, with the claims given (`undefined` leaves a claim out). */
  const sign = (claims: { iss?: string; sub?: string; aud?: string; exp?: string } & JWTPayload = {}) => {
    const { iss = issuer, sub = 'f7c1-division-head', aud = AUDIENCE, exp = '5m', ...rest } = claims;
    let jwt = new SignJWT({ preferred_username: 'division-head', ...rest }).setProtectedHeader({
      alg: 'RS256',
      kid: 'k1',
    });
    jwt = 'iss' in claims && claims.iss === undefined ? jwt : jwt.setIssuer(iss);
    jwt = 'sub' in claims && claims.sub === undefined ? jwt : jwt.setSubject(sub);
    jwt = 'aud' in claims && claims.aud === undefined ? jwt : jwt.setAudience(aud);
    jwt = 'exp' in claims && claims.exp === undefined ? jwt : jwt.setExpirationTime(exp);
    return jwt.sign(privateKey);
  };

  const verifier = () =>
    new JwksTokenVerifier(
      loadConfig({
        DATABASE_URL: 'postgres://u:p@localhost:5432/db',
        TEMPORAL_ADDRESS: '127.0.0.1:7233',
        DEPLOYMENT_MODE: 'production',
        TEMPORAL_PAYLOAD_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
        OIDC_ISSUER: issuer,
        OIDC_CLIENT_ID: 'console',
        JWT_ISSUER: issuer,
        JWT_AUDIENCE: AUDIENCE,
        LOOKUP_PIN_KEY: Buffer.alloc(32, 9).toString('base64'),
      }),
    );

  it('finds the keys through the issuer’s discovery document, retrying after it failed, and checks the issuer', async () => {
    discoveryUp = false;
    const sut = verifier();
    await expect(sut.verify(await sign())).rejects.toThrow(/answered 503/);
    discoveryUp = true;
    await expect(sut.verify(await sign())).resolves.toMatchObject({ preferred_username: 'division-head' });
    await expect(sut.verify(await sign({ iss: 'https://someone-else.test' }))).rejects.toThrow(/iss/);
  });

  it('names the account by issuer and subject, never by the username the token claims', async () => {
    discoveryUp = true;
    await expect(verifier().identify(await sign({ preferred_username: 'admin' }))).resolves.toEqual({
      issuer,
      subject: 'f7c1-division-head',
    });
  });

  it('refuses a token without exp, sub, aud or iss, and one for another audience', async () => {
    discoveryUp = true;
    const sut = verifier();
    await expect(sut.verify(await sign({ exp: undefined }))).rejects.toThrow(/"exp" claim/);
    await expect(sut.verify(await sign({ sub: undefined }))).rejects.toThrow(/"sub" claim/);
    await expect(sut.verify(await sign({ aud: undefined }))).rejects.toThrow(/"aud" claim/);
    await expect(sut.verify(await sign({ iss: undefined }))).rejects.toThrow(/"iss" claim/);
    await expect(sut.verify(await sign({ aud: 'https://another-app.test' }))).rejects.toThrow(/"aud" claim/);
  });

  it('refuses keys a discovery document points at over plain http', async () => {
    discoveryUp = true;
    jwksUri = () => 'http://idp.attacker.example/jwks';
    try {
      await expect(verifier().verify(await sign())).rejects.toThrow(/names a jwks_uri that is not https/);
    } finally {
      jwksUri = () => `${issuer}/jwks`;
    }
  });
});

describe('Hs256TokenVerifier (embedded demo tokens)', () => {
  const config = loadConfig({
    DATABASE_URL: 'postgres://u:p@localhost:5432/db',
    TEMPORAL_ADDRESS: '127.0.0.1:7233',
    DEPLOYMENT_MODE: 'embedded',
    JWT_SECRET: 's'.repeat(40),
  });
  const key = new TextEncoder().encode(config.JWT_SECRET);

  it('names the demo officer by the subject it issued the token to', async () => {
    const sut = new Hs256TokenVerifier(config);
    const { token } = await sut.issue('clerk');
    await expect(sut.identify(token)).resolves.toEqual({ username: 'clerk' });
  });

  it('refuses a token of its own secret that never expires or names nobody', async () => {
    const sut = new Hs256TokenVerifier(config);
    const forever = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('admin').sign(key);
    await expect(sut.identify(forever)).rejects.toThrow(/"exp" claim/);
    const nobody = await new SignJWT({ preferred_username: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(key);
    await expect(sut.identify(nobody)).rejects.toThrow(/"sub" claim/);
  });
});
