import path from 'node:path';
import { z } from 'zod';

/** How bearer tokens are verified: a shared HS256 secret (development) or an OIDC issuer's JWKS (production). */
export type AuthConfig =
  | { mode: 'hs256'; secret: string; issuer?: string; audience?: string; usingDevelopmentSecret: boolean }
  | { mode: 'oidc'; issuer: string; audience: string; jwksUrl: string };

/** The gateway's whole configuration, parsed once from the environment and frozen. */
export interface GatewayConfig {
  nodeEnv: 'development' | 'test' | 'production';
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  dataDir: string;
  sources: { iyss: string; umis: string; yois: string; dms: string };
  /** Folder holding DMS document content (the embedded file store). */
  dmsFilesDir: string;
  documentLinks: { secret: string; ttlSeconds: number };
  /** Largest document content `uploadDocument` accepts, in bytes once decoded (it travels base64 in the JSON body). */
  documentUploadMaxBytes: number;
  /** The demographic outbox's delivery rounds and retry backoff. */
  outbox: { intervalMs: number; backoffMs: number; maxBackoffMs: number; leaseMs: number };
  gatewayStoreUrl: string;
  seed: { enabled: boolean; volume: number; prngSeed: number };
  pool: { maxConnections: number; queueLimit: number; connectTimeoutMs: number; acquireTimeoutMs: number; statementTimeoutMs: number };
  /** Longest one attempt at a source call may take (a backstop above every driver timeout). */
  sourceTimeoutMs: number;
  /** A request's budget for source calls: no call or retry starts after it. */
  requestDeadlineMs: number;
  /** Per-source circuit breaker: consecutive failures that open it, and how long it stays open before one trial call. */
  breaker: { consecutiveFailures: number; halfOpenAfterMs: number };
  /** Admission: concurrent GraphQL requests, requests waiting for a slot (and how long), and concurrent requests per caller. */
  admission: { maxConcurrent: number; maxQueued: number; maxQueueWaitMs: number; maxPerCaller: number };
  /** Calls one request may have open to one source at a time, so it cannot hold the whole pool. */
  maxSourceCallsPerRequest: number;
  /** Bearer token Prometheus must send to GET /metrics; /metrics answers 404 without one configured. */
  metricsToken: string | null;
  limits: {
    maxPageSize: number;
    maxIdsPerLookup: number;
    maxComplexity: number;
    maxSearchCandidates: number;
    /** Lexical tokens in one query text, counted before parsing. */
    maxTokens: number;
    maxDepth: number;
    maxAliases: number;
    maxRootFields: number;
    /** The cost model's weights, in units of one field resolved for one item. */
    cost: { sourceCall: number; search: number; assumedListLength: number };
  };
  /** Introspection and "Did you mean ...?" suggestions in errors: both reveal the schema. */
  introspection: boolean;
  /** Browser origins allowed to call the gateway cross-origin (`http://host:port`, or `:*` for any port). None is deny. */
  corsOrigins: string[];
  /** The offline GraphiQL explorer on GET / and GET /graphql (never in production). */
  explorer: boolean;
  /** The front-ends' persisted-operation manifest (`client/generated/persisted-documents.json`), and whether only its operations may run. */
  persistedOperations: { file: string; only: boolean } | null;
  /** Signed checkpoints of the audit chain's end, written outside the store (the log, and `file` when set). */
  auditCheckpoints: { secret: string; intervalMs: number; file?: string };
  shutdownGraceMs: number;
  /** How stale the cached active policy may be before a request re-reads which version is active. */
  policyRefreshMs: number;
  auth: AuthConfig;
}

