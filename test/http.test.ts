import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN, POPULAR_INTEGRATION } from '../src/simulator/index.js';
import { Upstream } from '../src/upstream/client.js';
import { EXAMPLE_QUERY, type GatewayOptions } from '../src/yoga.js';
import { useHarness } from './helpers/harness.js';
import { closedPort, useServedGateways } from './helpers/loopback.js';
import { expectedGet, rest } from './helpers/rest-fixtures.js';

const h = await useHarness();

const SLACK = POPULAR_INTEGRATION;
const BROWSER_HEADERS = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0',
};

/** Gateways listening on a real loopback socket, closed after the file; `serve` answers the origin. */
const serveGraphQL = useServedGateways(h);
const serve = async (options: Partial<GatewayOptions> = {}) => new URL(await serveGraphQL(options)).origin;
const upstreams: Upstream[] = [];
afterAll(async () => {
  await Promise.all(upstreams.map((upstream) => upstream.close()));
});

let gateway: string;
beforeAll(async () => {
  gateway = await serve();
});

/**
 * The options GraphiQL is rendered with, read from the page: the JSON object
 * passed to the render call (a string-aware scan for its closing brace).
 */
function graphiqlOptions(html: string): Record<string, unknown> {
  const start = html.indexOf('{', html.indexOf('renderYogaGraphiQL('));
  if (start < 0) throw new Error(`no GraphiQL render call in the page:\n${html}`);
  let depth = 0;
  let inString = false;
  for (let index = start; index < html.length; index++) {
    const char = html[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return JSON.parse(html.slice(start, index + 1)) as Record<string, unknown>;
  }
  throw new Error('unterminated GraphiQL options');
}

describe('health endpoints', () => {
  it('/health answers 200', async () => {
    const response = await fetch(`${gateway}/health`);
    expect(response.status).toBe(200);
    await response.body?.cancel();
  });

  it('/readiness answers 200 when the upstream is up', async () => {
    const response = await fetch(`${gateway}/readiness`);
    expect(response.status).toBe(200);
    await response.body?.cancel();
  });

  it('/readiness probes GitBook once for any number of checks within a second', async () => {
    const upstream = new Upstream({ baseUrl: h.simulator.url, timeoutMs: 1_000, connections: 2 });
    upstreams.push(upstream);
    const fresh = await serve({ upstream });
    const probes = () => h.simulator.requests.filter((request) => request.path === '/').length;
    const before = probes();
    const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`${fresh}/readiness`)));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      await answer.body?.cancel();
    }
    expect(probes() - before).toBe(1);
  });

  it('/readiness answers 503 when the upstream is down, while /health stays 200', async () => {
    const upstream = new Upstream({
      baseUrl: `http://127.0.0.1:${await closedPort()}/v1`,
      timeoutMs: 1_000,
      connections: 2,
    });
    upstreams.push(upstream);
    const down = await serve({ upstream });

    const readiness = await fetch(`${down}/readiness`);
    expect(readiness.status).toBe(503);
    await readiness.body?.cancel();
    const health = await fetch(`${down}/health`);
    expect(health.status).toBe(200);
    await health.body?.cancel();
  });
});

