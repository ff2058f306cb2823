import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DEMO_TOKEN,
  type FaultKind,
  type FaultRule,
  POPULAR_INTEGRATION,
  type RecordedRequest,
  SEEDED_USERS,
  type Simulator,
  startSimulator,
} from '../src/simulator/index.js';
import { Upstream } from '../src/upstream/client.js';
import type { ResilienceOptions } from '../src/upstream/resilience.js';
import { createGateway, type Gateway } from '../src/yoga.js';
import { type GraphQLResponse, useHarness } from './helpers/harness.js';
import { closedPort, queryGateway, startLoopback } from './helpers/loopback.js';
import { bearer, errorSummary, rest } from './helpers/rest-fixtures.js';

/**
 * Issue 5: how the gateway lives with an upstream that fails. Faults are
 * injected into the harness's simulator and reached over real HTTP.
 *
 * Every test builds its own Upstream (so its own circuit breaker): the
 * breaker counts failures over a rolling 10 s window, and a shared one would
 * carry one test's failures into the next and start failing it fast.
 */

// The state is restored before each test, so a mutation that wrongly went through cannot leak.
const h = await useHarness({ resetStateBeforeEach: true });
afterEach(() => h.simulator.clearFaults());

const SLACK = POPULAR_INTEGRATION;
const KUDOS = 'kudos';
const MERMAID = 'mermaid';
const DEMO_ORGS = SEEDED_USERS.demo.organizations;

const upstreams: Upstream[] = [];
afterEach(async () => {
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});

