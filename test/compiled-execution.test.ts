import lzString from 'lz-string';
import { describe, expect, it } from 'vitest';
import { MAX_COMPILED_SELECTIONS } from '../src/compiled-execution.js';
import { encodeGlobalId, nodeKey } from '../src/schema/global-id.js';
import { DEMO_TOKEN, POPULAR_INTEGRATION } from '../src/simulator/index.js';
import { createGateway } from '../src/yoga.js';
import { useHarness } from './helpers/harness.js';
import { queryGateway } from './helpers/loopback.js';
import { mergeParts, readParts } from './helpers/multipart.js';
import { captured } from './helpers/observability.js';
import { TOKENS } from './helpers/rest-fixtures.js';

/**
 * Operations seen before run compiled (graphql-jit): a gateway with the
 * production default compiles an operation on its second use. Each case runs
 * the same document twice, interpreted then compiled (as /metrics counts
 * them), and the two answers and their REST calls must be the same; the
 * rest of the suite runs compiled from the first use (the harness).
 */

const h = await useHarness({ resetStateBeforeEach: true });
const SLACK = POPULAR_INTEGRATION;

function freshGateway() {
  const { observability } = captured();
  const gateway = createGateway({ upstream: h.upstream, observability });
  const executions = async () => {
    const { values } = await observability.metrics.executions.get();
    return Object.fromEntries(values.map((value) => [value.labels.executor, value.value]));
  };
  return { gateway, executions };
}

/** Runs the document twice; both answers, their REST calls, and how each was executed. */
async function twice(query: string, variables: [Record<string, unknown>?, Record<string, unknown>?] = []) {
  const { gateway, executions } = freshGateway();
  const runs = [];
  for (const run of [0, 1]) {
    h.resetCalls();
    const answer = await queryGateway(gateway, query, { variables: variables[run] ?? variables[0] });
    runs.push({ answer, calls: h.calls(), executions: await executions() });
  }
  return runs as [(typeof runs)[0], (typeof runs)[0]];
}

