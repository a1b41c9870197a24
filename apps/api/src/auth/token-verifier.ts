import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey, SignJWT } from 'jose';
import { type AppConfig } from '../../../../libs/config/src';

/** Port: turns a bearer token into verified claims, or throws. */
export abstract class TokenVerifier {
  abstract verify(token: string): Promise<JWTPayload>;
}

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
    });
    return payload;
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
 * Production: RS256/ES256 tokens of any OIDC provider, keys fetched (and cached) from its JWKS endpoint: JWKS_URL,
 * or the `jwks_uri` of OIDC_ISSUER's discovery document (read on the first token, retried until it answers).
 */
export class JwksTokenVerifier extends TokenVerifier {
  private keys: Promise<JWTVerifyGetKey> | null = null;
  private readonly issuer: string | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly fetchJson: (url: string) => Promise<unknown> = getJson,
  ) {
    super();
    this.issuer = config.JWT_ISSUER ?? config.OIDC_ISSUER;
    if (config.JWKS_URL) {
      this.keys = Promise.resolve(createRemoteJWKSet(new URL(config.JWKS_URL)));
    }
  }

  async verify(token: string): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, await this.keySet(), {
      algorithms: ['RS256', 'ES256'],
      issuer: this.issuer,
      audience: this.config.JWT_AUDIENCE,
    });
    return payload;
  }

  private keySet(): Promise<JWTVerifyGetKey> {
    if (!this.keys) {
      const discovery = `${String(this.config.OIDC_ISSUER).replace(/\/+$/, '')}/.well-known/openid-configuration`;
      this.keys = this.fetchJson(discovery).then((document) => {
        const jwksUri = (document as { jwks_uri?: unknown } | null)?.jwks_uri;
        if (typeof jwksUri !== 'string') {
          throw new Error(`the discovery document ${discovery} names no jwks_uri`);
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
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) {
    throw new Error(`${url} answered ${res.status}`);
  }
  return res.json();
}
