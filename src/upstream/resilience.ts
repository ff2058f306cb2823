import CircuitBreaker from 'opossum';

/**
 * How the gateway lives with an upstream that fails: idempotent GETs are
 * retried on what is usually passing (a reset connection, 502/503/504, 429)
 * after a capped, jittered wait that honours Retry-After; writes never are,
 * since a write that timed out may still have happened. A circuit breaker
 * stops calling an upstream that keeps failing, answers at once meanwhile,
 * and lets one probe through after a pause to find out whether it is back.
 */

export interface ResilienceOptions {
  /** Retries of one GET after its first attempt; 0 turns retries off. */
  retries: number;
  /** First backoff step; each retry doubles it, with jitter. */
  retryBaseDelayMs: number;
  /** The longest wait before a retry, Retry-After included: longer asked waits are not waited. */
  retryMaxDelayMs: number;
  /** Failures (refused, reset, timed out, 502/503/504) in the rolling window that open the breaker, in %. */
  breakerErrorPercentage: number;
  /** Calls the window must have seen before the breaker may open. */
  breakerVolumeThreshold: number;
  /** How long an open breaker fails fast before letting a probe through. */
  breakerResetMs: number;
}

export const DEFAULT_RESILIENCE: ResilienceOptions = {
  retries: 2,
  retryBaseDelayMs: 100,
  retryMaxDelayMs: 2_000,
  breakerErrorPercentage: 50,
  breakerVolumeThreshold: 10,
  breakerResetMs: 5_000,
};

/** Statuses worth another try of an idempotent call. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** Statuses that say the upstream itself is in trouble, and count against the breaker. */
export const FAILING_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/** Transport errors a retry can cure: the connection broke, or was not made. */
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export function isRetryableTransportError(error: unknown): boolean {
  const { code, cause } = (error ?? {}) as { code?: string; cause?: { code?: string } };
  return RETRYABLE_CODES.has(code ?? '') || RETRYABLE_CODES.has(cause?.code ?? '');
}

/** Full-jitter exponential backoff: a random wait up to base·2^attempt, capped. */
export function backoffDelay(attempt: number, options: ResilienceOptions, random = Math.random): number {
  return Math.round(random() * Math.min(options.retryMaxDelayMs, options.retryBaseDelayMs * 2 ** attempt));
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/** Thrown inside the breaker for a 502/503/504, so it counts as a failure; carries the answer. */
export class FailingStatus extends Error {
  constructor(
    readonly status: number,
    readonly text: string,
    readonly headers: Record<string, string | string[] | undefined>,
  ) {
    super(`HTTP ${status}`);
  }
}

/** Not the upstream's fault: the GraphQL request was cancelled. */
export class CallerGaveUp extends Error {}

/** The upstream did not answer, headers and body, within the call's time. */
export class CallTimedOut extends Error {
  constructor(readonly timeoutMs: number) {
    super(`GitBook API did not answer within ${timeoutMs} ms.`);
  }
}

export function createBreaker<Args extends unknown[], Result>(
  action: (...args: Args) => Promise<Result>,
  options: ResilienceOptions,
): CircuitBreaker<Args, Result> {
  return new CircuitBreaker(action, {
    timeout: false, // every call carries its own deadline
    // Only the upstream's own failures reach the breaker: a cancelled request
    // is refused before it fires, so a probe cannot be mistaken for a success.
    errorThresholdPercentage: options.breakerErrorPercentage,
    volumeThreshold: options.breakerVolumeThreshold,
    resetTimeout: options.breakerResetMs,
    rollingCountTimeout: 10_000,
    rollingCountBuckets: 10,
    // Counts are all the breaker needs: keeping every call's latency (to sort
    // them on each failure) and emitting snapshots would be work for nobody.
    rollingPercentilesEnabled: false,
    enableSnapshots: false,
  });
}
