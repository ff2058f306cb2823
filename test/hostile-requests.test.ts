import net from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { type FragmentDefinitionNode, getOperationAST, Kind, parse } from 'graphql';
import lzString from 'lz-string';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LIMITS, type Limits } from '../src/limits/index.js';
import { maxRestCalls } from '../src/schema/fan-out.js';
import { schema } from '../src/schema/index.js';
import { selectionBudget } from '../src/schema/selection.js';
import { DEMO_TOKEN, POPULAR_INTEGRATION } from '../src/simulator/index.js';
import { createGateway } from '../src/yoga.js';
import { type GraphQLResponse, useHarness } from './helpers/harness.js';
import { queryGateway, useServedGateways } from './helpers/loopback.js';

/**
 * What a hostile client can make the gateway do with a small request. Each
 * test is one way of turning a few bytes into a lot of work, memory or REST
 * calls, and asserts the work done: calls made, bytes sent, selections
 * visited, connections closed. `npm run attacks` prints the same costs.
 */

const h = await useHarness();
const store = h.simulator.store;
const serve = useServedGateways(h);
const SLACK = POPULAR_INTEGRATION;

const slackInstallation = (() => {
  const record = [...(store.integrations.get(SLACK)?.installations.values() ?? [])][0];
  if (!record) throw new Error('the seed has no slack installation');
  return record.installation.id;
})();
const someSpace = (() => {
  const [space] = store.spaces.values();
  if (!space) throw new Error('no space in the store');
  return space.id;
})();
const documentContext = { type: 'document', theme: 'light', spaceId: someSpace, editable: true };

let endpoint: string;
beforeAll(async () => {
  endpoint = await serve();
});

const auth = { authorization: `Bearer ${DEMO_TOKEN}` };
const codes = (response: GraphQLResponse) => (response.errors ?? []).map((error) => error.extensions?.code);

/** `levels` named fragments on `type`, each spreading the next `spreads` times; the last selects `leaf`. */
function fragmentBomb(type: string, levels: number, spreads: number, leaf: string): string {
  const fragments = Array.from(
    { length: levels },
    (_, level) =>
      `fragment F${level} on ${type} { ${Array.from({ length: spreads }, () => `...F${level + 1}`).join(' ')} }`,
  );
  return `${fragments.join('\n')}\nfragment F${levels} on ${type} { ${leaf} }`;
}

/** How long an operation takes, beside a trivial one sent right before it to the same gateway. */
async function timedBeside(send: () => Promise<unknown>): Promise<{ ms: number; trivialMs: number }> {
  let started = performance.now();
  await fetch(`${endpoint}?query=${encodeURIComponent('{ __typename }')}`).then((response) => response.text());
  const trivialMs = performance.now() - started;
  started = performance.now();
  await send();
  return { ms: performance.now() - started, trivialMs };
}

