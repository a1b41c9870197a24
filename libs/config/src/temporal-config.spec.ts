import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConfigError, loadConfig, temporalPayloadKeys } from './app-config';
import { EMBEDDED_SETTINGS } from './config.test-support';
import { temporalConnectionSettings, temporalDataConverter } from './temporal-connection';

const valid = EMBEDDED_SETTINGS;
const KEY_2026 = Buffer.alloc(32, 1).toString('base64');
const KEY_2025 = Buffer.alloc(32, 2).toString('base64');
/** What production needs besides the embedded settings (the sign-in and the payload keys). */
const production = {
  ...valid,
  DEPLOYMENT_MODE: 'production',
  JWT_SECRET: undefined,
  JWKS_URL: 'https://idp.example.vn/jwks',
  JWT_ISSUER: 'https://idp.example.vn/realms/x',
  JWT_AUDIENCE: 'mot-cua-api',
  LOOKUP_PIN_KEY: Buffer.alloc(32, 9).toString('base64'),
  TEMPORAL_PAYLOAD_KEYS: `k2026:${KEY_2026}`,
};

/** The connection to Temporal: payload encryption keys, TLS, and the retention of personal data. */
describe('loadConfig (Temporal and retention)', () => {
  it('stops a production boot without the keys that encrypt Temporal payloads', () => {
    expect(() => loadConfig({ ...production, TEMPORAL_PAYLOAD_KEYS: undefined })).toThrow(
      /TEMPORAL_PAYLOAD_KEYS is required in production/,
    );
    expect(temporalPayloadKeys(loadConfig({ ...valid }))).toBeUndefined();
  });

  it('reads the payload keys: the first is current unless named, each 32 bytes under its own ID', () => {
    const keys = `k2026:${KEY_2026},k2025:${KEY_2025}`;
    const ring = temporalPayloadKeys(loadConfig({ ...production, TEMPORAL_PAYLOAD_KEYS: keys }))!;
    expect(ring.current).toBe('k2026');
    expect([...ring.keys.keys()]).toEqual(['k2026', 'k2025']);
    expect(ring.keys.get('k2025')).toEqual(Buffer.alloc(32, 2));
    const rotating = loadConfig({ ...production, TEMPORAL_PAYLOAD_KEYS: keys, TEMPORAL_PAYLOAD_KEY_ID: 'k2025' });
    expect(temporalPayloadKeys(rotating)!.current).toBe('k2025');
    expect(temporalDataConverter(rotating).payloadCodecs).toHaveLength(1);
  });

  it('names each malformed payload key, and a current key ID that is not listed', () => {
    let error: unknown;
    try {
      loadConfig({
        ...production,
        TEMPORAL_PAYLOAD_KEYS: `bad id:${KEY_2026},short:${Buffer.alloc(16).toString('base64')},k:${KEY_2025},k:${KEY_2025}`,
      });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems).toEqual([
      'TEMPORAL_PAYLOAD_KEYS[0] must start with a key ID of 1-64 letters, digits, dots, dashes, then ":"',
      'TEMPORAL_PAYLOAD_KEYS[1] must be id:key with the key 32 random bytes in base64',
      'TEMPORAL_PAYLOAD_KEYS[3]: key ID k appears twice',
    ]);
    expect(() => loadConfig({ ...production, TEMPORAL_PAYLOAD_KEY_ID: 'k2024' })).toThrow(
      /TEMPORAL_PAYLOAD_KEY_ID k2024 must be one of the key IDs/,
    );
  });

  it('connects to Temporal over TLS in production unless told otherwise, in plain text in embedded mode', () => {
    expect(loadConfig(production).TEMPORAL_TLS).toBe(true);
    expect(temporalConnectionSettings(loadConfig(production)).tls).toBe(true);
    expect(loadConfig({ ...production, TEMPORAL_TLS: 'false' }).TEMPORAL_TLS).toBe(false);
    expect(temporalConnectionSettings(loadConfig(valid)).tls).toBeUndefined();
  });

  it('passes the server name, the private CA and the client certificate (mTLS) from files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'temporal-tls-'));
    const file = (name: string, text: string): string => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const config = loadConfig({
      ...production,
      TEMPORAL_ADDRESS: '10.0.0.5:7233',
      TEMPORAL_TLS_SERVER_NAME: 'frontend.temporal.lam-dong.internal',
      TEMPORAL_TLS_CA_PATH: file('ca.pem', 'CA PEM'),
      TEMPORAL_TLS_CERT_PATH: file('client.pem', 'CLIENT CERT PEM'),
      TEMPORAL_TLS_KEY_PATH: file('client.key', 'CLIENT KEY PEM'),
    });
    expect(temporalConnectionSettings(config)).toEqual({
      address: '10.0.0.5:7233',
      tls: {
        serverNameOverride: 'frontend.temporal.lam-dong.internal',
        serverRootCACertificate: Buffer.from('CA PEM'),
        clientCertPair: { crt: Buffer.from('CLIENT CERT PEM'), key: Buffer.from('CLIENT KEY PEM') },
      },
    });
    expect(() => loadConfig({ ...production, TEMPORAL_TLS_KEY_PATH: '/k' })).toThrow(
      /TEMPORAL_TLS_CERT_PATH is required when TEMPORAL_TLS_KEY_PATH is set/,
    );
  });

  it('keeps personal data five years after a dossier closes unless set, at least a day', () => {
    expect(loadConfig(valid).PERSONAL_DATA_RETENTION_DAYS).toBe(1825);
    expect(loadConfig({ ...valid, PERSONAL_DATA_RETENTION_DAYS: '3650' }).PERSONAL_DATA_RETENTION_DAYS).toBe(3650);
    expect(() => loadConfig({ ...valid, PERSONAL_DATA_RETENTION_DAYS: '0' })).toThrow(/PERSONAL_DATA_RETENTION_DAYS/);
  });
});
