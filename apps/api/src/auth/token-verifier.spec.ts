import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { loadConfig } from '../../../../libs/config/src';
import { JwksTokenVerifier } from './token-verifier';

describe('JwksTokenVerifier', () => {
  let server: Server;
  let issuer: string;
  let sign: (iss: string) => Promise<string>;
  let discoveryUp = false;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((req, res) => {
      if (req.url === '/.well-known/openid-configuration' && discoveryUp) {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
      } else if (req.url === '/jwks') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
      } else {
        res.writeHead(503).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    sign = (iss) =>
      new SignJWT({ preferred_username: 'division-head' })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(iss)
        .setAudience('https://dossiers.test/api')
        .setExpirationTime('5m')
        .sign(privateKey);
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('finds the keys through the issuer’s discovery document, retrying after it failed, and checks the issuer', async () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u:p@localhost:5432/db',
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      DEPLOYMENT_MODE: 'production',
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: 'console',
      JWT_AUDIENCE: 'https://dossiers.test/api',
      TEMPORAL_PAYLOAD_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
    });
    const verifier = new JwksTokenVerifier(config);
    await expect(verifier.verify(await sign(issuer))).rejects.toThrow(/answered 503/);
    discoveryUp = true;
    await expect(verifier.verify(await sign(issuer))).resolves.toMatchObject({ preferred_username: 'division-head' });
    await expect(verifier.verify(await sign('https://someone-else.test'))).rejects.toThrow(/iss/);
  });
});
