import { readFileSync } from 'node:fs';
import { type DataConverter } from '@temporalio/common';
import { type TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import { EncryptionCodec } from '../../temporal-codec/src/encryption-codec';
import { type AppConfig, temporalPayloadKeys } from './app-config';

export interface TemporalConnectionSettings {
  address: string;
  tls?: boolean | TLSConfig;
  apiKey?: string;
}

/**
 * The connection settings shared by the API's client and the worker: TLS (on by default in production), with the
 * frontend's server name and private CA when set, mTLS with a client certificate, or a Temporal Cloud API key.
 */
export function temporalConnectionSettings(config: AppConfig): TemporalConnectionSettings {
  const settings: TemporalConnectionSettings = { address: config.TEMPORAL_ADDRESS };
  const tls: TLSConfig = {};
  if (config.TEMPORAL_TLS_SERVER_NAME) {
    tls.serverNameOverride = config.TEMPORAL_TLS_SERVER_NAME;
  }
  if (config.TEMPORAL_TLS_CA_PATH) {
    tls.serverRootCACertificate = readFileSync(config.TEMPORAL_TLS_CA_PATH);
  }
  if (config.TEMPORAL_TLS_CERT_PATH && config.TEMPORAL_TLS_KEY_PATH) {
    tls.clientCertPair = {
      crt: readFileSync(config.TEMPORAL_TLS_CERT_PATH),
      key: readFileSync(config.TEMPORAL_TLS_KEY_PATH),
    };
  }
  if (Object.keys(tls).length > 0) {
    settings.tls = tls;
  } else if (config.TEMPORAL_TLS || config.TEMPORAL_API_KEY) {
    settings.tls = true;
  }
  if (config.TEMPORAL_API_KEY) {
    settings.apiKey = config.TEMPORAL_API_KEY;
  }
  return settings;
}

/**
 * How the API's client and the worker turn values into Temporal payloads: the default converter, then encryption
 * with the configured keys (none configured, embedded mode only: payloads stay as they are).
 */
export function temporalDataConverter(config: AppConfig): DataConverter {
  const keyring = temporalPayloadKeys(config);
  return keyring ? { payloadCodecs: [new EncryptionCodec(keyring)] } : {};
}
