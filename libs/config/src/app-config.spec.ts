import { getMetadataStorage } from 'class-validator';
import { AppConfig, CONFIG_KEYS, ConfigError, loadConfig, partnerSystems } from './app-config';
import { trustProxySetting } from './api-server';
import { isSecureFetchUrl } from './network';
import { agencyTaskQueue } from './task-queues';
import { EMBEDDED_SETTINGS, PRODUCTION_SETTINGS } from './config.test-support';

const valid = EMBEDDED_SETTINGS;

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

  const production = PRODUCTION_SETTINGS;

  it('keeps the worker’s metrics listener on loopback in production unless a scraper token guards it', () => {
    expect(loadConfig({ ...production, WORKER_METRICS_PORT: '9464' }).WORKER_METRICS_HOST).toBe('127.0.0.1');
    expect(() => loadConfig({ ...production, WORKER_METRICS_PORT: '9464', WORKER_METRICS_HOST: '0.0.0.0' })).toThrow(
      /METRICS_TOKEN is required in production when WORKER_METRICS_HOST is beyond loopback/,
    );
    const guarded = { WORKER_METRICS_PORT: '9464', WORKER_METRICS_HOST: '0.0.0.0', METRICS_TOKEN: 't'.repeat(24) };
    expect(loadConfig({ ...production, ...guarded }).WORKER_METRICS_PORT).toBe(9464);
    expect(() => loadConfig({ ...valid, METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 16/);
    expect(() => loadConfig({ ...valid, OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL/,
    );
  });

  it('demands a JWKS endpoint in production and no HS256 secret', () => {
    expect(() => loadConfig({ ...production, JWKS_URL: undefined })).toThrow(
      /JWKS_URL must be an https URL in production/,
    );
    expect(loadConfig(production).JWKS_URL).toBe('https://idp.example.vn/jwks');
  });

  it('does not boot in production without the issuer tokens must carry', () => {
    expect(() => loadConfig({ ...production, JWT_ISSUER: undefined })).toThrow(
      /JWT_ISSUER is required in production: the iss every token must carry/,
    );
    expect(() => loadConfig({ ...production, JWT_ISSUER: '' })).toThrow(/JWT_ISSUER is required in production/);
    // Setting the provider does not stand in for it: the issuer is said once, on purpose.
    expect(() =>
      loadConfig({ ...production, JWT_ISSUER: undefined, OIDC_ISSUER: production.JWT_ISSUER, OIDC_CLIENT_ID: 'c' }),
    ).toThrow(/JWT_ISSUER is required in production/);
  });

  it('does not boot in production without the key lookup PINs are hashed with, nor with a short one', () => {
    expect(() => loadConfig({ ...production, LOOKUP_PIN_KEY: undefined })).toThrow(
      /LOOKUP_PIN_KEY is required in production/,
    );
    expect(() => loadConfig({ ...production, LOOKUP_PIN_KEY: Buffer.alloc(16, 1).toString('base64') })).toThrow(
      /LOOKUP_PIN_KEY/,
    );
    expect(loadConfig({ ...production }).LOOKUP_PIN_KEY).toBe(production.LOOKUP_PIN_KEY);
  });

  it('does not boot in production without the audience tokens must carry', () => {
    expect(() => loadConfig({ ...production, JWT_AUDIENCE: undefined })).toThrow(
      /JWT_AUDIENCE is required in production: the aud every token must carry/,
    );
  });

  it('takes the keys and the discovery document only over https in production (or from loopback)', () => {
    expect(() => loadConfig({ ...production, JWKS_URL: 'http://idp.example.vn/jwks' })).toThrow(
      /JWKS_URL must be an https URL in production \(plain http only to 127.0.0.1 or ::1\)/,
    );
    expect(() =>
      loadConfig({ ...production, JWKS_URL: undefined, OIDC_ISSUER: 'http://idp.example.vn', OIDC_CLIENT_ID: 'c' }),
    ).toThrow(/OIDC_ISSUER must be an https URL in production/);
    expect(loadConfig({ ...production, JWKS_URL: 'http://127.0.0.1:8080/jwks' }).JWKS_URL).toBe(
      'http://127.0.0.1:8080/jwks',
    );
    expect(loadConfig({ ...production, JWKS_URL: 'http://[::1]:8080/jwks' }).JWKS_URL).toBe('http://[::1]:8080/jwks');
    // Embedded mode verifies its own HS256 tokens and fetches nothing.
    expect(loadConfig({ ...valid, OIDC_ISSUER: 'http://idp.example.vn', OIDC_CLIENT_ID: 'c' }).OIDC_ISSUER).toBe(
      'http://idp.example.vn',
    );
    expect(isSecureFetchUrl('http://127.0.0.1.evil.example/jwks')).toBe(false);
    expect(isSecureFetchUrl('http://localhost@evil.example/jwks')).toBe(false);
    expect(isSecureFetchUrl('ftp://idp.example.vn/jwks')).toBe(false);
  });

  it('reads the OpenID provider, taking the JWKS from its discovery when JWKS_URL is unset', () => {
    const withoutJwks = { ...production, JWKS_URL: undefined };
    const config = loadConfig({
      ...withoutJwks,
      OIDC_ISSUER: 'https://idp.example.vn/realms/x',
      OIDC_CLIENT_ID: 'console',
    });
    expect(config).toMatchObject({ OIDC_CLIENT_ID: 'console', OIDC_SCOPES: 'openid profile', JWKS_URL: undefined });
    expect(() => loadConfig({ ...withoutJwks, OIDC_ISSUER: 'https://idp.example.vn' })).toThrow(
      /OIDC_CLIENT_ID is required when OIDC_ISSUER is set/,
    );
    expect(() => loadConfig({ ...withoutJwks, OIDC_ISSUER: 'idp.example.vn', OIDC_CLIENT_ID: 'c' })).toThrow(
      /OIDC_ISSUER must be an http\(s\) URL/,
    );
    expect(() =>
      loadConfig({
        ...withoutJwks,
        OIDC_ISSUER: 'https://idp.example.vn',
        OIDC_CLIENT_ID: 'c',
        OIDC_SCOPES: 'profile',
      }),
    ).toThrow(/OIDC_SCOPES must be space-separated scopes including openid/);
  });

  it('reads every validated setting from the explicit list of keys, and nothing else', () => {
    const validated = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(AppConfig, '', true, false)
        .map((m) => m.propertyName),
    );
    expect([...validated].sort()).toEqual([...CONFIG_KEYS].sort());
    const config = loadConfig({ ...production, JWT_AUDIENCE: 'aud', NODE_OPTIONS: '--inspect', HOME: '/root' });
    expect(config.JWT_AUDIENCE).toBe('aud');
    expect(Object.keys(config)).not.toEqual(expect.arrayContaining(['NODE_OPTIONS']));
    expect(Object.keys(config)).not.toEqual(expect.arrayContaining(['HOME']));
  });

  it('defaults the dossier-code pattern to the legal form and takes Circular 04/2025’s with its system code', () => {
    expect(loadConfig(valid).DOSSIER_CODE_PATTERN).toBe('{UNIT}-{YYMMDD}-{SEQ}');
    expect(loadConfig({ ...valid, DOSSIER_CODE_PATTERN: '{UNIT}-{YYMMDD}-DV{SEQ}' }).DOSSIER_CODE_PATTERN).toBe(
      '{UNIT}-{YYMMDD}-DV{SEQ}',
    );
  });

  it('stops at boot on a dossier-code pattern that is neither legal form, saying which are', () => {
    for (const bad of ['{UNIT}-{SEQ}', '{UNIT}-{YYMMDD}-D{SEQ}', '{UNIT}-{YYMMDD}-dv{SEQ}', 'XXXX']) {
      expect(() => loadConfig({ ...valid, DOSSIER_CODE_PATTERN: bad })).toThrow(
        /DOSSIER_CODE_PATTERN must be \{UNIT\}-\{YYMMDD\}-\{SEQ\} \(Circular 01\/2018\) or \{UNIT\}-\{YYMMDD\}-AA\{SEQ\}/,
      );
    }
  });

  it('rejects an unknown deployment mode', () => {
    expect(() => loadConfig({ ...valid, DEPLOYMENT_MODE: 'staging' })).toThrow(/DEPLOYMENT_MODE/);
  });

  it('reads partner systems, naming each malformed field', () => {
    const partner = {
      id: 'police-system',
      url: 'http://127.0.0.1:3001/',
      outboundKey: 'o'.repeat(32),
      inboundKeys: ['i'.repeat(32)],
      agencies: ['000.00.05.H36'],
    };
    const config = loadConfig({ ...valid, PARTNER_SYSTEMS: JSON.stringify([partner]) });
    expect(partnerSystems(config)).toEqual([{ ...partner, url: 'http://127.0.0.1:3001' }]);
    expect(() => loadConfig({ ...valid, PARTNER_SYSTEMS: '{not json' })).toThrow(
      /PARTNER_SYSTEMS must be a JSON array/,
    );
    let error: unknown;
    try {
      loadConfig({
        ...valid,
        PARTNER_SYSTEMS: JSON.stringify([
          {
            id: 'a b',
            url: 'ftp://x',
            key: 'k'.repeat(32),
            inboundKeys: ['a'.repeat(32), 'b'.repeat(32), 'c'],
            agencies: [],
          },
          partner,
          { ...partner, outboundKey: 'x'.repeat(32), inboundKeys: ['y'.repeat(32)] },
        ]),
      });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems).toEqual([
      'PARTNER_SYSTEMS[0].id must be 1-64 letters, digits, dots, dashes',
      'PARTNER_SYSTEMS[0].url must be an http(s) URL',
      'PARTNER_SYSTEMS[0].key is replaced by outboundKey and inboundKeys: one key per direction',
      'PARTNER_SYSTEMS[0].outboundKey must be a shared secret of at least 32 characters',
      'PARTNER_SYSTEMS[0].inboundKeys must list one or two shared secrets of at least 32 characters (two while rotating)',
      'PARTNER_SYSTEMS: each id must appear once',
    ]);
  });

  it('takes two inbound keys while a partner rotates, and refuses a key serving both directions or two partners', () => {
    const rotating = {
      id: 'police-system',
      url: 'https://police.example.vn',
      outboundKey: 'o'.repeat(32),
      inboundKeys: ['new'.repeat(11), 'old'.repeat(11)],
      agencies: ['000.00.05.H36'],
    };
    expect(
      partnerSystems(loadConfig({ ...valid, PARTNER_SYSTEMS: JSON.stringify([rotating]) }))[0].inboundKeys,
    ).toEqual(['new'.repeat(11), 'old'.repeat(11)]);
    const mirrored = { ...rotating, inboundKeys: ['o'.repeat(32)] };
    expect(() => loadConfig({ ...valid, PARTNER_SYSTEMS: JSON.stringify([mirrored]) })).toThrow(
      /each key must serve one direction of one partner/,
    );
    const shared = { ...rotating, id: 'tax-system', outboundKey: 't'.repeat(32) };
    expect(() => loadConfig({ ...valid, PARTNER_SYSTEMS: JSON.stringify([rotating, shared]) })).toThrow(
      /each key must serve one direction of one partner/,
    );
  });

  it('refuses at a production boot a partner or the portal at a plain http:// URL', () => {
    const partner = {
      id: 'police-system',
      url: 'http://police.example.vn',
      outboundKey: 'o'.repeat(32),
      inboundKeys: ['i'.repeat(32)],
      agencies: ['000.00.05.H36'],
    };
    expect(() => loadConfig({ ...production, PARTNER_SYSTEMS: JSON.stringify([partner]) })).toThrow(
      /PARTNER_SYSTEMS\[0\]\.url must be an https:\/\/ URL in production/,
    );
    const secure = { ...partner, url: 'https://police.example.vn' };
    expect(partnerSystems(loadConfig({ ...production, PARTNER_SYSTEMS: JSON.stringify([secure]) }))).toHaveLength(1);
    expect(() => loadConfig({ ...production, PORTAL_SYNC_URL: 'http://portal.example.vn/sync' })).toThrow(
      /PORTAL_SYNC_URL must be an https:\/\/ URL in production/,
    );
    expect(loadConfig({ ...production, PORTAL_SYNC_URL: 'https://portal.example.vn/sync' }).PORTAL_SYNC_URL).toBe(
      'https://portal.example.vn/sync',
    );
    // Embedded mode talks to partners on loopback.
    expect(partnerSystems(loadConfig({ ...valid, PARTNER_SYSTEMS: JSON.stringify([partner]) }))).toHaveLength(1);
  });

  it('keeps files in PostgreSQL by default; with FILE_STORAGE=s3 names every missing S3 setting, https in production', () => {
    expect(loadConfig(valid)).toMatchObject({ FILE_STORAGE: 'embedded', FILE_MAX_BYTES: 20 * 1024 * 1024 });
    const problems = (() => {
      try {
        loadConfig({ ...valid, FILE_STORAGE: 's3' });
        return [];
      } catch (e) {
        return (e as ConfigError).problems;
      }
    })();
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('S3_ENDPOINT'),
        expect.stringContaining('S3_BUCKET'),
        expect.stringContaining('S3_ACCESS_KEY_ID'),
        expect.stringContaining('S3_SECRET_ACCESS_KEY'),
      ]),
    );
    const s3 = {
      FILE_STORAGE: 's3',
      S3_BUCKET: 'dossier-files',
      S3_ACCESS_KEY_ID: 'key',
      S3_SECRET_ACCESS_KEY: 'secret',
    };
    expect(() => loadConfig({ ...production, ...s3, S3_ENDPOINT: 'http://s3.example.vn' })).toThrow(
      /S3_ENDPOINT must be an https URL in production/,
    );
    expect(loadConfig({ ...production, ...s3, S3_ENDPOINT: 'http://127.0.0.1:7070' }).S3_ENDPOINT).toBe(
      'http://127.0.0.1:7070',
    );
    expect(() => loadConfig({ ...valid, FILE_MAX_BYTES: '10' })).toThrow(/FILE_MAX_BYTES/);
  });

  it('requires the merchant code, hash secret and return URL once payments are enabled, https in production', () => {
    expect(loadConfig(valid).PAYMENT_GATEWAY_URL).toBeUndefined();
    const gateway = { PAYMENT_GATEWAY_URL: 'https://sandbox.vnpayment.vn/paymentv2/vpcpay.html' };
    let message = '';
    try {
      loadConfig({ ...production, ...gateway });
    } catch (e) {
      message = (e as ConfigError).message;
    }
    expect(message).toContain('PAYMENT_TMN_CODE is required with PAYMENT_GATEWAY_URL');
    expect(message).toContain('PAYMENT_HASH_SECRET is required with PAYMENT_GATEWAY_URL');
    expect(message).toContain('PAYMENT_RETURN_URL is required with PAYMENT_GATEWAY_URL');
    const payments = {
      ...gateway,
      PAYMENT_TMN_CODE: 'DEMO0001',
      PAYMENT_HASH_SECRET: 'S'.repeat(32),
      PAYMENT_RETURN_URL: 'https://dvc.example.vn/thanh-toan',
    };
    expect(loadConfig({ ...production, ...payments }).PAYMENT_TMN_CODE).toBe('DEMO0001');
    expect(() => loadConfig({ ...production, ...payments, PAYMENT_HASH_SECRET: 'short' })).toThrow(
      /PAYMENT_HASH_SECRET must be the hash secret the gateway issued/,
    );
    expect(() => loadConfig({ ...production, ...payments, PAYMENT_GATEWAY_URL: 'http://gw.example.vn/pay' })).toThrow(
      /PAYMENT_GATEWAY_URL must be an https URL in production/,
    );
  });

  it("refuses a PAYMENT_RETURN_URL with * ! ' ( ) ~, which the gateway's demos encode differently from ours", () => {
    const payments = {
      PAYMENT_GATEWAY_URL: 'https://sandbox.vnpayment.vn/paymentv2/vpcpay.html',
      PAYMENT_TMN_CODE: 'DEMO0001',
      PAYMENT_HASH_SECRET: 'S'.repeat(32),
    };
    const returnUrl = (url: string) => () => loadConfig({ ...production, ...payments, PAYMENT_RETURN_URL: url });
    expect(returnUrl('https://dvc.example.vn/thanh-toan?ket-qua=1&kenh=vnpay')().PAYMENT_RETURN_URL).toBe(
      'https://dvc.example.vn/thanh-toan?ket-qua=1&kenh=vnpay',
    );
    for (const c of ['*', '!', "'", '(', ')', '~']) {
      expect(returnUrl(`https://dvc.example.vn/thanh-toan${c}`)).toThrow(
        /PAYMENT_RETURN_URL must not contain \* ! ' \( \) ~/,
      );
    }
  });

  it('believes X-Forwarded-For only from the configured proxies, never from anyone', () => {
    expect(trustProxySetting(loadConfig(production))).toBe(false);
    expect(trustProxySetting(loadConfig({ ...production, TRUST_PROXY: '10.0.0.0/8, loopback' }))).toBe(
      '10.0.0.0/8, loopback',
    );
    expect(trustProxySetting(loadConfig({ ...production, TRUST_PROXY: '1' }))).toBe(1);
    for (const bad of ['true', 'all', '*', '10.0.0.1;rm']) {
      expect(() => loadConfig({ ...production, TRUST_PROXY: bad })).toThrow(
        /TRUST_PROXY must list the trusted proxies/,
      );
    }
  });

  it('locks a dossier lookup after ten wrong PINs unless told otherwise, within sane bounds', () => {
    expect(loadConfig(valid).PUBLIC_LOOKUP_WRONG_PINS_BEFORE_LOCK).toBe(10);
    expect(
      loadConfig({ ...valid, PUBLIC_LOOKUP_WRONG_PINS_BEFORE_LOCK: '5' }).PUBLIC_LOOKUP_WRONG_PINS_BEFORE_LOCK,
    ).toBe(5);
    expect(() => loadConfig({ ...valid, PUBLIC_LOOKUP_WRONG_PINS_BEFORE_LOCK: '1000' })).toThrow(
      /PUBLIC_LOOKUP_WRONG_PINS_BEFORE_LOCK/,
    );
  });

  it('names the agency task queues after the dossiers queue, and checks which agencies a worker polls', () => {
    const config = loadConfig({ ...valid, TEMPORAL_TASK_QUEUE: 'lam-dong' });
    expect(agencyTaskQueue(config, '000.00.05.H36')).toBe('lam-dong.agency.000.00.05.H36');
    expect(config.WORKER_AGENCIES).toBe('all');
    expect(loadConfig({ ...valid, WORKER_AGENCIES: '000.00.05.H36,000.31.01.H36' }).WORKER_AGENCIES).toBe(
      '000.00.05.H36,000.31.01.H36',
    );
    expect(() => loadConfig({ ...valid, WORKER_AGENCIES: 'police; drop' })).toThrow(/WORKER_AGENCIES must be all/);
  });
});
