import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { callerHash, clientAddress } from '../caller.js';
import { GatewayError } from '../errors.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { SharedRedis } from '../redis.js';

/**
 * Per-caller rate limits (rate-limiter-flexible), so one caller cannot spend
 * the gateway's share of GitBook's limits for everyone. A caller is its
 * token (hashed) or, without one, its address. Two budgets per window:
 * requests (every request, a cache hit or a 304 included), and REST calls as
 * the fan-out estimate counts them before an operation runs (a cached
 * answer spends none). With Redis the counts are shared by every replica;
 * while Redis is down each replica counts in its own memory (the insurance
 * limiter), and returns to the shared counts when Redis is back.
 */
export interface RateLimitOptions {
  /** Requests per caller per window; 0: no limit. */
  requests: number;
  /** REST calls (estimated) per caller per window; 0: no limit. */
  restCalls: number;
  windowSeconds: number;
  /** Proxies in front of the gateway whose `X-Forwarded-For` entries are trusted (0: the socket's peer). */
  trustedProxies: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitOptions = {
  requests: 1_200,
  restCalls: 6_000,
  windowSeconds: 60,
  trustedProxies: 0,
};

/** A refusal: the limit reached and when to retry. */
export interface Refusal {
  limit: 'requests' | 'rest_calls';
  retryAfterSeconds: number;
}

/**
 * Requests one address may send with tokens, as a multiple of a token's
 * budget: each new token has a budget of its own, so without this ceiling a
 * client inventing tokens would never be limited.
 */
export const ADDRESS_CEILING = 10;

export class RateLimits {
  private readonly requests?: RateLimiterAbstract;
  private readonly addressRequests?: RateLimiterAbstract;
  private readonly restCalls?: RateLimiterAbstract;

  constructor(
    readonly options: RateLimitOptions,
    private readonly metrics: GatewayMetrics,
    redis?: SharedRedis,
  ) {
    const limiter = (points: number, name: string): RateLimiterAbstract | undefined => {
      if (points <= 0) return undefined;
      const common = { points, duration: options.windowSeconds, keyPrefix: `${redis?.keyPrefix ?? ''}rate:${name}` };
      const memory = new RateLimiterMemory(common);
      if (!redis) return memory;
      return new RateLimiterRedis({
        ...common,
        storeClient: redis.client,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      });
    };
    this.requests = limiter(options.requests, 'requests');
    this.addressRequests = limiter(options.requests * ADDRESS_CEILING, 'address');
    this.restCalls = limiter(options.restCalls, 'rest');
  }

  /** The caller's key: `token:<hash>`, or `address:<ip>` without a token. */
  callerOf(request: Request, serverContext: unknown): string {
    const caller = callerHash(request);
    return caller ? `token:${caller}` : `address:${clientAddress(request, serverContext, this.options.trustedProxies)}`;
  }

  /** One request: the caller's budget, and for a token also its address's ceiling. */
  async takeRequest(request: Request, serverContext: unknown): Promise<Refusal | undefined> {
    const address = `address:${clientAddress(request, serverContext, this.options.trustedProxies)}`;
    if (!callerHash(request)) return this.take(this.requests, address, 1, 'requests');
    return (
      (await this.take(this.requests, this.callerOf(request, serverContext), 1, 'requests')) ??
      (await this.take(this.addressRequests, address, 1, 'requests'))
    );
  }

  takeRestCalls(caller: string, calls: number): Promise<Refusal | undefined> {
    return this.take(this.restCalls, caller, calls, 'rest_calls');
  }

  private async take(
    limiter: RateLimiterAbstract | undefined,
    caller: string,
    points: number,
    limit: Refusal['limit'],
  ): Promise<Refusal | undefined> {
    if (!limiter || points <= 0) return undefined;
    try {
      await limiter.consume(caller, points);
      return undefined;
    } catch (rejection) {
      // An error (not a verdict) from both stores: let the request through.
      if (!(rejection instanceof RateLimiterRes)) return undefined;
      this.metrics.rateLimited.labels(limit).inc();
      return { limit, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
    }
  }
}

/** The GraphQL error of a refusal: `RATE_LIMITED`, `retryAfter` in seconds, HTTP 429 with `Retry-After`. */
export function rateLimitedError(refusal: Refusal): GraphQLError {
  const what = refusal.limit === 'requests' ? 'requests' : 'calls to GitBook API';
  return new GatewayError(
    'RATE_LIMITED',
    `Too many ${what} from this caller: retry in ${refusal.retryAfterSeconds} s.`,
    undefined,
    {
      retryAfter: refusal.retryAfterSeconds,
      // 429 whatever the response's media type: clients and proxies back off on the status.
      http: { status: 429, headers: { 'retry-after': String(refusal.retryAfterSeconds) } },
    },
  );
}

/** Counts every request to the GraphQL endpoint, before anything else is done for it. */
export function requestRateLimit(limits: RateLimits): Plugin {
  return {
    onRequest({ request, url, serverContext, endResponse, fetchAPI }) {
      if (url.pathname !== '/graphql' || request.method === 'OPTIONS') return;
      return limits.takeRequest(request, serverContext).then((refusal) => {
        if (!refusal) return;
        const error = rateLimitedError(refusal);
        const body = JSON.stringify({
          errors: [
            { message: error.message, extensions: { code: 'RATE_LIMITED', retryAfter: refusal.retryAfterSeconds } },
          ],
        });
        endResponse(
          new fetchAPI.Response(body, {
            status: 429,
            headers: {
              'content-type': 'application/json; charset=utf-8',
              'retry-after': String(refusal.retryAfterSeconds),
            },
          }),
        );
      });
    },
  };
}
