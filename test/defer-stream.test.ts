import { readFileSync } from 'node:fs';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { MemoryStore } from '../src/cache/index.js';
import { DEFAULT_LIMITS } from '../src/limits/index.js';
import { POPULAR_INTEGRATION } from '../src/simulator/index.js';
import { Upstream } from '../src/upstream/client.js';
import { type RestCall, useHarness } from './helpers/harness.js';
import { rewritingUpstream, useServedGateways } from './helpers/loopback.js';
import { mergeParts, type Part, readParts } from './helpers/multipart.js';
import { captured } from './helpers/observability.js';
import { TOKENS } from './helpers/rest-fixtures.js';

/**
 * `@defer` and `@stream` (incremental delivery, multipart/mixed) over real
 * HTTP: the first part comes while the deferred REST calls are still
 * unanswered (held by the simulator), the merged parts are the answer of
 * the same query without the directives, from the same REST calls, and the
 * limits, the response cache, warnings and metrics treat a deferred query as
 * the plain one. Order of events is asserted, never durations.
 */

const h = await useHarness({ resetStateBeforeEach: true });
const serve = useServedGateways(h);
// Compiled from the first use, as the harness: what may be compiled is.
const url = await serve({ compileOnUse: 1 });
const SLACK = POPULAR_INTEGRATION;
const MULTIPART = 'multipart/mixed';

const SPACES = 'spaceInstallations(first: 3) { nodes { spaceId space { title } status } }';
const page = (spaces: string) => `query IntegrationPage {
  integration(name: "${SLACK}") {
    title
    installations(first: 3) {
      totalCount
      nodes {
        installationId
        status
        organization { organizationId }
        ${spaces}
      }
    }
  }
}`;
/** The README's integration page. */
const PLAIN = page(SPACES);
/** The same page, each installation's spaces deferred. */
const DEFERRED = page(`... @defer { ${SPACES} }`);

const installationsQuery = (directive: string) => `query Installations {
  integration(name: "${SLACK}") {
    installations(first: 3) {
      nodes ${directive} { installationId status spaceInstallations(first: 2) { nodes { spaceId space { title } } } }
    }
  }
}`;

async function post(
  target: string,
  body: unknown,
  options: { accept?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const text = typeof body === 'string' ? JSON.stringify({ query: body }) : JSON.stringify(body);
  return fetch(target, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: options.accept ?? MULTIPART,
      authorization: `Bearer ${TOKENS.demo}`,
      ...options.headers,
    },
    body: text,
  });
}

/** Every part of the answer to `query`, read to the end; `status` is the HTTP status expected. */
async function parts(target: string, query: string, status = 200): Promise<Part[]> {
  const response = await post(target, query);
  expect(response.status).toBe(status);
  return readParts(response).rest();
}

/** Calls in a stable order (the deferred ones run concurrently), without what the test does not compare. */
function sorted(calls: RestCall[]): Pick<RestCall, 'method' | 'path' | 'query'>[] {
  const key = (call: RestCall) => `${call.method} ${call.path}?${new URLSearchParams(call.query).toString()}`;
  return [...calls]
    .sort((a, b) => key(a).localeCompare(key(b)))
    .map(({ method, path, query }) => ({ method, path, query }));
}

/** The answer without directives, and its REST calls; the call log is reset after. */
async function plainAnswer(query: string) {
  h.resetCalls();
  const data = await h.data(query);
  const calls = h.calls();
  h.resetCalls();
  return { data, calls };
}

const spacesCalls = () =>
  h.simulator.requests.filter((request) => request.operationId === 'listIntegrationInstallationSpaces');

/** The page's data with each installation's spaces left out, as its first part has it. */
function withoutSpaces(data: any): any {
  const copy = structuredClone(data);
  for (const node of copy.integration.installations.nodes) delete node.spaceInstallations;
  return copy;
}

/** The paths of the later parts' incremental entries, in order. */
const patchPaths = (later: Part[]) =>
  later.flatMap((part) => (part.incremental ?? []).map((patch: Part) => patch.path));

