import v8 from 'node:v8';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { organizationId, POPULAR_INTEGRATION, SEEDED_USERS } from '../src/simulator/index.js';
import { type GraphQLResponse, useHarness } from './helpers/harness.js';
import { bearer, TOKENS } from './helpers/rest-fixtures.js';

/**
 * Many GraphQL requests at once, under several tokens, against one gateway:
 * each answer holds only what its own token sees (the same answer it gets
 * alone), every REST call carries the Authorization of a request that made
 * it, the gateway answers every request, and nothing a request loaded
 * outlives it (the heap stays flat over rounds).
 */

const h = await useHarness();
const store = h.simulator.store;

// --- Who asks ------------------------------------------------------------------------------------

const IDENTITIES = ['demo', 'alice', 'bob', 'frank', 'carol', 'anonymous'] as const;
type Identity = (typeof IDENTITIES)[number];
const authorizationOf = (identity: Identity): string | undefined =>
  identity === 'anonymous' ? undefined : bearer(TOKENS[identity]);

const NORTHWIND = organizationId('northwind');
const GLOBEX = organizationId('globex');
const OPEN_SOURCE = organizationId('open-source-collective');
const ACME = organizationId('acme');
if (!SEEDED_USERS.demo.organizations.includes(ACME)) throw new Error('demo is expected to be a member of acme');

const northwindSso = store.integrations.get('northwind-sso');
const ssoInstallation = northwindSso && [...northwindSso.installations.values()][0];
if (!ssoInstallation) throw new Error('the seed has no installation of northwind-sso');
const SSO_INSTALLATION_ID = Buffer.from(`Installation:northwind-sso/${ssoInstallation.installation.id}`).toString(
  'base64url',
);

// --- What they ask, and what REST says each of them should get ---------------------------------

const REST_CODES: Record<number, string> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND' };

/** A GET sent to the simulator directly as `identity`, taken back out of its record. */
async function restAs(identity: Identity, path: string, query: Record<string, string | number> = {}) {
  const before = h.simulator.requests.length;
  const search = new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)])).toString();
  const authorization = authorizationOf(identity);
  const response = await fetch(`${h.simulator.url}${path}${search ? `?${search}` : ''}`, {
    headers: authorization ? { authorization } : {},
  });
  const body = (await response.json()) as any;
  h.simulator.requests.splice(before);
  return { status: response.status, body };
}

type Outcome = { ok: unknown } | { error: unknown };

async function restOutcome(
  identity: Identity,
  path: string,
  query: Record<string, string | number>,
  pick: (body: any) => unknown,
): Promise<Outcome> {
  const answer = await restAs(identity, path, query);
  return answer.status === 200 ? { ok: pick(answer.body) } : { error: REST_CODES[answer.status] ?? answer.status };
}

function graphOutcome(response: GraphQLResponse, pick: (data: any) => unknown): Outcome {
  const value = response.data ? pick(response.data) : undefined;
  return value !== undefined && value !== null ? { ok: value } : { error: response.errors?.[0]?.extensions?.code };
}

interface Probe {
  label: string;
  query: string;
  variables: Record<string, unknown>;
  /** What the answer says, reduced to what distinguishes one token's view from another's. */
  fromGraph(response: GraphQLResponse): Outcome;
  /** The same, from REST asked directly with the identity's token. */
  fromRest(identity: Identity): Promise<Outcome>;
}

const integrationProbe = (name: string): Probe => ({
  label: `integration(${name})`,
  query: `query Integration($name: String!) { integration(name: $name) { id name visibility owner { organizationId } permissions { admin } } }`,
  variables: { name },
  fromGraph: (response) =>
    graphOutcome(
      response,
      (data) =>
        data.integration && [
          data.integration.name,
          data.integration.visibility,
          data.integration.owner.organizationId,
          data.integration.permissions.admin,
        ],
    ),
  fromRest: (identity) =>
    restOutcome(identity, `/integrations/${name}`, {}, (body) => [
      body.name,
      body.visibility.toUpperCase(),
      body.owner.id,
      body.permissions.admin,
    ]),
});

