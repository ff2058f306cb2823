import { request } from 'node:http';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LIMITS } from '../src/limits/index.js';
import { DEMO_TOKEN, organizationId, POPULAR_INTEGRATION, SEEDED_USERS } from '../src/simulator/index.js';
import { type RestTelemetry, Upstream } from '../src/upstream/client.js';

import { type GraphQLResponse, type RestCall, useHarness } from './helpers/harness.js';
import { type Loopback, startLoopback, useServedGateways } from './helpers/loopback.js';
import { captured } from './helpers/observability.js';
import { bearer, errorSummary, expectedGet, rest, restAnswer } from './helpers/rest-fixtures.js';

/**
 * What a gateway exposed on the internet owes its callers and operators,
 * checked over a real socket: CSRF prevention, body and batch limits,
 * masking of unexpected errors, and logs that never hold a token.
 */

const h = await useHarness();

const SLACK = POPULAR_INTEGRATION;
const QUERY = `{ integration(name: "${SLACK}") { name title } }`;

/** Gateways listening on 127.0.0.1, each answering its `/graphql` URL; closed after the file. */
const serve = useServedGateways(h);
/** Other loopback servers (proxies) and upstreams the tests build, closed after the file. */
const servers: Loopback[] = [];
const upstreams: Upstream[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await Promise.all(upstreams.map((upstream) => upstream.close()));
});

function upstreamOver(
  baseUrl: string,
  resilience: ConstructorParameters<typeof Upstream>[0]['resilience'] = {},
  telemetry?: RestTelemetry,
): Upstream {
  const upstream = new Upstream({ baseUrl, timeoutMs: 5_000, connections: 8, resilience, telemetry });
  upstreams.push(upstream);
  return upstream;
}

let endpoint: string;
let expectedSlack: { integration: { name: string; title: string } };
beforeAll(async () => {
  endpoint = await serve();
  const slack = await rest(h, `/integrations/${SLACK}`);
  expectedSlack = { integration: { name: slack.name, title: slack.title } };
});

const auth = (token: string = DEMO_TOKEN) => ({ authorization: bearer(token) });

function postJson(url: string, body: unknown, headers: Record<string, string> = auth()): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const getQuery = (url: string, query: string, headers: Record<string, string>) =>
  fetch(`${url}?${new URLSearchParams({ query })}`, { headers: { accept: 'application/json', ...auth(), ...headers } });

/** A POST body of exactly `bytes` bytes running QUERY (padded with spaces, which are no tokens). */
function bodyOfSize(bytes: number): string {
  const bare = JSON.stringify({ query: QUERY });
  if (bytes < bare.length) throw new Error(`a body of ${bytes} bytes cannot hold the query`);
  const body = JSON.stringify({ query: QUERY + ' '.repeat(bytes - bare.length) });
  expect(Buffer.byteLength(body)).toBe(bytes);
  return body;
}

/** The status and JSON body of a response. */
async function read(response: Response): Promise<{ status: number; body: any }> {
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

describe('CSRF prevention', () => {
  // A GET runs queries only, and a cross-site GET cannot add the Authorization every read needs.
  it.each(['(none)', 'x-graphql-csrf', 'apollo-require-preflight'])(
    'a GET query with header %s is answered',
    async (header) => {
      const { status, body } = await read(
        await getQuery(endpoint, QUERY, header === '(none)' ? {} : { [header]: '1' }),
      );
      expect(status).toBe(200);
      expect(body).toEqual({ data: expectedSlack });
      expect(h.calls()).toEqual([expectedGet(`/integrations/${SLACK}`)]);
    },
  );

  it.each<[string, () => { headers: Record<string, string>; body: string | FormData }]>([
    ['text/plain', () => ({ headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: QUERY }) })],
    [
      'application/x-www-form-urlencoded',
      () => ({
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query: QUERY }).toString(),
      }),
    ],
    [
      'multipart/form-data',
      () => {
        const form = new FormData();
        form.set('operations', JSON.stringify({ query: QUERY }));
        form.set('map', '{}');
        return { headers: {}, body: form };
      },
    ],
  ])('a POST a form could send (%s) is refused with 403, BAD_REQUEST, and makes no REST call', async (_type, make) => {
    const { headers, body } = make();
    const response = await fetch(endpoint, { method: 'POST', headers: { ...auth(), ...headers }, body });
    const answer = await read(response);
    expect(answer.status).toBe(403);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors.map((error: { extensions?: { code?: string } }) => error.extensions?.code)).toEqual([
      'BAD_REQUEST',
    ]);
    expect(h.calls()).toEqual([]);
  });

  it('the same form POST with x-graphql-csrf is answered', async () => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded', 'x-graphql-csrf': '1' },
      body: new URLSearchParams({ query: QUERY }).toString(),
    });
    expect(await read(response)).toEqual({ status: 200, body: { data: expectedSlack } });
  });

  it.each(['application/json', 'application/json; charset=utf-8'])('a POST of %s is answered', async (contentType) => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { ...auth(), 'content-type': contentType },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(await read(response)).toEqual({ status: 200, body: { data: expectedSlack } });
    expect(h.calls()).toEqual([expectedGet(`/integrations/${SLACK}`)]);
  });
});