describe('@defer: the integration page, each installation’s spaces deferred', () => {
  it('the first part (installations, no spaces) arrives while the spaces’ REST calls are held; the rest once they are answered', async () => {
    const plain = await plainAnswer(PLAIN);
    // A REST client of its own: the held calls are released with a 503 and retried, which
    // must not count against the harness's circuit breaker.
    const upstream = new Upstream({ baseUrl: h.simulator.url, timeoutMs: 10_000, connections: 16 });
    onTestFinished(() => upstream.close());
    const target = await serve({ upstream, compileOnUse: 1 });

    const events: string[] = [];
    const hold = h.simulator.injectFault({
      fault: { kind: 'hang' },
      match: { operationId: 'listIntegrationInstallationSpaces' },
    });
    const response = await post(target, DEFERRED);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^multipart\/mixed/);
    const reader = readParts(response, (_part, index) => events.push(`part ${index}`));

    const first = await reader.next();
    // The three deferred calls were sent, and none has been answered.
    await vi.waitFor(() => expect(spacesCalls()).toHaveLength(3));
    expect(spacesCalls().map((call) => [call.status, call.fault])).toEqual([
      [0, 'hang'],
      [0, 'hang'],
      [0, 'hang'],
    ]);
    events.push('spaces calls held');
    expect(first).toEqual({ data: withoutSpaces(plain.data), hasNext: true });

    hold.remove(); // answered 503; the gateway retries each, and the retries are answered
    events.push('released');
    const later = await reader.rest();

    expect(events.slice(0, 3)).toEqual(['part 0', 'spaces calls held', 'released']);
    expect(events.slice(3)).toEqual(later.map((_part, index) => `part ${index + 1}`));
    expect(later.length).toBeGreaterThanOrEqual(1);
    expect(later.at(-1)?.hasNext).toBe(false);
    expect(patchPaths(later).sort()).toEqual(
      [0, 1, 2].map((index) => ['integration', 'installations', 'nodes', index]).sort(),
    );
    expect(mergeParts(reader.parts)).toEqual({ data: plain.data });
    // What was answered is what the plain page calls.
    const answered = h.calls().filter((call) => call.status === 200);
    expect(sorted(answered)).toEqual(sorted(plain.calls));
    expect(h.calls().filter((call) => call.status === 503)).toHaveLength(3);
  });

  it('merged, the parts are the plain page’s answer, from the same REST calls (extended=true only for the titles)', async () => {
    const plain = await plainAnswer(PLAIN);
    const answer = await parts(url, DEFERRED);
    expect(answer.length).toBeGreaterThan(1);
    expect(answer[0]).toEqual({ data: withoutSpaces(plain.data), hasNext: true });
    expect(mergeParts(answer)).toEqual({ data: plain.data });
    expect(sorted(h.calls())).toEqual(sorted(plain.calls));
    expect(sorted(plain.calls).map((call) => `${call.path} ${JSON.stringify(call.query)}`)).toEqual([
      `/integrations/${SLACK} {}`,
      `/integrations/${SLACK}/installations {"limit":"3"}`,
      ...sorted(plain.calls)
        .filter((call) => call.path.endsWith('/spaces'))
        .map((call) => `${call.path} {"limit":"3","extended":"true"}`),
    ]);

    // Without the titles, the deferred calls leave extended=true out, as the plain page does.
    const untitled = SPACES.replace(' space { title }', '');
    const plainUntitled = await plainAnswer(page(untitled));
    const deferredUntitled = await parts(url, page(`... @defer { ${untitled} }`));
    expect(mergeParts(deferredUntitled)).toEqual({ data: plainUntitled.data });
    expect(sorted(h.calls())).toEqual(sorted(plainUntitled.calls));
    expect(h.calls().some((call) => 'extended' in call.query)).toBe(false);
  });

  it('a deferred named fragment and a label: the same answer, the label on its parts', async () => {
    const plain = await plainAnswer(PLAIN);
    const query = `${page('...Spaces @defer(label: "spaces")')}\nfragment Spaces on Installation { ${SPACES} }`;
    const answer = await parts(url, query);
    expect(answer.slice(1).flatMap((part) => part.incremental.map((patch: Part) => patch.label))).toEqual([
      'spaces',
      'spaces',
      'spaces',
    ]);
    expect(mergeParts(answer)).toEqual({ data: plain.data });
    expect(sorted(h.calls())).toEqual(sorted(plain.calls));
  });

  it('errors of a deferred part (a 500, a 404) come in that part with the contract’s codes; the first part is intact', async () => {
    const plain = await plainAnswer(PLAIN);
    const ids: string[] = plain.data.integration.installations.nodes.map((node: any) => node.installationId);
    const spacesOf = (id: string) => `/integrations/${SLACK}/installations/${id}/spaces`;
    h.simulator.injectFault({ fault: { kind: 'status', status: 500 }, match: { path: spacesOf(ids[0] ?? '') } });
    h.simulator.injectFault({ fault: { kind: 'status', status: 404 }, match: { path: spacesOf(ids[1] ?? '') } });

    const [first, ...later] = await parts(url, DEFERRED);
    expect(first).toEqual({ data: withoutSpaces(plain.data), hasNext: true });
    const patches = later.flatMap((part) => part.incremental ?? []);
    const patchOf = (index: number) =>
      patches.find((patch: Part) => patch.path.join('.') === `integration.installations.nodes.${index}`);
    const failure = (index: number, code: string, status: number) => ({
      path: ['integration', 'installations', 'nodes', index],
      data: { spaceInstallations: null },
      errors: [
        expect.objectContaining({
          path: ['integration', 'installations', 'nodes', index, 'spaceInstallations'],
          extensions: expect.objectContaining({ code, status }),
        }),
      ],
    });
    expect(patchOf(0)).toEqual(failure(0, 'UPSTREAM_ERROR', 500));
    expect(patchOf(1)).toEqual(failure(1, 'NOT_FOUND', 404));
    expect(patchOf(2)).toEqual({
      path: ['integration', 'installations', 'nodes', 2],
      data: { spaceInstallations: plain.data.integration.installations.nodes[2].spaceInstallations },
    });
    expect(later.every((part) => part.errors === undefined)).toBe(true);
  });
});

