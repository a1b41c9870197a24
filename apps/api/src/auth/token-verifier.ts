import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey, SignJWT } from 'jose';
import { type AppConfig, isSecureFetchUrl } from '../../../../libs/config/src';

/**
 * Who a verified token stands for: in production an account at the identity provider (its issuer and `sub`, which
 * an officer is bound to), in embedded mode one of the demo officers this API issued the token to, by username.
 */
export type TokenIdentity = { issuer: string; subject: string } | { username: string };

/** Port: turns a bearer token into verified claims and the identity they carry, or throws. */
export abstract class TokenVerifier {
  abstract verify(token: string): Promise<JWTPayload>;

  /** Verifies the token and names the account it stands for. */
  abstract identify(token: string): Promise<TokenIdentity>;
}

/** Every token must say when it expires and whom it names: a token without `exp` would be good forever. */
const REQUIRED_CLAIMS = ['exp', 'sub'];

const TOKEN_TTL = '8h';

/** Embedded default: HS256 with a secret the launcher generated; it can also issue demo tokens. */
export class Hs256TokenVerifier extends TokenVerifier {
  private readonly key: Uint8Array;

  constructor(private readonly config: AppConfig) {
    super();
    this.key = new TextEncoder().encode(config.JWT_SECRET);
  }

  async verify(token: string): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, this.key, {
      algorithms: ['HS256'],
      issuer: this.config.JWT_ISSUER,
      audience: this.config.JWT_AUDIENCE,
      requiredClaims: REQUIRED_CLAIMS,
    });
    return payload;
  }

  /** Demo tokens are this API's own: their `sub` is the demo officer's username. */
  async identify(token: string): Promise<TokenIdentity> {
    return { username: String((await this.verify(token)).sub) };
  }

  async issue(username: string): Promise<{ token: string; expiresAt: string }> {
    let jwt = new SignJWT({ preferred_username: username })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(username)
      .setIssuedAt()
      .setExpirationTime(TOKEN_TTL);
    if (this.config.JWT_ISSUER) {
      jwt = jwt.setIssuer(this.config.JWT_ISSUER);
    }
    if (this.config.JWT_AUDIENCE) {
      jwt = jwt.setAudience(this.config.JWT_AUDIENCE);
    }
    const token = await jwt.sign(this.key);
    const { exp } = await this.verify(token);
    return { token, expiresAt: new Date((exp ?? 0) * 1000).toISOString() };
  }
}

/**
 * Production: RS256/ES256 tokens of the configured OIDC provider, keys fetched (and cached) from its JWKS endpoint:
 * JWKS_URL, or the `jwks_uri` of OIDC_ISSUER's discovery document (read on the first token, retried until it
 * answers); only over https (or to loopback). A token must carry `iss` = JWT_ISSUER, `aud` = JWT_AUDIENCE, `exp`
 * and `sub`.
 */
export class JwksTokenVerifier extends TokenVerifier {
  private keys: Promise<JWTVerifyGetKey> | null = null;
  private readonly issuer: string;

  constructor(
    private readonly config: AppConfig,
    private readonly fetchJson: (url: string) => Promise<unknown> = getJson,
  ) {
    super();
    if (!config.JWT_ISSUER || !config.JWT_AUDIENCE) {
      // loadConfig refuses production without them; this guards any other way of building the configuration.
      throw new Error('JWT_ISSUER and JWT_AUDIENCE are required to verify the identity provider’s tokens');
    }
    this.issuer = config.JWT_ISSUER;
    if (config.JWKS_URL) {
      this.keys = Promise.resolve(createRemoteJWKSet(new URL(config.JWKS_URL)));
    }
  }

  async verify(token: string): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, await this.keySet(), {
      algorithms: ['RS256', 'ES256'],
      issuer: this.issuer,
      audience: this.config.JWT_AUDIENCE,
      requiredClaims: REQUIRED_CLAIMS,
    });
    return payload;
  }

  /** The account at the provider: an officer is bound to (issuer, sub), never to a name the token claims. */
  async identify(token: string): Promise<TokenIdentity> {
    const { iss, sub } = await this.verify(token);
    return { issuer: String(iss), subject: String(sub) };
  }

  private keySet(): Promise<JWTVerifyGetKey> {
    if (!this.keys) {
      const discovery = `${String(this.config.OIDC_ISSUER).replace(/\/+$/, '')}/.well-known/openid-configuration`;
      this.keys = this.fetchJson(discovery).then((document) => {
        const jwksUri = (document as { jwks_uri?: unknown } | null)?.jwks_uri;
        if (typeof jwksUri !== 'string') {
          throw new Error(`the discovery document ${discovery} names no jwks_uri`);
        }
        if (!isSecureFetchUrl(jwksUri)) {
          throw new Error(`the discovery document ${discovery} names a jwks_uri that is not https: ${jwksUri}`);
        }
        return createRemoteJWKSet(new URL(jwksUri));
      });
      // A provider that is down at the first sign-in must not be remembered as broken.
      this.keys.catch(() => (this.keys = null));
    }
    return this.keys;
  }
}

async function getJson(url: string): Promise<unknown> {
  // A redirect could lead off https: the provider's discovery document is fetched from where it is configured, only.
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000), redirect: 'error' });
  if (!res.ok) {
    throw new Error(`${url} answered ${res.status}`);
  }
  return res.json();
}
