import { IntegrationVisibility } from '@gitbook/api';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { DEFAULT_LIMITS, type Limits } from '../src/limits/index.js';
import { organizationId, POPULAR_INTEGRATION, SEEDED_USERS } from '../src/simulator/index.js';
import { DEFAULT_RESILIENCE } from '../src/upstream/resilience.js';
import { createGateway, type Gateway } from '../src/yoga.js';
import { type GraphQLResponse, type RestCall, useHarness } from './helpers/harness.js';
import { queryGateway } from './helpers/loopback.js';
import { expectedGet, rest } from './helpers/rest-fixtures.js';
import { expectedWrite } from './helpers/write-fixtures.js';

// State is reset before each test: one test creates tokens, one publishes integrations.
const h = await useHarness({ resetStateBeforeEach: true });
const store = h.simulator.store;

const SLACK = POPULAR_INTEGRATION;

/** A gateway over the harness's upstream with some limits changed. */
function gatewayWith(limits: Partial<Limits>): Gateway {
  return createGateway({ upstream: h.upstream, limits: { ...DEFAULT_LIMITS, ...limits } });
}

const run = (gateway: Gateway, query: string, variables?: Record<string, unknown>) =>
  queryGateway(gateway, query, { variables });

/** Calls in a stable order, for comparing calls that ran concurrently. */
function sorted(calls: RestCall[]): RestCall[] {
  const key = (call: RestCall) => `${call.method} ${call.path}?${new URLSearchParams(call.query).toString()}`;
  return [...calls].sort((a, b) => key(a).localeCompare(key(b)));
}

const codes = (response: GraphQLResponse) => (response.errors ?? []).map((error) => error.extensions?.code);