describe('request body size', () => {
  it(`a body over maxBodyBytes (${DEFAULT_LIMITS.maxBodyBytes}) is 413 and makes no REST call; exactly maxBodyBytes is answered`, async () => {
    const over = await read(await postJson(endpoint, bodyOfSize(DEFAULT_LIMITS.maxBodyBytes + 1)));
    expect(over.status).toBe(413);
    expect(over.body.data).toBeUndefined();
    expect(over.body.errors).toHaveLength(1);
    expect(h.calls()).toEqual([]);

    expect(await read(await postJson(endpoint, bodyOfSize(DEFAULT_LIMITS.maxBodyBytes)))).toEqual({
      status: 200,
      body: { data: expectedSlack },
    });
    expect(h.calls()).toEqual([expectedGet(`/integrations/${SLACK}`)]);
  });

  it('the limit is the gateway’s: with maxBodyBytes 1000, 1001 bytes are 413 and 1000 are answered', async () => {
    const small = await serve({ limits: { ...DEFAULT_LIMITS, maxBodyBytes: 1000 } });
    expect((await read(await postJson(small, bodyOfSize(1001)))).status).toBe(413);
    expect(h.calls()).toEqual([]);
    expect(await read(await postJson(small, bodyOfSize(1000)))).toEqual({ status: 200, body: { data: expectedSlack } });
  });

  it('a POST without Content-Length (chunked, so unbounded) is 411 and makes no REST call', async () => {
    const { status, text } = await new Promise<{ status: number | undefined; text: string }>((resolve, reject) => {
      const req = request(
        endpoint,
        { method: 'POST', headers: { ...auth(), 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode, text }));
        },
      );
      req.on('error', reject);
      req.write(JSON.stringify({ query: QUERY }));
      req.end();
    });
    expect(status).toBe(411);
    expect(JSON.parse(text).errors).toHaveLength(1);
    expect(h.calls()).toEqual([]);
  });
});

describe('batched requests', () => {
  /** One operation per integration, each naming it: their answers are told apart. */
  async function batchOf(count: number) {
    const names = ((await rest(h, '/integrations', { limit: count })).items as { name: string }[]).map(
      (item) => item.name,
    );
    expect(names).toHaveLength(count);
    return { names, operations: names.map((name) => ({ query: `{ integration(name: "${name}") { name } }` })) };
  }

  it(`more than maxBatch (${DEFAULT_LIMITS.maxBatch}) operations are refused, with no REST call`, async () => {
    const { operations } = await batchOf(DEFAULT_LIMITS.maxBatch + 1);
    const { status, body } = await read(await postJson(endpoint, operations));
    expect(status).toBe(413);
    expect(Array.isArray(body)).toBe(false);
    expect(body.errors).toHaveLength(1);
    expect(h.calls()).toEqual([]);
  });

  it('maxBatch operations are answered, each with its own result, in order', async () => {
    const { names, operations } = await batchOf(DEFAULT_LIMITS.maxBatch);
    const { status, body } = await read(await postJson(endpoint, operations));
    expect(status).toBe(200);
    expect(body).toEqual(names.map((name) => ({ data: { integration: { name } } })));
    const sorted = (calls: RestCall[]) => [...calls].sort((a, b) => a.path.localeCompare(b.path));
    expect(sorted(h.calls())).toEqual(sorted(names.map((name) => expectedGet(`/integrations/${name}`))));
  });

  it('the limit is the gateway’s: with maxBatch 2, 3 operations are refused and 2 answered', async () => {
    const small = await serve({ limits: { ...DEFAULT_LIMITS, maxBatch: 2 } });
    const { names, operations } = await batchOf(3);
    expect((await read(await postJson(small, operations))).status).toBe(413);
    expect(h.calls()).toEqual([]);
    expect(await read(await postJson(small, operations.slice(0, 2)))).toEqual({
      status: 200,
      body: names.slice(0, 2).map((name) => ({ data: { integration: { name } } })),
    });
  });
});

