import { afterAll, describe, expect, it } from 'vitest';
import { ADDRESS_CEILING, type RateLimitOptions, RateLimits } from '../src/limits/rate.js';
import { silentLogger } from '../src/observability/logging.js';
import { GatewayMetrics } from '../src/observability/metrics.js';
import { SharedRedis } from '../src/redis.js';
import { POPULAR_INTEGRATION } from '../src/simulator/index.js';
import { createGateway, type Gateway } from '../src/yoga.js';
import { useHarness } from './helpers/harness.js';
import { startOwnRedis } from './helpers/redis.js';
import { TOKENS } from './helpers/rest-fixtures.js';
import { until } from './helpers/until.js';

/**
 * Per-caller rate limits: requests, and REST calls as the fan-out estimate
 * counts them; in process memory, or shared by replicas through Redis.
 */

const h = await useHarness();
const redis = await startOwnRedis();
afterAll(() => redis.close());

const LIMITS: RateLimitOptions = { requests: 0, restCalls: 0, windowSeconds: 60, trustedProxies: 0 };
const ONE_CALL = `{ integration(name: "${POPULAR_INTEGRATION}") { title } }`;
const TWENTY_ONE_CALLS = /* GraphQL */ `{
  integration(name: "${POPULAR_INTEGRATION}") {
    installations(first: 20) { nodes { id spaceInstallations(first: 5) { nodes { id } } } }
  }
}`;

function gatewayWith(
  options: Partial<RateLimitOptions>,
  shared?: SharedRedis,
): { gateway: Gateway; metrics: GatewayMetrics } {
  const metrics = new GatewayMetrics();
  const rateLimits = new RateLimits({ ...LIMITS, ...options }, metrics, shared);
  return {
    gateway: createGateway({ upstream: h.upstream, rateLimits, observability: { logger: silentLogger, metrics } }),
    metrics,
  };
}

