import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../src/cache/index.js';
import { RateLimits } from '../src/limits/rate.js';
import { GatewayMetrics } from '../src/observability/metrics.js';
import { SharedRedis } from '../src/redis.js';
import { organizationId, POPULAR_INTEGRATION } from '../src/simulator/index.js';
import { createGateway, type Gateway } from '../src/yoga.js';
import { useHarness } from './helpers/harness.js';
import { closedPort } from './helpers/loopback.js';
import { startOwnRedis } from './helpers/redis.js';
import { TOKENS } from './helpers/rest-fixtures.js';
import { until } from './helpers/until.js';

/**
 * The response cache shared through Redis, as replicas behind a load
 * balancer use it: a redis-server of the test's own, which the tests fill,
 * stop and start again.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const h = await useHarness({ resetStateBeforeEach: true });
const redis = await startOwnRedis();
const admin = redis.client();
afterAll(() => redis.close());

const OSC = organizationId('open-source-collective');
const ORG_INSTALLATIONS = /* GraphQL */ `
  query OrgInstallations($org: String!) {
    organization(organizationId: $org) { installations(first: 100) { totalCount nodes { id integration { name } } } }
  }
`;
const INSTALL = /* GraphQL */ `
  mutation Install($input: InstallIntegrationInput!) { installIntegration(input: $input) { installation { id } } }
`;

/** An integration not installed on the organization yet, visible to everyone. */
function notInstalledOn(org: string): string {
  const integrations = h.simulator.store.integrations;
  const found = [...integrations.keys()].find((name) => {
    const integration = integrations.get(name);
    return integration?.integration.visibility === 'public' && !h.simulator.store.installationIn(integration, org);
  });
  if (!found) throw new Error(`every public integration is installed on ${org}`);
  return found;
}

interface Answer {
  status: number;
  body: { data?: any; errors?: any[] };
}