describe('an operation seen before runs compiled, and answers as it did interpreted', () => {
  it('the first use is interpreted, the second compiled: same data, same REST calls', async () => {
    const query = `query Page($first: Int) {
      integrations(first: $first) { totalCount pageInfo { hasNextPage endCursor } nodes { id name title categories owner { organizationId title } } }
    }`;
    const [first, second] = await twice(query, [{ first: 3 }]);
    expect(first.executions).toEqual({ interpreted: 1 });
    expect(second.executions).toEqual({ interpreted: 1, compiled: 1 });
    expect(first.answer.errors).toBeUndefined();
    expect(second.answer).toEqual(first.answer);
    expect(second.calls).toEqual(first.calls);
    expect(first.calls.map((call) => [call.path, call.query])).toEqual([['/integrations', { limit: '3' }]]);
  });

  it('nodes(ids) keeps the null slot and the error of a malformed last ID', async () => {
    const valid = encodeGlobalId('Integration', nodeKey(SLACK));
    const [first, second] = await twice('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', [{ ids: [valid, 'Og'] }]);
    expect(second.executions.compiled).toBe(1);
    expect(first.answer.data).toEqual({ nodes: [{ id: valid }, null] });
    expect(second.answer).toEqual(first.answer);
    expect(second.answer.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([
      [['nodes', 1], 'BAD_USER_INPUT'],
    ]);
  });

  it('a lookahead through @include reads each request’s variables: extended=true only when the title is kept', async () => {
    const query = `query ($full: Boolean!) {
      integration(name: "${SLACK}") { spaceInstallations(first: 2) { nodes { spaceId space { id title @include(if: $full) } } } }
    }`;
    const [left, kept] = await twice(query, [{ full: false }, { full: true }]);
    expect(kept.executions.compiled).toBe(1);
    expect(left.calls.map((call) => call.query)).toEqual([{ limit: '2' }]);
    expect(kept.calls.map((call) => call.query)).toEqual([{ limit: '2', extended: 'true' }]);
    const titles = kept.answer.data?.integration.spaceInstallations.nodes.map(
      (node: { space: { title?: string } }) => node.space.title,
    );
    expect(titles.every((title: unknown) => typeof title === 'string')).toBe(true);
  });

  it('a variable the schema refuses gets the same BAD_USER_INPUT both times, and no call', async () => {
    const query = 'query ($target: IntegrationTarget) { integrations(target: $target) { totalCount } }';
    for (const target of ['UNKNOWN', 'NOT_A_TARGET', 7]) {
      const [first, second] = await twice(query, [{ target }]);
      expect(second.executions.compiled).toBe(1);
      expect(first.answer.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(second.answer).toEqual(first.answer);
      expect([...first.calls, ...second.calls]).toEqual([]);
    }
  });

  it('two operations of one document are compiled apart: each answers its own fields', async () => {
    const { gateway } = freshGateway();
    const document = `query Names { integrations(first: 2) { nodes { name } } }
      query Titles { integrations(first: 2) { nodes { title } } }`;
    const run = async (operationName: string) => {
      const response = await gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKEN}` },
        body: JSON.stringify({ query: document, operationName }),
      });
      return (await response.json()) as { data: { integrations: { nodes: Record<string, string>[] } } };
    };
    const answers = [];
    for (const name of ['Names', 'Titles', 'Names', 'Titles', 'Names', 'Titles']) answers.push(await run(name));
    for (const [index, answer] of answers.entries()) {
      const field = index % 2 === 0 ? 'name' : 'title';
      expect(answer.data.integrations.nodes.every((node) => Object.keys(node).join() === field)).toBe(true);
    }
  });
});

describe('what is never compiled, and still answers right', () => {
  it('a variable inside a JSON literal stays interpreted: the render request carries its value', async () => {
    const query = `query ($initial: Int, $context: JSON!) {
      integrationUI(integrationName: "kudos", componentId: "kudos-counter", props: { initial: $initial }, context: $context) { type }
    }`;
    const context = { type: 'document', theme: 'light', spaceId: 'space', editable: true };
    const [first, second] = await twice(query, [
      { initial: 7, context },
      { initial: 9, context },
    ]);
    expect(second.executions).toEqual({ interpreted: 2 });
    const props = [first, second].map(
      (run) =>
        JSON.parse(lzString.decompressFromEncodedURIComponent(String(run.calls[0]?.query.request)) ?? 'null').props,
    );
    expect(props).toEqual([{ initial: 7 }, { initial: 9 }]);
  });

  it(`a fragment-spread bomb (over ${MAX_COMPILED_SELECTIONS} selections once expanded) stays interpreted`, async () => {
    const levels = 4;
    const fragments = Array.from(
      { length: levels },
      (_, level) => `fragment F${level} on Integration { ${'...F'.concat(String(level + 1), ' ').repeat(8)}}`,
    );
    const query = `{ integration(name: "${SLACK}") { ...F0 } }\n${fragments.join('\n')}\nfragment F${levels} on Integration { name title }`;
    const [first, second] = await twice(query);
    expect(second.executions).toEqual({ interpreted: 2 });
    expect(second.answer).toEqual(first.answer);
    expect(first.answer.data?.integration.name).toBe(SLACK);
  });

  it(`an operation just within ${MAX_COMPILED_SELECTIONS} expanded selections is compiled`, async () => {
    // 1 (integration) + 8 × 8 spreads of two fields each, counted where they stand: 129.
    const spreads = (name: string) => `...${name} `.repeat(8);
    const query = `{ integration(name: "${SLACK}") { ...F0 } }
      fragment F0 on Integration { ${spreads('F1')}}
      fragment F1 on Integration { ${spreads('F2')}}
      fragment F2 on Integration { name title }`;
    const [, second] = await twice(query);
    expect(second.executions.compiled).toBe(1);
    expect(second.answer.data?.integration.name).toBe(SLACK);
  });

  it(`the limit is ${MAX_COMPILED_SELECTIONS} selections: that many are compiled, one more is not`, async () => {
    // The root field and its repeated subfield, each selection counted where it stands.
    const selecting = (count: number) => `{ integration(name: "${SLACK}") { ${'name '.repeat(count - 1)}} }`;
    const [, within] = await twice(selecting(MAX_COMPILED_SELECTIONS));
    expect(within.executions.compiled).toBe(1);
    const [, over] = await twice(selecting(MAX_COMPILED_SELECTIONS + 1));
    expect(over.executions).toEqual({ interpreted: 2 });
    expect(over.answer.data).toEqual({ integration: { name: SLACK } });
  });

  it('a condition on one spread of a fragment stays interpreted, and answers as graphql-js', async () => {
    // graphql-jit would record the spread's condition on the fragment's fields, for every spread of it.
    const query = `query ($x: Boolean!) { integration(name: "${SLACK}") { ...F @include(if: $x) ...F } }
      fragment F on Integration { name title }`;
    const [first, second] = await twice(query, [{ x: false }]);
    expect(second.executions).toEqual({ interpreted: 2 });
    expect(first.answer.data?.integration).toEqual({ name: SLACK, title: expect.any(String) });
    expect(second.answer).toEqual(first.answer);
  });

  it('a conditional fragment in one operation leaves another operation of the document whole', async () => {
    const { gateway, executions } = freshGateway();
    const document = `query A($x: Boolean!) { integration(name: "${SLACK}") { ... on Integration @include(if: $x) { ...F } } }
      query B { integration(name: "${SLACK}") { ...F } }
      fragment F on Integration { name title }`;
    const run = async (operationName: string, variables?: Record<string, unknown>) => {
      const response = await gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKEN}` },
        body: JSON.stringify({ query: document, operationName, variables }),
      });
      return (await response.json()) as { data?: { integration: Record<string, unknown> } };
    };
    for (let round = 0; round < 2; round += 1) {
      expect((await run('A', { x: false })).data).toEqual({ integration: {} });
      expect((await run('B')).data).toEqual({ integration: { name: SLACK, title: expect.any(String) } });
    }
    expect(await executions()).toEqual({ interpreted: 4 });
  });

  it('a document with @defer or @stream is never compiled, even from the first use: it answers in parts each time', async () => {
    const { observability } = captured();
    // As the harness: compiled from the first use.
    const gateway = createGateway({ upstream: h.upstream, observability, compileOnUse: 1 });
    const executions = async () => {
      const { values } = await observability.metrics.executions.get();
      return Object.fromEntries(values.map((value) => [value.labels.executor, value.value]));
    };
    const query = `{ integration(name: "${SLACK}") { name ... @defer { title }
      installations(first: 2) { nodes @stream(initialCount: 1) { installationId status } } } }`;
    const send = (accept: string) =>
      gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${DEMO_TOKEN}` },
        body: JSON.stringify({ query }),
      });
    const answers = [];
    for (const _run of [0, 1, 2]) {
      const reader = readParts(await send('multipart/mixed'));
      const parts = await reader.rest();
      expect(reader.multipart).toBe(true);
      expect(parts[0]?.data).toEqual({
        integration: { name: SLACK, installations: { nodes: [expect.objectContaining({ status: 'ACTIVE' })] } },
      });
      expect(parts.length).toBeGreaterThan(1);
      answers.push(mergeParts(parts));
    }
    expect(await executions()).toEqual({ interpreted: 3 });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(answers[0]?.errors).toBeUndefined();

    // A client that takes the answer whole runs the document without the directives: that one is compiled.
    const whole = await send('application/json');
    expect(await whole.json()).toEqual(answers[0]);
    expect(await executions()).toEqual({ interpreted: 3, compiled: 1 });
  });
});

describe('compiled and interpreted answers are the same bytes', () => {
  const interpreted = createGateway({ upstream: h.upstream, compileOnUse: Number.POSITIVE_INFINITY });
  const compiled = createGateway({ upstream: h.upstream, compileOnUse: 1 });
  const slackId = encodeGlobalId('Integration', nodeKey(SLACK));
  const cases: { name: string; query: string; variables?: Record<string, unknown>; token?: string }[] = [
    {
      name: 'pages, cursors, enums and an embedded owner',
      query: `{ integrations(first: 4, category: ANALYTICS) { totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { __typename id name categories scopes target owner { id title } } } } }`,
    },
    {
      name: 'nested connections under aliases, with @skip and @include',
      query: `query ($yes: Boolean!) { a: integration(name: "${SLACK}") { title
        installations(first: 3) { nodes { installationId status spaceInstallations(first: 2) { nodes { spaceId status space @include(if: $yes) { id title } } } } }
        b: installations(first: 1) @skip(if: $yes) { totalCount } } }`,
      variables: { yes: true },
    },
    {
      name: 'fragments with type conditions over node and nodes, one slot failing',
      query: `query ($ids: [ID!]!) { node(id: "${slackId}") { ...Named } nodes(ids: $ids) { __typename ...Named ... on Installation { status } } }
        fragment Named on Integration { name title verified }`,
      variables: { ids: [slackId, 'bm9wZQ', encodeGlobalId('Integration', nodeKey('no-such-integration'))] },
    },
    {
      name: 'events with their JSON payloads, and a page after a cursor',
      query: `{ integration(name: "${SLACK}") { events(first: 3) { pageInfo { endCursor } nodes { eventId status createdAt payload } } } }`,
    },
    {
      name: 'errors of several fields: not found, malformed, and data beside them',
      query: `{ integrations(first: 1) { nodes { name } } missing: integration(name: "no-such-integration") { name }
        bad: node(id: "Og") { id } organization(organizationId: "zzzzzzzzzzzzzzzzzzzz") { title } }`,
    },
    {
      name: 'a caller without access',
      query: `{ integration(name: "northwind-sso") { name installations(first: 1) { totalCount } } }`,
      token: TOKENS.carol,
    },
    {
      name: 'introspection',
      query: `{ __type(name: "Integration") { name kind fields { name type { name kind ofType { name } } } } }`,
    },
  ];

  it.each(cases)('$name', async ({ query, variables, token }) => {
    const send = async (gateway: typeof compiled) => {
      const response = await gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token ?? DEMO_TOKEN}` },
        body: JSON.stringify({ query, variables }),
      });
      return response.text();
    };
    h.resetCalls();
    const expected = await send(interpreted);
    const interpretedCalls = h.calls();
    h.resetCalls();
    expect(await send(compiled)).toBe(expected);
    expect(h.calls()).toEqual(interpretedCalls);
  });
});