async function send(gateway: Gateway, query: string, headers: Record<string, string | null> = {}) {
  const sent: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${TOKENS.demo}` };
  for (const [name, value] of Object.entries(headers)) {
    if (value === null) delete sent[name];
    else sent[name] = value;
  }
  const response = await gateway.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: sent,
    body: JSON.stringify({ query }),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as { data?: any; errors?: { message: string; extensions?: any }[] },
  };
}

async function sharedRedis(prefix: string): Promise<SharedRedis> {
  const shared = new SharedRedis({ url: redis.url, logger: silentLogger, keyPrefix: prefix });
  afterAll(() => shared.close());
  await until(() => shared.ready, 'Redis');
  return shared;
}

describe('rate limits per caller', () => {
  it('refuses requests past the limit with RATE_LIMITED, retryAfter and a 429 with Retry-After, and calls nothing', async () => {
    const { gateway, metrics } = gatewayWith({ requests: 3 });
    for (let request = 0; request < 3; request += 1) expect((await send(gateway, ONE_CALL)).status).toBe(200);
    h.resetCalls();
    const refused = await send(gateway, ONE_CALL);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(refused.body.errors).toEqual([
      {
        message: expect.stringContaining('Too many requests'),
        extensions: { code: 'RATE_LIMITED', retryAfter: Number(refused.retryAfter) },
      },
    ]);
    expect(h.calls()).toEqual([]);
    // Another token has its own budget.
    expect((await send(gateway, ONE_CALL, { authorization: `Bearer ${TOKENS.frank}` })).status).toBe(200);
    expect(await metrics.registry.metrics()).toContain('graphql_rate_limited_total{limit="requests"} 1');
  });

  it('counts REST calls as the fan-out estimate counts them, before any is made', async () => {
    const { gateway } = gatewayWith({ restCalls: 30 });
    const first = await send(gateway, TWENTY_ONE_CALLS);
    expect(first.body.errors).toBeUndefined();
    h.resetCalls();
    // 21 of 30 spent: a second such query would pass the budget.
    const refused = await send(gateway, TWENTY_ONE_CALLS);
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toMatch(/^\d+$/);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfter: expect.any(Number),
    });
    expect(refused.body.errors?.[0]?.message).toContain('calls to GitBook API');
    expect(h.calls()).toEqual([]);
    // Another token's budget is untouched.
    const other = await send(gateway, TWENTY_ONE_CALLS, { authorization: `Bearer ${TOKENS.frank}` });
    expect(other.body.errors).toBeUndefined();
    expect(h.calls().length).toBeGreaterThan(0);
    expect(h.calls().every((call) => call.authorization === `Bearer ${TOKENS.frank}`)).toBe(true);
  });

  it('limits requests without a token by client address, behind the trusted proxies only', async () => {
    const { gateway } = gatewayWith({ requests: 2, trustedProxies: 1 });
    const from = (address: string) => ({ authorization: null, 'x-forwarded-for': `6.6.6.6, ${address}` });
    expect((await send(gateway, '{ __typename }', from('203.0.113.1'))).status).toBe(200);
    expect((await send(gateway, '{ __typename }', from('203.0.113.1'))).status).toBe(200);
    expect((await send(gateway, '{ __typename }', from('203.0.113.1'))).status).toBe(429);
    // The entry a client wrote itself (6.6.6.6) is not who it is.
    expect((await send(gateway, '{ __typename }', from('203.0.113.2'))).status).toBe(200);
  });

  it(`limits an address inventing tokens at ${ADDRESS_CEILING}× a token’s budget`, async () => {
    const { gateway } = gatewayWith({ requests: 1, trustedProxies: 1 });
    const statuses: number[] = [];
    for (let request = 0; request < ADDRESS_CEILING + 2; request += 1) {
      // A new token each time: each token's own budget (1) is never spent twice.
      const headers = { authorization: `Bearer invented-${request}`, 'x-forwarded-for': '198.51.100.7' };
      statuses.push((await send(gateway, '{ __typename }', headers)).status);
    }
    expect(statuses).toEqual([...Array(ADDRESS_CEILING).fill(200), 429, 429]);
    // Another address is not held back by it.
    const other = { authorization: 'Bearer invented-x', 'x-forwarded-for': '198.51.100.8' };
    expect((await send(gateway, '{ __typename }', other)).status).toBe(200);
  });

  it('with Redis, a burst split across two replicas is limited as on one', async () => {
    const a = gatewayWith({ requests: 6 }, await sharedRedis('split:'));
    const b = gatewayWith({ requests: 6 }, await sharedRedis('split:'));
    const statuses: number[] = [];
    for (let request = 0; request < 10; request += 1) {
      statuses.push((await send(request % 2 === 0 ? a.gateway : b.gateway, ONE_CALL)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429, 429, 429]);
  });

  it('while Redis is down, each replica still limits in its own memory', async () => {
    const shared = await sharedRedis('down:');
    const { gateway } = gatewayWith({ requests: 2 }, shared);
    await redis.stop();
    try {
      const statuses = [];
      for (let request = 0; request < 3; request += 1) statuses.push((await send(gateway, ONE_CALL)).status);
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await redis.start();
    }
  });
});

describe('their configuration, and the cache’s and Redis’', () => {
  it('reads the variables, with their defaults', async () => {
    const { loadConfig } = await import('../src/config.js');
    const defaults = loadConfig({});
    expect(defaults.redisUrl).toBeUndefined();
    expect(defaults.redisKeyPrefix).toBe('gql:');
    expect(defaults.responseCache).toEqual({ ttlMs: 30_000, maxBytes: 64 * 1024 * 1024 });
    expect(defaults.rateLimits).toEqual({ requests: 1_200, restCalls: 6_000, windowSeconds: 60, trustedProxies: 0 });
    expect(defaults.subscriptions).toEqual({ perCaller: 10, total: 1_000 });
    const set = loadConfig({
      REDIS_URL: 'rediss://user:secret@redis.internal:6380',
      REDIS_KEY_PREFIX: 'prod:',
      RESPONSE_CACHE_TTL_MS: '0',
      RATE_LIMIT_REQUESTS: '0',
      RATE_LIMIT_REST_CALLS: '100',
      RATE_LIMIT_WINDOW_SECONDS: '10',
      TRUSTED_PROXIES: '2',
      SUBSCRIPTIONS_PER_CALLER: '3',
      SUBSCRIPTIONS_MAX: '50',
    });
    expect(set.redisUrl).toBe('rediss://user:secret@redis.internal:6380');
    expect(set.responseCache.ttlMs).toBe(0);
    expect(set.rateLimits).toEqual({ requests: 0, restCalls: 100, windowSeconds: 10, trustedProxies: 2 });
    expect(set.subscriptions).toEqual({ perCaller: 3, total: 50 });
  });

  it('refuses a REDIS_URL that is not redis(s)://, without repeating it (it may hold a password)', async () => {
    const { loadConfig } = await import('../src/config.js');
    expect(() => loadConfig({ REDIS_URL: 'http://user:secret@redis:6379' })).toThrow(
      /^REDIS_URL must be a redis\(s\) URL such as redis:\/\/127\.0\.0\.1:6379$/,
    );
    expect(() => loadConfig({ REDIS_KEY_PREFIX: 'has space' })).toThrow(/REDIS_KEY_PREFIX/);
    expect(() => loadConfig({ RESPONSE_CACHE_TTL_MS: '-1' })).toThrow(/RESPONSE_CACHE_TTL_MS/);
  });
});