describe('fragment-spread bombs: each fragment is walked once per selection', () => {
  const BOMB = `query { ...F0 }\n${fragmentBomb('Query', 6, 24, '__typename')}`;

  it('the fan-out estimate visits each spread of 24^6 possible paths once: a few hundred selections', () => {
    const document = parse(BOMB);
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    }
    const budget = selectionBudget();
    const operation = getOperationAST(document);
    if (!operation) throw new Error('no operation');
    expect(maxRestCalls({ schema, fragments, variables: {}, budget }, operation)).toBe(0);
    const visited = budget.limit - budget.left;
    // One spread of F0, then 24 spreads at each of six levels, each fragment entered once.
    expect(visited).toBe(1 + 6 * 24 + 1);
  });

  it('a 1 KB GET of six levels × 24 spreads is answered like `{ __typename }`, at the cost of a trivial query, and /health answers meanwhile', async () => {
    expect(BOMB.length).toBeLessThan(1_200);
    let health: Promise<number> | undefined;
    const { ms, trivialMs } = await timedBeside(async () => {
      const bomb = fetch(`${endpoint}?query=${encodeURIComponent(BOMB)}`).then((response) => response.json());
      health = fetch(endpoint.replace('/graphql', '/health')).then((response) => response.status);
      expect(await bomb).toEqual({ data: { __typename: 'Query' } });
    });
    expect(await health).toBe(200);
    // A generous bound: the walk of 24^6 paths took seconds and then killed the process.
    expect(ms).toBeLessThan(50 * trivialMs + 1_000);
    expect(h.calls()).toEqual([]);
  });

  it('the lookahead of a resolver walks the same bomb below a field once: one REST call, the right data', async () => {
    const query = `{ integration(name: "${SLACK}") { ...F0 } }\n${fragmentBomb('Integration', 6, 24, 'name title')}`;
    const { ms, trivialMs } = await timedBeside(async () => {
      const response = await queryGateway(h.gateway, query);
      expect(response).toEqual({
        data: { integration: { name: SLACK, title: store.integrations.get(SLACK)?.integration.title } },
      });
    });
    expect(ms).toBeLessThan(50 * trivialMs + 1_000);
    expect(h.calls().map((call) => `${call.method} ${call.path}`)).toEqual([`GET /integrations/${SLACK}`]);
  });

  it('distinct fields nested under distinct fields are bounded by maxSelections: past it, QUERY_TOO_COMPLEX and no call', async () => {
    // Each level holds two different lists of the next: 2^levels paths, none of them a repeated spread.
    const levels = 12;
    const fragments = Array.from(
      { length: levels },
      (_, level) =>
        `fragment L${level} on Integration { installations(first: 1) { nodes { integration { ...L${level + 1} } } } events(first: 1) { nodes { integration { ...L${level + 1} } } } }`,
    );
    const query = `{ integration(name: "${SLACK}") { ...L0 } }\n${fragments.join('\n')}\nfragment L${levels} on Integration { name }`;
    const gateway = createGateway({
      upstream: h.upstream,
      limits: { ...DEFAULT_LIMITS, maxDepth: 100, maxSelections: 1_000 },
    });
    const response = await queryGateway(gateway, query);
    expect(response.data).toBeUndefined();
    expect(response.errors?.map((error) => error.extensions)).toEqual([
      { code: 'QUERY_TOO_COMPLEX', selectionLimit: 1_000 },
    ]);
    expect(h.calls()).toEqual([]);
  });
});

describe('JSON amplification: a variable used many times counts at each use', () => {
  const BIG = 'x'.repeat(9_000);
  const USES = Array.from({ length: 1_000 }, () => '$v').join(' ');

  function expectRefusedAsTooLarge(response: GraphQLResponse, argument: string): void {
    expect(response.data).toBeUndefined();
    expect(response.errors).toHaveLength(1);
    expect(response.errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      argument,
      limit: { bytes: DEFAULT_LIMITS.maxInputBytes, values: DEFAULT_LIMITS.maxInputValues, depth: 64 },
    });
    expect(h.calls()).toEqual([]);
  }

  it('updateInstallation with { a: [$v ×1000] } (9 MB once expanded, from a 12 KB POST) is refused before any REST call', async () => {
    const response = await h.graphql(
      `mutation($v: JSON) { updateInstallation(input: { integrationName: "${SLACK}", installationId: "${slackInstallation}", configuration: { a: [${USES}] } }) { installation { id } } }`,
      { v: BIG },
    );
    expectRefusedAsTooLarge(response, 'input');
  });

  it('a list of strings repeating a variable (externalIds: [$v ×1000]) is refused the same way', async () => {
    const response = await h.graphql(
      `mutation($v: String!) { updateInstallation(input: { integrationName: "${SLACK}", installationId: "${slackInstallation}", externalIds: [${USES}] }) { installation { id } } }`,
      { v: BIG },
    );
    expectRefusedAsTooLarge(response, 'input');
  });

  it('integrationUI props repeating a 10 KB variable (a 15 KB GET) is refused before it is compressed', async () => {
    const query = `query($v: JSON) { integrationUI(integrationName: "kudos", componentId: "kudos-counter", props: { a: [${USES}] }, context: { type: "document", theme: "light", spaceId: "${someSpace}", editable: true }) { type } }`;
    const response = await fetch(
      `${endpoint}?${new URLSearchParams({ query, variables: JSON.stringify({ v: 'y'.repeat(10_000) }) })}`,
      { headers: auth },
    );
    expect(response.status).toBe(200);
    expectRefusedAsTooLarge((await response.json()) as GraphQLResponse, 'props');
  });

  it('a variable used three times within the budget is sent expanded: one render GET carrying all three copies', async () => {
    const value = 'z'.repeat(5_000);
    const response = await h.data(
      `query($v: String, $context: JSON!) { integrationUI(integrationName: "kudos", componentId: "kudos-counter", props: { a: $v, b: $v, c: $v }, context: $context) { type } }`,
      { v: value, context: documentContext },
    );
    expect(response.integrationUI.type).toBe('ELEMENT');
    const calls = h.calls();
    expect(calls).toHaveLength(1);
    const sent = JSON.parse(lzString.decompressFromEncodedURIComponent(String(calls[0]?.query.request)));
    expect(sent.props).toEqual({ a: value, b: value, c: value });
  });

  it.each<[string, Partial<Limits>, string, Record<string, unknown>]>([
    [
      'bytes',
      { maxInputBytes: 1_000 },
      'mutation($v: JSON) { queueIntegrationTask(input: { integrationName: "kudos", task: { a: [$v, $v] } }) { queued } }',
      { v: 'q'.repeat(450) },
    ],
    [
      'values',
      { maxInputValues: 100 },
      'mutation($v: JSON) { queueIntegrationTask(input: { integrationName: "kudos", task: { a: [$v, $v] } }) { queued } }',
      { v: Array.from({ length: 45 }, (_, i) => i) },
    ],
  ])(
    'the budget of %s is the gateway’s: just under it one task is queued, just over it none',
    async (_label, limits, query, variables) => {
      const gateway = createGateway({ upstream: h.upstream, limits: { ...DEFAULT_LIMITS, ...limits } });
      const under = await queryGateway(gateway, query, { variables });
      expect(under).toEqual({ data: { queueIntegrationTask: { queued: true } } });
      expect(h.calls().map((call) => `${call.method} ${call.path}`)).toEqual(['POST /integrations/kudos/tasks']);
      h.resetCalls();
      const bigger = Object.fromEntries(
        Object.entries(variables).map(([name, value]) => [
          name,
          typeof value === 'string'
            ? `${value}${'q'.repeat(100)}`
            : [...(value as number[]), ...Array.from({ length: 10 }, () => 0)],
        ]),
      );
      const over = await queryGateway(gateway, query, { variables: bigger });
      expect(codes(over)).toEqual(['BAD_USER_INPUT']);
      expect(over.data).toBeUndefined();
      expect(h.calls()).toEqual([]);
    },
  );

  it('nesting deeper than 64 levels, a variable inside a literal adding its own depth, is refused with no call', async () => {
    const deep = JSON.parse(`${'['.repeat(40)}1${']'.repeat(40)}`);
    const response = await h.graphql(
      `mutation($v: JSON) { queueIntegrationTask(input: { integrationName: "kudos", task: { a: ${'['.repeat(30)}$v${']'.repeat(30)} } }) { queued } }`,
      { v: deep },
    );
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(h.calls()).toEqual([]);
  });
});

