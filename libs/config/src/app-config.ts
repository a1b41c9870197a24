import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MinLength,
  Min,
  ValidateBy,
  ValidateIf,
  validateSync,
  type ValidationArguments,
  type ValidationError,
} from 'class-validator';
import { DEFAULT_DOSSIER_CODE_PATTERN, DOSSIER_CODE_PATTERN_SYNTAX } from '../../domain/src/dossier-code';
import { ON_TIME_FORMULAS, type OnTimeFormula } from '../../domain/src/report/progress';
import { PAYLOAD_KEY_BYTES, type PayloadKeyring } from '../../temporal-codec/src/encryption-codec';
import { isLoopbackHost, isSecureFetchUrl } from './network';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }): unknown =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

/** In production, the URL must pass isSecureFetchUrl; other modes and unset values are left to the other rules. */
function HttpsInProduction(name: string): PropertyDecorator {
  return ValidateBy({
    name: 'httpsInProduction',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        (args?.object as AppConfig | undefined)?.DEPLOYMENT_MODE !== 'production' ||
        value === undefined ||
        (typeof value === 'string' && isSecureFetchUrl(value)),
      defaultMessage: () => `${name} must be an https URL in production (plain http only to 127.0.0.1 or ::1)`,
    },
  });
}

export const DEPLOYMENT_MODES = ['embedded', 'production'] as const;
export type DeploymentMode = (typeof DEPLOYMENT_MODES)[number];
export const FILE_STORAGES = ['embedded', 's3'] as const;
export type FileStorageKind = (typeof FILE_STORAGES)[number];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Every setting the API and the worker read, named as the environment variable that carries it.
 * Validated once at boot: a missing or malformed variable stops the process with a message naming it.
 */
export class AppConfig {
  /** `embedded` issues demo tokens and accepts an HS256 secret; `production` demands JWKS. */
  @IsIn(DEPLOYMENT_MODES)
  DEPLOYMENT_MODE: DeploymentMode = 'production';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /**
   * The address the API listens on. Unset: `127.0.0.1` in embedded mode (its demo tokens make anyone who reaches it
   * an admin, so it stays on this machine unless told otherwise, and then warns), `0.0.0.0` in production.
   */
  @IsOptional()
  @IsString()
  HOST?: string;

