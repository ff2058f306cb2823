/**
 * One process of the benchmark: `tsx test/bench/serve.ts <role>`, where role is
 * `simulator` (LATENCY_MS, no request log), `baseline` (UPSTREAM_URL: the
 * hand-written REST version of each bench query at /<id>), `gateway`
 * (UPSTREAM_URL; RESPONSE_CACHE `memory`, `miss` (every lookup misses) or `redis` with REDIS_URL and
 * REDIS_KEY_PREFIX, RESPONSE_CACHE_TTL_MS) or `plain` (a node:http server
 * answering every request with ANSWER, the limit for one hop). Each listens
 * on PORT (0: any) and prints `ready <url>`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { MemoryStore, RedisStore, type ResponseStore } from '../../src/cache/index.js';
import { createLogger, GatewayMetrics, restTelemetry } from '../../src/observability/index.js';
import { SharedRedis } from '../../src/redis.js';
import { DEMO_TOKEN, startSimulator } from '../../src/simulator/index.js';
import { Upstream } from '../../src/upstream/client.js';
import { createGateway } from '../../src/yoga.js';
import { BaselineRest, benchQueries } from './queries.js';

const role = process.argv[2];
const port = Number(process.env.PORT ?? 0);
const upstreamUrl = process.env.UPSTREAM_URL ?? '';

function ready(url: string) {
  console.log(`ready ${url}`);
}

if (role === 'simulator') {
  const simulator = await startSimulator({
    port,
    latencyMs: Number(process.env.LATENCY_MS ?? 0),
    recordRequests: false,
  });
  ready(simulator.url);
  process.once('SIGTERM', () => void simulator.close().then(() => process.exit(0)));
} else if (role === 'baseline') {
  const rest = new BaselineRest(upstreamUrl, DEMO_TOKEN);
  const queries = new Map(benchQueries().map((query) => [`/${query.id}`, query]));
  const server = createServer(async (req, res) => {
    const query = queries.get(req.url ?? '');
    if (!query) {
      res.writeHead(404).end();
      return;
    }
    try {
      const data = await query.baseline(rest);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
    } catch (error) {
      res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) }));
    }
  });
  server.listen(port, '127.0.0.1', () => ready(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  process.once('SIGTERM', () => server.close(() => void rest.close().then(() => process.exit(0))));
} else if (role === 'gateway') {
  // As main.ts runs it in production (without traces, which go nowhere here): a log line per
  // request, written asynchronously, and every metric counted.
  const logger = createLogger('info', pino.destination({ dest: '/dev/null', sync: false }));
  const metrics = new GatewayMetrics({ process: true });
  const upstream = new Upstream({
    baseUrl: upstreamUrl,
    timeoutMs: 10_000,
    connections: 128,
    telemetry: restTelemetry({ metrics, logger }),
  });
  const cache = process.env.RESPONSE_CACHE;
  const ttlMs = Number(process.env.RESPONSE_CACHE_TTL_MS ?? 30_000);
  const bounds = { maxBytes: 64 * 1024 * 1024, maxTtlMs: ttlMs };
  const redis =
    cache === 'redis'
      ? new SharedRedis({ url: process.env.REDIS_URL ?? '', logger, keyPrefix: process.env.REDIS_KEY_PREFIX })
      : undefined;
  if (redis) await new Promise((resolve) => redis.client.once('ready', resolve));
  const store: ResponseStore | undefined = redis
    ? new RedisStore(redis, bounds)
    : cache === 'memory' || cache === 'miss'
      ? new MemoryStore(bounds)
      : undefined;
  if (store && cache === 'miss') {
    // Every lookup misses (the answer is still computed, filed and stored): the cold path's cost.
    const lookup = store.get.bind(store);
    store.get = (responseId) => {
      lookup(responseId);
      return undefined;
    };
  }
  const gateway = createGateway({
    upstream,
    observability: { logger, metrics },
    responseCache: store ? { store, ttlMs } : undefined,
  });
  const server = createServer(gateway);
  server.listen(port, '127.0.0.1', () => ready(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`));
  process.once('SIGTERM', () => server.close(() => void upstream.close().then(() => process.exit(0))));
} else if (role === 'plain') {
  const answer = Buffer.from(process.env.ANSWER ?? '{}');
  const server = createServer((req, res) => {
    // Read the request as a server must, then answer the same bytes every time.
    req.resume();
    req.once('end', () => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': answer.length });
      res.end(answer);
    });
  });
  server.listen(port, '127.0.0.1', () => ready(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`));
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
} else {
  console.error('usage: serve.ts simulator|baseline|gateway|plain');
  process.exit(2);
}