describe('GraphiQL', () => {
  it('is served as HTML to a browser on /graphql, opening with the example query', async () => {
    const response = await fetch(`${gateway}/graphql`, { headers: BROWSER_HEADERS });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    const options = graphiqlOptions(html);
    expect(options.defaultQuery).toBe(EXAMPLE_QUERY);
    // Without graphiqlToken, no token is put in the page.
    expect(options.headers ?? null).toBeNull();
    expect(html).not.toContain(DEMO_TOKEN);
    expect(h.calls()).toEqual([]);
  });

  it('carries its own code: no script, style or worker is fetched from elsewhere (it works offline)', async () => {
    const html = await (await fetch(`${gateway}/graphql`, { headers: BROWSER_HEADERS })).text();
    // Every URL GraphiQL's page would load sits in a src/href attribute or a worker URL map.
    const external = [...html.matchAll(/(?:src|href)\s*=\s*["']?(https?:\/\/[^"'\s>]+)/g)].map((match) => match[1]);
    const workers = [...html.matchAll(/["'](https?:\/\/[^"']+\.js)["']/g)].map((match) => match[1]);
    expect([...external, ...workers]).toEqual([]);
    expect(html).toContain('renderYogaGraphiQL');
  });

  it('puts graphiqlToken in its headers when given one', async () => {
    const withToken = await serve({ graphiqlToken: DEMO_TOKEN });
    const html = await (await fetch(`${withToken}/graphql`, { headers: BROWSER_HEADERS })).text();
    const options = graphiqlOptions(html);
    expect(options.defaultQuery).toBe(EXAMPLE_QUERY);
    expect(JSON.parse(String(options.headers))).toEqual({ Authorization: `Bearer ${DEMO_TOKEN}` });
  });

  it('runs its example query (its example subscription: live-events.test.ts)', async () => {
    const response = await fetch(`${gateway}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKEN}` },
      body: JSON.stringify({ query: EXAMPLE_QUERY, operationName: 'Marketplace' }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    const expected = await rest(h, '/integrations', { limit: 5, category: 'analytics' });
    expect(body.data.integrations.totalCount).toBe(expected.count);
    expect(body.data.integrations.nodes.map((node: { name: string }) => node.name)).toEqual(
      expected.items.map((item: { name: string }) => item.name),
    );
  });
});

describe('GraphQL over HTTP', () => {
  it('answers a GET /graphql?query=...', async () => {
    const expected = await rest(h, `/integrations/${SLACK}`);
    const query = `{ integration(name: "${SLACK}") { name title } }`;
    const response = await fetch(`${gateway}/graphql?query=${encodeURIComponent(query)}`, {
      // A GET must carry a header a cross-site form cannot set (CSRF prevention).
      headers: {
        accept: 'application/graphql-response+json',
        authorization: `Bearer ${DEMO_TOKEN}`,
        'x-graphql-csrf': '1',
      },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { integration: { name: SLACK, title: expected.title } } });
    expect(h.calls()).toEqual([expectedGet(`/integrations/${SLACK}`)]);
  });

  it('answers a GET with variables', async () => {
    const query = 'query ($name: String!) { integration(name: $name) { name } }';
    const search = new URLSearchParams({ query, variables: JSON.stringify({ name: SLACK }) });
    const response = await fetch(`${gateway}/graphql?${search}`, {
      headers: { accept: 'application/json', authorization: `Bearer ${DEMO_TOKEN}`, 'x-graphql-csrf': '1' },
    });
    expect(await response.json()).toEqual({ data: { integration: { name: SLACK } } });
  });
});

describe('the caller’s Authorization header', () => {
  const post = (authorization: string) =>
    fetch(`${gateway}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query: `{ integration(name: "${SLACK}") { name } }` }),
    }).then((response) => response.json() as Promise<{ data?: any; errors?: any[] }>);

  it.each([`bEaReR ${DEMO_TOKEN}`, `bearer ${DEMO_TOKEN}`, `BEARER ${DEMO_TOKEN}`, `Bearer  ${DEMO_TOKEN}`])(
    'is forwarded byte for byte: %j',
    async (authorization) => {
      const body = await post(authorization);
      expect(body).toEqual({ data: { integration: { name: SLACK } } });
      expect(h.calls()).toEqual([{ ...expectedGet(`/integrations/${SLACK}`), authorization }]);
    },
  );

  it.each([
    `Token ${DEMO_TOKEN}`,
    `Basic ${Buffer.from('user:pass').toString('base64')}`,
    'Bearer',
    `Bearer ${'x'.repeat(5_000)}`,
  ])(
    'is not sent in a scheme REST refuses, empty or too long (%#): UNAUTHENTICATED, no REST call',
    async (authorization) => {
      const body = await post(authorization);
      expect(body.data).toBeUndefined();
      expect(body.errors?.map((error: { extensions?: { code?: string } }) => error.extensions?.code)).toEqual([
        'UNAUTHENTICATED',
      ]);
      expect(h.calls()).toEqual([]);
    },
  );
});