  /**
   * Whether the API serves its OpenAPI document and UI at `/api/docs`. Unset: on in embedded mode, off in production,
   * where the document would hand anyone a map of every route and parameter (officers never need it).
   */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'OPENAPI_DOCS must be true or false' })
  OPENAPI_DOCS?: boolean;

  /** The built web console (`npm run build` writes it to dist/web); unset: found beside the API's code. */
  @IsOptional()
  @IsString()
  CONSOLE_DIR?: string;

  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// connection URL' })
  DATABASE_URL!: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  /**
   * How long the API may authorise requests with an officer it read from PostgreSQL without reading it again: the
   * longest a disabled officer (or a changed role or unit) can still act, should the change's notice be lost. Any
   * change to the officers table empties the cache at once (a trigger's NOTIFY); while the API cannot hear those
   * notices it caches nothing. 0: every request reads its officer.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  OFFICER_CACHE_TTL_MS = 5_000;

  @Matches(/^[^:/\s]+:\d{1,5}$/, { message: 'TEMPORAL_ADDRESS must be host:port, e.g. 127.0.0.1:7233' })
  TEMPORAL_ADDRESS!: string;

  @IsString()
  @MinLength(1)
  TEMPORAL_NAMESPACE = 'default';

  @IsString()
  @MinLength(1)
  TEMPORAL_TASK_QUEUE = 'dossiers';

  @IsOptional()
  @IsString()
  TEMPORAL_API_KEY?: string;

  /**
   * TLS to the Temporal frontend. Unset: on in production (the connection carries officers' identities and the
   * dossiers' encrypted payloads), off in embedded mode (a dev server on loopback). `false` in production only behind
   * a mesh that encrypts for it.
   */
  @Transform(toBool)
  @IsBoolean()
  TEMPORAL_TLS = false;

  /** The name the frontend's certificate must carry, when it differs from TEMPORAL_ADDRESS's host (SNI too). */
  @IsOptional()
  @IsString()
  TEMPORAL_TLS_SERVER_NAME?: string;

  /** The CA that signed the frontend's certificate (PEM), for a self-hosted cluster's private CA. */
  @IsOptional()
  @IsString()
  TEMPORAL_TLS_CA_PATH?: string;

  /** mTLS: this process's client certificate (PEM), which the cluster maps to the namespace's writer. */
  @ValidateIf((c: AppConfig) => c.TEMPORAL_TLS_KEY_PATH !== undefined)
  @IsString({ message: 'TEMPORAL_TLS_CERT_PATH is required when TEMPORAL_TLS_KEY_PATH is set' })
  TEMPORAL_TLS_CERT_PATH?: string;

  @ValidateIf((c: AppConfig) => c.TEMPORAL_TLS_CERT_PATH !== undefined)
  @IsString({ message: 'TEMPORAL_TLS_KEY_PATH is required when TEMPORAL_TLS_CERT_PATH is set' })
  TEMPORAL_TLS_KEY_PATH?: string;

  /**
   * The AES-256 keys that encrypt every Temporal payload (domain §10): `id:base64key` pairs, comma-separated, each
   * key 32 random bytes. Required in production. Payloads are written with TEMPORAL_PAYLOAD_KEY_ID and read with any
   * listed key, so a rotation adds the new key everywhere first, then makes it current, and drops the old one only
   * once no open workflow's history needs it.
   */
  @ValidateIf((c: AppConfig) => c.DEPLOYMENT_MODE === 'production' || c.TEMPORAL_PAYLOAD_KEYS !== undefined)
  @IsString({
    message: 'TEMPORAL_PAYLOAD_KEYS is required in production: id:base64key pairs (32-byte AES-256 keys)',
  })
  TEMPORAL_PAYLOAD_KEYS?: string;

  /** The key new payloads are encrypted with; unset: the first of TEMPORAL_PAYLOAD_KEYS. */
  @IsOptional()
  @IsString()
  TEMPORAL_PAYLOAD_KEY_ID?: string;

  /** HS256 secret: embedded mode only (the launcher generates one). */
  @ValidateIf((c: AppConfig) => c.DEPLOYMENT_MODE === 'embedded')
  @IsString({ message: 'JWT_SECRET is required in embedded mode' })
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  /**
   * JWKS endpoint of the OIDC provider: required in production unless OIDC_ISSUER's discovery document names it.
   * Production takes only `https://` (or `http://` to this machine's loopback, which no network can intercept).
   */
  @ValidateIf(
    (c: AppConfig) => c.DEPLOYMENT_MODE === 'production' && (c.JWKS_URL !== undefined || c.OIDC_ISSUER === undefined),
  )
  @IsUrl(
    { require_tld: false, require_protocol: true },
    { message: 'JWKS_URL must be an https URL in production (or set OIDC_ISSUER to read it from discovery)' },
  )
  @HttpsInProduction('JWKS_URL')
  JWKS_URL?: string;

  /**
   * The secret the citizens' lookup PINs are hashed with (HMAC-SHA256): at least 32 random bytes, base64, kept out of
   * the database so a leaked table cannot be tested against the million PINs. Required in production; embedded mode
   * derives one from JWT_SECRET. Changing it invalidates every PIN issued under it (the desk issues new ones).
   */
  @ValidateIf((c: AppConfig) => c.DEPLOYMENT_MODE === 'production' || c.LOOKUP_PIN_KEY !== undefined)
  @Matches(/^[A-Za-z0-9+/]{43,}={0,2}$/, {
    message: 'LOOKUP_PIN_KEY is required in production: at least 32 random bytes, base64 (openssl rand -base64 32)',
  })
  LOOKUP_PIN_KEY?: string;

  /** The `iss` tokens must carry: required in production (tokens of any other issuer are refused). */
  @ValidateIf((c: AppConfig) => c.DEPLOYMENT_MODE === 'production' || c.JWT_ISSUER !== undefined)
  @IsString({ message: 'JWT_ISSUER is required in production: the iss every token must carry' })
  @MinLength(1, { message: 'JWT_ISSUER is required in production: the iss every token must carry' })
  JWT_ISSUER?: string;

  /** The `aud` tokens must carry: required in production (tokens the provider issued for other clients are refused). */
  @ValidateIf((c: AppConfig) => c.DEPLOYMENT_MODE === 'production' || c.JWT_AUDIENCE !== undefined)
  @IsString({ message: 'JWT_AUDIENCE is required in production: the aud every token must carry' })
  @MinLength(1, { message: 'JWT_AUDIENCE is required in production: the aud every token must carry' })
  JWT_AUDIENCE?: string;

  /**
   * The OpenID provider the console signs officers in with (authorization code + PKCE), production only; the API
   * tells the console through `GET /api/v1/auth/options`. Unset: the console offers no sign-in in production.
   */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'OIDC_ISSUER must be an http(s) URL' })
  @HttpsInProduction('OIDC_ISSUER')
  OIDC_ISSUER?: string;

  /** The console's client at the provider (a public client: no secret, PKCE). */
  @ValidateIf((c: AppConfig) => c.OIDC_ISSUER !== undefined)
  @IsString({ message: 'OIDC_CLIENT_ID is required when OIDC_ISSUER is set' })
  @MinLength(1, { message: 'OIDC_CLIENT_ID is required when OIDC_ISSUER is set' })
  OIDC_CLIENT_ID?: string;

  /** The scopes the console asks for, space-separated. */
  @Matches(/^(\S+ )*openid( \S+)*$/, { message: 'OIDC_SCOPES must be space-separated scopes including openid' })
  OIDC_SCOPES = 'openid profile';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  @IsString()
  TIME_ZONE = 'Asia/Ho_Chi_Minh';

  @Transform(toInt)
  @IsInt()
  @Min(10)
  OUTBOX_POLL_INTERVAL_MS = 500;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  OUTBOX_BATCH_SIZE = 50;

  /**
   * The most new dossiers' workflows one API instance's relay has started that have not yet stored their first
   * transition; the starts past it wait in the outbox, in order, until the workers take the ones before up. A burst
   * of intakes then queues in PostgreSQL rather than in the workers' task queue, where an officer's action would wait
   * behind every new dossier's first task. 8 keeps a worker busy (bench:intake: 0.95 of the reference through the
   * first task at 8, 0.75 at 32, 0.53 at 4) while an action waits behind fewer (p50 0.56 s against 1.16 s at 32
   * under saturating intake). 0: no limit.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  WORKFLOW_STARTS_IN_FLIGHT = 8;

  /**
   * The pattern of the dossier codes intake issues (domain §5): `{UNIT}-{YYMMDD}-{SEQ}`, the legal form of Circular
   * 01/2018 art. 19, or Circular 04/2025's `{UNIT}-{YYMMDD}-AA{SEQ}` with the owner system's code written in as AA.
   */
  @Matches(DOSSIER_CODE_PATTERN_SYNTAX, {
    message:
      'DOSSIER_CODE_PATTERN must be {UNIT}-{YYMMDD}-{SEQ} (Circular 01/2018) or {UNIT}-{YYMMDD}-AA{SEQ} with AA the owner system code, two capital letters (Circular 04/2025), e.g. {UNIT}-{YYMMDD}-DV{SEQ}',
  })
  DOSSIER_CODE_PATTERN = DEFAULT_DOSSIER_CODE_PATTERN;

  /** The on-time rate formula reports use unless a request names one (provinces differ: domain §6). */
  @IsIn(ON_TIME_FORMULAS)
  REPORT_ON_TIME_FORMULA: OnTimeFormula = 'RESOLVED';

  /** How often the Temporal Schedule refreshes the report rollups (source=rollups answers as of the last one). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  REPORT_ROLLUP_INTERVAL_MINUTES = 15;

  /**
   * How often the deadline watchdog's Temporal Schedule compares PostgreSQL with the workflows (a dossier open in one
   * and closed or missing in the other, a due time that differs, an outbox message stuck past its lease).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  WATCHDOG_INTERVAL_MINUTES = 15;

  /** An outbox message due this long after its lease ran out, and still not delivered, is reported as stuck. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  WATCHDOG_OUTBOX_STUCK_MINUTES = 5;

  /**
   * The reverse proxies in front of the API whose `X-Forwarded-For` is believed (Express's `trust proxy`): their
   * addresses or subnets, comma-separated (`loopback`, `linklocal`, `uniquelocal` name the usual ranges), or the number
   * of proxy hops. Unset: the header is ignored and the client is the connection's address. Never "all": anyone could
   * then pick their own address and escape the per-client limit of the citizens' lookup.
   */
  @IsOptional()
  @Matches(
    /^(\d{1,2}|(loopback|linklocal|uniquelocal|[0-9A-Fa-f:.]+(\/\d{1,3})?)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9A-Fa-f:.]+(\/\d{1,3})?))*)$/,
    {
      message:
        'TRUST_PROXY must list the trusted proxies (addresses, subnets, loopback, linklocal, uniquelocal; comma-separated) or give a hop count',
    },
  )
  TRUST_PROXY?: string;

  /** Citizens' status lookups (`POST /public/v1/dossiers/{code}/lookup`) allowed per client address per minute. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  PUBLIC_LOOKUPS_PER_CLIENT_PER_MINUTE = 30;

  /** Lookups of one dossier code per hour from all clients together (a six-digit PIN must not be guessable). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  PUBLIC_LOOKUPS_PER_DOSSIER_PER_HOUR = 60;

  /** Wrong PINs in a row that lock a dossier's lookup until a desk clerk issues a new PIN. */
  @Transform(toInt)
  @IsInt()
  @Min(3)
  @Max(100)
  PUBLIC_LOOKUP_WRONG_PINS_BEFORE_LOCK = 10;

  /**
   * Petitions one client address may file from the public form to one unit in 24 hours (`POST /public/v1/petitions`);
   * past it, 429 naming the rule and nothing is stored.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  PUBLIC_PETITIONS_PER_CLIENT_PER_UNIT_PER_DAY = 5;

  /**
   * The work a public petition's proof costs: SHA-256 of the issued challenge and a nonce must start with this many
   * zero bits (2^bits hashes on average: 18 is about a second of a phone's browser, each doubling per bit).
   */
  @Transform(toInt)
  @IsInt()
  @Min(8)
  @Max(28)
  PUBLIC_PETITION_PROOF_BITS = 18;

  /**
   * The national portal's endpoint for dossier status sync. When set, every status change of every dossier is
   * queued (in the transaction that makes it) and delivered there in order per dossier, retried until accepted.
   */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'PORTAL_SYNC_URL must be an http(s) URL' })
  PORTAL_SYNC_URL?: string;

  /** Bearer token the portal expects, if any. */
  @IsOptional()
  @IsString()
  PORTAL_SYNC_TOKEN?: string;

  /**
   * The payment gateway's pay page (VNPay 2.1.0 protocol, e.g. https://sandbox.vnpayment.vn/paymentv2/vpcpay.html).
   * Set: fees can be paid online (the citizen's pay link, the IPN at `/public/v1/payments/gateway/ipn`), and the
   * three PAYMENT_* settings below are required. Unset: fees are paid at the desk only.
   */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'PAYMENT_GATEWAY_URL must be an http(s) URL' })
  @HttpsInProduction('PAYMENT_GATEWAY_URL')
  PAYMENT_GATEWAY_URL?: string;

  /** The merchant (terminal) code the gateway issued (vnp_TmnCode): required when PAYMENT_GATEWAY_URL is set. */
  @ValidateIf((c: AppConfig) => c.PAYMENT_GATEWAY_URL !== undefined || c.PAYMENT_TMN_CODE !== undefined)
  @Matches(/^[A-Za-z0-9]{1,32}$/, {
    message:
      'PAYMENT_TMN_CODE is required with PAYMENT_GATEWAY_URL: the merchant code the gateway issued (letters, digits)',
  })
  PAYMENT_TMN_CODE?: string;

  /**
   * The merchant's hash secret (vnp_HashSecret) that signs payment URLs and verifies notifications: required when
   * PAYMENT_GATEWAY_URL is set (in every mode: nothing can be signed without it).
   */
  @ValidateIf((c: AppConfig) => c.PAYMENT_GATEWAY_URL !== undefined || c.PAYMENT_HASH_SECRET !== undefined)
  @IsString({ message: 'PAYMENT_HASH_SECRET is required with PAYMENT_GATEWAY_URL: the hash secret the gateway issued' })
  @MinLength(16, { message: 'PAYMENT_HASH_SECRET must be the hash secret the gateway issued (at least 16 characters)' })
  PAYMENT_HASH_SECRET?: string;

  /** Where the gateway sends the citizen's browser back (vnp_ReturnUrl): required when PAYMENT_GATEWAY_URL is set. */
  @ValidateIf((c: AppConfig) => c.PAYMENT_GATEWAY_URL !== undefined || c.PAYMENT_RETURN_URL !== undefined)
  @IsUrl(
    { require_tld: false, require_protocol: true },
    { message: 'PAYMENT_RETURN_URL is required with PAYMENT_GATEWAY_URL: an http(s) URL' },
  )
  @HttpsInProduction('PAYMENT_RETURN_URL')
  @Matches(/^[^*!'()~]*$/, {
    message:
      "PAYMENT_RETURN_URL must not contain * ! ' ( ) ~: it is signed into the payment link, and the gateway's own " +
      'encoding of those characters differs from ours (PHP urlencode), so its signature check would fail',
  })
  PAYMENT_RETURN_URL?: string;

  /**
   * The agencies whose segment task queues this worker polls (connected procedures run each agency's segment as a
   * child workflow on `<TEMPORAL_TASK_QUEUE>.agency.<agency code>`): `all` (every agency named by a segment in the
   * catalog, including agencies published while the worker runs: see WORKER_AGENCIES_RECHECK_MS), `none`, or a
   * comma-separated list of agency codes.
   */
  @Matches(/^(all|none|[0-9A-Za-z.]+(,[0-9A-Za-z.]+)*)$/, {
    message: 'WORKER_AGENCIES must be all, none, or a comma-separated list of agency codes',
  })
  WORKER_AGENCIES = 'all';

  /**
   * With WORKER_AGENCIES=all, how often a worker reads the catalog's segment agencies again and starts polling the
   * queue of any new one. A publication is heard at once (NOTIFY catalog_changed); this is the fallback for a notice
   * missed while the worker's LISTEN connection was down. 0: only the notices.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  WORKER_AGENCIES_RECHECK_MS = 60_000;

  /** Whether this worker polls the main dossier task queue (an agency's own worker sets it to false). */
  @Transform(toBool)
  @IsBoolean()
  WORKER_MAIN_QUEUE = true;

  /**
   * Agencies on another system (connected procedures): a JSON array of
   * `{"id", "url", "outboundKey", "inboundKeys": [1-2 keys], "agencies": [agency codes]}`. A segment owned by one of
   * those agencies is handed to the partner's system at `url` (`POST /api/v1/handoffs`, HMAC-SHA256 signed with
   * `outboundKey`), and the partner answers at `/api/v1/handoffs/{id}/callback` signed with one of `inboundKeys`.
   * The same entries say whose inbound hand-offs to accept. `https://` only in production.
   */
  @IsOptional()
  @IsString()
  PARTNER_SYSTEMS?: string;

  /** How this deployment names itself to its partners (the `X-Partner-Id` of what it sends). */
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'HANDOFF_SYSTEM_ID must be 1-64 letters, digits, dots, dashes' })
  HANDOFF_SYSTEM_ID = 'dossiers';

  /** A signed hand-off request older (or newer) than this is refused; within it, each request is taken once. */
  @Transform(toInt)
  @IsInt()
  @Min(30)
  @Max(3600)
  HANDOFF_REPLAY_WINDOW_SECONDS = 300;

  /**
   * Days after a dossier closed (result returned, withdrawn, or stopped) before its applicant's personal data are
   * anonymised (Law 91/2025: kept no longer than the purpose needs); its statistics stay. Set it to the period the
   * province's archive schedule sets for one-stop dossiers.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  PERSONAL_DATA_RETENTION_DAYS = 1825;

  /**
   * Where the scans of papers and results are kept: `embedded` (PostgreSQL, in chunks beside the dossiers: one backup,
   * one transaction with their records) or `s3` (an S3-compatible object store, for production volumes).
   */
  @IsIn(FILE_STORAGES)
  FILE_STORAGE: FileStorageKind = 'embedded';

  /** The object store's endpoint (`https://…`; plain `http://` only to loopback in production). */
  @ValidateIf((c: AppConfig) => c.FILE_STORAGE === 's3')
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'S3_ENDPOINT must be an http(s) URL' })
  @HttpsInProduction('S3_ENDPOINT')
  S3_ENDPOINT?: string;

  /** The bucket the files go to (it must exist). */
  @ValidateIf((c: AppConfig) => c.FILE_STORAGE === 's3')
  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'S3_BUCKET must be an S3 bucket name (3-63 a-z 0-9 . -)' })
  S3_BUCKET?: string;

  @IsString()
  S3_REGION = 'us-east-1';

  @ValidateIf((c: AppConfig) => c.FILE_STORAGE === 's3')
  @IsString()
  @MinLength(1, { message: 'S3_ACCESS_KEY_ID is required when FILE_STORAGE=s3' })
  S3_ACCESS_KEY_ID?: string;

  @ValidateIf((c: AppConfig) => c.FILE_STORAGE === 's3')
  @IsString()
  @MinLength(1, { message: 'S3_SECRET_ACCESS_KEY is required when FILE_STORAGE=s3' })
  S3_SECRET_ACCESS_KEY?: string;

  /** Path-style URLs (`endpoint/bucket/key`), as most self-hosted S3-compatible servers want. */
  @Transform(toBool)
  @IsBoolean()
  S3_FORCE_PATH_STYLE = true;

  /** The largest scan accepted (bytes); a larger upload is refused (422) before anything is stored. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024 * 1024)
  FILE_MAX_BYTES = 20 * 1024 * 1024;

  /**
   * The bearer token a Prometheus scraper sends to read `/metrics` (the API's, and the worker's listener). Unset:
   * `/metrics` is open in embedded mode and not served by the API in production.
   */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string;

  /**
   * The port of the worker's metrics listener (`GET /metrics`: process, activity and Temporal SDK metrics, workflow
   * task latency). Unset: the worker opens no port.
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_METRICS_PORT?: number;

  /**
   * The address the worker's metrics listener binds: loopback unless set. Beyond loopback in production it needs
   * METRICS_TOKEN.
   */
  @IsString()
  WORKER_METRICS_HOST = '127.0.0.1';

  /**
   * The OpenTelemetry collector's OTLP/HTTP base URL (e.g. `http://127.0.0.1:4318`): traces of every request, through
   * Temporal into the activities, are sent to `<url>/v1/traces`. Unset: tracing is off.
   */
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL' },
  )
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /**
   * Workflow tasks the worker runs at once per task queue (the SDK's maxConcurrentWorkflowTaskExecutions). Its
   * workflows run on one thread, so tasks beyond the first wait inside the worker, where an officer's action (a task
   * of a cached dossier) waits behind new dossiers' first tasks: fewer slots answer actions sooner under an intake
   * backlog but take in fewer dossiers per second for more CPU each (measured in bench/README.md).
   */
  @Transform(toInt)
  @IsInt()
  @Min(2)
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS = 40;

  /**
   * Workflows a worker keeps in memory per task queue (0 = the SDK's default, about 600 per GB of heap: ~2,300 with
   * Node's default heap). Each queue's worker has its own cache, so a worker polling the dossiers' queue and N agencies'
   * may hold (N + 1) × this many; a dossier evicted is replayed from its history at its next task (CPU, not loss).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  WORKER_MAX_CACHED_WORKFLOWS = 0;

  /** A worker that has not polled the task queue for this long counts as down in health. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  WORKER_POLL_STALE_MS = 90_000;

  /**
   * On SIGTERM the API answers not-ready at once, keeps serving for this long (a load balancer's time to stop sending
   * it traffic), then stops accepting connections and drains the requests in flight.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  SHUTDOWN_READINESS_DELAY_MS = 0;

  /**
   * How long a stopping process waits for its in-flight work: the API's open requests (then their connections are
   * closed), the worker's running activities (then they are cancelled and retried elsewhere).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  SHUTDOWN_GRACE_MS = 25_000;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((m) => (m.includes(e.property) ? m : `${e.property}: ${m}`)),
  );
}

/** A partner agency's system (see `PARTNER_SYSTEMS`). */
export interface PartnerSystem {
  id: string;
  /** Base URL of its API (`https://…`, without `/api/v1`). */
  url: string;
  /** The HMAC key that signs what this deployment sends to the partner (at least 32 characters). */
  outboundKey: string;
  /**
   * The keys the partner's requests may be signed with: its current one, and during a rotation the previous one too
   * (one or two, at least 32 characters each, none of them an outbound key).
   */
  inboundKeys: string[];
  agencies: string[];
}

