/** Settings of an embedded deployment that boots (the specs' starting point). */
export const EMBEDDED_SETTINGS = {
  DATABASE_URL: 'postgres://u:p@localhost:5432/db',
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
  DEPLOYMENT_MODE: 'embedded',
  JWT_SECRET: 'x'.repeat(32),
};

/** A production configuration that boots: everything the production checks ask for. */
export const PRODUCTION_SETTINGS = {
  DATABASE_URL: 'postgres://u:p@db.example.vn:5432/dossiers',
  TEMPORAL_ADDRESS: 'temporal.example.vn:7233',
  DEPLOYMENT_MODE: 'production',
  JWKS_URL: 'https://idp.example.vn/jwks',
  JWT_ISSUER: 'https://idp.example.vn/realms/x',
  JWT_AUDIENCE: 'mot-cua-api',
  LOOKUP_PIN_KEY: Buffer.alloc(32, 9).toString('base64'),
  TEMPORAL_PAYLOAD_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
};