/** Shipped only so `npm start` works with no configuration; refused when NODE_ENV=production. */
export const DEVELOPMENT_JWT_SECRET = 'development-only-secret-change-me-0123456789';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');
const databaseUrl = z
  .string()
  .regex(/^(sqlite:|mysql:\/\/|mariadb:\/\/|mssql:\/\/|sqlserver:\/\/)/, 'expected sqlite:<file>, mysql://... or mssql://...');

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: int(1, 65_535).default(4000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().min(1).default('data'),
  IYSS_DB_URL: databaseUrl.optional(),
  UMIS_DB_URL: databaseUrl.optional(),
  YOIS_DB_URL: databaseUrl.optional(),
  DMS_DB_URL: databaseUrl.optional(),
  DMS_FILES_DIR: z.string().min(1).optional(),
  DOCUMENT_LINK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  DOCUMENT_LINK_TTL_SECONDS: int(10, 3_600).default(300),
  // The JSON body is capped at 256 KB, and base64 is 4/3 of the bytes.
  DOCUMENT_UPLOAD_MAX_BYTES: int(1, 180_000).default(131_072),
  OUTBOX_INTERVAL_MS: int(50, 3_600_000).default(5_000),
  OUTBOX_BACKOFF_MS: int(10, 3_600_000).default(5_000),
  OUTBOX_MAX_BACKOFF_MS: int(10, 86_400_000).default(900_000),
  GATEWAY_DB_URL: databaseUrl.optional(),
  SEED_ON_START: bool.default(true),
  SEED_VOLUME: int(10, 1_000_000).default(2_000),
  SEED_PRNG_SEED: int(0, 2 ** 31 - 1).default(20_261_124),
  DB_POOL_MAX: int(1, 200).default(10),
  DB_POOL_QUEUE_LIMIT: int(0, 100_000).default(200),
  DB_CONNECT_TIMEOUT_MS: int(100, 120_000).default(2_000),
  DB_ACQUIRE_TIMEOUT_MS: int(100, 120_000).default(2_000),
  DB_STATEMENT_TIMEOUT_MS: int(100, 600_000).default(3_000),
  SOURCE_TIMEOUT_MS: int(100, 600_000).default(4_000),
  REQUEST_DEADLINE_MS: int(100, 600_000).default(8_000),
  BREAKER_FAILURES: int(1, 1_000).default(5),
  BREAKER_HALF_OPEN_MS: int(100, 600_000).default(5_000),
  MAX_CONCURRENT_REQUESTS: int(1, 10_000).default(40),
  MAX_QUEUED_REQUESTS: int(0, 100_000).default(100),
  MAX_QUEUE_WAIT_MS: int(0, 60_000).default(1_000),
  MAX_REQUESTS_PER_CALLER: int(1, 10_000).default(10),
  MAX_SOURCE_CALLS_PER_REQUEST: int(1, 200).default(3),
  METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  MAX_PAGE_SIZE: int(1, 1_000).default(100),
  MAX_IDS_PER_LOOKUP: int(1, 5_000).default(500),
  MAX_QUERY_COMPLEXITY: int(10, 10_000_000).default(50_000),
  MAX_SEARCH_CANDIDATES: int(10, 100_000).default(5_000),
  MAX_QUERY_TOKENS: int(50, 1_000_000).default(3_000),
  MAX_QUERY_DEPTH: int(2, 100).default(15),
  MAX_ALIASES: int(0, 10_000).default(50),
  MAX_ROOT_FIELDS: int(1, 10_000).default(20),
  QUERY_COST_SOURCE_CALL: int(0, 1_000_000).default(100),
  QUERY_COST_SEARCH: int(0, 1_000_000).default(300),
  GRAPHQL_INTROSPECTION: bool.optional(),
  CORS_ORIGINS: z
    .string()
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^https?:\/\/[a-z0-9.-]+(:(\d{1,5}|\*))?$/i, 'each origin must be scheme://host[:port] (":*" for any port), no path, no wildcard host')))
    .optional(),
  PERSISTED_OPERATIONS_FILE: z.string().min(1).optional(),
  PERSISTED_OPERATIONS_ONLY: bool.optional(),
  AUDIT_CHECKPOINT_FILE: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_INTERVAL_MS: int(100, 86_400_000).default(60_000),
  AUDIT_CHECKPOINT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SHUTDOWN_GRACE_MS: int(0, 600_000).default(10_000),
  POLICY_REFRESH_MS: int(0, 3_600_000).default(2_000),
  AUTH_MODE: z.enum(['hs256', 'oidc']).default('hs256'),
  AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  AUTH_JWKS_URL: z.url().optional(),
});