/**
 * A loopback upstream that passes every call through to the simulator, but
 * takes `target` out of an installation's answer: a shape the gateway does not
 * expect, so reading `installation.organization` throws a TypeError inside a
 * resolver. Everything else (statuses, GitBook's messages, faults) is the
 * simulator's own.
 */
async function upstreamWithoutInstallationTargets(telemetry?: RestTelemetry): Promise<Upstream> {
  const origin = new URL(h.simulator.url).origin;
  const proxy = await startLoopback(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    if (req.headers.authorization) headers.authorization = req.headers.authorization;
    if (chunks.length > 0) headers['content-type'] = 'application/json';
    const answer = await fetch(new URL(req.url ?? '/', origin), {
      method: req.method,
      headers,
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
    });
    let text = await answer.text();
    if (
      req.method === 'GET' &&
      answer.status === 200 &&
      /^\/v1\/integrations\/[^/]+\/installations\/[^/?]+$/.test(req.url ?? '')
    ) {
      const { target: _target, ...installation } = JSON.parse(text) as Record<string, unknown>;
      text = JSON.stringify(installation);
    }
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(text);
  });
  servers.push(proxy);
  return upstreamOver(`${proxy.url}/v1`, {}, telemetry);
}

/** The installation of slack the demo user sees first. */
function demoSlackInstallation(): string {
  const record = h.simulator.store.integrations.get(SLACK)!;
  const inst = [...record.installations.values()].find((candidate) =>
    SEEDED_USERS.demo.organizations.includes(candidate.organizationId),
  )!;
  return inst.installation.id;
}

/**
 * Runs `run` with everything the process could log captured (console methods
 * and direct writes to stdout and stderr) and kept off the test output.
 */