const organizationInstallationsProbe = (organization: string): Probe => ({
  label: `organization(${organization}).installations`,
  query: `query OrganizationInstallations($organizationId: String!) {
    organization(organizationId: $organizationId) {
      installations(first: 100) { totalCount edges { cursor node { id installationId status integration { name } } } }
    }
  }`,
  variables: { organizationId: organization },
  fromGraph: (response) =>
    graphOutcome(response, (data) =>
      data.organization?.installations?.edges.map((edge: any) => [
        edge.node.integration.name,
        edge.node.installationId,
      ]),
    ),
  fromRest: (identity) =>
    restOutcome(identity, `/orgs/${organization}/installations`, { limit: 100 }, (body) =>
      body.items.map((item: any) => [item.integration.name, item.installation.id]),
    ),
});

const organizationIntegrationsProbe = (organization: string): Probe => ({
  label: `organization(${organization}).integrations(owner)`,
  query: `query OrganizationIntegrations($organizationId: String!) {
    organization(organizationId: $organizationId) { integrations(first: 100, owner: $organizationId) { totalCount nodes { name visibility } } }
  }`,
  variables: { organizationId: organization },
  fromGraph: (response) =>
    graphOutcome(response, (data) => data.organization?.integrations?.nodes.map((node: any) => node.name)),
  fromRest: (identity) =>
    restOutcome(identity, `/orgs/${organization}/integrations`, { owner: organization, limit: 100 }, (body) =>
      body.items.map((item: any) => item.name),
    ),
});

const PROBES: Probe[] = [
  integrationProbe('northwind-sso'),
  integrationProbe('globex-metrics'),
  integrationProbe('northwind-status'),
  integrationProbe(POPULAR_INTEGRATION),
  organizationInstallationsProbe(NORTHWIND),
  organizationInstallationsProbe(GLOBEX),
  organizationInstallationsProbe(OPEN_SOURCE),
  organizationInstallationsProbe(ACME),
  organizationIntegrationsProbe(NORTHWIND),
  organizationIntegrationsProbe(GLOBEX),
  {
    label: `${POPULAR_INTEGRATION}.installations`,
    query: `query Installations($name: String!) {
      integration(name: $name) { installations(first: 50) { totalCount nodes { id installationId organization { organizationId } } } }
    }`,
    variables: { name: POPULAR_INTEGRATION },
    fromGraph: (response) =>
      graphOutcome(response, (data) => data.integration?.installations?.nodes.map((node: any) => node.installationId)),
    fromRest: (identity) =>
      restOutcome(identity, `/integrations/${POPULAR_INTEGRATION}/installations`, { limit: 50 }, (body) =>
        body.items.map((item: any) => item.id),
      ),
  },
  {
    label: 'node(installation of northwind-sso)',
    query: `query Node($id: ID!) { node(id: $id) { id ... on Installation { installationId organization { organizationId } } } }`,
    variables: { id: SSO_INSTALLATION_ID },
    fromGraph: (response) => graphOutcome(response, (data) => data.node?.installationId),
    fromRest: (identity) =>
      restOutcome(
        identity,
        `/integrations/northwind-sso/installations/${ssoInstallation.installation.id}`,
        {},
        (body) => body.id,
      ),
  },
  {
    label: 'mermaid.events',
    query: `query Events { integration(name: "mermaid") { events(first: 10) { totalCount nodes { id eventId type } } } }`,
    variables: {},
    fromGraph: (response) =>
      graphOutcome(response, (data) => data.integration?.events?.nodes.map((node: any) => node.eventId)),
    fromRest: (identity) =>
      restOutcome(identity, '/integrations/mermaid/events', { limit: 10 }, (body) =>
        body.items.map((item: any) => item.id),
      ),
  },
  {
    label: 'integrations (the marketplace, with permissions)',
    query: `query Marketplace {
      integrations(first: 100) {
        totalCount
        nodes {
          id name title description summary previewImages target verified visibility scopes categories
          blocks { id title } contentSources { id title } configurations { account space site }
          externalLinks { url label } urls { app location assets } permissions { admin } owner { organizationId title }
        }
      }
    }`,
    variables: {},
    fromGraph: (response) =>
      graphOutcome(response, (data) =>
        data.integrations?.nodes.map((node: any) => [node.name, node.permissions.admin]),
      ),
    fromRest: (identity) =>
      restOutcome(identity, '/integrations', { limit: 100 }, (body) =>
        body.items.map((item: any) => [item.name, item.permissions.admin]),
      ),
  },
];
const HEAVY = PROBES.length - 1;

