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

/** Production: RS256/ES256 tokens of any OIDC provider, keys fetched (and cached) from its JWKS endpoint. */
export class JwksTokenVerifier extends TokenVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(private readonly config: AppConfig) {
    super();
    this.keys = createRemoteJWKSet(new URL(String(config.JWKS_URL)));
  }

  async verify(token: string): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, this.keys, {
      algorithms: ['RS256', 'ES256'],
      issuer: this.config.JWT_ISSUER,
      audience: this.config.JWT_AUDIENCE,
    });
    return payload;
  }
}
