import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LIMITS, type Limits } from './limits/index.js';
import { DEFAULT_RATE_LIMITS, type RateLimitOptions } from './limits/rate.js';
import { DEFAULT_LIVE_EVENTS } from './live-events.js';
import type { PersistedOperationsMode } from './persisted-operations.js';
import { DEFAULT_RESILIENCE, type ResilienceOptions } from './upstream/resilience.js';

/**
 * The only module that reads `process.env`. Everything else receives a `Config`
 * so tests can build gateways with their own settings.
 */
export interface Config {
  /** Listen port of the gateway. */
  port: number;
  /** Host the gateway listens on. */
  host: string;
  /**
   * REST base URL including `/v1`. Undefined means: start the embedded GitBook
   * API simulator and use it.
   */
  gitbookApiUrl: string | undefined;
  /** Deadline for one REST call, in milliseconds. */
  upstreamTimeoutMs: number;
  /** Kept-alive connections held open to the upstream origin. */
  upstreamConnections: number;
  /** off: only queries; allowed: queries and persisted hashes; required: persisted hashes only. */
  persistedOperations: PersistedOperationsMode;
  /** The persisted-documents manifest (hash → operation) codegen wrote; see `defaultManifestPath`. */
  persistedOperationsManifest: string;
  /** How long all the REST calls of one GraphQL request may take together. */
  requestTimeoutMs: number;
  /** Retries of GETs and the circuit breaker. */
  resilience: ResilienceOptions;
  /** Query and request limits. */
  limits: Limits;
  /** How long SIGTERM waits for in-flight requests before exiting anyway. */
  shutdownGraceMs: number;
  /** Origins browsers may call the gateway from (CORS); `*` is any. Never with credentials. */
  corsOrigins: string[];
  /** pino's level for the structured log: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`. */
  logLevel: string;
  /** Where to export traces (OTLP/HTTP) and as which service; undefined: no tracing. */
  tracing: { url: string; serviceName: string } | undefined;
  /** Redis shared by every replica (response cache, rate limits); undefined: both in process memory. */
  redisUrl: string | undefined;
  /** Prefix of every Redis key this deployment writes (several deployments can share one Redis). */
  redisKeyPrefix: string;
  /** The response cache's TTL (0: no cache) and the most bytes of answers it holds (per TTL in Redis). */
  responseCache: { ttlMs: number; maxBytes: number };
  /** Per-caller rate limits. */
  rateLimits: RateLimitOptions;
  /** Subscriptions (live events) one caller, and the gateway, may hold at once. */
  subscriptions: { perCaller: number; total: number };
}

/** 30 s: see README, "Caching and scaling out". */
export const DEFAULT_RESPONSE_CACHE_TTL_MS = 30_000;
export const DEFAULT_RESPONSE_CACHE_MAX_BYTES = 64 * 1024 * 1024;

/** A setting the gateway cannot start with; its message names the variable, file or port at fault. */
export class StartupError extends Error {}

function integer(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const text = raw?.trim() ?? '';
  if (text === '') return fallback;
  // Plain decimal digits only: Number() would also take "0x10", "1e1" or "  ".
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new StartupError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** `CORS_ORIGINS`: `*`, or comma-separated origins such as `https://app.example.com`. */
function corsOrigins(raw: string | undefined): string[] {
  const origins = (raw ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  if (origins.length === 0) return ['*'];
  for (const origin of origins) {
    if (origin === '*') continue;
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    // An origin is scheme, host and port: what a browser sends in `Origin`, nothing more.
    if (!parsed || parsed.origin !== origin) {
      throw new StartupError(
        `CORS_ORIGINS must be * or comma-separated origins such as https://app.example.com, got "${origin}"`,
      );
    }
  }
  return origins;
}

/**
 * A URL of `scheme` or its TLS form (http/https, redis/rediss) from a
 * variable, or a StartupError naming the variable.
 */
function urlOf(name: string, raw: string, scheme: 'http' | 'redis', example: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== `${scheme}:` && url.protocol !== `${scheme}s:`)) {
    // A Redis URL may hold a password: it is not repeated in the message.
    const got = scheme === 'redis' ? '' : `, got "${raw}"`;
    throw new StartupError(
      `${name} must be ${scheme === 'http' ? 'an' : 'a'} ${scheme}(s) URL such as ${example}${got}`,
    );
  }
  return url;
}