// --- Asking ---------------------------------------------------------------------------------------

interface Answer {
  status: number;
  body: GraphQLResponse;
}

async function ask(probe: Probe, identity: Identity): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const authorization = authorizationOf(identity);
  if (authorization) headers.authorization = authorization;
  const response = await h.gateway.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers,
    body: JSON.stringify({ query: probe.query, variables: probe.variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse };
}

/** Runs the tasks with at most `concurrency` of them under way at any time. */
async function pool<T>(tasks: (() => Promise<T>)[], concurrency: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await (tasks[index] as () => Promise<T>)();
      }
    }),
  );
  return results;
}

/** A REST call as the counts compare it: who sent it, what, and what it got. */
const callKey = (request: {
  authorization: string | undefined;
  method: string;
  path: string;
  search: string;
  status: number;
}) =>
  `${request.authorization ?? '(no Authorization)'} ${request.method} ${request.path}${request.search ? `?${request.search}` : ''} → ${request.status}`;

function countBy(keys: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

/** A fixed shuffle (mulberry32), so that every run interleaves the same way on its side. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

interface Combo {
  probe: number;
  identity: Identity;
}
const COMBOS: Combo[] = PROBES.flatMap((_probe, probe) => IDENTITIES.map((identity) => ({ probe, identity })));
const comboKey = (combo: Combo) => `${PROBES[combo.probe]?.label} as ${combo.identity}`;

/** What each probe answers to each identity when asked alone, and the REST calls that took. */
const alone = new Map<string, { answer: Answer; calls: string[] }>();

beforeAll(async () => {
  for (const combo of COMBOS) {
    h.resetCalls();
    const answer = await ask(PROBES[combo.probe] as Probe, combo.identity);
    alone.set(comboKey(combo), { answer, calls: h.simulator.requests.map(callKey) });
  }
  h.resetCalls();
});

/** Sends the combos as a workload, `concurrency` at a time; checks every answer against its answer alone. */
async function workload(combos: Combo[], concurrency: number) {
  h.resetCalls();
  const answers = await pool(
    combos.map((combo) => () => ask(PROBES[combo.probe] as Probe, combo.identity)),
    concurrency,
  );
  const mismatches = combos
    .map((combo, index) => ({
      combo: comboKey(combo),
      got: answers[index],
      expected: alone.get(comboKey(combo))?.answer,
    }))
    .filter(({ got, expected }) => JSON.stringify(got) !== JSON.stringify(expected));
  const expectedCalls = countBy(combos.flatMap((combo) => alone.get(comboKey(combo))?.calls ?? []));
  const actualCalls = countBy(h.simulator.requests.map(callKey));
  h.resetCalls();
  return { answers, mismatches, expectedCalls, actualCalls };
}

// --- Tests ----------------------------------------------------------------------------------------

describe('each token alone (the reference for the concurrent runs)', () => {
  it('gets what REST gives that token, and the tokens see different things', async () => {
    const views: Record<string, Record<Identity, Outcome>> = {};
    for (const combo of COMBOS) {
      const probe = PROBES[combo.probe] as Probe;
      const got = alone.get(comboKey(combo));
      expect(got?.answer.status, comboKey(combo)).toBe(200);
      const outcome = probe.fromGraph(got?.answer.body ?? {});
      expect(outcome, comboKey(combo)).toEqual(await probe.fromRest(combo.identity));
      const view = views[probe.label] ?? ({} as Record<Identity, Outcome>);
      view[combo.identity] = outcome;
      views[probe.label] = view;
    }
    // alice and bob see disjoint slices; carol and anonymous see no one's private data.
    expect(views['integration(northwind-sso)']?.alice).toHaveProperty('ok');
    expect(views['integration(northwind-sso)']?.bob).toEqual({ error: 'NOT_FOUND' });
    expect(views[`organization(${GLOBEX}).installations`]?.alice).toEqual({ error: 'FORBIDDEN' });
    expect(views[`organization(${GLOBEX}).installations`]?.bob).toHaveProperty('ok');
    expect(views[`organization(${NORTHWIND}).installations`]?.anonymous).toEqual({ error: 'UNAUTHENTICATED' });
    // Every probe answers the signed-in users differently from one another, not only the anonymous caller.
    const signedIn = IDENTITIES.filter((identity) => identity !== 'anonymous');
    const alike = PROBES.filter(
      (probe) => new Set(signedIn.map((identity) => JSON.stringify(views[probe.label]?.[identity]))).size === 1,
    ).map((probe) => probe.label);
    expect(alike).toEqual([]);
  });

  it('makes only REST calls that carry its own Authorization, and no call fails upstream; without a token, none', () => {
    for (const combo of COMBOS) {
      const calls = alone.get(comboKey(combo))?.calls ?? [];
      if (combo.identity === 'anonymous') {
        expect(calls, comboKey(combo)).toEqual([]);
        continue;
      }
      expect(calls.length, comboKey(combo)).toBeGreaterThan(0);
      const who = authorizationOf(combo.identity);
      expect(
        calls.filter((call) => !call.startsWith(`${who} `)),
        comboKey(combo),
      ).toEqual([]);
      expect(
        calls.filter((call) => / → 5\d\d$/.test(call)),
        comboKey(combo),
      ).toEqual([]);
    }
  });
});

describe('300 requests under six identities, 30 at a time', () => {
  it('answers every one with exactly what its own token gets alone, and each REST call with the right token', async () => {
    const combos = shuffled(
      Array.from({ length: 300 }, (_, index) => COMBOS[index % COMBOS.length] as Combo),
      0x5eed,
    );
    const { answers, mismatches, expectedCalls, actualCalls } = await workload(combos, 30);
    expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
    expect(mismatches).toEqual([]);
    // Grouped by Authorization: the same calls, as many times, as the requests make alone.
    expect(actualCalls).toEqual(expectedCalls);
    // At least one call per request that had a token; none for those without.
    const signedIn = combos.filter((combo) => combo.identity !== 'anonymous').length;
    expect(Object.values(actualCalls).reduce((sum, count) => sum + count, 0)).toBeGreaterThanOrEqual(signedIn);
    expect(Object.keys(actualCalls).filter((call) => call.startsWith('(no Authorization)'))).toEqual([]);
  });

  it('gives the same query asked under every identity at the same instant each its own answer', async () => {
    for (const [index, probe] of PROBES.entries()) {
      const combos = Array.from({ length: 5 }, () => IDENTITIES.map((identity) => ({ probe: index, identity }))).flat();
      const { answers, mismatches, expectedCalls, actualCalls } = await workload(combos, combos.length);
      expect(
        answers.filter((answer) => answer.status !== 200),
        probe.label,
      ).toEqual([]);
      expect(mismatches, probe.label).toEqual([]);
      expect(actualCalls, probe.label).toEqual(expectedCalls);
    }
  });
});

/**
 * The heap after many more requests is the heap after a few: no cache,
 * loader or listener keeps what a request loaded. `--expose-gc`, turned on at
 * run time, makes the measure exact (without it the bound is still generous).
 * Each round reads some 15 MB of REST answers (150 marketplace pages), so
 * keeping each request's REST client, loaders or context alive would grow the
 * heap by several times the bound over the four measured rounds.
 */
function garbageCollector(): (() => void) | undefined {
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

describe('memory', () => {
  it('stays flat from round 2 to round 6 of 300 requests (half of them the large marketplace page)', async () => {
    const gc = garbageCollector();
    const heapUsed = () => {
      gc?.();
      gc?.();
      return process.memoryUsage().heapUsed;
    };
    const heavy = IDENTITIES.map((identity) => ({ probe: HEAVY, identity }));
    const round = shuffled(
      Array.from(
        { length: 300 },
        (_, index) => (index % 2 === 0 ? heavy[index % heavy.length] : COMBOS[index % COMBOS.length]) as Combo,
      ),
      0xbeef,
    );
    const run = async () => {
      const { answers, mismatches, expectedCalls, actualCalls } = await workload(round, 30);
      expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
      expect(mismatches).toEqual([]);
      expect(actualCalls).toEqual(expectedCalls);
    };

    await run(); // warm-up: caches of parsed and compiled documents fill here
    await run();
    await run();
    const afterTwo = heapUsed();
    for (let index = 0; index < 4; index += 1) await run();
    const afterSix = heapUsed();
    expect(afterSix - afterTwo).toBeLessThan(50 * 1024 * 1024);
  }, 60_000);
});
