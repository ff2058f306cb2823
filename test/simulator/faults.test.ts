import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEMO_TOKEN,
  type FaultRule,
  type InstallationRecord,
  organizationId,
  type RecordedRequest,
  startSimulator,
} from '../../src/simulator/index.js';
import { until } from '../helpers/until.js';
import { TOKENS, useSimulator } from './helpers.js';

const api = useSimulator();
beforeEach(() => api.sim.reset());
afterEach(() => {
  api.sim.clearFaults();
  api.sim.setLatency(0);
});

const ACME = organizationId('acme');
const NORTHWIND = organizationId('northwind');
const LIST = '/integrations?limit=2';

const store = () => api.sim.store;
const installationIn = (name: string, orgId: string): InstallationRecord =>
  store().installationIn(store().integrations.get(name)!, orgId)!;
const base = (name: string, inst: InstallationRecord) => `/integrations/${name}/installations/${inst.installation.id}`;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** A request over real HTTP with global fetch (undici); the body is read as text. */
async function request(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${options.token ?? DEMO_TOKEN}` };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(api.sim.url + path, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const get = (path: string) => request('GET', path);

/** The rejection of a promise (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

interface RawAnswer {
  status: number | undefined;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The error code when the exchange broke (ECONNRESET for a reset, 'aborted' for a cut body). */
  error: string | undefined;
}

/** A request with node:http on a fresh connection, keeping whatever arrived before a failure. */
function raw(method: string, path: string, body?: unknown): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const answer: RawAnswer = { status: undefined, headers: {}, body: Buffer.alloc(0), error: undefined };
    const done = (error?: string) => {
      answer.error ??= error;
      answer.body = Buffer.concat(chunks);
      resolve(answer);
    };
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      api.sim.url + path,
      {
        method,
        agent: false,
        headers: {
          authorization: `Bearer ${DEMO_TOKEN}`,
          ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        answer.status = res.statusCode;
        answer.headers = res.headers;
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('aborted', () => (answer.error ??= 'aborted'));
        res.on('error', (error: NodeJS.ErrnoException) => done(answer.error ?? error.code ?? error.message));
        res.on('end', () => done(res.complete ? undefined : 'incomplete'));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
    req.end(payload);
  });
}

const last = (): RecordedRequest => api.sim.requests.at(-1)!;

const hungCount = () => api.sim.requests.filter((r) => r.fault === 'hang' && r.endedAt === 0).length;

describe('status faults', () => {
  it.each([500, 502, 503, 504])('answers %i in GitBook’s error shape without running the handler', async (status) => {
    api.sim.injectFault({ fault: { kind: 'status', status } });
    const answer = await get(LIST);
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(answer.text)).toEqual({ error: { code: status, message: expect.any(String) } });
    expect(last()).toMatchObject({ method: 'GET', operationId: 'listIntegrations', status, fault: 'status' });
    expect(last().endedAt).toBeGreaterThanOrEqual(last().startedAt);
  });

  it('answers a proxy’s HTML page', async () => {
    api.sim.injectFault({ fault: { kind: 'status', status: 502, body: 'html' } });
    const answer = await get(LIST);
    expect(answer.status).toBe(502);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(answer.text).toContain('<title>502 Bad Gateway</title>');
    expect(() => JSON.parse(answer.text)).toThrow();
  });

  it('answers an empty body, and a Retry-After when asked', async () => {
    api.sim.injectFault({ fault: { kind: 'status', status: 503, body: 'empty', retryAfterSeconds: 2 } });
    const answer = await get(LIST);
    expect(answer.status).toBe(503);
    expect(answer.text).toBe('');
    expect(answer.headers.get('content-length')).toBe('0');
    expect(answer.headers.get('retry-after')).toBe('2');
  });

  it('leaves the state untouched when a write gets a 503, and the write succeeds once cleared', async () => {
    const inst = installationIn('slack', ACME);
    api.sim.injectFault({ fault: { kind: 'status', status: 503 } });
    expect((await request('POST', `${base('slack', inst)}/tokens`)).status).toBe(503);
    expect(inst.tokens).toEqual([]);
    const clock = store().now();
    api.sim.clearFaults();
    const ok = await request('POST', `${base('slack', inst)}/tokens`);
    expect(ok.status).toBe(200);
    expect(inst.tokens).toEqual([JSON.parse(ok.text).token]);
    // The failed write did not even tick the logical clock.
    expect(store().now() > clock).toBe(true);
    expect(api.sim.requests.map((r) => [r.method, r.status, r.fault])).toEqual([
      ['POST', 503, 'status'],
      ['POST', 200, undefined],
    ]);
  });

  it('with commit, applies the write and still answers the fault', async () => {
    const inst = installationIn('slack', ACME);
    api.sim.injectFault({ fault: { kind: 'status', status: 502 }, commit: true });
    expect((await request('POST', `${base('slack', inst)}/tokens`)).status).toBe(502);
    expect(inst.tokens).toHaveLength(1);
  });
});

describe('rate-limit faults', () => {
  it('answers 429 with Retry-After: 1 by default', async () => {
    api.sim.injectFault({ fault: { kind: 'rate-limit' } });
    const answer = await get(LIST);
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('1');
    expect(JSON.parse(answer.text)).toEqual({ error: { code: 429, message: expect.any(String) } });
    expect(last()).toMatchObject({ status: 429, fault: 'rate-limit' });
  });

  it('sends the seconds asked', async () => {
    api.sim.injectFault({ fault: { kind: 'rate-limit', retryAfterSeconds: 7 } });
    expect((await get(LIST)).headers.get('retry-after')).toBe('7');
  });

  it('sends an HTTP date at least that far ahead', async () => {
    api.sim.injectFault({ fault: { kind: 'rate-limit', retryAfterSeconds: 5, retryAfter: 'date' } });
    const before = Date.now();
    const header = (await get(LIST)).headers.get('retry-after')!;
    expect(header).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    const wait = Date.parse(header) - before;
    expect(wait).toBeGreaterThanOrEqual(5_000);
    expect(wait).toBeLessThanOrEqual(6_500);
  });

  it('can leave Retry-After out', async () => {
    api.sim.injectFault({ fault: { kind: 'rate-limit', retryAfter: 'none' } });
    const answer = await get(LIST);
    expect(answer.status).toBe(429);
    expect(answer.headers.has('retry-after')).toBe(false);
  });

  it('does not run a rate-limited write', async () => {
    const inst = installationIn('slack', NORTHWIND);
    api.sim.injectFault({ fault: { kind: 'rate-limit' } });
    expect((await request('DELETE', base('slack', inst), { token: TOKENS.alice })).status).toBe(429);
    expect(store().integrations.get('slack')!.installations.has(inst.installation.id)).toBe(true);
  });
});

describe('reset faults', () => {
  it('resets the connection: ECONNRESET for fetch and node:http, recorded with status 0', async () => {
    api.sim.injectFault({ fault: { kind: 'reset' } });
    const error = await rejection(get(LIST));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.cause?.code).toBe('ECONNRESET');
    const plain = await raw('GET', LIST);
    expect(plain.status).toBeUndefined();
    expect(plain.error).toBe('ECONNRESET');
    expect(api.sim.requests).toHaveLength(2);
    for (const record of api.sim.requests) {
      expect(record).toMatchObject({ status: 0, fault: 'reset', operationId: 'listIntegrations' });
      expect(record.endedAt).toBeGreaterThan(0);
    }
  });

  it('does not run the write it resets, unless commit asks for it', async () => {
    const inst = installationIn('slack', ACME);
    api.sim.injectFault({ fault: { kind: 'reset' }, times: 1 });
    await rejection(request('POST', `${base('slack', inst)}/tokens`));
    expect(inst.tokens).toEqual([]);
    api.sim.injectFault({ fault: { kind: 'reset' }, times: 1, commit: true });
    await rejection(request('POST', `${base('slack', inst)}/tokens`));
    expect(inst.tokens).toHaveLength(1);
  });

  it('leaves the client able to reconnect', async () => {
    api.sim.injectFault({ fault: { kind: 'reset' }, times: 1 });
    await rejection(get(LIST));
    expect((await get(LIST)).status).toBe(200);
  });
});

describe('truncated faults', () => {
  it('cuts a read’s real body in half after announcing its whole length', async () => {
    const whole = (await raw('GET', LIST)).body;
    api.sim.injectFault({ fault: { kind: 'truncated' } });
    const cut = await raw('GET', LIST);
    expect(cut.status).toBe(200);
    expect(cut.headers['content-type']).toMatch(/^application\/json/);
    expect(Number(cut.headers['content-length'])).toBe(whole.length);
    expect(cut.error).toBeDefined();
    expect(cut.body.length).toBeGreaterThan(0);
    expect(cut.body.length).toBeLessThan(whole.length);
    expect(whole.subarray(0, cut.body.length).equals(cut.body)).toBe(true);
    expect(last()).toMatchObject({ status: 200, fault: 'truncated', operationId: 'listIntegrations' });
  });

  it('makes fetch fail while reading the body', async () => {
    api.sim.injectFault({ fault: { kind: 'truncated' } });
    const response = await fetch(`${api.sim.url}${LIST}`, { headers: { authorization: `Bearer ${DEMO_TOKEN}` } });
    expect(response.status).toBe(200);
    const error = await rejection(response.text());
    expect(error).toBeInstanceOf(TypeError);
  });

  it('does not run a write (the cut body is a stand-in), unless commit asks for it', async () => {
    const inst = installationIn('slack', ACME);
    api.sim.injectFault({ fault: { kind: 'truncated' }, times: 1 });
    const cut = await raw('POST', `${base('slack', inst)}/tokens`);
    expect(cut.status).toBe(200);
    expect(cut.error).toBeDefined();
    expect(inst.tokens).toEqual([]);
    api.sim.injectFault({ fault: { kind: 'truncated' }, times: 1, commit: true });
    const committed = await raw('POST', `${base('slack', inst)}/tokens`);
    expect(committed.error).toBeDefined();
    expect(inst.tokens).toHaveLength(1);
    expect(committed.body.toString()).toBe(JSON.stringify({ token: inst.tokens[0] }).slice(0, committed.body.length));
  });
});

describe('malformed faults', () => {
  it('answers a read with a correctly framed body that is not JSON', async () => {
    const whole = (await raw('GET', LIST)).body.toString();
    api.sim.injectFault({ fault: { kind: 'malformed' } });
    const answer = await get(LIST);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Number(answer.headers.get('content-length'))).toBe(Buffer.byteLength(answer.text));
    expect(() => JSON.parse(answer.text)).toThrow(SyntaxError);
    expect(whole.startsWith(answer.text)).toBe(true);
    expect(last()).toMatchObject({ status: 200, fault: 'malformed' });
  });

  it('does not run a write; with commit it does, and a bodiless answer becomes a garbled 200', async () => {
    const inst = installationIn('slack', NORTHWIND);
    const installed = () => store().integrations.get('slack')!.installations.has(inst.installation.id);
    api.sim.injectFault({ fault: { kind: 'malformed' }, times: 1 });
    const skipped = await request('DELETE', base('slack', inst), { token: TOKENS.alice });
    expect(skipped.status).toBe(200);
    expect(() => JSON.parse(skipped.text)).toThrow(SyntaxError);
    expect(installed()).toBe(true);
    api.sim.injectFault({ fault: { kind: 'malformed' }, times: 1, commit: true });
    const committed = await request('DELETE', base('slack', inst), { token: TOKENS.alice });
    expect(committed.status).toBe(200); // 205 has no body to garble: a stand-in is sent instead
    expect(() => JSON.parse(committed.text)).toThrow(SyntaxError);
    expect(installed()).toBe(false);
  });
});

describe('latency faults', () => {
  it('delays the answer, on top of the global latency, and answers normally', async () => {
    api.sim.setLatency(40);
    api.sim.injectFault({ fault: { kind: 'latency', ms: 80 } });
    const started = performance.now();
    const answer = await get(LIST);
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text).items).toHaveLength(2);
    expect(last()).toMatchObject({ status: 200, fault: 'latency' });
    expect(last().endedAt - last().startedAt).toBeGreaterThanOrEqual(115);
  });

  it('runs the handler on arrival: a write the client gave up on has happened', async () => {
    const inst = installationIn('slack', ACME);
    api.sim.injectFault({ fault: { kind: 'latency', ms: 300 } });
    const error = await rejection(
      request('POST', `${base('slack', inst)}/tokens`, { signal: AbortSignal.timeout(50) }),
    );
    expect(error.name).toBe('TimeoutError');
    expect(inst.tokens).toHaveLength(1);
    // Nothing reached the client: recorded with status 0 once the delay is over.
    await until(() => last().endedAt > 0, 'the end of the delay');
    expect(last()).toMatchObject({ method: 'POST', status: 0, fault: 'latency' });
  });
});

describe('hang faults', () => {
  it('never answers; the client’s deadline ends it, recorded with status 0', async () => {
    api.sim.injectFault({ fault: { kind: 'hang' } });
    const error = await rejection(request('GET', LIST, { signal: AbortSignal.timeout(100) }));
    expect(error.name).toBe('TimeoutError');
    await until(() => last().endedAt > 0, 'the dropped connection');
    expect(last()).toMatchObject({ status: 0, fault: 'hang' });
  });

  it('does not run a hung write', async () => {
    const inst = installationIn('slack', ACME);
    api.sim.injectFault({ fault: { kind: 'hang' } });
    await rejection(request('POST', `${base('slack', inst)}/tokens`, { signal: AbortSignal.timeout(50) }));
    expect(inst.tokens).toEqual([]);
  });

  it('is released with a 503 by clearFaults()', async () => {
    api.sim.injectFault({ fault: { kind: 'hang' } });
    const pending = Promise.all([get(LIST), get('/integrations/slack')]);
    await until(() => hungCount() === 2, 'two hung requests');
    api.sim.clearFaults();
    const answers = await pending;
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.text)).toEqual({ error: { code: 503, message: expect.any(String) } });
    }
    expect(api.sim.requests.map((r) => [r.status, r.fault])).toEqual([
      [503, 'hang'],
      [503, 'hang'],
    ]);
  });

  it('is released by removing its rule, and by reset()', async () => {
    const handle = api.sim.injectFault({ fault: { kind: 'hang' } });
    const first = get(LIST);
    await until(() => hungCount() === 1, 'a hung request');
    handle.remove();
    expect((await first).status).toBe(503);
    expect(handle.active).toBe(false);

    api.sim.injectFault({ fault: { kind: 'hang' } });
    const second = get(LIST);
    await until(() => hungCount() === 1, 'a hung request');
    api.sim.reset();
    expect((await second).status).toBe(503);
    expect((await get(LIST)).status).toBe(200);
  });

  it('does not keep close() waiting', async () => {
    const sim = await startSimulator();
    sim.injectFault({ fault: { kind: 'hang' }, times: 1 });
    sim.injectFault({ fault: { kind: 'latency', ms: 60_000 } });
    const pending = [LIST, '/integrations/slack'].map((path) =>
      rejection(fetch(`${sim.url}${path}`, { headers: { authorization: `Bearer ${DEMO_TOKEN}` } })),
    );
    await until(() => sim.requests.length === 2, 'a hung and a delayed request');
    const started = performance.now();
    await sim.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    for (const error of await Promise.all(pending)) expect(error).toBeInstanceOf(TypeError);
    expect(sim.requests.map((r) => [r.status, r.fault])).toEqual([
      [0, 'hang'],
      [0, 'latency'],
    ]);
  });
});

describe('times', () => {
  it('fails the next N matching requests, then retires', async () => {
    const handle = api.sim.injectFault({ fault: { kind: 'status', status: 503 }, times: 2 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(LIST)).status);
    expect(statuses).toEqual([503, 503, 200, 200]);
    expect(handle).toMatchObject({ matched: 2, applied: 2, active: false });
  });

  it('lets a test count attempts: a GET tried 3 times, a POST once', async () => {
    const inst = installationIn('slack', ACME);
    api.sim.injectFault({ fault: { kind: 'status', status: 503 }, match: { method: 'GET' }, times: 2 });
    api.sim.injectFault({ fault: { kind: 'status', status: 503 }, match: { method: 'POST' }, times: 1 });
    // A client that retries idempotent GETs on 503, and never a POST.
    const attempt = async (method: string, path: string) => {
      for (let tries = 0; ; tries++) {
        const answer = await request(method, path);
        if (answer.status !== 503 || method !== 'GET' || tries === 4) return answer;
      }
    };
    expect((await attempt('GET', LIST)).status).toBe(200);
    expect((await attempt('POST', `${base('slack', inst)}/tokens`)).status).toBe(503);
    const attempts = (method: string) => api.sim.requests.filter((r) => r.method === method);
    expect(attempts('GET').map((r) => r.status)).toEqual([503, 503, 200]);
    expect(attempts('POST').map((r) => [r.status, r.fault])).toEqual([[503, 'status']]);
    expect(inst.tokens).toEqual([]);
  });

  it('counts only the requests it applied to when combined with rate', async () => {
    const handle = api.sim.injectFault({ fault: { kind: 'status', status: 503 }, rate: 0.5, times: 3 });
    const statuses = [];
    for (let i = 0; i < 40; i++) statuses.push((await get(LIST)).status);
    expect(statuses.filter((s) => s === 503)).toHaveLength(3);
    expect(handle.applied).toBe(3);
    expect(handle.matched).toBeGreaterThan(3);
    expect(statuses.slice(handle.matched)).toEqual(Array(40 - handle.matched).fill(200));
  });
});

describe('rate', () => {
  const pattern = async (rule: FaultRule, count = 60) => {
    api.sim.injectFault(rule);
    let out = '';
    for (let i = 0; i < count; i++) out += (await get(LIST)).status === 503 ? 'x' : '.';
    return out;
  };
  const half: FaultRule = { fault: { kind: 'status', status: 503 }, rate: 0.5 };

  it('fails about that share of the matching requests', async () => {
    const run = await pattern(half, 200);
    const failed = run.split('').filter((c) => c === 'x').length;
    expect(failed).toBeGreaterThan(60);
    expect(failed).toBeLessThan(140);
    expect(api.sim.requests.filter((r) => r.fault === 'status')).toHaveLength(failed);
  });

  it('repeats the same choices after clearFaults(), after reset(), and in a new simulator with the same seed', async () => {
    const first = await pattern(half);
    api.sim.clearFaults();
    expect(await pattern(half)).toBe(first);
    api.sim.reset();
    expect(await pattern(half)).toBe(first);
    api.sim.reset();
    expect(await pattern({ ...half, seed: 12345 })).not.toBe(first);

    const other = await startSimulator();
    try {
      other.injectFault(half);
      let out = '';
      for (let i = 0; i < 60; i++) {
        const response = await fetch(`${other.url}${LIST}`, { headers: { authorization: `Bearer ${DEMO_TOKEN}` } });
        await response.text();
        out += response.status === 503 ? 'x' : '.';
      }
      expect(out).toBe(first);
    } finally {
      await other.close();
    }
  });

  it('gives each rule its own sequence, unaffected by other rules', async () => {
    const alone = await pattern({ ...half, match: { method: 'GET' } }, 30);
    api.sim.reset();
    api.sim.injectFault({ fault: { kind: 'status', status: 503 }, rate: 0.5, match: { method: 'POST' } });
    expect(await pattern({ ...half, match: { method: 'GET' } }, 30)).toBe(alone);
    // A rule ahead of it that takes some of the same requests does change what it sees.
    api.sim.reset();
    api.sim.injectFault({ ...half, match: { method: 'GET' }, times: 1 });
    expect(await pattern({ ...half, match: { method: 'GET' } }, 30)).not.toBe(alone);
  });

  it('never applies at 0 and always at 1', async () => {
    expect(await pattern({ ...half, rate: 0 }, 10)).toBe('.'.repeat(10));
    api.sim.clearFaults();
    expect(await pattern({ ...half, rate: 1 }, 10)).toBe('x'.repeat(10));
  });

  it('falls through to the next rule when its draw says no', async () => {
    api.sim.injectFault({ ...half, rate: 0 });
    api.sim.injectFault({ fault: { kind: 'rate-limit' } });
    expect((await get(LIST)).status).toBe(429);
  });
});

describe('match', () => {
  it('by method, case-insensitively', async () => {
    const inst = installationIn('slack', ACME);
    api.sim.injectFault({ fault: { kind: 'status', status: 503 }, match: { method: 'post' } });
    expect((await get(LIST)).status).toBe(200);
    expect((await request('POST', `${base('slack', inst)}/tokens`)).status).toBe(503);
  });

  it('by path prefix (after /v1) and by RegExp', async () => {
    api.sim.injectFault({ fault: { kind: 'status', status: 502 }, match: { path: '/integrations/slack' } });
    api.sim.injectFault({ fault: { kind: 'status', status: 504 }, match: { path: /\/events$/ } });
    expect((await get(LIST)).status).toBe(200);
    expect((await get('/integrations/slack')).status).toBe(502);
    expect((await get('/integrations/slack/installations')).status).toBe(502);
    expect((await get('/integrations/kudos/events')).status).toBe(504);
    expect((await get('/integrations/kudos')).status).toBe(200);
  });

  it('by operationId, with every criterion required', async () => {
    api.sim.injectFault({
      fault: { kind: 'status', status: 503 },
      match: { operationId: 'getIntegrationByName', method: 'GET', path: '/integrations/k' },
    });
    expect((await get('/integrations/kudos')).status).toBe(503);
    expect((await get('/integrations/slack')).status).toBe(200);
    expect((await get('/integrations/kudos/events')).status).toBe(200);
    expect(last()).not.toHaveProperty('fault');
  });

  it('applies the first rule that applies, in injection order', async () => {
    api.sim.injectFault({ fault: { kind: 'status', status: 502 }, match: { path: '/integrations/slack' }, times: 1 });
    api.sim.injectFault({ fault: { kind: 'status', status: 503 } });
    expect((await get('/integrations/slack')).status).toBe(502);
    expect((await get('/integrations/slack')).status).toBe(503);
    expect((await get(LIST)).status).toBe(503);
  });

  it('fails requests in front of the API: unknown routes and missing tokens too', async () => {
    api.sim.injectFault({ fault: { kind: 'status', status: 503 } });
    expect((await get('/nowhere')).status).toBe(503);
    const anonymous = await fetch(`${api.sim.url}${LIST}`);
    expect(anonymous.status).toBe(503);
    await anonymous.text();
    expect(api.sim.requests[0]).toMatchObject({ operationId: undefined, status: 503, fault: 'status' });
  });
});

describe('clearing and recording', () => {
  it('clearFaults() retires every rule and restores normal answers', async () => {
    const a = api.sim.injectFault({ fault: { kind: 'status', status: 503 } });
    const b = api.sim.injectFault({ fault: { kind: 'reset' }, match: { method: 'POST' } });
    expect((await get(LIST)).status).toBe(503);
    api.sim.clearFaults();
    expect([a.active, b.active]).toEqual([false, false]);
    expect((await get(LIST)).status).toBe(200);
    expect(a).toMatchObject({ matched: 1, applied: 1 });
  });

  it('reset() clears faults too', async () => {
    api.sim.injectFault({ fault: { kind: 'status', status: 503 } });
    api.sim.reset();
    expect((await get(LIST)).status).toBe(200);
  });

  it('records unfaulted requests without a fault field', async () => {
    api.sim.injectFault({ fault: { kind: 'status', status: 503 }, match: { method: 'DELETE' } });
    await get(LIST);
    expect(last().status).toBe(200);
    expect('fault' in last()).toBe(false);
  });

  it('keeps the rule as given, frozen, on its handle', () => {
    const rule: FaultRule = { fault: { kind: 'status', status: 503 }, match: { method: 'GET' }, times: 2 };
    const handle = api.sim.injectFault(rule);
    expect(handle.rule).toEqual(rule);
    expect(Object.isFrozen(handle.rule)).toBe(true);
    expect(handle).toMatchObject({ matched: 0, applied: 0, active: true });
  });

  it('refuses rules that could never do what was meant', () => {
    const bad: unknown[] = [
      { fault: { kind: 'explode' } },
      { fault: { kind: 'status', status: 200 } },
      { fault: { kind: 'status', status: 503, body: 'xml' } },
      { fault: { kind: 'latency', ms: -1 } },
      { fault: { kind: 'rate-limit', retryAfterSeconds: 1.5 } },
      { fault: { kind: 'rate-limit', retryAfter: 'later' } },
      { fault: { kind: 'reset' }, times: 0 },
      { fault: { kind: 'reset' }, rate: 1.5 },
      { fault: { kind: 'reset' }, match: { path: 'integrations' } },
      { fault: { kind: 'reset' }, match: { path: '/v1/integrations' } },
      { fault: { kind: 'reset' }, match: { operationId: 'listEverything' } },
    ];
    for (const rule of bad)
      expect(() => api.sim.injectFault(rule as FaultRule), JSON.stringify(rule)).toThrow(TypeError);
  });
});
