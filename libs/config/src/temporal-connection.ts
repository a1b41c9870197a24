import { readFileSync } from 'node:fs';
import { type AppConfig } from './app-config';

export interface TemporalConnectionSettings {
  address: string;
  tls?: boolean | { clientCertPair: { crt: Buffer; key: Buffer } };
  apiKey?: string;
}

/** The connection settings shared by the API's client and the worker (self-hosted mTLS or Temporal Cloud API key). */
export function temporalConnectionSettings(config: AppConfig): TemporalConnectionSettings {
  const settings: TemporalConnectionSettings = { address: config.TEMPORAL_ADDRESS };
  if (config.TEMPORAL_TLS_CERT_PATH && config.TEMPORAL_TLS_KEY_PATH) {
    settings.tls = {
      clientCertPair: {
        crt: readFileSync(config.TEMPORAL_TLS_CERT_PATH),
        key: readFileSync(config.TEMPORAL_TLS_KEY_PATH),
      },
    };
  } else if (config.TEMPORAL_TLS || config.TEMPORAL_API_KEY) {
    settings.tls = true;
  }
  if (config.TEMPORAL_API_KEY) {
    settings.apiKey = config.TEMPORAL_API_KEY;
  }
  return settings;
}