describe('@stream', () => {
  it('@stream(initialCount: 1): the first installation first, the others in later parts; merged, the plain answer', async () => {
    const plain = await plainAnswer(installationsQuery(''));
    const [first, ...later] = await parts(url, installationsQuery('@stream(initialCount: 1)'));
    const nodes = plain.data.integration.installations.nodes;
    expect(nodes).toHaveLength(3);
    expect(first).toEqual({ data: { integration: { installations: { nodes: nodes.slice(0, 1) } } }, hasNext: true });
    expect(later.length).toBeGreaterThanOrEqual(1);
    const patches = later.flatMap((part) => part.incremental ?? []);
    expect(patches.map((patch: Part) => patch.path)).toEqual([
      ['integration', 'installations', 'nodes', 1],
      ['integration', 'installations', 'nodes', 2],
    ]);
    expect(patches.flatMap((patch: Part) => patch.items)).toEqual(nodes.slice(1));
    expect(mergeParts([first ?? {}, ...later])).toEqual({ data: plain.data });
    expect(sorted(h.calls())).toEqual(sorted(plain.calls));
  });

  it('@stream with the default initialCount (0) and a page of marketplace integrations: every item in a later part', async () => {
    const query = (directive: string) =>
      `{ integrations(first: 4, category: ANALYTICS) { totalCount nodes ${directive} { name title } } }`;
    const plain = await plainAnswer(query(''));
    const answer = await parts(url, query('@stream'));
    expect(answer[0]?.data.integrations.nodes).toEqual([]);
    expect(mergeParts(answer)).toEqual({ data: plain.data });
    expect(sorted(h.calls())).toEqual(sorted(plain.calls));
  });
});