/** A configuration problem, with the variable it concerns; the message is one line fit for a log. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

function authFrom(env: z.infer<typeof environmentSchema>): AuthConfig {
  if (env.AUTH_MODE === 'oidc') {
    for (const name of ['AUTH_ISSUER', 'AUTH_AUDIENCE', 'AUTH_JWKS_URL'] as const) {
      if (!env[name]) throw new ConfigError(name, 'is required when AUTH_MODE=oidc');
    }
    return { mode: 'oidc', issuer: env.AUTH_ISSUER!, audience: env.AUTH_AUDIENCE!, jwksUrl: env.AUTH_JWKS_URL! };
  }
  if (!env.AUTH_JWT_SECRET && env.NODE_ENV === 'production') {
    throw new ConfigError('AUTH_JWT_SECRET', 'is required when NODE_ENV=production and AUTH_MODE=hs256 (or set AUTH_MODE=oidc)');
  }
  if (env.AUTH_JWT_SECRET === DEVELOPMENT_JWT_SECRET && env.NODE_ENV === 'production') {
    throw new ConfigError('AUTH_JWT_SECRET', 'must not be the development secret when NODE_ENV=production');
  }
  return {
    mode: 'hs256',
    secret: env.AUTH_JWT_SECRET ?? DEVELOPMENT_JWT_SECRET,
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE,
    usingDevelopmentSecret: !env.AUTH_JWT_SECRET,
  };
}

/**
 * The driver must give up before the source guard does, and the guard before the request's deadline:
 * a driver timeout releases (or destroys) its connection, while the guard giving up first would leave
 * the statement holding a connection that the next caller then waits for. And the pools' queues must
 * hold every call the admitted requests can make, so a full queue (a refusal the caller did not cause)
 * cannot happen by construction: overload is refused at the door instead.
 */
function checkTimeoutOrder(env: z.infer<typeof environmentSchema>): void {
  for (const name of ['DB_CONNECT_TIMEOUT_MS', 'DB_ACQUIRE_TIMEOUT_MS', 'DB_STATEMENT_TIMEOUT_MS'] as const) {
    if (env[name] >= env.SOURCE_TIMEOUT_MS) {
      throw new ConfigError(name, `must be below SOURCE_TIMEOUT_MS (${env.SOURCE_TIMEOUT_MS}), so the driver gives up first (got ${env[name]})`);
    }
  }
  if (env.SOURCE_TIMEOUT_MS > env.REQUEST_DEADLINE_MS) {
    throw new ConfigError('SOURCE_TIMEOUT_MS', `must not exceed REQUEST_DEADLINE_MS (${env.REQUEST_DEADLINE_MS}) (got ${env.SOURCE_TIMEOUT_MS})`);
  }
  const calls = env.MAX_CONCURRENT_REQUESTS * env.MAX_SOURCE_CALLS_PER_REQUEST;
  if (env.DB_POOL_QUEUE_LIMIT < calls) {
    throw new ConfigError(
      'DB_POOL_QUEUE_LIMIT',
      `must be at least MAX_CONCURRENT_REQUESTS x MAX_SOURCE_CALLS_PER_REQUEST (${calls}), so admitted requests never overflow a pool's queue (got ${env.DB_POOL_QUEUE_LIMIT})`,
    );
  }
}

/** Download links are signed with their own secret; in development it falls back to the JWT secret. */
function documentLinkSecret(env: z.infer<typeof environmentSchema>): string {
  if (env.DOCUMENT_LINK_SECRET) return env.DOCUMENT_LINK_SECRET;
  if (env.NODE_ENV === 'production') {
    throw new ConfigError('DOCUMENT_LINK_SECRET', 'is required when NODE_ENV=production (at least 32 characters)');
  }
  return `links:${env.AUTH_JWT_SECRET ?? DEVELOPMENT_JWT_SECRET}`;
}

/** Audit checkpoints are signed with their own key, never stored in the gateway store; in development it derives from the JWT secret. */
function auditCheckpointSecret(env: z.infer<typeof environmentSchema>): string {
  if (env.AUDIT_CHECKPOINT_SECRET) return env.AUDIT_CHECKPOINT_SECRET;
  if (env.NODE_ENV === 'production') {
    throw new ConfigError('AUDIT_CHECKPOINT_SECRET', 'is required when NODE_ENV=production (at least 32 characters)');
  }
  return `audit-checkpoints:${env.AUTH_JWT_SECRET ?? DEVELOPMENT_JWT_SECRET}`;
}

