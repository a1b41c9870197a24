import { ConfigError, loadConfig } from './app-config';

const valid = {
  DATABASE_URL: 'postgres://u:p@localhost:5432/db',
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
  DEPLOYMENT_MODE: 'embedded',
  JWT_SECRET: 'x'.repeat(32),
};

describe('loadConfig', () => {
  it('applies defaults and converts numbers', () => {
    const config = loadConfig({ ...valid, PORT: '8080' });
    expect(config.PORT).toBe(8080);
    expect(config.TEMPORAL_NAMESPACE).toBe('default');
    expect(config.TIME_ZONE).toBe('Asia/Ho_Chi_Minh');
  });

  it('names every missing or malformed variable', () => {
    let error: unknown;
    try {
      loadConfig({ TEMPORAL_ADDRESS: 'not an address', PORT: 'eighty', DEPLOYMENT_MODE: 'embedded' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('DATABASE_URL must be a postgres:// connection URL');
    expect(message).toContain('TEMPORAL_ADDRESS must be host:port');
    expect(message).toMatch(/PORT.*integer/);
    expect(message).toContain('JWT_SECRET is required in embedded mode');
  });

  it('demands a JWKS endpoint in production and no HS256 secret', () => {
    expect(() => loadConfig({ ...valid, DEPLOYMENT_MODE: 'production', JWT_SECRET: undefined })).toThrow(
      /JWKS_URL must be an http\(s\) URL in production/,
    );
    expect(
      loadConfig({ ...valid, DEPLOYMENT_MODE: 'production', JWKS_URL: 'https://idp.example.vn/jwks' }).JWKS_URL,
    ).toBe('https://idp.example.vn/jwks');
  });

  it('rejects an unknown deployment mode', () => {
    expect(() => loadConfig({ ...valid, DEPLOYMENT_MODE: 'staging' })).toThrow(/DEPLOYMENT_MODE/);
  });
});