async function logsOf<T>(run: () => Promise<T>): Promise<{ result: T; logged: string }> {
  const lines: string[] = [];
  const write = (chunk: unknown) => {
    lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  const spies = [
    ...(['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        lines.push(args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg, { depth: 10 }))).join(' '));
      }),
    ),
    vi.spyOn(process.stdout, 'write').mockImplementation(write as typeof process.stdout.write),
    vi.spyOn(process.stderr, 'write').mockImplementation(write as typeof process.stderr.write),
  ];
  try {
    return { result: await run(), logged: lines.join('\n') };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

describe('unexpected errors are masked', () => {
  let masked: string;
  const log = captured();
  beforeAll(async () => {
    masked = await serve({ upstream: await upstreamWithoutInstallationTargets(), observability: log.observability });
  });

  it.each(['production', 'development'])(
    'NODE_ENV=%s: a resolver’s TypeError reaches the client as "Unexpected error." (INTERNAL_SERVER_ERROR) with no detail; the detail goes to the log',
    async (nodeEnv) => {
      const id = demoSlackInstallation();
      const query = `{ integration(name: "${SLACK}") { title installation(installationId: "${id}") { installationId organization { organizationId } } } }`;
      const previous = process.env.NODE_ENV;
      process.env.NODE_ENV = nodeEnv;
      try {
        log.clear();
        const { result: response, logged: printed } = await logsOf(() => postJson(masked, { query }));
        expect(printed).toBe('');
        const logged = log.text();
        const text = await response.text();
        expect(response.status).toBe(200);
        const body = JSON.parse(text) as GraphQLResponse;
        // The rest of the response is intact: only the field that failed is null.
        expect(body.data).toEqual({
          integration: {
            title: expectedSlack.integration.title,
            installation: { installationId: id, organization: null },
          },
        });
        expect(body.errors).toHaveLength(1);
        const error = body.errors![0]!;
        expect({ ...error, locations: undefined }).toEqual({
          message: 'Unexpected error.',
          path: ['integration', 'installation', 'organization'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
          locations: undefined,
        });
        expect(text).not.toMatch(/TypeError|Cannot read|stack|originalError|\.ts\b|\.js\b|node:internal|\bat \S+ \(/);
        expect(text).not.toContain(new URL(h.simulator.url).host);
        // The detail is for the operator's log.
        expect(logged).toContain('Cannot read properties of undefined');
        expect(h.calls()).toEqual([
          expectedGet(`/integrations/${SLACK}`),
          expectedGet(`/integrations/${SLACK}/installations/${id}`),
        ]);
      } finally {
        process.env.NODE_ENV = previous;
      }
    },
  );

  it('a REST 404 passes through unmasked: NOT_FOUND, status 404 and GitBook’s message', async () => {
    const path = `/integrations/${SLACK}/installations/no-such-installation`;
    const direct = await restAnswer<{ error: { message: string } }>(h, path);
    expect(direct.status).toBe(404);

    const body = (await (
      await postJson(masked, {
        query: `{ integration(name: "${SLACK}") { installation(installationId: "no-such-installation") { installationId } } }`,
      })
    ).json()) as GraphQLResponse;
    expect(body.data).toEqual({ integration: { installation: null } });
    expect(errorSummary(body)).toEqual([{ path: ['integration', 'installation'], code: 'NOT_FOUND', status: 404 }]);
    expect(body.errors?.[0]?.message).toBe(direct.body.error.message);
    expect(h.calls()).toContainEqual(expectedGet(path, {}, { status: 404 }));
  });

  it('a REST 500 passes through unmasked: UPSTREAM_ERROR, status 500 and GitBook’s message', async () => {
    const fault = {
      fault: { kind: 'status', status: 500 },
      match: { method: 'GET', path: `/integrations/${SLACK}` },
      times: 1,
    } as const;
    h.simulator.injectFault(fault);
    const direct = await restAnswer<{ error: { message: string } }>(h, `/integrations/${SLACK}`);
    expect(direct.status).toBe(500);

    h.simulator.injectFault(fault);
    const body = (await (await postJson(masked, { query: QUERY })).json()) as GraphQLResponse;
    h.simulator.clearFaults();
    expect(body.data).toEqual({ integration: null });
    expect(errorSummary(body)).toEqual([{ path: ['integration'], code: 'UPSTREAM_ERROR', status: 500 }]);
    expect(body.errors?.[0]?.message).toBe(direct.body.error.message);
    expect(h.calls()).toEqual([expectedGet(`/integrations/${SLACK}`, {}, { status: 500 })]);
  });

  it('a bad argument keeps its code and message: BAD_USER_INPUT, no REST call', async () => {
    const body = (await (
      await postJson(masked, { query: `{ integration(name: "not a name") { name } }` })
    ).json()) as GraphQLResponse;
    expect(errorSummary(body)).toEqual([{ path: ['integration'], code: 'BAD_USER_INPUT', status: undefined }]);
    expect(body.errors?.[0]?.message).toMatch(/^name must match/);
    expect(h.calls()).toEqual([]);
  });
});

describe('no token is ever logged', () => {
  /** A token no one has: REST refuses it, and it must not show up anywhere either. */
  const CANARY = 'gb_api_canary_Zq8Lw3Rn6Tx1Vb4K';
  const tokens = [DEMO_TOKEN, CANARY, ...Object.values(SEEDED_USERS).map((user) => user.token)];
  /** Each token and its secret part alone, in case something logs only a suffix. */
  const needles = tokens.flatMap((token) => [token, token.replace(/^gb_api_[a-z]+_/, '')]);

  it('in console output or on stdout/stderr, while requests carrying tokens succeed, fail upstream, fail in the gateway, get refused and trip the breaker', async () => {
    // A breaker that opens quickly, and no retries, so the series stays short.
    const log = captured('debug');
    const fragile = await serve({
      upstream: upstreamOver(
        h.simulator.url,
        { retries: 0, breakerVolumeThreshold: 4, breakerResetMs: 60_000 },
        log.telemetry,
      ),
      observability: log.observability,
    });
    const masked = await serve({
      upstream: await upstreamWithoutInstallationTargets(log.telemetry),
      observability: log.observability,
    });
    const logging = await serve({ observability: log.observability });
    const id = demoSlackInstallation();
    const northwind = organizationId('northwind');

    const { result: statuses, logged } = await logsOf(async () => {
      const seen: number[] = [];
      const send = async (response: Promise<Response>) => {
        const answer = await response;
        seen.push(answer.status);
        await answer.text();
      };
      for (const token of [DEMO_TOKEN, CANARY]) {
        await send(postJson(logging, { query: QUERY }, auth(token)));
        await send(
          postJson(
            logging,
            { query: 'query ($v: String) { integrations(search: $v) { totalCount } }', variables: { v: token } },
            auth(token),
          ),
        );
        await send(postJson(endpoint, { query: QUERY }, auth(token)));
        await send(postJson(endpoint, { query: QUERY }, { authorization: `Token ${token}` }));
        await send(getQuery(endpoint, QUERY, { ...auth(token), 'x-graphql-csrf': '1' }));
        // A form-like POST without the CSRF header: refused with 403.
        await send(
          fetch(endpoint, {
            method: 'POST',
            headers: { ...auth(token), 'content-type': 'text/plain' },
            body: JSON.stringify({ query: QUERY }),
          }),
        );
        await send(
          postJson(
            endpoint,
            { query: `{ organization(organizationId: "${northwind}") { installations { totalCount } } }` },
            auth(token),
          ),
        );
        await send(
          postJson(endpoint, { query: `{ integration(name: "no-such-integration") { title } }` }, auth(token)),
        );
        await send(postJson(endpoint, { query: `{ integration(name: "${SLACK}") { name ` }, auth(token)));
        await send(postJson(endpoint, { query: `{ integratio { name } }` }, auth(token)));
        await send(
          postJson(
            endpoint,
            { query: `{ integrations(first: 1000) { nodes { events(first: 1000) { totalCount } } } }` },
            auth(token),
          ),
        );
        await send(postJson(endpoint, bodyOfSize(DEFAULT_LIMITS.maxBodyBytes + 1), auth(token)));
        await send(postJson(endpoint, Array(DEFAULT_LIMITS.maxBatch + 1).fill({ query: QUERY }), auth(token)));
        await send(
          postJson(
            endpoint,
            {
              query: `mutation { unpublishIntegration(input: { integrationName: "no-such-integration" }) { deletedIntegrationId } }`,
            },
            auth(token),
          ),
        );
        await send(
          postJson(
            masked,
            {
              query: `{ integration(name: "${SLACK}") { installation(installationId: "${id}") { organization { organizationId } } } }`,
            },
            auth(token),
          ),
        );
      }
      // The upstream fails: REST errors, reset connections, then the breaker opens and fails fast.
      h.simulator.injectFault({ fault: { kind: 'status', status: 503 }, times: 3 });
      h.simulator.injectFault({ fault: { kind: 'reset' }, times: 3 });
      for (let index = 0; index < 8; index++) {
        await send(postJson(fragile, { query: QUERY }, auth(index % 2 === 0 ? DEMO_TOKEN : CANARY)));
      }
      h.simulator.clearFaults();
      return seen;
    });

    // The series did what it meant to: successes and refusals of every kind, and logs were written.
    expect(statuses).toEqual(expect.arrayContaining([200, 403, 413]));
    expect(logged).toBe('');
    const lines = log.lines();
    expect(lines).toContainEqual(expect.objectContaining({ circuit: 'open', level: 40 }));
    expect(log.text()).toContain('Cannot read properties of undefined');
    // One line per request to the gateways that log here: 2 tokens × (2 + 1), and the 8 of the fragile one.
    expect(lines.filter((line) => line.msg === 'request')).toHaveLength(2 * 3 + 8);
    for (const needle of needles) {
      expect(logged).not.toContain(needle);
      expect(log.text()).not.toContain(needle);
    }
  });
});