describe('caches keyed by what clients send are bounded in bytes', () => {
  function garbageCollector(): () => void {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  }

  it('the fan-out estimates of 2,560 distinct 7 KB variable sets over 40 documents hold a few MB, not 36', async () => {
    const gc = garbageCollector();
    const heapUsed = () => {
      gc();
      gc();
      return process.memoryUsage().heapUsed;
    };
    const gateway = createGateway({ upstream: h.upstream });
    const pad = 'p'.repeat(7_000);
    const send = (document: number, variant: number) =>
      queryGateway(
        gateway,
        `query Q${document}($first: Int, $pad: String) { integrations(first: $first, search: $pad) { totalCount } }`,
        {
          variables: { first: 1 + variant, pad: pad + variant },
          token: null,
        },
      );
    await send(999, 0);
    const before = heapUsed();
    for (let document = 0; document < 40; document += 1) {
      const answers = await Promise.all(Array.from({ length: 64 }, (_, variant) => send(document, variant)));
      // Refused before execution (no token), after the estimate was made and kept.
      expect(new Set(answers.map((answer) => codes(answer).join()))).toEqual(new Set(['UNAUTHENTICATED']));
    }
    const grown = heapUsed() - before;
    // 2,560 keys of 14 KB each are 36 MB; the estimates' cache keeps 4 MB of keys.
    expect(grown).toBeLessThan(12 * 1024 * 1024);
    expect(h.calls()).toEqual([]);
  }, 60_000);
});

