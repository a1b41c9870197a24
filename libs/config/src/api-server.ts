import { type AppConfig } from './app-config';
import { isLoopbackHost } from './network';

/** The address the API listens on: HOST, else loopback in embedded mode and every interface in production. */
export function listenHost(config: Pick<AppConfig, 'HOST' | 'DEPLOYMENT_MODE'>): string {
  return config.HOST ?? (config.DEPLOYMENT_MODE === 'embedded' ? '127.0.0.1' : '0.0.0.0');
}

/**
 * The warning an embedded deployment told to listen beyond loopback must print (null when it does not): its demo
 * tokens make anyone who reaches the port an officer of their choosing, the admin included.
 */
export function embeddedExposureWarning(config: Pick<AppConfig, 'HOST' | 'DEPLOYMENT_MODE' | 'PORT'>): string | null {
  const host = listenHost(config);
  if (config.DEPLOYMENT_MODE !== 'embedded' || isLoopbackHost(host)) {
    return null;
  }
  const rule = '!'.repeat(100);
  return [
    rule,
    `!!  WARNING: embedded mode is listening on ${host}:${config.PORT}, beyond this machine (HOST=${host}).`,
    '!!  Embedded mode hands out demo tokens: ANYONE who can reach this port can sign in as any demo officer,',
    '!!  the admin included (POST /api/v1/auth/token). Use it on a network only for a demo with nothing real in it;',
    '!!  unset HOST to keep it on 127.0.0.1, or run DEPLOYMENT_MODE=production with single sign-on.',
    rule,
  ].join('\n');
}

/** Whether the API serves its OpenAPI document and UI: OPENAPI_DOCS, else only in embedded mode. */
export function servesApiDocs(config: Pick<AppConfig, 'OPENAPI_DOCS' | 'DEPLOYMENT_MODE'>): boolean {
  return config.OPENAPI_DOCS ?? config.DEPLOYMENT_MODE === 'embedded';
}

/** Express's `trust proxy` setting from TRUST_PROXY: a hop count, the trusted addresses, or none. */
export function trustProxySetting(config: Pick<AppConfig, 'TRUST_PROXY'>): number | string | false {
  const value = config.TRUST_PROXY?.trim();
  if (!value) {
    return false;
  }
  return /^\d+$/.test(value) ? Number(value) : value;
}
