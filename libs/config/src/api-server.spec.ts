import { embeddedExposureWarning, listenHost, servesApiDocs } from './api-server';
import { loadConfig } from './app-config';
import { EMBEDDED_SETTINGS, PRODUCTION_SETTINGS } from './config.test-support';

const valid = EMBEDDED_SETTINGS;

const production = PRODUCTION_SETTINGS;

describe('the API server settings', () => {
  it('keeps embedded mode on loopback unless HOST says otherwise, and then has a loud warning for it', () => {
    const embedded = loadConfig(valid);
    expect(listenHost(embedded)).toBe('127.0.0.1');
    expect(embeddedExposureWarning(embedded)).toBeNull();
    expect(embeddedExposureWarning(loadConfig({ ...valid, HOST: '::1' }))).toBeNull();
    const exposed = loadConfig({ ...valid, HOST: '0.0.0.0', PORT: '3000' });
    expect(listenHost(exposed)).toBe('0.0.0.0');
    expect(embeddedExposureWarning(exposed)).toMatch(/WARNING: embedded mode is listening on 0\.0\.0\.0:3000/);
    expect(embeddedExposureWarning(exposed)).toMatch(/ANYONE who can reach this port can sign in as any demo officer/);
    expect(listenHost(loadConfig(production))).toBe('0.0.0.0');
    expect(embeddedExposureWarning(loadConfig({ ...production, HOST: '0.0.0.0' }))).toBeNull();
  });

  it('serves the OpenAPI document in embedded mode only, unless OPENAPI_DOCS says otherwise', () => {
    expect(servesApiDocs(loadConfig(valid))).toBe(true);
    expect(servesApiDocs(loadConfig(production))).toBe(false);
    expect(servesApiDocs(loadConfig({ ...production, OPENAPI_DOCS: 'true' }))).toBe(true);
    expect(servesApiDocs(loadConfig({ ...valid, OPENAPI_DOCS: 'false' }))).toBe(false);
    expect(() => loadConfig({ ...valid, OPENAPI_DOCS: 'sometimes' })).toThrow(/OPENAPI_DOCS must be true or false/);
  });
});
