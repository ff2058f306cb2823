/**
 * `npm run bench`: the gateway against a hand-written REST client doing the
 * same job (the baseline), on the same simulator, in the same run.
 *
 *   npm run bench -- [--duration 10] [--connections 16] [--latencies 0,20] [--soak 60] [--queries a,b,c,d,e]
 *                    [--cache e,a] [--redis redis://127.0.0.1:6379]
 *
 * 1. REST calls and waterfall depth of each query, gateway vs baseline
 *    (in-process simulator with 100 ms latency, so round trips separate).
 * 2. For each upstream latency: simulator, gateway and baseline each in a
 *    process of their own; autocannon loads the baseline, then the gateway,
 *    with the same connections and duration. Ratios are gateway ÷ baseline.
 *    The CPU each server process used per request (/proc) is printed too:
 *    at 0 ms the gateway is CPU-bound, and this is the GraphQL layer's cost.
 * 3. Memory: the gateway's RSS before and during a long load run.
 * 4. The response cache, 0 ms latency: a warm cache (in memory, in Redis)
 *    against a plain node:http server answering the same bytes (the limit
 *    for one hop); and the cold path, every lookup a miss (the answer still
 *    computed, filed and stored), against the gateway without a cache.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { DEMO_TOKEN, startSimulator } from '../../src/simulator/index.js';
import { Upstream } from '../../src/upstream/client.js';
import { createGateway } from '../../src/yoga.js';
import { BaselineRest, type BenchQuery, benchQueries } from './queries.js';
import { waterfallDepth } from './waterfall.js';

const { values: options } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    latencies: { type: 'string', default: '0,20' },
    soak: { type: 'string', default: '60' },
    queries: { type: 'string', default: 'a,b,c,d,e' },
    cache: { type: 'string', default: 'e,a' },
    redis: { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
  },
});
const duration = Number(options.duration);
const connections = Number(options.connections);
const latencies = options.latencies.split(',').map(Number);
const soakSeconds = Number(options.soak);
const queries = benchQueries().filter((query) => options.queries.split(',').includes(query.id));

const fmt = (value: number, digits = 1) => value.toFixed(digits);
const ratio = (gateway: number, baseline: number) => (baseline === 0 ? 'n/a' : `${fmt(gateway / baseline, 2)}×`);

// --- 1. REST calls and waterfall depth ----------------------------------------------------------

async function countCalls() {
  const simulator = await startSimulator({ latencyMs: 100 });
  const upstream = new Upstream({ baseUrl: simulator.url, timeoutMs: 10_000, connections: 128 });
  const gateway = createGateway({ upstream });
  const baseline = new BaselineRest(simulator.url, DEMO_TOKEN);
  const rows: string[] = [];
  for (const query of queries) {
    const measure = async (run: () => Promise<unknown>) => {
      simulator.clearRequests();
      await run();
      return { calls: simulator.requests.length, depth: waterfallDepth(simulator.requests) };
    };
    const viaGateway = await measure(async () => {
      const response = await gateway.fetch('http://bench/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKEN}` },
        body: JSON.stringify({ query: query.query, variables: query.variables }),
      });
      const body = (await response.json()) as { errors?: unknown[] };
      if (body.errors) throw new Error(`query ${query.id} failed: ${JSON.stringify(body.errors)}`);
    });
    const viaBaseline = await measure(() => query.baseline(baseline));
    rows.push(
      `| (${query.id}) ${query.title} | ${viaGateway.calls} | ${viaBaseline.calls} | ${viaGateway.depth} | ${viaBaseline.depth} |`,
    );
  }
  await baseline.close();
  await upstream.close();
  await simulator.close();
  return [
    '| query | REST calls: gateway | baseline | waterfall depth: gateway | baseline |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

// --- 2. Latency and throughput under load --------------------------------------------------------

interface Served {
  url: string;
  process: ChildProcess;
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Starts `serve.ts <role>` in a process of its own (plain node, so its pid is the server's). */
function serve(role: string, env: Record<string, string>): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/serve.ts', role], {
    env: { ...process.env, ...env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('ready ')) resolve({ url: line.slice('ready '.length), process: child });
    });
    child.once('exit', (code) => reject(new Error(`${role} exited with ${code} before it was ready`)));
  });
}