/** Refused before execution with QUERY_TOO_COMPLEX: no data at all and not one REST call. */
function expectTooComplex(response: GraphQLResponse, extensions: Record<string, unknown> = {}): void {
  const calls = h.calls();
  expect(
    response.data,
    `answered instead of refused, making ${calls.length} REST calls; errors: ${JSON.stringify(response.errors ?? [])}`,
  ).toBeUndefined();
  expect(response.errors).toHaveLength(1);
  expect(response.errors?.[0]?.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', ...extensions });
  expect(calls).toEqual([]);
}

/** The fan-out refusal: the estimate and the limit, no REST call. */
function expectFanOutRefused(response: GraphQLResponse, restCalls: number, limit: number): void {
  expectTooComplex(response, { restCalls, limit });
  expect(response.errors?.[0]?.message).toBe(
    `This operation could make up to ${restCalls} calls to GitBook API; the limit is ${limit}. Ask for smaller pages (first) or fewer nested lists.`,
  );
}

/** Answered without any error. */
function expectAnswered(response: GraphQLResponse): void {
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  expect(response.data).toBeTruthy();
}

/**
 * What a limit of `limit` REST calls promises: the operation is refused
 * before any call, or it makes at most `limit` calls.
 */
function expectWithinFanOutLimit(response: GraphQLResponse, limit: number): void {
  const calls = h.calls();
  if (codes(response).includes('QUERY_TOO_COMPLEX')) {
    expect(calls).toEqual([]);
  } else {
    expect(
      calls.length,
      `accepted under a limit of ${limit} REST calls, it made ${calls.length}:\n${calls.map((call) => `${call.method} ${call.path}`).join('\n')}`,
    ).toBeLessThanOrEqual(limit);
  }
}

/**
 * A query `depth` fields deep, following installations and their space
 * installations down from slack (all of it visible to the demo user), ending
 * in a scalar of the last object.
 */
function queryOfDepth(depth: number): string {
  const integration = { field: `integration(name: "${SLACK}")`, leaf: 'name' };
  const installations = { field: 'installations(first: 1)', leaf: 'totalCount' };
  const installationNodes = { field: 'nodes', leaf: 'installationId' };
  const spaceInstallations = { field: 'spaceInstallations(first: 1)', leaf: 'totalCount' };
  const spaceNodes = { field: 'nodes', leaf: 'spaceId' };
  const installation = { field: 'installation', leaf: 'installationId' };
  const cycle = [spaceInstallations, spaceNodes, installation];
  const levels = [integration, installations, installationNodes];
  while (levels.length < depth - 1) levels.push(cycle[(levels.length - 3) % cycle.length]!);
  const fields = levels.slice(0, depth - 1);
  return `{ ${fields.map((level) => `${level.field} {`).join(' ')} ${fields.at(-1)!.leaf} ${'}'.repeat(fields.length)} }`;
}

describe('query shape limits', () => {
  it(`a query deeper than maxDepth (${DEFAULT_LIMITS.maxDepth} fields) is QUERY_TOO_COMPLEX with no REST call; maxDepth is answered`, async () => {
    expectTooComplex(await h.graphql(queryOfDepth(DEFAULT_LIMITS.maxDepth + 1)));

    const answered = await h.graphql(queryOfDepth(DEFAULT_LIMITS.maxDepth));
    expectAnswered(answered);
    expect(h.calls().length).toBeGreaterThan(0);
  });

  it(`an alias bomb (maxAliases + 1 = ${DEFAULT_LIMITS.maxAliases + 1} aliases) is QUERY_TOO_COMPLEX with no REST call; maxAliases are answered with one call`, async () => {
    const aliases = (count: number) =>
      `{ ${Array.from({ length: count }, (_, index) => `a${index}: integration(name: "${SLACK}") { name }`).join(' ')} }`;
    expectTooComplex(await h.graphql(aliases(DEFAULT_LIMITS.maxAliases + 1)));

    const answered = await h.graphql(aliases(DEFAULT_LIMITS.maxAliases));
    expectAnswered(answered);
    expect(Object.values(answered.data ?? {})).toEqual(Array(DEFAULT_LIMITS.maxAliases).fill({ name: SLACK }));
    expect(h.calls()).toEqual([expectedGet(`/integrations/${SLACK}`)]);
  });

  it('aliases inside fragments count once per spread', async () => {
    const names = Array.from({ length: 10 }, (_, index) => `t${index}: title`).join(' ');
    // 10 + 2 + 2 × 10 aliases: 32.
    const query = `{
      integration(name: "${SLACK}") { ...Names a: owner { ...Titles } b: owner { ...Titles } }
    }
    fragment Names on Integration { ${names.replaceAll('title', 'name')} }
    fragment Titles on Organization { ${names} }`;
    expectTooComplex(await h.graphql(query));
  });

  it(`a token flood (over maxTokens = ${DEFAULT_LIMITS.maxTokens}) is QUERY_TOO_COMPLEX with no REST call`, async () => {
    const query = `{ integration(name: "${SLACK}") { ${'name '.repeat(DEFAULT_LIMITS.maxTokens)}} }`;
    expectTooComplex(await h.graphql(query));
  });

  it(`a directive flood (maxDirectives + 1 = ${DEFAULT_LIMITS.maxDirectives + 1}) is QUERY_TOO_COMPLEX with no REST call; maxDirectives are answered`, async () => {
    const flood = (count: number) => `{ integration(name: "${SLACK}") { ${'name @include(if: true) '.repeat(count)}} }`;
    expectTooComplex(await h.graphql(flood(DEFAULT_LIMITS.maxDirectives + 1)));

    expect(await h.graphql(flood(DEFAULT_LIMITS.maxDirectives))).toEqual({ data: { integration: { name: SLACK } } });
    expect(h.calls()).toEqual([expectedGet(`/integrations/${SLACK}`)]);
  });

  it('limits are the gateway’s: with maxDepth 5, depth 6 is refused and depth 5 answered', async () => {
    const gateway = gatewayWith({ maxDepth: 5 });
    expectTooComplex(await run(gateway, queryOfDepth(6)));

    const answered = await run(gateway, queryOfDepth(5));
    expectAnswered(answered);
    const installation = (await rest(h, `/integrations/${SLACK}/installations`, { limit: 1 })).items[0];
    const spaces = await rest(h, `/integrations/${SLACK}/installations/${installation.id}/spaces`, { limit: 1 });
    expect(answered.data).toEqual({
      integration: { installations: { nodes: [{ spaceInstallations: { totalCount: spaces.count } }] } },
    });
  });

  it.each<[string, Partial<Limits>, string]>([
    [
      'maxAliases: 2',
      { maxAliases: 2 },
      `{ a: integration(name: "${SLACK}") { name } b: integration(name: "${SLACK}") { name } c: integration(name: "${SLACK}") { name } }`,
    ],
    ['maxTokens: 10', { maxTokens: 10 }, `{ integration(name: "${SLACK}") { name title } }`],
    [
      'maxDirectives: 1',
      { maxDirectives: 1 },
      `{ integration(name: "${SLACK}") { name @include(if: true) title @skip(if: false) } }`,
    ],
  ])('limits are the gateway’s: %s refuses what the defaults answer', async (_label, limits, query) => {
    expectTooComplex(await run(gatewayWith(limits), query));

    expectAnswered(await h.graphql(query));
    expect(h.calls()).toEqual([expectedGet(`/integrations/${SLACK}`)]);
  });
});

describe('the REST fan-out limit', () => {
  it('integrations(first: 1000) { installations(first: 1000) } is QUERY_TOO_COMPLEX with restCalls and limit, and no REST call', async () => {
    const response = await h.graphql(`{
      integrations(first: 1000) { nodes { installations(first: 1000) { nodes { installationId } } } }
    }`);
    expectFanOutRefused(response, 1 + 1000, DEFAULT_LIMITS.maxRestCalls);
  });

  it('a connection without first counts the default page (20), not its parent’s page size', async () => {
    // 1 + 1 × (installations: 1 + 20 × spaceInstallations: 1) = 22; with first: 1 inherited, it was 3.
    const response = await run(
      gatewayWith({ maxRestCalls: 21 }),
      `{ integrations(first: 1) { nodes { installations { nodes { spaceInstallations { totalCount } } } } } }`,
    );
    expectFanOutRefused(response, 22, 21);
    expect(h.calls()).toEqual([]);
  });

  describe('the estimate is exact for the contract’s query: 20 integrations × installations(first: 5) = 21', () => {
    it.each([
      ['integrations(first: 20)', 'integrations(first: 20)'],
      ['integrations (20 by default)', 'integrations'],
    ])('%s: accepted under a limit of 21, making 21 calls', async (_label, integrations) => {
      const query = `{ ${integrations} { nodes { name installations(first: 5) { nodes { installationId } } } } }`;
      const names = ((await rest(h, '/integrations', { limit: 20 })).items as { name: string }[]).map(
        (item) => item.name,
      );

      const response = await run(gatewayWith({ maxRestCalls: 21 }), query);
      expectAnswered(response);
      expect(response.data?.integrations.nodes.map((node: { name: string }) => node.name)).toEqual(names);
      expect(sorted(h.calls())).toEqual(
        sorted([
          expectedGet('/integrations', { limit: '20' }),
          ...names.map((name) => expectedGet(`/integrations/${name}/installations`, { limit: '5' })),
        ]),
      );
      expect(h.calls()).toHaveLength(21);

      h.resetCalls();
      expectFanOutRefused(await run(gatewayWith({ maxRestCalls: 20 }), query), 21, 20);
    });
  });

  describe('variables', () => {
    const QUERY = `query ($n: Int!) { integrations(first: $n) { nodes { name installations(first: 5) { totalCount } } } }`;

    it('a fan-out that comes from a variable is refused when it is big', async () => {
      expectFanOutRefused(await h.graphql(QUERY, { n: 1000 }), 1 + 1000, DEFAULT_LIMITS.maxRestCalls);
    });

    it('and accepted when it is small, making the calls it estimated', async () => {
      const names = ((await rest(h, '/integrations', { limit: 3 })).items as { name: string }[]).map(
        (item) => item.name,
      );
      const response = await run(gatewayWith({ maxRestCalls: 4 }), QUERY, { n: 3 });
      expectAnswered(response);
      expect(sorted(h.calls())).toEqual(
        sorted([
          expectedGet('/integrations', { limit: '3' }),
          ...names.map((name) => expectedGet(`/integrations/${name}/installations`, { limit: '5' })),
        ]),
      );
    });

    it('the same operation is estimated anew for each variables it is sent with, in any order', async () => {
      const gateway = gatewayWith({ maxRestCalls: 4 });
      for (const n of [3, 4, 3, 4]) {
        h.resetCalls();
        const response = await run(gateway, QUERY, { n });
        if (n === 3) {
          expectAnswered(response);
          expect(h.calls()).toHaveLength(1 + 3);
        } else {
          expectFanOutRefused(response, 1 + 4, 4);
        }
      }
      // And when a variable decides whether a fan-out runs at all.
      const skippable = `query ($skip: Boolean!) {
        integrations(first: 1000) @skip(if: $skip) { nodes { installations(first: 1) { totalCount } } }
      }`;
      for (const skip of [true, false, true]) {
        const response = await h.graphql(skippable, { skip });
        if (skip) expect(response).toEqual({ data: {} });
        else expectFanOutRefused(response, 1 + 1000, DEFAULT_LIMITS.maxRestCalls);
      }
    });

    it('a variable’s default value counts like a value sent', async () => {
      // Execution uses the default, 1000; the estimate must too.
      const response = await h.graphql(
        `query ($n: Int = 1000) { integrations(first: $n) { nodes { installations(first: 1) { totalCount } } } }`,
      );
      expectFanOutRefused(response, 1 + 1000, DEFAULT_LIMITS.maxRestCalls);
    });
  });

  describe('@skip and @include', () => {
    const QUERY = `query ($skip: Boolean!) {
      integration(name: "${SLACK}") { name }
      integrations(first: 1000) @skip(if: $skip) { nodes { installations(first: 1) { totalCount } } }
    }`;

    it('a skipped fan-out costs nothing: accepted, with only the calls of what runs', async () => {
      expect(await h.graphql(QUERY, { skip: true })).toEqual({ data: { integration: { name: SLACK } } });
      expect(h.calls()).toEqual([expectedGet(`/integrations/${SLACK}`)]);
    });

    it('the same fan-out, not skipped, is refused', async () => {
      expectFanOutRefused(await h.graphql(QUERY, { skip: false }), 1 + 1 + 1000, DEFAULT_LIMITS.maxRestCalls);
    });

    it('@include(if: false) on a nested list, on a fragment spread or on an inline fragment leaves it out', async () => {
      const response = await h.graphql(`{
        integrations(first: 1000) {
          nodes {
            name
            installations(first: 1) @include(if: false) { totalCount }
            ...Events @include(if: false)
            ... @include(if: false) { spaceInstallations(first: 1) { totalCount } }
          }
        }
      }
      fragment Events on Integration { events(first: 1) { totalCount } }`);
      expectAnswered(response);
      expect(h.calls()).toEqual([expectedGet('/integrations', { limit: '1000' })]);
    });

    it('@include(if: true) counts', async () => {
      const response = await h.graphql(
        `{ integrations(first: 1000) { nodes { installations(first: 1) @include(if: true) { totalCount } } } }`,
      );
      expectFanOutRefused(response, 1 + 1000, DEFAULT_LIMITS.maxRestCalls);
    });

    it('a condition from a variable’s default value counts: such a query is not estimated at 0 calls', async () => {
      const response = await h.graphql(`query ($skip: Boolean = false) {
        integrations(first: 1000) @skip(if: $skip) { nodes { installations(first: 1000) { totalCount } } }
      }`);
      expectFanOutRefused(response, 1 + 1000, DEFAULT_LIMITS.maxRestCalls);
    });
  });

  describe('fragments', () => {
    const QUERY = (first: number) => `{ integrations(first: ${first}) { ...Page } }
      fragment Page on IntegrationConnection {
        nodes { name ...Installations ... on Integration { events(first: 1) { totalCount } } }
      }
      fragment Installations on Integration { installations(first: 1) { totalCount } }`;

    it('named and inline fragments count: first: 1000 with two lists per node is 2001 calls, refused', async () => {
      expectFanOutRefused(await h.graphql(QUERY(1000)), 1 + 1000 + 1000, DEFAULT_LIMITS.maxRestCalls);
    });

    it('first: 3 is exactly 7: accepted under 7, making 7 calls; refused under 6', async () => {
      const names = ((await rest(h, '/integrations', { limit: 3 })).items as { name: string }[]).map(
        (item) => item.name,
      );
      const response = await run(gatewayWith({ maxRestCalls: 7 }), QUERY(3));
      expectAnswered(response);
      expect(sorted(h.calls())).toEqual(
        sorted([
          expectedGet('/integrations', { limit: '3' }),
          ...names.flatMap((name) => [
            expectedGet(`/integrations/${name}/installations`, { limit: '1' }),
            expectedGet(`/integrations/${name}/events`, { limit: '1' }),
          ]),
        ]),
      );

      h.resetCalls();
      expectFanOutRefused(await run(gatewayWith({ maxRestCalls: 6 }), QUERY(3)), 7, 6);
    });
  });

  describe('nodes(ids:)', () => {
    it('counts one per id, and multiplies what is below it: 5 integrations with their installations are 10 calls', async () => {
      const listed = await h.data(`{ integrations(first: 5) { nodes { id name } } }`);
      const nodes = listed.integrations.nodes as { id: string; name: string }[];
      h.resetCalls();
      const query = `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Integration { name installations(first: 5) { totalCount } } } }`;
      const ids = nodes.map((node) => node.id);

      expectFanOutRefused(await run(gatewayWith({ maxRestCalls: 9 }), query, { ids }), 10, 9);

      const response = await run(gatewayWith({ maxRestCalls: 10 }), query, { ids });
      expectAnswered(response);
      expect(response.data?.nodes.map((node: { name: string }) => node.name)).toEqual(nodes.map((node) => node.name));
      expect(sorted(h.calls())).toEqual(
        sorted(
          nodes.flatMap(({ name }) => [
            expectedGet(`/integrations/${name}`),
            expectedGet(`/integrations/${name}/installations`, { limit: '5' }),
          ]),
        ),
      );
    });
  });

  describe('mutations', () => {
    it('count one call each: three under a limit of 2 are refused and nothing is written; under 3, three writes', async () => {
      const record = store.integrations.get(SLACK)!;
      const inst = [...record.installations.values()].find((candidate) =>
        SEEDED_USERS.demo.organizations.includes(candidate.organizationId),
      )!;
      const id = inst.installation.id;
      const before = [...inst.tokens];
      const mutation = `mutation ($id: String!) {
        a: createInstallationToken(input: { integrationName: "${SLACK}", installationId: $id }) { token }
        b: createInstallationToken(input: { integrationName: "${SLACK}", installationId: $id }) { token }
        c: createInstallationToken(input: { integrationName: "${SLACK}", installationId: $id }) { token }
      }`;

      expectFanOutRefused(await run(gatewayWith({ maxRestCalls: 2 }), mutation, { id }), 3, 2);
      expect(inst.tokens).toEqual(before);

      const response = await run(gatewayWith({ maxRestCalls: 3 }), mutation, { id });
      expectAnswered(response);
      const write = expectedWrite('POST', `/integrations/${SLACK}/installations/${id}/tokens`, { status: 200 });
      expect(h.calls()).toEqual([write, write, write]);
      expect(inst.tokens).toEqual([...before, response.data?.a.token, response.data?.b.token, response.data?.c.token]);
    });
  });

  describe('the estimate is an upper bound', () => {
    it('an installation’s integration { title } costs a lookup, so nodes(ids:) of installations of N integrations stays within a limit of 2N', async () => {
      const listed = await h.data(
        `{ organization(organizationId: "${organizationId('acme')}") { installations(first: 4) { nodes { id integration { name } } } } }`,
      );
      const nodes = listed.organization.installations.nodes as { id: string; integration: { name: string } }[];
      expect(new Set(nodes.map((node) => node.integration.name)).size).toBe(4);
      h.resetCalls();

      const query = `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Installation { installationId integration { title } } } }`;
      const ids = nodes.map((node) => node.id);
      const limit = nodes.length;
      const response = await run(gatewayWith({ maxRestCalls: limit }), query, { ids });
      expectWithinFanOutLimit(response, limit);
      // Under N it is refused (the estimate is 2N); under 2N it runs, within 2N calls.
      expectFanOutRefused(response, 2 * limit, limit);
      h.resetCalls();
      const accepted = await run(gatewayWith({ maxRestCalls: 2 * limit }), query, { ids });
      expectAnswered(accepted);
      expectWithinFanOutLimit(accepted, 2 * limit);
    });

    it('a page `after` an edge in the middle of a REST page, crossing the REST maximum of 1000, is counted as the 2 calls it makes', async () => {
      // More than 1000 integrations, so a REST page of 1000 does not hold them all.
      for (let index = 0; index < 1000; index++) {
        store.publish(`zz-bulk-${String(index).padStart(4, '0')}`, organizationId('gitbook'), {
          organization: organizationId('gitbook'),
          title: `Bulk ${index}`,
          description: 'An integration that makes the list longer than one REST page.',
          script: 'export default {}',
          scopes: [],
          visibility: IntegrationVisibility.Public,
        });
      }
      const page = await h.data(`{ integrations(first: 501) { totalCount edges { cursor } } }`);
      expect(page.integrations.totalCount).toBeGreaterThan(1000);
      // An edge in the middle of the first REST page.
      const after = page.integrations.edges[250].cursor as string;
      h.resetCalls();

      const response = await run(
        gatewayWith({ maxRestCalls: 1 }),
        `query ($after: String) { integrations(first: 1000, after: $after) { nodes { name } } }`,
        { after },
      );
      expectWithinFanOutLimit(response, 1);
    });
  });
});

describe('field suggestions', () => {
  const TYPO = `{ integratio(name: "${SLACK}") { name } }`;

  it('with fieldSuggestions: true (the default) a validation error says "Did you mean"', async () => {
    const response = await h.graphql(TYPO);
    expect(codes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(response.errors?.[0]?.message).toContain('Did you mean');
    expect(response.errors?.[0]?.message).toContain('"integration"');
    expect(h.calls()).toEqual([]);
  });

  it('with fieldSuggestions: false it does not, and names no field of the schema', async () => {
    const response = await run(gatewayWith({ fieldSuggestions: false }), TYPO);
    expect(codes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(response.errors?.[0]?.message).not.toContain('Did you mean');
    expect(response.errors?.[0]?.message).not.toContain('"integration"');
    expect(h.calls()).toEqual([]);
  });

  it('NODE_ENV=production turns them off; any other NODE_ENV leaves them on', async () => {
    const production = loadConfig({ NODE_ENV: 'production' }).limits;
    expect(production.fieldSuggestions).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development' }).limits.fieldSuggestions).toBe(true);
    expect(loadConfig({}).limits.fieldSuggestions).toBe(true);

    const response = await run(createGateway({ upstream: h.upstream, limits: production }), TYPO);
    expect(codes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(response.errors?.[0]?.message).not.toContain('Did you mean');
  });
});

describe('the codes of request errors', () => {
  it('a document that does not parse: GRAPHQL_PARSE_FAILED, no REST call', async () => {
    const response = await h.graphql(`{ integration(name: "${SLACK}") { name }`);
    expect(response.data).toBeUndefined();
    expect(codes(response)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(h.calls()).toEqual([]);
  });

  it('a document that does not validate: GRAPHQL_VALIDATION_FAILED for each error, no REST call', async () => {
    const response = await h.graphql(`{ integration(name: "${SLACK}", color: RED) { name nope } }`);
    expect(response.data).toBeUndefined();
    expect(codes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_VALIDATION_FAILED']);
    expect(h.calls()).toEqual([]);
  });

  it.each<[string, Record<string, unknown>]>([
    ['missing', {}],
    ['not a number', { n: 'many' }],
    ['not an integer', { n: 2.5 }],
    ['a string of digits, however big (not QUERY_TOO_COMPLEX)', { n: '1000' }],
  ])('refused variables (%s): BAD_USER_INPUT, no REST call', async (_label, variables) => {
    const response = await h.graphql(
      `query ($n: Int!) { integrations(first: $n) { nodes { installations(first: 1) { totalCount } } } }`,
      variables,
    );
    expect(response.data).toBeUndefined();
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(h.calls()).toEqual([]);
  });
});

describe('every limit is read from the environment', () => {
  type Read = (config: ReturnType<typeof loadConfig>) => number;
  /** Name, where the value lands, its default (from the module that owns it; undefined: whatever unset gives), its minimum. */
  const VARIABLES: [name: string, read: Read, fallback: number | undefined, min: number][] = [
    ['MAX_DEPTH', (c) => c.limits.maxDepth, DEFAULT_LIMITS.maxDepth, 1],
    ['MAX_ALIASES', (c) => c.limits.maxAliases, DEFAULT_LIMITS.maxAliases, 0],
    ['MAX_TOKENS', (c) => c.limits.maxTokens, DEFAULT_LIMITS.maxTokens, 1],
    ['MAX_DIRECTIVES', (c) => c.limits.maxDirectives, DEFAULT_LIMITS.maxDirectives, 0],
    ['MAX_REST_CALLS', (c) => c.limits.maxRestCalls, DEFAULT_LIMITS.maxRestCalls, 1],
    ['MAX_SELECTIONS', (c) => c.limits.maxSelections, DEFAULT_LIMITS.maxSelections, 1],
    ['MAX_INPUT_BYTES', (c) => c.limits.maxInputBytes, DEFAULT_LIMITS.maxInputBytes, 1],
    ['MAX_INPUT_VALUES', (c) => c.limits.maxInputValues, DEFAULT_LIMITS.maxInputValues, 1],
    ['MAX_BODY_BYTES', (c) => c.limits.maxBodyBytes, DEFAULT_LIMITS.maxBodyBytes, 1],
    ['MAX_BATCH', (c) => c.limits.maxBatch, DEFAULT_LIMITS.maxBatch, 1],
    ['REQUEST_TIMEOUT_MS', (c) => c.requestTimeoutMs, undefined, 1],
    ['UPSTREAM_TIMEOUT_MS', (c) => c.upstreamTimeoutMs, undefined, 1],
    ['UPSTREAM_CONNECTIONS', (c) => c.upstreamConnections, undefined, 1],
    ['UPSTREAM_RETRIES', (c) => c.resilience.retries, DEFAULT_RESILIENCE.retries, 0],
    ['UPSTREAM_RETRY_MAX_DELAY_MS', (c) => c.resilience.retryMaxDelayMs, DEFAULT_RESILIENCE.retryMaxDelayMs, 0],
    ['UPSTREAM_BREAKER_RESET_MS', (c) => c.resilience.breakerResetMs, DEFAULT_RESILIENCE.breakerResetMs, 1],
    ['SHUTDOWN_GRACE_MS', (c) => c.shutdownGraceMs, undefined, 0],
    ['PORT', (c) => c.port, undefined, 0],
  ];

  it.each(VARIABLES)('%s: unset or empty is the default; a value is read', (name, read, fallback, min) => {
    const unset = read(loadConfig({}));
    if (fallback !== undefined) expect(unset).toBe(fallback);
    expect(unset).toBeGreaterThanOrEqual(min);
    expect(read(loadConfig({ [name]: '' }))).toBe(unset);
    expect(read(loadConfig({ [name]: String(min) }))).toBe(min);
    expect(read(loadConfig({ [name]: '1234' }))).toBe(1234);
  });

  it.each(VARIABLES)('%s: garbage is refused at start-up, naming the variable', (name, _read, _fallback, min) => {
    for (const garbage of ['abc', '12abc', '1.5', '-1', String(min - 1), 'Infinity', 'NaN', 'true']) {
      expect(() => loadConfig({ [name]: garbage }), `${name}=${garbage}`).toThrow(name);
    }
  });

  it('a blank value (spaces) is refused or means the default, never 0, also where 0 is allowed', () => {
    const misread = VARIABLES.flatMap(([name, read, fallback]) => {
      let value: number;
      try {
        value = read(loadConfig({ [name]: '  ' }));
      } catch {
        return [];
      }
      return value === (fallback ?? read(loadConfig({}))) ? [] : [`${name}="  " read as ${value}`];
    });
    expect(misread).toEqual([]);
  });

  it('CORS_ORIGINS: unset is any origin; a list of origins is read; anything but origins is refused, naming it', () => {
    expect(loadConfig({}).corsOrigins).toEqual(['*']);
    expect(loadConfig({ CORS_ORIGINS: ' https://app.example , http://localhost:3000 ' }).corsOrigins).toEqual([
      'https://app.example',
      'http://localhost:3000',
    ]);
    for (const garbage of ['app.example', 'https://app.example/', 'https://app.example/path', 'ftp//x']) {
      expect(() => loadConfig({ CORS_ORIGINS: garbage }), garbage).toThrow('CORS_ORIGINS');
    }
  });

  it('the limits read from the environment reach the gateway', async () => {
    const limits = loadConfig({ MAX_DEPTH: '5', MAX_REST_CALLS: '20' }).limits;
    expect(limits).toEqual({ ...DEFAULT_LIMITS, maxDepth: 5, maxRestCalls: 20 });
    const gateway = createGateway({ upstream: h.upstream, limits });

    expectTooComplex(await run(gateway, queryOfDepth(6)));
    expectFanOutRefused(
      await run(gateway, `{ integrations { nodes { installations(first: 5) { totalCount } } } }`),
      21,
      20,
    );
  });
});