async function send(
  target: Gateway | string,
  query: string,
  variables: Record<string, unknown> = {},
  token: string = TOKENS.demo,
): Promise<Answer> {
  const init = {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  };
  const response =
    typeof target === 'string' ? await fetch(`${target}/graphql`, init) : await target.fetch('http://gw/graphql', init);
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

/** A replica in this process: its own Redis connection, store and memory, sharing only Redis. */
async function replica(options: { prefix: string; ttlMs?: number; maxBytes?: number; log?: string[] }) {
  const lines = options.log ?? [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  );
  const shared = new SharedRedis({ url: redis.url, logger, keyPrefix: options.prefix });
  const ttlMs = options.ttlMs ?? 30_000;
  const store = new RedisStore(shared, { maxBytes: options.maxBytes ?? 16 * 1024 * 1024, maxTtlMs: ttlMs });
  const metrics = new GatewayMetrics();
  const gateway = createGateway({
    upstream: h.upstream,
    responseCache: { store, ttlMs },
    rateLimits: new RateLimits({ requests: 0, restCalls: 0, windowSeconds: 60, trustedProxies: 0 }, metrics, shared),
    redis: shared,
    observability: { logger, metrics },
  });
  afterAll(() => shared.close());
  await until(() => shared.ready, 'the connection to Redis');
  return { gateway, store, shared, lines };
}

/** `src/main.ts` in a process of its own, with REDIS_URL; resolves with its URL once it listens. */
async function gatewayProcess(env: Record<string, string>): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await closedPort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      GITBOOK_API_URL: h.simulator.url,
      REDIS_URL: redis.url,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('GraphQL gateway listening')) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`the gateway exited with ${code}: ${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

describe('two gateway processes on one Redis', () => {
  it('share answers per token, and a mutation through one is seen at once through the other', async () => {
    const a = await gatewayProcess({ REDIS_KEY_PREFIX: 'processes:' });
    const b = await gatewayProcess({ REDIS_KEY_PREFIX: 'processes:' });
    try {
      const viaA = await send(a.url, ORG_INSTALLATIONS, { org: OSC }, TOKENS.frank);
      const viaB = await send(b.url, ORG_INSTALLATIONS, { org: OSC }, TOKENS.frank);
      expect(viaB.body).toEqual(viaA.body);
      expect(h.calls().map((call) => call.path)).toEqual([`/orgs/${OSC}/installations`]);

      // Another token: its own call, through either replica.
      await send(b.url, ORG_INSTALLATIONS, { org: OSC }, TOKENS.demo);
      expect(h.calls().map((call) => call.authorization)).toEqual([`Bearer ${TOKENS.frank}`, `Bearer ${TOKENS.demo}`]);

      const name = notInstalledOn(OSC);
      const installed = await send(a.url, INSTALL, { input: { integrationName: name, organizationId: OSC } });
      expect(installed.body.errors).toBeUndefined();
      h.resetCalls();
      const afterWrite = await send(b.url, ORG_INSTALLATIONS, { org: OSC }, TOKENS.frank);
      expect(h.calls().map((call) => call.path)).toEqual([`/orgs/${OSC}/installations`]);
      expect(afterWrite.body.data.organization.installations.totalCount).toBe(
        viaA.body.data.organization.installations.totalCount + 1,
      );
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  }, 60_000);
});

describe('the shared store', () => {
  it('expires answers after their TTL', async () => {
    const { gateway } = await replica({ prefix: 'ttl:', ttlMs: 1_000 });
    const query = `{ integration(name: "${POPULAR_INTEGRATION}") { title } }`;
    await send(gateway, query);
    await send(gateway, query);
    expect(h.calls()).toHaveLength(1);
    const answers = () => admin.keys('ttl:r:*');
    const [key] = await answers();
    const pttl = await admin.pttl(key as string);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(1_000);
    // Redis drops it by itself; the next request asks GitBook.
    await until(async () => (await answers()).length === 0, 'the answer to expire', { attempts: 100, everyMs: 50 });
    await send(gateway, query);
    expect(h.calls()).toHaveLength(2);
  });

  it('holds a bounded amount of Redis however many distinct queries an attacker sends', async () => {
    const maxBytes = 64 * 1024;
    const { gateway } = await replica({ prefix: 'bounds:', maxBytes });
    for (let batch = 0; batch < 20; batch += 1) {
      await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          send(
            gateway,
            `query Q${batch}_${index} { integrations(first: ${1 + ((batch * 50 + index) % 100)}) { nodes { name title } } }`,
          ),
        ),
      );
    }
    let answerBytes = 0;
    let answers = 0;
    let keysWithoutExpiry = 0;
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', 'bounds:*', 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        if ((await admin.pttl(key)) < 0 && !key.endsWith(':gen')) keysWithoutExpiry += 1;
        if (key.startsWith('bounds:r:')) {
          answers += 1;
          answerBytes += await admin.strlen(key);
        }
      }
    } while (cursor !== '0');
    expect(answers).toBeGreaterThan(0);
    // One TTL bucket's budget, and the previous bucket's at most.
    expect(answerBytes).toBeLessThanOrEqual(2 * maxBytes);
    expect(keysWithoutExpiry).toBe(0);
  });
});

describe('when Redis fails', () => {
  it('keeps answering from GitBook while Redis is down, says so, and serves nothing stale after a write made meanwhile', async () => {
    const log: string[] = [];
    const { gateway, store } = await replica({ prefix: 'failover:', log });
    const other = await replica({ prefix: 'failover:' });
    const query = () => send(other.gateway, ORG_INSTALLATIONS, { org: OSC }, TOKENS.frank);
    const before = await query();
    expect((await query()).body).toEqual(before.body);
    expect(h.calls()).toHaveLength(1);

    // Load through both replicas while Redis stops.
    let loading = true;
    const failures: unknown[] = [];
    const worker = async (target: Gateway) => {
      while (loading) {
        const answer = await send(target, `{ integration(name: "${POPULAR_INTEGRATION}") { title } }`);
        if (answer.status !== 200 || answer.body.errors) failures.push(answer);
      }
    };
    const workers = [worker(gateway), worker(other.gateway), worker(gateway), worker(other.gateway)];
    await redis.stop();
    await until(() => store.status() === 'down', 'the store to notice');
    const readiness = await gateway.fetch('http://gw/readiness');
    expect(readiness.status).toBe(200);
    expect(await readiness.json()).toEqual({ upstream: 'ok', redis: 'down' });
    expect(log.some((line) => line.includes('redis unavailable'))).toBe(true);

    // A write while Redis is down, through the replica that did not cache the list.
    const name = notInstalledOn(OSC);
    const installed = await send(gateway, INSTALL, { input: { integrationName: name, organizationId: OSC } });
    expect(installed.body.errors).toBeUndefined();

    await redis.start();
    await until(() => store.status() === 'ok' && other.store.status() === 'ok', 'Redis to be used again');
    loading = false;
    await Promise.all(workers);
    expect(failures).toEqual([]);

    // The list cached before the outage survived it in Redis, and is not served: the write was replayed.
    const after = await query();
    expect(after.body.data.organization.installations.totalCount).toBe(
      before.body.data.organization.installations.totalCount + 1,
    );
    expect(log.some((line) => line.includes('redis is back'))).toBe(true);
  }, 60_000);
});