describe('requests without a bearer token make no REST call', () => {
  it('a batch of 10 × nodes(ids:) with 300 ids each, without Authorization, is refused whole: 0 calls', async () => {
    const ids = Array.from({ length: 300 }, (_, index) => Buffer.from(`Integration:i${index}`).toString('base64url'));
    const batch = Array.from({ length: 10 }, () => ({
      query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
      variables: { ids },
    }));
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(batch),
    });
    const results = (await response.json()) as GraphQLResponse[];
    expect(results).toHaveLength(10);
    for (const result of results) {
      expect(result.data).toBeUndefined();
      expect(codes(result)).toEqual(['UNAUTHENTICATED']);
    }
    expect(h.calls()).toEqual([]);
  });

  it('what needs no REST call is answered without a token: __typename, introspection, an organization’s id', async () => {
    const response = await queryGateway(
      h.gateway,
      `{ __typename __schema { queryType { name } } organization(organizationId: "org1") { organizationId } }`,
      { token: null },
    );
    expect(response).toEqual({
      data: {
        __typename: 'Query',
        __schema: { queryType: { name: 'Query' } },
        organization: { organizationId: 'org1' },
      },
    });
  });

  it('the same batch with a token is estimated and refused by the fan-out limit, also with no call', async () => {
    const ids = Array.from({ length: 301 }, (_, index) => Buffer.from(`Integration:i${index}`).toString('base64url'));
    const response = await h.graphql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids });
    expect(codes(response)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(h.calls()).toEqual([]);
  });
});

describe('malformed GraphQL parameters are a 400, not a crash', () => {
  const logged = { error: vi.spyOn(console, 'error'), warn: vi.spyOn(console, 'warn') };
  afterEach(() => {
    logged.error.mockClear();
    logged.warn.mockClear();
  });

  it.each([
    ['GET variables that are not JSON', { query: '{ __typename }', variables: '{' }, 'variables'],
    ['GET extensions that are not JSON', { query: '{ __typename }', extensions: 'nope' }, 'extensions'],
  ])('%s: 400 BAD_REQUEST naming the parameter, nothing logged', async (_label, params, name) => {
    const response = await fetch(`${endpoint}?${new URLSearchParams(params as Record<string, string>)}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [{ message: `The \`${name}\` parameter is not valid JSON.`, extensions: { code: 'BAD_REQUEST' } }],
    });
    expect(logged.error).not.toHaveBeenCalled();
    expect(logged.warn).not.toHaveBeenCalled();
  });

  it('a form POST (with the CSRF header) whose variables are not JSON: 400 BAD_REQUEST', async () => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-graphql-csrf': '1' },
      body: new URLSearchParams({ query: '{ __typename }', variables: '{"a":' }).toString(),
    });
    expect(response.status).toBe(400);
    expect(codes((await response.json()) as GraphQLResponse)).toEqual(['BAD_REQUEST']);
    expect(logged.error).not.toHaveBeenCalled();
  });
});

describe('a refused body is not read', () => {
  /**
   * Streams a POST (chunked, or with a huge Content-Length) until the gateway
   * closes the connection or `cap` bytes are written; what came back and how
   * much was written.
   */
  function stream(headers: string, cap: number): Promise<{ written: number; closed: boolean; answer: string }> {
    const url = new URL(endpoint);
    return new Promise((resolve) => {
      const socket = net.connect(Number(url.port), url.hostname);
      const chunked = headers.includes('chunked');
      const payload = Buffer.alloc(64 * 1024, 'a');
      const frame = chunked
        ? Buffer.concat([Buffer.from(`${payload.length.toString(16)}\r\n`), payload, Buffer.from('\r\n')])
        : payload;
      let written = 0;
      let answer = '';
      let done = false;
      const finish = (closed: boolean) => {
        if (done) return;
        done = true;
        socket.destroy();
        resolve({ written, closed, answer });
      };
      socket.on('data', (chunk: Buffer) => {
        answer += chunk.toString('latin1');
      });
      socket.on('error', () => finish(true));
      socket.on('close', () => finish(true));
      socket.write(
        `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\n${headers}\r\n\r\n`,
      );
      const pump = () => {
        while (!done) {
          if (written >= cap) return finish(false);
          written += frame.length;
          if (!socket.write(frame)) return socket.once('drain', pump);
        }
      };
      pump();
    });
  }

  it.each([
    ['411, a chunked body', 'Transfer-Encoding: chunked', '411'],
    ['413, a body declared 10 GB long', `Content-Length: ${10 * 1024 ** 3}`, '413'],
  ])(
    '%s: answered with Connection: close, and the connection closes while the client still sends',
    async (_label, headers, status) => {
      const cap = 512 * 1024 * 1024;
      const { written, closed, answer } = await stream(headers, cap);
      expect(answer).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
      expect(answer.toLowerCase()).toContain('connection: close');
      expect(closed).toBe(true);
      // What socket buffers on both sides absorb, not the gigabytes the client would go on sending.
      expect(written).toBeLessThan(64 * 1024 * 1024);
      expect(h.calls()).toEqual([]);
    },
    30_000,
  );
});