/** Parses and validates the environment. Throws a ConfigError naming the first bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): GatewayConfig {
  // Empty strings count as unset, as they do in most deployment tools.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    throw new ConfigError(variable, `${issue.message} (got ${JSON.stringify(present[variable] ?? null)})`);
  }
  const env = parsed.data;
  checkTimeoutOrder(env);
  const auth = authFrom(env);
  const sqlite = (name: string) => `sqlite:${path.join(env.DATA_DIR, `${name}.db`)}`;
  const config: GatewayConfig = {
    nodeEnv: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    dataDir: env.DATA_DIR,
    sources: {
      iyss: env.IYSS_DB_URL ?? sqlite('iyss'),
      umis: env.UMIS_DB_URL ?? sqlite('umis'),
      yois: env.YOIS_DB_URL ?? sqlite('yois'),
      dms: env.DMS_DB_URL ?? sqlite('dms'),
    },
    dmsFilesDir: env.DMS_FILES_DIR ?? path.join(env.DATA_DIR, 'dms-files'),
    documentLinks: { secret: documentLinkSecret(env), ttlSeconds: env.DOCUMENT_LINK_TTL_SECONDS },
    documentUploadMaxBytes: env.DOCUMENT_UPLOAD_MAX_BYTES,
    outbox: { intervalMs: env.OUTBOX_INTERVAL_MS, backoffMs: env.OUTBOX_BACKOFF_MS, maxBackoffMs: env.OUTBOX_MAX_BACKOFF_MS, leaseMs: 60_000 },
    gatewayStoreUrl: env.GATEWAY_DB_URL ?? sqlite('gateway'),
    seed: { enabled: env.SEED_ON_START, volume: env.SEED_VOLUME, prngSeed: env.SEED_PRNG_SEED },
    pool: {
      maxConnections: env.DB_POOL_MAX,
      queueLimit: env.DB_POOL_QUEUE_LIMIT,
      connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
      acquireTimeoutMs: env.DB_ACQUIRE_TIMEOUT_MS,
      statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
    },
    sourceTimeoutMs: env.SOURCE_TIMEOUT_MS,
    requestDeadlineMs: env.REQUEST_DEADLINE_MS,
    breaker: { consecutiveFailures: env.BREAKER_FAILURES, halfOpenAfterMs: env.BREAKER_HALF_OPEN_MS },
    admission: {
      maxConcurrent: env.MAX_CONCURRENT_REQUESTS,
      maxQueued: env.MAX_QUEUED_REQUESTS,
      maxQueueWaitMs: env.MAX_QUEUE_WAIT_MS,
      maxPerCaller: env.MAX_REQUESTS_PER_CALLER,
    },
    maxSourceCallsPerRequest: env.MAX_SOURCE_CALLS_PER_REQUEST,
    metricsToken: env.METRICS_TOKEN ?? null,
    limits: {
      maxPageSize: env.MAX_PAGE_SIZE,
      maxIdsPerLookup: env.MAX_IDS_PER_LOOKUP,
      maxComplexity: env.MAX_QUERY_COMPLEXITY,
      maxSearchCandidates: env.MAX_SEARCH_CANDIDATES,
      maxTokens: env.MAX_QUERY_TOKENS,
      maxDepth: env.MAX_QUERY_DEPTH,
      maxAliases: env.MAX_ALIASES,
      maxRootFields: env.MAX_ROOT_FIELDS,
      cost: { sourceCall: env.QUERY_COST_SOURCE_CALL, search: env.QUERY_COST_SEARCH, assumedListLength: 5 },
    },
    // Off in production unless asked for: a valid token should not be a map of every field.
    introspection: env.GRAPHQL_INTROSPECTION ?? env.NODE_ENV !== 'production',
    // Deny by default in production; in development a front-end on any localhost port may call.
    corsOrigins: env.CORS_ORIGINS ?? (env.NODE_ENV === 'production' ? [] : ['http://localhost:*', 'http://127.0.0.1:*']),
    explorer: env.NODE_ENV !== 'production',
    // A manifest is an allow-list unless told otherwise (PERSISTED_OPERATIONS_ONLY=false while front-ends move to ids).
    persistedOperations: env.PERSISTED_OPERATIONS_FILE ? { file: env.PERSISTED_OPERATIONS_FILE, only: env.PERSISTED_OPERATIONS_ONLY ?? true } : null,
    auditCheckpoints: {
      secret: auditCheckpointSecret(env),
      intervalMs: env.AUDIT_CHECKPOINT_INTERVAL_MS,
      ...(env.AUDIT_CHECKPOINT_FILE ? { file: env.AUDIT_CHECKPOINT_FILE } : {}),
    },
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    policyRefreshMs: env.POLICY_REFRESH_MS,
    auth,
  };
  return deepFreeze(config);
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child && typeof child === 'object') deepFreeze(child as object);
  }
  return Object.freeze(value);
}