async function stop(served: Served) {
  const exited = new Promise((resolve) => served.process.once('exit', resolve));
  served.process.kill('SIGTERM');
  await exited;
  children.delete(served.process);
}

interface Load {
  p50: number;
  p99: number;
  rps: number;
  /** Requests answered in the run. */
  total: number;
  errors: number;
}

function load(target: autocannon.Options, seconds: number): Promise<Load> {
  return new Promise((resolve, reject) => {
    autocannon({ connections, duration: seconds, ...target }, (error, result) => {
      if (error) return reject(error);
      resolve({
        p50: result.latency.p50,
        p99: result.latency.p99,
        rps: result.requests.average,
        total: result.requests.total,
        errors: result.errors + result.timeouts + result.non2xx,
      });
    });
  });
}

function gatewayTarget(url: string, query: BenchQuery): autocannon.Options {
  return {
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKEN}` },
    body: JSON.stringify({ query: query.query, variables: query.variables }),
  };
}

/** CPU seconds a process has used so far (all its threads, GC included), from /proc; NaN elsewhere. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime, in clock ticks (USER_HZ, 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Loads a server and measures the CPU it spent per request meanwhile. */
async function measured(server: Served, target: autocannon.Options): Promise<Load & { cpuUs: number }> {
  const before = cpuSeconds(server.process.pid);
  const result = await load(target, duration);
  const spent = cpuSeconds(server.process.pid) - before;
  return { ...result, cpuUs: (spent * 1e6) / Math.max(1, result.total) };
}

async function underLoad(latencyMs: number) {
  const simulator = await serve('simulator', { LATENCY_MS: String(latencyMs) });
  const gateway = await serve('gateway', { UPSTREAM_URL: simulator.url });
  const baseline = await serve('baseline', { UPSTREAM_URL: simulator.url });
  const rows: string[] = [];
  for (const query of queries) {
    const baselineTarget = { url: `${baseline.url}/${query.id}` };
    // Warm both up (JIT, kept-alive sockets, Yoga's parse and validate caches).
    await load(baselineTarget, 2);
    await load(gatewayTarget(gateway.url, query), 2);
    const viaBaseline = await measured(baseline, baselineTarget);
    const viaGateway = await measured(gateway, gatewayTarget(gateway.url, query));
    rows.push(
      `| ${latencyMs} ms | (${query.id}) | ${fmt(viaGateway.p50)} / ${fmt(viaBaseline.p50)} | ${ratio(viaGateway.p50, viaBaseline.p50)} | ${fmt(viaGateway.p99)} / ${fmt(viaBaseline.p99)} | ${ratio(viaGateway.p99, viaBaseline.p99)} | ${fmt(viaGateway.rps, 0)} / ${fmt(viaBaseline.rps, 0)} | ${ratio(viaGateway.rps, viaBaseline.rps)} | ${fmt(viaGateway.cpuUs, 0)} / ${fmt(viaBaseline.cpuUs, 0)} | ${ratio(viaGateway.cpuUs, viaBaseline.cpuUs)} | ${viaGateway.errors} / ${viaBaseline.errors} |`,
    );
    console.error(rows.at(-1));
  }
  await Promise.all([stop(gateway), stop(baseline), stop(simulator)]);
  return rows;
}

// --- 3. Memory over a long run ---------------------------------------------------------------------

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kib / 1024;
}

async function soak() {
  const simulator = await serve('simulator', { LATENCY_MS: '0' });
  const gateway = await serve('gateway', { UPSTREAM_URL: simulator.url });
  const pid = gateway.process.pid ?? 0;
  const requests = queries.map((query) => {
    const target = gatewayTarget(gateway.url, query);
    return { method: 'POST' as const, path: '/graphql', headers: target.headers, body: target.body as string };
  });
  await load({ url: gateway.url, requests }, 5);
  const samples: number[] = [rssMiB(pid)];
  const sampler = setInterval(() => samples.push(rssMiB(pid)), Math.max(1, soakSeconds / 6) * 1000);
  const result = await load({ url: gateway.url, requests }, soakSeconds);
  clearInterval(sampler);
  samples.push(rssMiB(pid));
  await Promise.all([stop(gateway), stop(simulator)]);
  return { samples, result };
}

// --- 4. The response cache ------------------------------------------------------------------------

async function cacheRuns() {
  const cached = benchQueries().filter((query) => options.cache.split(',').includes(query.id));
  if (cached.length === 0) return [];
  const simulator = await serve('simulator', { LATENCY_MS: '0' });
  const upstream = { UPSTREAM_URL: simulator.url };
  const prefix = `bench${process.pid}:`;
  const servers = {
    memory: await serve('gateway', { ...upstream, RESPONSE_CACHE: 'memory' }),
    redis: await serve('gateway', {
      ...upstream,
      RESPONSE_CACHE: 'redis',
      REDIS_URL: options.redis,
      REDIS_KEY_PREFIX: prefix,
    }),
    miss: await serve('gateway', { ...upstream, RESPONSE_CACHE: 'miss' }),
    none: await serve('gateway', upstream),
  };
  const rows: string[] = [];
  const row = (label: string, measured: Load & { cpuUs: number }, against: Load & { cpuUs: number }) =>
    `| ${label} | ${fmt(measured.rps, 0)} / ${fmt(against.rps, 0)} | ${ratio(measured.rps, against.rps)} | ${fmt(measured.p50)} / ${fmt(against.p50)} | ${fmt(measured.cpuUs, 0)} / ${fmt(against.cpuUs, 0)} | ${ratio(measured.cpuUs, against.cpuUs)} | ${measured.errors} / ${against.errors} |`;
  for (const query of cached) {
    // The bytes a hit answers: the plain server sends the same.
    const answer = await fetch(servers.memory.url, {
      method: 'POST',
      headers: gatewayTarget(servers.memory.url, query).headers as Record<string, string>,
      body: gatewayTarget(servers.memory.url, query).body as string,
    }).then((response) => response.text());
    const plain = await serve('plain', { ANSWER: answer });
    const target = (server: Served) => gatewayTarget(server.url, query);
    for (const server of [plain, servers.memory, servers.redis, servers.miss, servers.none])
      await load(target(server), 2);
    const viaPlain = await measured(plain, target(plain));
    const viaMemory = await measured(servers.memory, target(servers.memory));
    const viaRedis = await measured(servers.redis, target(servers.redis));
    const viaNone = await measured(servers.none, target(servers.none));
    const viaMiss = await measured(servers.miss, target(servers.miss));
    rows.push(
      row(`(${query.id}) warm, in memory ÷ plain node:http`, viaMemory, viaPlain),
      row(`(${query.id}) warm, in Redis ÷ plain node:http`, viaRedis, viaPlain),
      row(`(${query.id}) every request a miss ÷ no cache`, viaMiss, viaNone),
    );
    for (const line of rows.slice(-3)) console.error(line);
    await stop(plain);
  }
  await Promise.all([...Object.values(servers).map(stop), stop(simulator)]);
  return rows;
}

// --- Report ------------------------------------------------------------------------------------------

console.error(
  `bench: ${queries.length} queries, ${connections} connections, ${duration} s per run, latencies ${latencies.join(', ')} ms`,
);
const calls = await countCalls();
console.log('\n### REST calls and waterfall depth\n');
console.log(calls);

const loadRows: string[] = [];
for (const latencyMs of latencies) loadRows.push(...(await underLoad(latencyMs)));
console.log(`\n### Under load (autocannon, ${connections} connections, ${duration} s each; gateway / baseline)\n`);
console.log(
  '| upstream latency | query | median ms | ratio | p99 ms | ratio | req/s | ratio | CPU µs/req | ratio | errors |',
);
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
console.log(loadRows.join('\n'));

const cacheRows = await cacheRuns();
if (cacheRows.length > 0) {
  console.log(`\n### Response cache (0 ms latency, ${connections} connections, ${duration} s each)\n`);
  console.log('| run | req/s | ratio | median ms | CPU µs/req | ratio | errors |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  console.log(cacheRows.join('\n'));
}

if (soakSeconds > 0) {
  const { samples, result } = await soak();
  console.log(`\n### Gateway memory over a ${soakSeconds} s load run (queries a–e in turn, 0 ms latency)\n`);
  console.log(`RSS MiB: ${samples.map((sample) => fmt(sample, 0)).join(' → ')}`);
  console.log(`(${fmt(result.rps, 0)} req/s, ${result.errors} errors)`);
}
process.exit(0);