describe('identifiers: one pattern and length check wherever they arrive, before any call', () => {
  const LONG = 'o'.repeat(513);
  const globalId = (raw: string) => Buffer.from(raw, 'utf8').toString('base64url');

  it.each<[string, string]>([
    ['organization(organizationId)', `{ organization(organizationId: "${LONG}") { title } }`],
    ['integrations(owner)', `{ integrations(owner: "${LONG}") { totalCount } }`],
    [
      'installedIntegrations(spaceId)',
      `{ organization(organizationId: "org") { installedIntegrations(target: SPACE, spaceId: "${LONG}") { totalCount } } }`,
    ],
    [
      'site(siteId)',
      `{ organization(organizationId: "org") { site(siteId: "${LONG}") { integrationScripts { script } } } }`,
    ],
    [
      'installation(installationId)',
      `{ integration(name: "${SLACK}") { installation(installationId: "${LONG}") { status } } }`,
    ],
    ['event(eventId)', `{ integration(name: "${SLACK}") { event(eventId: "${LONG}") { status } } }`],
    [
      'integrationUI(componentId)',
      `{ integrationUI(integrationName: "kudos", componentId: "${LONG}", props: {}, context: {}) { type } }`,
    ],
    [
      'installIntegration(input.organizationId)',
      `mutation { installIntegration(input: { integrationName: "${SLACK}", organizationId: "${LONG}" }) { installation { id } } }`,
    ],
    ['node(id) of an Organization', `{ node(id: "${globalId(`Organization:${LONG}`)}") { id } }`],
    ['node(id) of an Installation', `{ node(id: "${globalId(`Installation:${SLACK}/${LONG}`)}") { id } }`],
    ['node(id) over 4 KB', `{ node(id: "${'A'.repeat(4_100)}") { id } }`],
  ])('%s: 513 characters is BAD_USER_INPUT with no REST call', async (_label, query) => {
    const response = await h.graphql(query);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(h.calls()).toEqual([]);
  });

  it('512 characters pass the checks and are asked of REST, which answers 404', async () => {
    const id = 'o'.repeat(512);
    const response = await h.graphql(
      `{ integration(name: "${SLACK}") { installation(installationId: "${id}") { status } } }`,
    );
    expect(codes(response)).toEqual(['NOT_FOUND']);
    expect(h.calls().map((call) => `${call.method} ${call.path}`)).toEqual([
      `GET /integrations/${SLACK}/installations/${id}`,
    ]);
  });
});

describe('numbers without a JSON form', () => {
  it.each<[string, () => Promise<GraphQLResponse>]>([
    [
      '1e400 in a JSON literal',
      () =>
        h.graphql(
          'mutation { queueIntegrationTask(input: { integrationName: "kudos", task: { n: 1e400 } }) { queued } }',
        ),
    ],
    [
      '1e400 in a JSON variable',
      async () => {
        const response = await h.gateway.fetch('http://gateway.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...auth },
          body: '{"query":"mutation($t: JSON!) { queueIntegrationTask(input: { integrationName: \\"kudos\\", task: $t }) { queued } }","variables":{"t":{"n":1e400}}}',
        });
        return (await response.json()) as GraphQLResponse;
      },
    ],
    [
      '-1e400 in integrationUI props',
      () =>
        h.graphql(
          'query($context: JSON!) { integrationUI(integrationName: "kudos", componentId: "kudos-counter", props: { n: -1e400 }, context: $context) { type } }',
          { context: documentContext },
        ),
    ],
  ])('%s is BAD_USER_INPUT, and REST never receives a null for it', async (_label, send) => {
    const response = await send();
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(h.calls()).toEqual([]);
  });
});

describe('CORS: never with credentials', () => {
  const preflight = (url: string, origin: string) =>
    fetch(url, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });

  it('by default any origin may call, without credentials', async () => {
    const response = await preflight(endpoint, 'https://evil.example');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://evil.example');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    const get = await fetch(`${endpoint}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(get.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('with CORS_ORIGINS set, only those origins are allowed, still without credentials', async () => {
    const restricted = await serve({ corsOrigins: ['https://app.example', 'https://admin.example'] });
    const allowed = await preflight(restricted, 'https://app.example');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    const refused = await preflight(restricted, 'https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBe('null');
  });
});