const PARTNER_SHAPE = 'PARTNER_SYSTEMS must be a JSON array of {id, url, outboundKey, inboundKeys, agencies}';
const isKey = (k: unknown): k is string => typeof k === 'string' && k.length >= 32;

/**
 * The configured partner systems, checked field by field. One key per direction, so a message this deployment sent
 * never verifies if reflected back to it; no key serves twice; in production only `https://` partners.
 */
export function partnerSystems(config: Pick<AppConfig, 'PARTNER_SYSTEMS' | 'DEPLOYMENT_MODE'>): PartnerSystem[] {
  if (!config.PARTNER_SYSTEMS) {
    return [];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(config.PARTNER_SYSTEMS);
  } catch {
    throw new ConfigError([PARTNER_SHAPE]);
  }
  if (!Array.isArray(parsed)) {
    throw new ConfigError([PARTNER_SHAPE]);
  }
  const problems: string[] = [];
  const partners = parsed.map((p: Partial<PartnerSystem> & { key?: unknown }, i) => {
    const at = `PARTNER_SYSTEMS[${i}]`;
    if (typeof p.id !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(p.id)) {
      problems.push(`${at}.id must be 1-64 letters, digits, dots, dashes`);
    }
    if (typeof p.url !== 'string' || !/^https?:\/\/[^\s]+$/.test(p.url)) {
      problems.push(`${at}.url must be an http(s) URL`);
    } else if (config.DEPLOYMENT_MODE === 'production' && !p.url.startsWith('https://')) {
      problems.push(`${at}.url must be an https:// URL in production (hand-offs carry personal data)`);
    }
    if (p.key !== undefined) {
      problems.push(`${at}.key is replaced by outboundKey and inboundKeys: one key per direction`);
    }
    if (!isKey(p.outboundKey)) {
      problems.push(`${at}.outboundKey must be a shared secret of at least 32 characters`);
    }
    if (
      !Array.isArray(p.inboundKeys) ||
      p.inboundKeys.length < 1 ||
      p.inboundKeys.length > 2 ||
      !p.inboundKeys.every(isKey)
    ) {
      problems.push(
        `${at}.inboundKeys must list one or two shared secrets of at least 32 characters (two while rotating)`,
      );
    }
    if (!Array.isArray(p.agencies) || p.agencies.some((a) => typeof a !== 'string' || a === '')) {
      problems.push(`${at}.agencies must list the agency codes the partner's system serves`);
    }
    return {
      id: p.id,
      url: String(p.url ?? '').replace(/\/+$/, ''),
      outboundKey: p.outboundKey,
      inboundKeys: p.inboundKeys,
      agencies: p.agencies,
    } as PartnerSystem;
  });
  if (new Set(partners.map((p) => p.id)).size !== partners.length) {
    problems.push('PARTNER_SYSTEMS: each id must appear once');
  }
  const keys = partners.flatMap((p) => [p.outboundKey, ...(Array.isArray(p.inboundKeys) ? p.inboundKeys : [])]);
  if (problems.length === 0 && new Set(keys).size !== keys.length) {
    problems.push(
      'PARTNER_SYSTEMS: each key must serve one direction of one partner (an outbound key is never an inbound one)',
    );
  }
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return partners;
}