/** A gateway on the harness's simulator with its own Upstream (closed after the test). */
function freshGateway(
  options: { timeoutMs?: number; requestTimeoutMs?: number; resilience?: Partial<ResilienceOptions> } = {},
): { gateway: Gateway; upstream: Upstream } {
  const upstream = new Upstream({
    baseUrl: h.simulator.url,
    timeoutMs: options.timeoutMs ?? 5_000,
    connections: 16,
    ...(options.resilience ? { resilience: options.resilience } : {}),
  });
  upstreams.push(upstream);
  return {
    upstream,
    gateway: createGateway({
      upstream,
      ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    }),
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Matches exactly `path` (the simulator's string match is a prefix match). */
const exactly = (path: string) => new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

/** The requests the simulator received for `method path` (query string aside). */
const received = (method: string, path: string): RecordedRequest[] =>
  h.simulator.requests.filter((request) => request.method === method && request.path === path);

/** The error messages must not show where the upstream lives. */
function expectNoAddress(response: GraphQLResponse): void {
  const { host, port } = new URL(h.simulator.url);
  const errors = JSON.stringify(response.errors ?? []);
  expect(errors).not.toMatch(/https?:|127\.0\.0\.1|localhost|\/v1\b/);
  expect(errors).not.toContain(host);
  expect(errors).not.toContain(`:${port}`);
  expect(errors).not.toContain(DEMO_TOKEN);
}

/** errorSummary in path order (errors are listed in the order the fields failed). */
const errorsByPath = (response: GraphQLResponse) =>
  errorSummary(response).sort((a, b) => (a.path ?? []).join('.').localeCompare((b.path ?? []).join('.')));

/** JSON of the integrations in the store, Maps included: any write changes it. */
function storeSnapshot(): string {
  return JSON.stringify([...h.simulator.store.integrations.values()], (_key, value: unknown) =>
    value instanceof Map ? [...value.entries()] : value,
  );
}

// ---------------------------------------------------------------------------------------------
// Fault kinds on reads: one field fails (slack), its sibling (kudos) keeps its data.
// ---------------------------------------------------------------------------------------------

const SLACK_PATH = `/integrations/${SLACK}`;
const KUDOS_PATH = `/integrations/${KUDOS}`;
const TWO_FIELDS = `{
  failing: integration(name: "${SLACK}") { name title }
  sibling: integration(name: "${KUDOS}") { name title }
}`;

/** The two fields as REST has them, read before any fault is armed. */
async function expectedFields() {
  const [slack, kudos] = await Promise.all([rest(h, SLACK_PATH), rest(h, KUDOS_PATH)]);
  return {
    failing: { name: slack.name, title: slack.title },
    sibling: { name: kudos.name, title: kudos.title },
  };
}

/** Arms `fault` on GET /integrations/slack only. */
const failSlack = (fault: FaultKind, rule: Omit<FaultRule, 'fault' | 'match'> = {}) =>
  h.simulator.injectFault({ fault, match: { method: 'GET', path: exactly(SLACK_PATH) }, ...rule });

/** Runs TWO_FIELDS on a fresh gateway with the default resilience and checks the sibling. */
async function runTwoFields(options: Parameters<typeof freshGateway>[0] = {}) {
  const expected = await expectedFields();
  const { gateway } = freshGateway(options);
  return { expected, gateway, run: () => queryGateway(gateway, TWO_FIELDS) };
}

function expectSiblingIntact(response: GraphQLResponse, expected: Awaited<ReturnType<typeof expectedFields>>): void {
  expect(response.data?.sibling).toEqual(expected.sibling);
  expect(received('GET', KUDOS_PATH).map((request) => request.status)).toEqual([200]);
}

describe('5xx answers on reads', () => {
  it.each(['json', 'html'] as const)(
    'a 500 (%s body) is not retried: one attempt, UPSTREAM_ERROR with status 500',
    async (body) => {
      const { expected, run } = await runTwoFields();
      const rule = failSlack({ kind: 'status', status: 500, body });
      const response = await run();
      expect(response.data).toEqual({ failing: null, sibling: expected.sibling });
      expect(errorSummary(response)).toEqual([{ path: ['failing'], code: 'UPSTREAM_ERROR', status: 500 }]);
      expect(received('GET', SLACK_PATH).map((request) => request.status)).toEqual([500]);
      expect(rule.applied).toBe(1);
      expectSiblingIntact(response, expected);
      expectNoAddress(response);
      if (body === 'html') expect(JSON.stringify(response.errors)).not.toMatch(/<html|nginx/i);
    },
  );

  it('a 500 keeps GitBook’s message from the JSON body', async () => {
    const { run } = await runTwoFields();
    failSlack({ kind: 'status', status: 500 });
    const response = await run();
    // What the upstream says, read straight from it while the fault is armed.
    const direct = await fetch(h.simulator.url + SLACK_PATH, { headers: { authorization: bearer(DEMO_TOKEN) } });
    const message = ((await direct.json()) as { error: { message: string } }).error.message;
    expect(response.errors?.[0]?.message).toBe(message);
  });

  it.each([
    [502, 'json'],
    [502, 'html'],
    [503, 'json'],
    [503, 'html'],
    [504, 'json'],
    [504, 'html'],
  ] as const)(
    'a lasting %i (%s body): the GET is retried twice, then UPSTREAM_ERROR with that status',
    async (status, body) => {
      const { expected, run } = await runTwoFields();
      const rule = failSlack({ kind: 'status', status, body });
      const response = await run();
      expect(response.data).toEqual({ failing: null, sibling: expected.sibling });
      expect(errorSummary(response)).toEqual([{ path: ['failing'], code: 'UPSTREAM_ERROR', status }]);
      expect(received('GET', SLACK_PATH).map((request) => request.status)).toEqual([status, status, status]);
      expect(rule.applied).toBe(3);
      expectSiblingIntact(response, expected);
      expectNoAddress(response);
      if (body === 'html') {
        expect(response.errors?.[0]?.message).toBe(`GitBook API answered HTTP ${status}.`);
        expect(JSON.stringify(response.errors)).not.toMatch(/<html|nginx/i);
      }
    },
  );

  it.each([
    [502, 1],
    [502, 2],
    [503, 1],
    [503, 2],
    [504, 1],
    [504, 2],
  ] as const)('a %i for the first %i attempt(s): retried, and the field gets its data', async (status, times) => {
    const { expected, run } = await runTwoFields();
    failSlack({ kind: 'status', status }, { times });
    const response = await run();
    expect(response).toEqual({ data: expected });
    expect(received('GET', SLACK_PATH).map((request) => request.status)).toEqual([...Array(times).fill(status), 200]);
    // Every retry forwards the caller's header, unchanged.
    expect(new Set(received('GET', SLACK_PATH).map((request) => request.authorization))).toEqual(
      new Set([bearer(DEMO_TOKEN)]),
    );
  });
});

describe('4xx answers on reads', () => {
  it.each([
    [400, 'BAD_USER_INPUT'],
    [401, 'UNAUTHENTICATED'],
    [403, 'FORBIDDEN'],
    [404, 'NOT_FOUND'],
    [409, 'CONFLICT'],
  ] as const)('a %i is never retried: one attempt, %s', async (status, code) => {
    const { expected, run } = await runTwoFields();
    failSlack({ kind: 'status', status });
    const response = await run();
    expect(response.data).toEqual({ failing: null, sibling: expected.sibling });
    expect(errorSummary(response)).toEqual([{ path: ['failing'], code, status }]);
    expect(received('GET', SLACK_PATH).map((request) => request.status)).toEqual([status]);
    expectSiblingIntact(response, expected);
  });
});

describe('rate limiting (429)', () => {
  it('Retry-After: 1 (seconds) under the cap is waited: the retry starts ≥ ~1 s after the first attempt, and succeeds', async () => {
    const { expected, run } = await runTwoFields();
    failSlack({ kind: 'rate-limit', retryAfterSeconds: 1 }, { times: 1 });
    const response = await run();
    expect(response).toEqual({ data: expected });
    const attempts = received('GET', SLACK_PATH);
    expect(attempts.map((request) => request.status)).toEqual([429, 200]);
    expect(attempts[1]!.startedAt - attempts[0]!.startedAt).toBeGreaterThanOrEqual(900);
  });

  it('Retry-After as an HTTP date (≥ 1 s ahead) is waited too', async () => {
    const { expected, run } = await runTwoFields();
    failSlack({ kind: 'rate-limit', retryAfterSeconds: 1, retryAfter: 'date' }, { times: 1 });
    const response = await run();
    expect(response).toEqual({ data: expected });
    const attempts = received('GET', SLACK_PATH);
    expect(attempts.map((request) => request.status)).toEqual([429, 200]);
    expect(attempts[1]!.startedAt - attempts[0]!.startedAt).toBeGreaterThanOrEqual(900);
  });

  it('Retry-After on a 503 is honoured as well', async () => {
    const { expected, run } = await runTwoFields();
    failSlack({ kind: 'status', status: 503, retryAfterSeconds: 1 }, { times: 1 });
    const response = await run();
    expect(response).toEqual({ data: expected });
    const attempts = received('GET', SLACK_PATH);
    expect(attempts.map((request) => request.status)).toEqual([503, 200]);
    expect(attempts[1]!.startedAt - attempts[0]!.startedAt).toBeGreaterThanOrEqual(900);
  });

  it('a lasting 429: retried twice, then RATE_LIMITED with status 429 and retryAfter', async () => {
    const { expected, run } = await runTwoFields();
    failSlack({ kind: 'rate-limit', retryAfterSeconds: 1 });
    const response = await run();
    expect(response.data).toEqual({ failing: null, sibling: expected.sibling });
    expect(errorSummary(response)).toEqual([{ path: ['failing'], code: 'RATE_LIMITED', status: 429 }]);
    expect(response.errors?.[0]?.extensions?.retryAfter).toBe(1);
    expect(received('GET', SLACK_PATH).map((request) => request.status)).toEqual([429, 429, 429]);
    expectSiblingIntact(response, expected);
  });

  it('a 429 without Retry-After: retried on backoff; RATE_LIMITED carries no retryAfter', async () => {
    const { expected, run } = await runTwoFields();
    failSlack({ kind: 'rate-limit', retryAfter: 'none' });
    const response = await run();
    expect(errorSummary(response)).toEqual([{ path: ['failing'], code: 'RATE_LIMITED', status: 429 }]);
    expect(response.errors?.[0]?.extensions).not.toHaveProperty('retryAfter');
    expect(received('GET', SLACK_PATH).map((request) => request.status)).toEqual([429, 429, 429]);
    expectSiblingIntact(response, expected);
  });

  it('Retry-After above retryMaxDelayMs (2 s) is not waited: RATE_LIMITED after one attempt, with retryAfter', async () => {
    const { expected, run } = await runTwoFields();
    failSlack({ kind: 'rate-limit', retryAfterSeconds: 5 });
    const response = await run();
    expect(response.data).toEqual({ failing: null, sibling: expected.sibling });
    expect(errorSummary(response)).toEqual([{ path: ['failing'], code: 'RATE_LIMITED', status: 429 }]);
    expect(response.errors?.[0]?.extensions?.retryAfter).toBe(5);
    expect(received('GET', SLACK_PATH)).toHaveLength(1);
    expectSiblingIntact(response, expected);
  });

  it('the same with Retry-After as an HTTP date: retryAfter is the seconds until then', async () => {
    const { run } = await runTwoFields();
    failSlack({ kind: 'rate-limit', retryAfterSeconds: 5, retryAfter: 'date' });
    const response = await run();
    expect(errorSummary(response)).toEqual([{ path: ['failing'], code: 'RATE_LIMITED', status: 429 }]);
    // The date is at least 5 s ahead, at 1 s resolution.
    const retryAfter = response.errors?.[0]?.extensions?.retryAfter as number;
    expect(retryAfter).toBeGreaterThanOrEqual(5);
    expect(retryAfter).toBeLessThanOrEqual(6);
    expect(received('GET', SLACK_PATH)).toHaveLength(1);
  });

  it('the cap is the Upstream’s retryMaxDelayMs: with 500 ms, a Retry-After of 1 s is not waited', async () => {
    const { run } = await runTwoFields({ resilience: { retryMaxDelayMs: 500 } });
    failSlack({ kind: 'rate-limit', retryAfterSeconds: 1 });
    const response = await run();
    expect(errorSummary(response)).toEqual([{ path: ['failing'], code: 'RATE_LIMITED', status: 429 }]);
    expect(response.errors?.[0]?.extensions?.retryAfter).toBe(1);
    expect(received('GET', SLACK_PATH)).toHaveLength(1);
  });

  it('a Retry-After longer than the request’s remaining deadline is not waited', async () => {
    const { run } = await runTwoFields({ requestTimeoutMs: 700 });
    failSlack({ kind: 'rate-limit', retryAfterSeconds: 1 });
    const response = await run();
    expect(errorSummary(response)).toEqual([{ path: ['failing'], code: 'RATE_LIMITED', status: 429 }]);
    expect(response.errors?.[0]?.extensions?.retryAfter).toBe(1);
    expect(received('GET', SLACK_PATH)).toHaveLength(1);
  });

  it('a slow 429 whose Retry-After no longer fits the time left after the attempt is not waited either: RATE_LIMITED at once, not UPSTREAM_UNAVAILABLE past the deadline', async () => {
    // The 429 takes 700 ms to arrive; 1.5 s - 0.7 s leaves ~800 ms, less than the 1 s asked.
    const { run } = await runTwoFields({ requestTimeoutMs: 1_500 });
    failSlack({ kind: 'rate-limit', retryAfterSeconds: 1 }, { times: 1 });
    h.simulator.setLatency(700);
    let response: GraphQLResponse;
    try {
      response = await run();
    } finally {
      h.simulator.setLatency(0);
    }
    expect(received('GET', SLACK_PATH).map((request) => request.status)).toEqual([429]);
    expect(errorSummary(response).find((error) => error.path?.[0] === 'failing')).toEqual({
      path: ['failing'],
      code: 'RATE_LIMITED',
      status: 429,
    });
    expect(response.errors?.find((error) => error.path?.[0] === 'failing')?.extensions?.retryAfter).toBe(1);
  });
});

describe('broken connections and bodies on reads', () => {
  it('a lasting reset: retried twice, then UPSTREAM_UNAVAILABLE naming no address', async () => {
    const { expected, run } = await runTwoFields();
    const rule = failSlack({ kind: 'reset' });
    const response = await run();
    expect(response.data).toEqual({ failing: null, sibling: expected.sibling });
    expect(errorSummary(response)).toEqual([{ path: ['failing'], code: 'UPSTREAM_UNAVAILABLE', status: undefined }]);
    expect(received('GET', SLACK_PATH).map((request) => [request.status, request.fault])).toEqual([
      [0, 'reset'],
      [0, 'reset'],
      [0, 'reset'],
    ]);
    expect(rule.applied).toBe(3);
    expectSiblingIntact(response, expected);
    expectNoAddress(response);
  });

  it.each([1, 2])('a reset of the first %i attempt(s): retried, and the field gets its data', async (times) => {
    const { expected, run } = await runTwoFields();
    failSlack({ kind: 'reset' }, { times });
    const response = await run();
    expect(response).toEqual({ data: expected });
    expect(received('GET', SLACK_PATH).map((request) => request.status)).toEqual([...Array(times).fill(0), 200]);
  });

  it('a lasting truncated body: treated as a broken connection, retried twice, then UPSTREAM_UNAVAILABLE', async () => {
    const { expected, run } = await runTwoFields();
    failSlack({ kind: 'truncated' });
    const response = await run();
    expect(response.data).toEqual({ failing: null, sibling: expected.sibling });
    expect(errorSummary(response)).toEqual([{ path: ['failing'], code: 'UPSTREAM_UNAVAILABLE', status: undefined }]);
    expect(received('GET', SLACK_PATH).map((request) => [request.status, request.fault])).toEqual([
      [200, 'truncated'],
      [200, 'truncated'],
      [200, 'truncated'],
    ]);
    expectSiblingIntact(response, expected);
    expectNoAddress(response);
  });

  it.each([1, 2])(
    'a truncated body on the first %i attempt(s): retried, and the field gets its data',
    async (times) => {
      const { expected, run } = await runTwoFields();
      failSlack({ kind: 'truncated' }, { times });
      const response = await run();
      expect(response).toEqual({ data: expected });
      expect(received('GET', SLACK_PATH).map((request) => request.fault ?? 'none')).toEqual([
        ...Array(times).fill('truncated'),
        'none',
      ]);
    },
  );

  it('a malformed (well-framed, not JSON) body is not retried: one attempt, UPSTREAM_ERROR with its status', async () => {
    const { expected, run } = await runTwoFields();
    failSlack({ kind: 'malformed' });
    const response = await run();
    expect(response.data).toEqual({ failing: null, sibling: expected.sibling });
    expect(errorSummary(response)).toEqual([{ path: ['failing'], code: 'UPSTREAM_ERROR', status: 200 }]);
    expect(received('GET', SLACK_PATH).map((request) => [request.status, request.fault])).toEqual([[200, 'malformed']]);
    expectSiblingIntact(response, expected);
    expectNoAddress(response);
  });
});

describe('slow and hung upstreams on reads', () => {
  it('latency within the timeout: one attempt, the data arrives', async () => {
    const { expected, run } = await runTwoFields({ timeoutMs: 5_000 });
    failSlack({ kind: 'latency', ms: 300 });
    const response = await run();
    expect(response).toEqual({ data: expected });
    expect(received('GET', SLACK_PATH).map((request) => [request.status, request.fault])).toEqual([[200, 'latency']]);
  });

  it('a hang past the per-call timeout: one attempt (a timeout is not retried), UPSTREAM_UNAVAILABLE naming no address', async () => {
    const { expected, run } = await runTwoFields({ timeoutMs: 300 });
    failSlack({ kind: 'hang' });
    const response = await run();
    expect(response.data).toEqual({ failing: null, sibling: expected.sibling });
    expect(errorSummary(response)).toEqual([{ path: ['failing'], code: 'UPSTREAM_UNAVAILABLE', status: undefined }]);
    expect(response.errors?.[0]?.message).toMatch(/did not answer/);
    const attempts = received('GET', SLACK_PATH);
    expect(attempts).toHaveLength(1);
    // The gateway hung up: the simulator never answered it.
    expect(attempts[0]).toMatchObject({ fault: 'hang', status: 0 });
    expectSiblingIntact(response, expected);
    expectNoAddress(response);
  });
});

// ---------------------------------------------------------------------------------------------
// Writes: sent once, whatever happens, and nothing changes when the fault kept them from running.
// ---------------------------------------------------------------------------------------------

describe('mutations under faults', () => {
  const record = (name: string) => {
    const found = h.simulator.store.integrations.get(name);
    if (!found) throw new Error(`no integration ${name} in the store`);
    return found;
  };

  /** An organization demo belongs to where kudos is not installed. */
  function freeOrganization(): string {
    const org = DEMO_ORGS.find(
      (id) => h.simulator.store.organizations.has(id) && !h.simulator.store.installationIn(record(KUDOS), id),
    );
    if (!org) throw new Error('kudos is installed in every organization of demo');
    return org;
  }

  /** A slack installation in an organization demo belongs to. */
  function demoSlackInstallation(): string {
    const found = [...record(SLACK).installations.values()].find((candidate) =>
      DEMO_ORGS.includes(candidate.organizationId),
    );
    if (!found) throw new Error('no slack installation in an organization of demo');
    return found.installation.id;
  }

  interface Write {
    field: string;
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    /** The REST path, the operation and its variables. */
    prepare(): { path: string; query: string; variables: Record<string, unknown> };
  }

  const WRITES: Write[] = [
    {
      field: 'installIntegration',
      method: 'POST',
      prepare: () => ({
        path: `/integrations/${KUDOS}/installations`,
        query: `mutation ($org: String!) { installIntegration(input: { integrationName: "${KUDOS}", organizationId: $org }) { installation { installationId } } }`,
        variables: { org: freeOrganization() },
      }),
    },
    {
      field: 'updateInstallation',
      method: 'PATCH',
      prepare: () => {
        const id = demoSlackInstallation();
        return {
          path: `/integrations/${SLACK}/installations/${id}`,
          query: `mutation ($id: String!) { updateInstallation(input: { integrationName: "${SLACK}", installationId: $id, externalIds: ["resilience-test"] }) { installation { installationId externalIds } } }`,
          variables: { id },
        };
      },
    },
    {
      field: 'setIntegrationDevelopmentMode',
      method: 'PUT',
      prepare: () => ({
        path: `/integrations/${KUDOS}/dev`,
        query: `mutation { setIntegrationDevelopmentMode(input: { integrationName: "${KUDOS}", tunnelUrl: "https://kudos.tunnel.example" }) { integration { name } } }`,
        variables: {},
      }),
    },
    {
      field: 'uninstallIntegration',
      method: 'DELETE',
      prepare: () => {
        const id = demoSlackInstallation();
        return {
          path: `/integrations/${SLACK}/installations/${id}`,
          query: `mutation ($id: String!) { uninstallIntegration(input: { integrationName: "${SLACK}", installationId: $id }) { deletedInstallationId } }`,
          variables: { id },
        };
      },
    },
  ];

  const FAULTS: { label: string; fault: FaultKind; code: string; status: number | undefined }[] = [
    { label: 'a 503', fault: { kind: 'status', status: 503 }, code: 'UPSTREAM_ERROR', status: 503 },
    { label: 'a reset', fault: { kind: 'reset' }, code: 'UPSTREAM_UNAVAILABLE', status: undefined },
    { label: 'a hang past the timeout', fault: { kind: 'hang' }, code: 'UPSTREAM_UNAVAILABLE', status: undefined },
  ];

  const cases = WRITES.flatMap((write) =>
    FAULTS.map((fault) => ({ ...write, ...fault, name: `${write.field} (${write.method})` })),
  );

  it.each(cases)('$name under $label: sent exactly once, $code, and the store is unchanged', async (testCase) => {
    const { path, query, variables } = testCase.prepare();
    const { gateway } = freshGateway({ timeoutMs: 300 });
    const before = storeSnapshot();
    h.simulator.injectFault({ fault: testCase.fault, match: { method: testCase.method } });

    const response = await queryGateway(gateway, query, { variables });
    expect(response.data).toEqual({ [testCase.field]: null });
    expect(errorSummary(response)).toEqual([{ path: [testCase.field], code: testCase.code, status: testCase.status }]);
    expect(h.simulator.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      `${testCase.method} ${path}`,
    ]);
    expect(storeSnapshot()).toBe(before);
    expectNoAddress(response);
  });

  it('a write that took effect but whose answer was lost (reset after commit) is not sent again', async () => {
    const org = freeOrganization();
    const { gateway } = freshGateway();
    h.simulator.injectFault({ fault: { kind: 'reset' }, match: { method: 'POST' }, commit: true });
    const response = await queryGateway(
      gateway,
      `mutation ($org: String!) { installIntegration(input: { integrationName: "${KUDOS}", organizationId: $org }) { installation { installationId } } }`,
      { variables: { org } },
    );
    expect(errorSummary(response)).toEqual([
      { path: ['installIntegration'], code: 'UPSTREAM_UNAVAILABLE', status: undefined },
    ]);
    expect(received('POST', `/integrations/${KUDOS}/installations`)).toHaveLength(1);
    // It happened, once.
    const installations = [...record(KUDOS).installations.values()].filter(
      (candidate) => candidate.organizationId === org,
    );
    expect(installations).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------
// The circuit breaker.
// ---------------------------------------------------------------------------------------------

describe('the circuit breaker', () => {
  const BREAKER: Partial<ResilienceOptions> = { retries: 0, breakerVolumeThreshold: 4, breakerResetMs: 300 };
  const ONE_FIELD = `{ integration(name: "${SLACK}") { name } }`;
  const THREE_FIELDS = `{
    a: integration(name: "${SLACK}") { name }
    b: integration(name: "${KUDOS}") { name }
    c: integration(name: "${MERMAID}") { name }
  }`;

  const readiness = async (gateway: Gateway) => (await gateway.fetch('http://gateway.test/readiness')).status;

  /** Four 503s on slack, with retries off: the breaker (volume 4) opens. */
  async function openBreaker(gateway: Gateway, upstream: Upstream) {
    const rule = h.simulator.injectFault({
      fault: { kind: 'status', status: 503 },
      match: { path: exactly(SLACK_PATH) },
    });
    for (let i = 0; i < 4; i++) {
      const response = await queryGateway(gateway, ONE_FIELD);
      expect(errorSummary(response)).toEqual([{ path: ['integration'], code: 'UPSTREAM_ERROR', status: 503 }]);
    }
    expect(received('GET', SLACK_PATH)).toHaveLength(4);
    expect(upstream.accepting).toBe(false);
    h.simulator.clearRequests();
    return rule;
  }

  it('repeated 503s open it: calls then fail fast with UPSTREAM_UNAVAILABLE and none reaches the upstream', async () => {
    const { gateway, upstream } = freshGateway({ resilience: BREAKER });
    expect(await readiness(gateway)).toBe(200);
    await openBreaker(gateway, upstream);

    // Every field fails, slack and the others alike: the breaker guards the whole upstream.
    const response = await queryGateway(gateway, THREE_FIELDS);
    expect(response.data).toEqual({ a: null, b: null, c: null });
    expect(errorsByPath(response)).toEqual(
      ['a', 'b', 'c'].map((field) => ({ path: [field], code: 'UPSTREAM_UNAVAILABLE', status: undefined })),
    );
    expectNoAddress(response);
    expect(h.simulator.requests).toEqual([]);
  });

  it('/readiness answers 503 while it is open, without calling the upstream', async () => {
    const { gateway, upstream } = freshGateway({ resilience: BREAKER });
    await openBreaker(gateway, upstream);
    expect(await readiness(gateway)).toBe(503);
    expect(h.simulator.requests).toEqual([]);
  });

  it('after the reset time exactly one probe goes through; a failed probe opens it again', async () => {
    const { gateway, upstream } = freshGateway({ resilience: BREAKER });
    await openBreaker(gateway, upstream);
    await sleep(450);

    const probe = await queryGateway(gateway, THREE_FIELDS);
    // One call went out (the first field's), the other two failed fast.
    expect(h.simulator.requests.map((request) => request.path)).toEqual([SLACK_PATH]);
    expect(errorsByPath(probe)).toEqual([
      { path: ['a'], code: 'UPSTREAM_ERROR', status: 503 },
      { path: ['b'], code: 'UPSTREAM_UNAVAILABLE', status: undefined },
      { path: ['c'], code: 'UPSTREAM_UNAVAILABLE', status: undefined },
    ]);
    expect(upstream.accepting).toBe(false);

    h.simulator.clearRequests();
    const after = await queryGateway(gateway, ONE_FIELD);
    expect(errorSummary(after)).toEqual([{ path: ['integration'], code: 'UPSTREAM_UNAVAILABLE', status: undefined }]);
    expect(h.simulator.requests).toEqual([]);
  });

  it('when the fault is gone, the probe succeeds, the breaker closes and queries and readiness work again', async () => {
    const { gateway, upstream } = freshGateway({ resilience: BREAKER });
    const expected = await Promise.all(
      [SLACK, KUDOS, MERMAID].map(async (name) => ({ name: (await rest(h, `/integrations/${name}`)).name })),
    );
    const rule = await openBreaker(gateway, upstream);
    rule.remove();
    await sleep(450);

    const probe = await queryGateway(gateway, ONE_FIELD);
    expect(probe).toEqual({ data: { integration: expected[0] } });
    expect(h.simulator.requests.map((request) => [request.path, request.status])).toEqual([[SLACK_PATH, 200]]);
    expect(upstream.accepting).toBe(true);

    h.simulator.clearRequests();
    const later = await queryGateway(gateway, THREE_FIELDS);
    expect(later).toEqual({ data: { a: expected[0], b: expected[1], c: expected[2] } });
    expect(h.simulator.requests).toHaveLength(3);
    expect(await readiness(gateway)).toBe(200);
  });

  it('retries stop as soon as it opens: the retry meets the open breaker', async () => {
    const { gateway, upstream } = freshGateway({ resilience: { ...BREAKER, retries: 2 } });
    h.simulator.injectFault({ fault: { kind: 'status', status: 503 }, match: { path: exactly(SLACK_PATH) } });
    // 3 failed attempts: under the volume of 4, still closed.
    const first = await queryGateway(gateway, ONE_FIELD);
    expect(errorSummary(first)).toEqual([{ path: ['integration'], code: 'UPSTREAM_ERROR', status: 503 }]);
    expect(upstream.accepting).toBe(true);
    // The 4th failure opens it; its retry fails fast.
    const second = await queryGateway(gateway, ONE_FIELD);
    expect(errorSummary(second)).toEqual([{ path: ['integration'], code: 'UPSTREAM_UNAVAILABLE', status: undefined }]);
    expect(received('GET', SLACK_PATH)).toHaveLength(4);
    expect(upstream.accepting).toBe(false);
  });

  it('timeouts count as failures: a hung upstream opens it', async () => {
    const { gateway, upstream } = freshGateway({ timeoutMs: 200, resilience: BREAKER });
    h.simulator.injectFault({ fault: { kind: 'hang' }, match: { path: exactly(SLACK_PATH) } });
    for (let i = 0; i < 4; i++) {
      const response = await queryGateway(gateway, ONE_FIELD);
      expect(errorSummary(response)).toEqual([
        { path: ['integration'], code: 'UPSTREAM_UNAVAILABLE', status: undefined },
      ]);
    }
    expect(received('GET', SLACK_PATH)).toHaveLength(4);
    expect(upstream.accepting).toBe(false);
    h.simulator.clearRequests();
    await queryGateway(gateway, ONE_FIELD);
    expect(h.simulator.requests).toEqual([]);
  });

  it('4xx answers (404, 401) never open it', async () => {
    const { gateway, upstream } = freshGateway({ resilience: BREAKER });
    for (let i = 0; i < 8; i++) {
      const missing = await queryGateway(gateway, `{ integration(name: "no-such-integration-${i}") { name } }`);
      expect(errorSummary(missing)).toEqual([{ path: ['integration'], code: 'NOT_FOUND', status: 404 }]);
      const unknown = await queryGateway(gateway, ONE_FIELD, { token: 'gb_api_revoked_token' });
      expect(errorSummary(unknown)).toEqual([{ path: ['integration'], code: 'UNAUTHENTICATED', status: 401 }]);
    }
    expect(h.simulator.requests.map((request) => request.status).sort()).toEqual([
      ...Array(8).fill(401),
      ...Array(8).fill(404),
    ]);
    expect(upstream.accepting).toBe(true);
    expect(await readiness(gateway)).toBe(200);
    h.simulator.clearRequests();
    const after = await queryGateway(gateway, ONE_FIELD);
    expect(after.errors).toBeUndefined();
    expect(received('GET', SLACK_PATH)).toHaveLength(1);
  });

  it.each([
    ['500s', { kind: 'status', status: 500 }, 'UPSTREAM_ERROR', 500],
    ['429s', { kind: 'rate-limit', retryAfter: 'none' }, 'RATE_LIMITED', 429],
  ] as const)(
    '%s do not open it either (only transport errors, timeouts and 502/503/504 do)',
    async (_label, fault, code, status) => {
      const { gateway, upstream } = freshGateway({ resilience: BREAKER });
      h.simulator.injectFault({ fault, match: { path: exactly(SLACK_PATH) } });
      for (let i = 0; i < 8; i++) {
        const response = await queryGateway(gateway, ONE_FIELD);
        expect(errorSummary(response)).toEqual([{ path: ['integration'], code, status }]);
      }
      expect(received('GET', SLACK_PATH)).toHaveLength(8);
      expect(upstream.accepting).toBe(true);
    },
  );

  it('a half-open probe cancelled by its client does not close the breaker: the failing upstream is not flooded', async () => {
    const { gateway, upstream } = freshGateway({ resilience: BREAKER });
    const failing = await openBreaker(gateway, upstream);
    await sleep(450);

    // The probe hangs, and its client goes away.
    failing.remove();
    const hang = h.simulator.injectFault({ fault: { kind: 'hang' }, match: { path: exactly(SLACK_PATH) } });
    const controller = new AbortController();
    const cancelled = Promise.resolve(
      gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        signal: controller.signal,
        headers: { 'content-type': 'application/json', authorization: bearer(DEMO_TOKEN) },
        body: JSON.stringify({ query: ONE_FIELD }),
      }),
    ).then(
      () => 'answered',
      () => 'cancelled',
    );
    await vi.waitFor(() => expect(received('GET', SLACK_PATH)).toHaveLength(1));
    controller.abort();
    await cancelled;
    hang.remove();

    // Nothing proved the upstream healthy: at most one more probe may go out.
    h.simulator.injectFault({ fault: { kind: 'status', status: 503 } });
    h.simulator.clearRequests();
    await queryGateway(gateway, THREE_FIELDS);
    expect(h.simulator.requests.length).toBeLessThanOrEqual(1);
  });
});

// ---------------------------------------------------------------------------------------------
// Deadlines.
// ---------------------------------------------------------------------------------------------

describe('deadlines', () => {
  it('a hung upstream and a small per-call timeout: UPSTREAM_UNAVAILABLE, the message naming no URL', async () => {
    const { gateway } = freshGateway({ timeoutMs: 250 });
    h.simulator.injectFault({ fault: { kind: 'hang' } });
    const response = await queryGateway(gateway, `{ integration(name: "${SLACK}") { name } }`);
    expect(response.data).toEqual({ integration: null });
    expect(errorSummary(response)).toEqual([
      { path: ['integration'], code: 'UPSTREAM_UNAVAILABLE', status: undefined },
    ]);
    expect(response.errors?.[0]?.message).toMatch(/GitBook API/);
    expectNoAddress(response);
    expect(received('GET', SLACK_PATH)).toHaveLength(1);
  });

  it('requestTimeoutMs bounds the whole request: calls that chain past it fail with UPSTREAM_UNAVAILABLE instead of being waited for', async () => {
    // Read what the chain would return before the upstream slows down.
    const installation = (await rest(h, `${SLACK_PATH}/installations`, { limit: 1 })).items[0];
    const event = (await rest(h, `${SLACK_PATH}/events`, { limit: 1 })).items[0];
    const slack = await rest(h, SLACK_PATH);

    // Every call takes 2 s; the request may take 2.5 s: the first level fits, the second cannot
    // (generous numbers: the point is what is waited for, not how precisely).
    const { gateway } = freshGateway({ requestTimeoutMs: 2_500 });
    h.simulator.injectFault({ fault: { kind: 'latency', ms: 2_000 } });
    const response = await queryGateway(
      gateway,
      `query ($installationId: String!, $eventId: String!) {
        integration(name: "${SLACK}") {
          title
          installation(installationId: $installationId) { installationId spaceInstallations(first: 1) { totalCount } }
          event(eventId: $eventId) { eventId }
        }
      }`,
      { variables: { installationId: installation.id, eventId: event.id } },
    );
    expect(response.data).toEqual({ integration: { title: slack.title, installation: null, event: null } });
    expect(errorsByPath(response)).toEqual([
      { path: ['integration', 'event'], code: 'UPSTREAM_UNAVAILABLE', status: undefined },
      { path: ['integration', 'installation'], code: 'UPSTREAM_UNAVAILABLE', status: undefined },
    ]);
    expectNoAddress(response);

    const late = [`${SLACK_PATH}/installations/${installation.id}`, `${SLACK_PATH}/events/${event.id}`];
    expect(h.simulator.requests.map((request) => request.path).sort()).toEqual([SLACK_PATH, ...late].sort());
    // The gateway hung up on the late calls before their answers were due: none was sent (status 0).
    await vi.waitFor(
      () => {
        for (const path of late) expect(received('GET', path)[0]?.endedAt).toBeGreaterThan(0);
      },
      { timeout: 10_000, interval: 50 },
    );
    for (const path of late) expect(received('GET', path)[0]?.status).toBe(0);
    // And the third level was never called.
    expect(received('GET', `${SLACK_PATH}/installations/${installation.id}/spaces`)).toEqual([]);
  });

  it('an answer that trickles in is cut at the deadline too, though every chunk arrives within undici’s idle timeout', async () => {
    // The simulator cannot drip a body, so a loopback upstream does: the real answer, a few bytes every 100 ms.
    const body = JSON.stringify(await rest(h, SLACK_PATH));
    let outcome: 'completed' | 'client hung up' | undefined;
    const trickling = await startLoopback((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      const chunks = body.match(/[\s\S]{1,100}/g) ?? [];
      const timer = setInterval(() => {
        const chunk = chunks.shift();
        if (chunk === undefined) {
          clearInterval(timer);
          res.end(() => (outcome ??= 'completed'));
        } else {
          res.write(chunk);
        }
      }, 100);
      res.on('close', () => {
        clearInterval(timer);
        outcome ??= 'client hung up';
      });
    });
    try {
      const upstream = new Upstream({ baseUrl: `${trickling.url}/v1`, timeoutMs: 5_000, connections: 1 });
      upstreams.push(upstream);
      const gateway = createGateway({ upstream, requestTimeoutMs: 1_000 });
      const response = await queryGateway(gateway, `{ integration(name: "${SLACK}") { name title } }`);
      expect(response.data).toEqual({ integration: null });
      expect(errorSummary(response)).toEqual([
        { path: ['integration'], code: 'UPSTREAM_UNAVAILABLE', status: undefined },
      ]);
      await vi.waitFor(() => expect(outcome).toBeDefined(), { timeout: 20_000, interval: 50 });
      expect(outcome).toBe('client hung up');
    } finally {
      await trickling.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Graceful shutdown of the real process.
// ---------------------------------------------------------------------------------------------

describe('graceful shutdown (SIGTERM)', () => {
  const ROOT = fileURLToPath(new URL('..', import.meta.url));
  let simulator: Simulator;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    // Every answer takes 500 ms, so a query is reliably in flight when the signal comes.
    simulator = await startSimulator({ validateResponses: true, latencyMs: 500 });
  });
  afterEach(() => {
    for (const child of children.splice(0))
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  afterAll(async () => {
    await simulator.close();
  });

  interface Running {
    port: number;
    output(): string;
    exited: Promise<number | null>;
    process: ChildProcess;
  }

  async function startGateway(): Promise<Running> {
    const port = await closedPort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', GITBOOK_API_URL: simulator.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await vi.waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`the gateway exited at start-up:\n${output}`);
        expect(output).toContain('"msg":"GraphQL gateway listening"');
      },
      { timeout: 20_000, interval: 25 },
    );
    return { port, output: () => output, exited, process: child };
  }

  interface HttpAnswer {
    status: number;
    headers: http.IncomingHttpHeaders;
    body: string;
  }

  function post(port: number, query: string, agent: http.Agent | false): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/graphql',
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', authorization: bearer(DEMO_TOKEN) },
        },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(JSON.stringify({ query }));
    });
  }

  /** Resolves with 'connected' or the connection error's code. */
  const tryConnect = (port: number) =>
    new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? String(error)));
    });

  const QUERY = `{ integration(name: "${SLACK}") { name title installations(first: 2) { totalCount } } }`;

  async function expectedAnswer() {
    const headers = { authorization: bearer(DEMO_TOKEN) };
    const slack = (await (await fetch(`${simulator.url}${SLACK_PATH}`, { headers })).json()) as {
      name: string;
      title: string;
    };
    const list = (await (await fetch(`${simulator.url}${SLACK_PATH}/installations?limit=2`, { headers })).json()) as {
      count: number;
    };
    simulator.clearRequests();
    return {
      data: { integration: { name: slack.name, title: slack.title, installations: { totalCount: list.count } } },
    };
  }

  /**
   * Sends QUERY, and SIGTERM once its first REST call has reached the upstream;
   * resolves when the gateway says it is draining (its listener is closed then).
   */
  async function queryThenTerminate(
    gateway: Running,
    agent: http.Agent | false,
  ): Promise<{ answer: Promise<HttpAnswer> }> {
    const answer = post(gateway.port, QUERY, agent);
    answer.catch(() => undefined); // awaited by the test; keep an early failure from going unhandled
    await vi.waitFor(() => expect(simulator.requests.length).toBeGreaterThan(0), { timeout: 10_000, interval: 5 });
    gateway.process.kill('SIGTERM');
    await vi.waitFor(() => expect(gateway.output()).toContain('"signal":"SIGTERM"'), { timeout: 10_000, interval: 5 });
    return { answer };
  }

  it('the in-flight query gets its full answer, new connections are refused, and the process exits 0', {
    timeout: 60_000,
  }, async () => {
    const expected = await expectedAnswer();
    const gateway = await startGateway();
    simulator.clearRequests();

    const { answer } = await queryThenTerminate(gateway, false);
    // Draining: the listener is closed.
    expect(await tryConnect(gateway.port)).toBe('ECONNREFUSED');

    const { status, body } = await answer;
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual(expected);
    expect(simulator.requests.map((request) => [request.path, request.status])).toEqual([
      [SLACK_PATH, 200],
      [`${SLACK_PATH}/installations`, 200],
    ]);
    expect(await gateway.exited).toBe(0);
  });

  it('a keep-alive client is told to close its connection with its last answer, so it sends nothing more on it and the exit does not wait for it', {
    timeout: 60_000,
  }, async () => {
    const expected = await expectedAnswer();
    const gateway = await startGateway();
    simulator.clearRequests();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const { answer } = await queryThenTerminate(gateway, agent);
      const { status, headers, body } = await answer;
      expect(status).toBe(200);
      expect(JSON.parse(body)).toEqual(expected);
      expect(headers.connection).toBe('close');
      expect(await gateway.exited).toBe(0);
    } finally {
      agent.destroy();
    }
  });
});