const httpUrl = (name: string, raw: string, example: string) => urlOf(name, raw, 'http', example);

/** `REDIS_URL`, checked at start-up rather than on the first request. */
function redisUrl(raw: string | undefined): string | undefined {
  const text = raw?.trim();
  if (!text) return undefined;
  urlOf('REDIS_URL', text, 'redis', 'redis://127.0.0.1:6379');
  return text;
}

function redisKeyPrefix(raw: string | undefined): string {
  const text = raw?.trim() || 'gql:';
  if (!/^[\w.:-]{1,64}$/.test(text)) {
    throw new StartupError(`REDIS_KEY_PREFIX must be 1 to 64 letters, digits, _ . : or -, got "${text}"`);
  }
  return text;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * The standard OpenTelemetry variables: a traces endpoint as is, or the base
 * endpoint with the OTLP/HTTP traces path. Neither set: no tracing at all.
 */
function tracing(env: NodeJS.ProcessEnv): Config['tracing'] {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const serviceName = env.OTEL_SERVICE_NAME?.trim() || 'gitbook-integrations-graphql';
  if (traces)
    return {
      url: httpUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', traces, 'http://collector:4318/v1/traces').href,
      serviceName,
    };
  if (!base) return undefined;
  const url = httpUrl('OTEL_EXPORTER_OTLP_ENDPOINT', base, 'http://collector:4318');
  return { url: `${url.href.replace(/\/+$/, '')}/v1/traces`, serviceName };
}

/**
 * The manifest of the client package's operations: the copy `npm run build`
 * puts beside the compiled gateway (dist/persisted-documents.json, all the
 * Docker image has), else codegen's output in the client package (running
 * from source: `npm start`, the tests).
 */
function defaultManifestPath(): string {
  const besideCompiled = fileURLToPath(new URL('./persisted-documents.json', import.meta.url));
  if (existsSync(besideCompiled)) return besideCompiled;
  return fileURLToPath(new URL('../packages/client/src/generated/persisted-documents.json', import.meta.url));
}

const PERSISTED_MODES: readonly PersistedOperationsMode[] = ['off', 'allowed', 'required'];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const persistedOperations = (env.PERSISTED_OPERATIONS?.trim() || 'allowed') as PersistedOperationsMode;
  if (!PERSISTED_MODES.includes(persistedOperations)) {
    throw new StartupError(
      `PERSISTED_OPERATIONS must be one of ${PERSISTED_MODES.join(', ')}, got "${persistedOperations}"`,
    );
  }
  const gitbookApiUrl = env.GITBOOK_API_URL?.trim() || undefined;
  // Better refused at start-up than on the first query.
  if (gitbookApiUrl !== undefined) httpUrl('GITBOOK_API_URL', gitbookApiUrl, 'https://api.gitbook.com/v1');
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new StartupError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  return {
    port: integer('PORT', env.PORT, 4000, 0, 65_535),
    host: env.HOST?.trim() || '0.0.0.0',
    gitbookApiUrl,
    upstreamTimeoutMs: integer('UPSTREAM_TIMEOUT_MS', env.UPSTREAM_TIMEOUT_MS, 10_000, 1),
    upstreamConnections: integer('UPSTREAM_CONNECTIONS', env.UPSTREAM_CONNECTIONS, 128, 1),
    persistedOperations,
    persistedOperationsManifest: env.PERSISTED_OPERATIONS_MANIFEST?.trim() || defaultManifestPath(),
    requestTimeoutMs: integer('REQUEST_TIMEOUT_MS', env.REQUEST_TIMEOUT_MS, 30_000, 1),
    resilience: {
      ...DEFAULT_RESILIENCE,
      retries: integer('UPSTREAM_RETRIES', env.UPSTREAM_RETRIES, DEFAULT_RESILIENCE.retries, 0),
      retryMaxDelayMs: integer(
        'UPSTREAM_RETRY_MAX_DELAY_MS',
        env.UPSTREAM_RETRY_MAX_DELAY_MS,
        DEFAULT_RESILIENCE.retryMaxDelayMs,
        0,
      ),
      breakerResetMs: integer(
        'UPSTREAM_BREAKER_RESET_MS',
        env.UPSTREAM_BREAKER_RESET_MS,
        DEFAULT_RESILIENCE.breakerResetMs,
        1,
      ),
    },
    limits: {
      maxDepth: integer('MAX_DEPTH', env.MAX_DEPTH, DEFAULT_LIMITS.maxDepth, 1),
      maxAliases: integer('MAX_ALIASES', env.MAX_ALIASES, DEFAULT_LIMITS.maxAliases, 0),
      maxTokens: integer('MAX_TOKENS', env.MAX_TOKENS, DEFAULT_LIMITS.maxTokens, 1),
      maxDirectives: integer('MAX_DIRECTIVES', env.MAX_DIRECTIVES, DEFAULT_LIMITS.maxDirectives, 0),
      maxRestCalls: integer('MAX_REST_CALLS', env.MAX_REST_CALLS, DEFAULT_LIMITS.maxRestCalls, 1),
      maxSelections: integer('MAX_SELECTIONS', env.MAX_SELECTIONS, DEFAULT_LIMITS.maxSelections, 1),
      maxInputBytes: integer('MAX_INPUT_BYTES', env.MAX_INPUT_BYTES, DEFAULT_LIMITS.maxInputBytes, 1),
      maxInputValues: integer('MAX_INPUT_VALUES', env.MAX_INPUT_VALUES, DEFAULT_LIMITS.maxInputValues, 1),
      maxBodyBytes: integer('MAX_BODY_BYTES', env.MAX_BODY_BYTES, DEFAULT_LIMITS.maxBodyBytes, 1),
      maxBatch: integer('MAX_BATCH', env.MAX_BATCH, DEFAULT_LIMITS.maxBatch, 1),
      // "Did you mean…" maps the schema for a stranger: only outside production.
      fieldSuggestions: env.NODE_ENV !== 'production',
    },
    shutdownGraceMs: integer('SHUTDOWN_GRACE_MS', env.SHUTDOWN_GRACE_MS, 10_000, 0),
    corsOrigins: corsOrigins(env.CORS_ORIGINS),
    logLevel,
    tracing: tracing(env),
    redisUrl: redisUrl(env.REDIS_URL),
    redisKeyPrefix: redisKeyPrefix(env.REDIS_KEY_PREFIX),
    responseCache: {
      ttlMs: integer('RESPONSE_CACHE_TTL_MS', env.RESPONSE_CACHE_TTL_MS, DEFAULT_RESPONSE_CACHE_TTL_MS, 0, 86_400_000),
      maxBytes: integer(
        'RESPONSE_CACHE_MAX_BYTES',
        env.RESPONSE_CACHE_MAX_BYTES,
        DEFAULT_RESPONSE_CACHE_MAX_BYTES,
        1_024,
      ),
    },
    rateLimits: {
      requests: integer('RATE_LIMIT_REQUESTS', env.RATE_LIMIT_REQUESTS, DEFAULT_RATE_LIMITS.requests, 0),
      restCalls: integer('RATE_LIMIT_REST_CALLS', env.RATE_LIMIT_REST_CALLS, DEFAULT_RATE_LIMITS.restCalls, 0),
      windowSeconds: integer(
        'RATE_LIMIT_WINDOW_SECONDS',
        env.RATE_LIMIT_WINDOW_SECONDS,
        DEFAULT_RATE_LIMITS.windowSeconds,
        1,
        86_400,
      ),
      trustedProxies: integer('TRUSTED_PROXIES', env.TRUSTED_PROXIES, DEFAULT_RATE_LIMITS.trustedProxies, 0, 10),
    },
    subscriptions: {
      perCaller: integer('SUBSCRIPTIONS_PER_CALLER', env.SUBSCRIPTIONS_PER_CALLER, DEFAULT_LIVE_EVENTS.maxPerCaller, 1),
      total: integer('SUBSCRIPTIONS_MAX', env.SUBSCRIPTIONS_MAX, DEFAULT_LIVE_EVENTS.maxTotal, 1),
    },
  };
}