const PAYLOAD_KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The payload encryption keys (see `TEMPORAL_PAYLOAD_KEYS`), checked; undefined when none is configured. */
export function temporalPayloadKeys(
  config: Pick<AppConfig, 'TEMPORAL_PAYLOAD_KEYS' | 'TEMPORAL_PAYLOAD_KEY_ID'>,
): PayloadKeyring | undefined {
  if (!config.TEMPORAL_PAYLOAD_KEYS) {
    return undefined;
  }
  const problems: string[] = [];
  const keys = new Map<string, Buffer>();
  config.TEMPORAL_PAYLOAD_KEYS.split(',').forEach((entry, i) => {
    const at = `TEMPORAL_PAYLOAD_KEYS[${i}]`;
    const [id, encoded = ''] = entry.trim().split(':', 2);
    const key = Buffer.from(encoded, 'base64');
    if (!PAYLOAD_KEY_ID.test(id)) {
      problems.push(`${at} must start with a key ID of 1-64 letters, digits, dots, dashes, then ":"`);
    } else if (keys.has(id)) {
      problems.push(`${at}: key ID ${id} appears twice`);
    }
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded) || key.length !== PAYLOAD_KEY_BYTES) {
      problems.push(`${at} must be id:key with the key ${PAYLOAD_KEY_BYTES} random bytes in base64`);
    }
    keys.set(id, key);
  });
  const current = config.TEMPORAL_PAYLOAD_KEY_ID ?? config.TEMPORAL_PAYLOAD_KEYS.split(':', 1)[0].trim();
  if (problems.length === 0 && !keys.has(current)) {
    problems.push(`TEMPORAL_PAYLOAD_KEY_ID ${current} must be one of the key IDs in TEMPORAL_PAYLOAD_KEYS`);
  }
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return { current, keys };
}