describe('a client that cannot take an answer in parts', () => {
  it('gets the whole answer as one JSON response when its Accept is JSON only, from the same REST calls', async () => {
    const plain = await plainAnswer(PLAIN);
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const response = await post(url, DEFERRED, { accept });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(`${accept}; charset=utf-8`);
      expect(await response.json()).toEqual({ data: plain.data });
      expect(sorted(h.calls())).toEqual(sorted(plain.calls));
      h.resetCalls();
    }
  });

  it('every operation of a batch is answered whole, in the batch’s JSON array', async () => {
    const plain = await plainAnswer(PLAIN);
    const response = await post(url, [{ query: DEFERRED }, { query: installationsQuery('@stream(initialCount: 1)') }], {
      accept: `${MULTIPART}, application/json`,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const [deferred, streamed] = (await response.json()) as Part[];
    expect(deferred).toEqual({ data: plain.data });
    expect(streamed?.data.integration.installations.nodes).toHaveLength(3);
  });

  it('a client accepting both (as Apollo Client does) gets the parts', async () => {
    const response = await post(url, DEFERRED, { accept: `${MULTIPART};deferSpec=20220824, application/json` });
    expect(response.headers.get('content-type')).toMatch(/^multipart\/mixed/);
    expect((await readParts(response).rest()).length).toBeGreaterThan(1);
  });
});

describe('the limits count a deferred or streamed query as the plain one', () => {
  it('the REST fan-out estimate: deferred fields as any others, a streamed list by its first', async () => {
    const limited = await serve({ limits: { ...DEFAULT_LIMITS, maxRestCalls: 2 } });
    const refusal = async (query: string) => {
      const [only, ...more] = await parts(limited, query, 400);
      expect(more).toEqual([]);
      expect(only?.data).toBeUndefined();
      const [error] = only?.errors ?? [];
      expect(error?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 2 });
      return error?.extensions?.restCalls as number;
    };
    const plain = await refusal(PLAIN);
    expect(plain).toBeGreaterThan(4);
    expect(await refusal(DEFERRED)).toBe(plain);
    const plainList = await refusal(installationsQuery(''));
    expect(await refusal(installationsQuery('@stream(initialCount: 1)'))).toBe(plainList);
    expect(await refusal(installationsQuery('@stream'))).toBe(plainList);
    expect(h.calls()).toEqual([]);
  });

  it('graphql-armor’s directive limit counts @defer and @stream', async () => {
    const limited = await serve({ limits: { ...DEFAULT_LIMITS, maxDirectives: 2 } });
    const query = (defers: number) =>
      `{ integration(name: "${SLACK}") { name ${Array.from({ length: defers }, (_, index) => `... @defer { d${index}: title }`).join(' ')} } }`;
    const [refused] = await parts(limited, query(3));
    expect(refused?.errors?.map((error: Part) => error.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(h.calls()).toEqual([]);
    const accepted = await parts(limited, query(2));
    expect(mergeParts(accepted).errors).toBeUndefined();
  });
});

describe('validation', () => {
  it('@stream on a field that is not a list, and @defer on a mutation’s root field, are refused before any call', async () => {
    const [stream] = await parts(url, `{ integration(name: "${SLACK}") @stream { name } }`, 400);
    const [mutation] = await parts(
      url,
      `mutation { ... @defer { uninstallIntegration(input: { integrationName: "${SLACK}", installationId: "x" }) { deletedInstallationId } } }`,
      400,
    );
    for (const answer of [stream, mutation]) {
      expect(answer?.errors?.map((error: Part) => error.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    }
    expect(h.calls()).toEqual([]);
  });

  it('a field conflict is reported once (the plugin’s stricter rule replaces graphql-js’, it does not run beside it)', async () => {
    const [answer] = await parts(
      url,
      `{ a: integration(name: "${SLACK}") { title } a: integration(name: "kudos") { title } }`,
      400,
    );
    expect(answer?.errors).toHaveLength(1);
    expect(answer?.errors?.[0]?.message).toMatch(/Fields "a" conflict/);
  });

  it('@defer and @stream are in the schema: introspection and schema/schema.graphql show them', async () => {
    const data = await h.data('{ __schema { directives { name locations args { name } } } }');
    const directives = Object.fromEntries(
      data.__schema.directives.map((directive: Part) => [
        directive.name,
        { locations: directive.locations, args: directive.args.map((arg: Part) => arg.name) },
      ]),
    );
    expect(directives.defer).toEqual({ locations: ['FRAGMENT_SPREAD', 'INLINE_FRAGMENT'], args: ['if', 'label'] });
    expect(directives.stream).toEqual({ locations: ['FIELD'], args: ['if', 'label', 'initialCount'] });
    const printed = readFileSync(new URL('../schema/schema.graphql', import.meta.url), 'utf8');
    expect(printed).toContain('directive @defer(');
    expect(printed).toContain('directive @stream(');
  });
});

describe('the response cache', () => {
  function cached() {
    const { observability } = captured();
    const store = new MemoryStore({ maxBytes: 16 * 1024 * 1024, maxTtlMs: 30_000 });
    return { observability, options: { responseCache: { store, ttlMs: 30_000 }, observability, compileOnUse: 1 } };
  }
  const cacheUse = async (observability: ReturnType<typeof captured>['observability']) => {
    const { values } = await observability.metrics.responseCacheUse.get();
    return Object.fromEntries(values.map((value) => [value.labels.result, value.value]));
  };

  it('keeps the merged parts: the repeated deferred query is answered whole from it, without a REST call', async () => {
    const { observability, options } = cached();
    const target = await serve(options);
    const plain = await plainAnswer(PLAIN);
    const first = await parts(target, DEFERRED);
    expect(first.length).toBeGreaterThan(1);
    expect(mergeParts(first)).toEqual({ data: plain.data });
    h.resetCalls();

    const again = await post(target, DEFERRED);
    const reader = readParts(again);
    expect(await reader.rest()).toEqual([{ data: plain.data }]);
    expect(reader.multipart).toBe(true);
    expect(h.calls()).toEqual([]);
    expect(await cacheUse(observability)).toEqual({ miss: 1, hit: 1 });

    // The plain page is another entry (another text), and answers the same.
    const plainResponse = await post(target, PLAIN, { accept: 'application/json' });
    expect(await plainResponse.json()).toEqual({ data: plain.data });
  });

  it('does not keep an answer one of whose deferred parts failed', async () => {
    const { options } = cached();
    const target = await serve(options);
    h.simulator.injectFault({
      fault: { kind: 'status', status: 500 },
      match: { operationId: 'listIntegrationInstallationSpaces' },
      times: 1,
    });
    const failed = mergeParts(await parts(target, DEFERRED));
    expect(failed.errors?.map((error) => error.extensions.code)).toEqual(['UPSTREAM_ERROR']);
    h.resetCalls();
    const retried = mergeParts(await parts(target, DEFERRED));
    expect(retried.errors).toBeUndefined();
    expect(spacesCalls()).toHaveLength(3);
  });
});

describe('what an operator and a client see besides the data', () => {
  it('warnings of values newer than the spec come in the last part, with their paths in the answer', async () => {
    const { gateway, close } = await rewritingUpstream(h, (path, body) =>
      path.endsWith('/spaces')
        ? {
            ...body,
            items: body.items.map((item: Part, index: number) =>
              index === 0 ? { ...item, status: 'hibernating' } : item,
            ),
          }
        : body,
    );
    const response = await gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: MULTIPART, authorization: `Bearer ${TOKENS.demo}` },
      body: JSON.stringify({ query: DEFERRED }),
    });
    const answer = await readParts(response).rest();
    await close();
    expect(answer.slice(0, -1).every((part) => part.extensions === undefined)).toBe(true);
    const warnings = answer.at(-1)?.extensions?.warnings as Part[];
    // In the order the deferred calls were answered.
    const byPath = (warning: Part) => warning.path.join('.');
    expect(
      [...warnings]
        .sort((a, b) => byPath(a).localeCompare(byPath(b)))
        .map((warning) => [warning.code, warning.path, warning.value]),
    ).toEqual(
      [0, 1, 2].map((index) => [
        'UNKNOWN_ENUM_VALUE',
        ['integration', 'installations', 'nodes', index, 'spaceInstallations', 'nodes', 0, 'status'],
        'hibernating',
      ]),
    );
    const merged = mergeParts(answer);
    for (const node of merged.data.integration.installations.nodes) {
      expect(node.spaceInstallations.nodes[0].status).toBe('UNKNOWN');
    }
  });

  it('a deferred query is one log line (when it starts) and counted once in /metrics with the outcome of all its parts', async () => {
    const logs = captured();
    const target = await serve({ observability: logs.observability });
    h.simulator.injectFault({
      fault: { kind: 'status', status: 500 },
      match: { operationId: 'listIntegrationInstallationSpaces' },
      times: 1,
    });
    await parts(target, DEFERRED);
    await parts(target, DEFERRED);
    const { values: operations } = await logs.observability.metrics.graphqlRequests.get();
    expect(operations.map((value) => [value.labels, value.value])).toEqual([
      [{ operation_name: 'IntegrationPage', operation_type: 'query', outcome: 'partial' }, 1],
      [{ operation_name: 'IntegrationPage', operation_type: 'query', outcome: 'ok' }, 1],
    ]);
    const { values: errors } = await logs.observability.metrics.graphqlErrors.get();
    expect(errors.map((value) => [value.labels, value.value])).toEqual([[{ code: 'UPSTREAM_ERROR' }, 1]]);
    const lines = logs.lines().filter((line) => line.msg === 'request');
    expect(lines.map((line) => [line.status, line.operations])).toEqual([
      [200, [{ name: 'IntegrationPage', type: 'query' }]],
      [200, [{ name: 'IntegrationPage', type: 'query' }]],
    ]);
  });
});