/** What the API calls out to must be `https://` in production: personal data never crosses a network in clear. */
function outboundProblems(config: AppConfig): string[] {
  if (
    config.DEPLOYMENT_MODE === 'production' &&
    config.PORTAL_SYNC_URL &&
    !config.PORTAL_SYNC_URL.startsWith('https://')
  ) {
    return ['PORTAL_SYNC_URL must be an https:// URL in production'];
  }
  if (
    config.DEPLOYMENT_MODE === 'production' &&
    config.WORKER_METRICS_PORT !== undefined &&
    !isLoopbackHost(config.WORKER_METRICS_HOST) &&
    !config.METRICS_TOKEN
  ) {
    return ['METRICS_TOKEN is required in production when WORKER_METRICS_HOST is beyond loopback'];
  }
  return [];
}

/**
 * The variables the API and the worker read, by name: nothing else from the environment reaches the configuration.
 * Listed by hand (not taken from the class's emitted fields, which depend on how it is compiled: an optional field
 * without an initialiser may not exist at run time, and its variable would be silently ignored).
 */
export const CONFIG_KEYS = [
  'DEPLOYMENT_MODE',
  'PORT',
  'HOST',
  'OPENAPI_DOCS',
  'CONSOLE_DIR',
  'DATABASE_URL',
  'DATABASE_POOL_SIZE',
  'OFFICER_CACHE_TTL_MS',
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_TASK_QUEUE',
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS',
  'TEMPORAL_TLS_CERT_PATH',
  'TEMPORAL_TLS_KEY_PATH',
  'TEMPORAL_TLS_SERVER_NAME',
  'TEMPORAL_TLS_CA_PATH',
  'TEMPORAL_PAYLOAD_KEYS',
  'TEMPORAL_PAYLOAD_KEY_ID',
  'PERSONAL_DATA_RETENTION_DAYS',
  'JWT_SECRET',
  'LOOKUP_PIN_KEY',
  'JWKS_URL',
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  'OIDC_ISSUER',
  'OIDC_CLIENT_ID',
  'OIDC_SCOPES',
  'LOG_LEVEL',
  'TIME_ZONE',
  'OUTBOX_POLL_INTERVAL_MS',
  'OUTBOX_BATCH_SIZE',
  'WORKFLOW_STARTS_IN_FLIGHT',
  'DOSSIER_CODE_PATTERN',
  'REPORT_ON_TIME_FORMULA',
  'REPORT_ROLLUP_INTERVAL_MINUTES',
  'WATCHDOG_INTERVAL_MINUTES',
  'WATCHDOG_OUTBOX_STUCK_MINUTES',
  'SHUTDOWN_READINESS_DELAY_MS',
  'SHUTDOWN_GRACE_MS',
  'PUBLIC_LOOKUPS_PER_CLIENT_PER_MINUTE',
  'PUBLIC_LOOKUPS_PER_DOSSIER_PER_HOUR',
  'PUBLIC_LOOKUP_WRONG_PINS_BEFORE_LOCK',
  'PUBLIC_PETITIONS_PER_CLIENT_PER_UNIT_PER_DAY',
  'PUBLIC_PETITION_PROOF_BITS',
  'TRUST_PROXY',
  'PORTAL_SYNC_URL',
  'PORTAL_SYNC_TOKEN',
  'WORKER_AGENCIES',
  'WORKER_AGENCIES_RECHECK_MS',
  'WORKER_MAIN_QUEUE',
  'PARTNER_SYSTEMS',
  'HANDOFF_SYSTEM_ID',
  'HANDOFF_REPLAY_WINDOW_SECONDS',
  'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS',
  'WORKER_MAX_CACHED_WORKFLOWS',
  'WORKER_POLL_STALE_MS',
  'FILE_STORAGE',
  'S3_ENDPOINT',
  'S3_BUCKET',
  'S3_REGION',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
  'S3_FORCE_PATH_STYLE',
  'FILE_MAX_BYTES',
  'METRICS_TOKEN',
  'WORKER_METRICS_PORT',
  'WORKER_METRICS_HOST',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'PAYMENT_GATEWAY_URL',
  'PAYMENT_TMN_CODE',
  'PAYMENT_HASH_SECRET',
  'PAYMENT_RETURN_URL',
] as const satisfies readonly (keyof AppConfig)[];

/** Fails to compile when a setting of AppConfig is missing from CONFIG_KEYS. */
type Unlisted = Exclude<keyof AppConfig, (typeof CONFIG_KEYS)[number]>;
const everySettingListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everySettingListed;

/** Reads and validates the configuration from an environment (the process's own unless given). */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const picked: Record<string, string> = {};
  for (const key of CONFIG_KEYS) {
    const value = env[key];
    if (value !== undefined && value !== '') {
      picked[key] = value;
    }
  }
  const config = plainToInstance(AppConfig, picked, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: true });
  const problems = [...describe(errors), ...outboundProblems(config)];
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  partnerSystems(config);
  temporalPayloadKeys(config);
  if (picked.TEMPORAL_TLS === undefined) {
    // Encrypted by default where it matters: see TEMPORAL_TLS.
    config.TEMPORAL_TLS = config.DEPLOYMENT_MODE === 'production';
  }
  return config;
}
