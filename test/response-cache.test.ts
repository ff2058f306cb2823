import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../src/cache/index.js';
import { silentLogger } from '../src/observability/logging.js';
import { GatewayMetrics } from '../src/observability/metrics.js';
import { encodeGlobalId } from '../src/schema/global-id.js';
import { organizationId, POPULAR_INTEGRATION } from '../src/simulator/index.js';
import { createGateway, type Gateway } from '../src/yoga.js';
import { useHarness } from './helpers/harness.js';
import { TOKENS } from './helpers/rest-fixtures.js';
import { until } from './helpers/until.js';

/**
 * The response cache with the in-memory store (a gateway without REDIS_URL):
 * per caller, dropped by writes, bounded in bytes. The shared store and
 * several replicas: redis-cache.test.ts.
 */

const h = await useHarness({ resetStateBeforeEach: true });
const OSC = organizationId('open-source-collective');

function cachedGateway(
  options: {
    ttlMs?: number;
    maxBytes?: number;
    manifest?: ReadonlyMap<string, string>;
    clock?: { now(): number };
  } = {},
) {
  const store = new MemoryStore({
    maxBytes: options.maxBytes ?? 16 * 1024 * 1024,
    maxTtlMs: options.ttlMs ?? 30_000,
    clock: options.clock,
  });
  const metrics = new GatewayMetrics();
  const gateway = createGateway({
    upstream: h.upstream,
    responseCache: { store, ttlMs: options.ttlMs ?? 30_000 },
    observability: { logger: silentLogger, metrics },
    persistedOperations: options.manifest ? { mode: 'allowed', manifest: options.manifest } : undefined,
  });
  return { gateway, store, metrics };
}

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: any; errors?: any[]; extensions?: Record<string, any> };
}

async function post(
  gateway: Gateway,
  query: string,
  variables: Record<string, unknown> = {},
  options: { token?: string | null; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const token = options.token === undefined ? TOKENS.demo : options.token;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await gateway.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer['body'] };
}

const ORG_INSTALLATIONS = /* GraphQL */ `
  query OrgInstallations($org: String!) {
    organization(organizationId: $org) {
      installations(first: 100) { totalCount nodes { id integration { name } } }
    }
  }
`;
const INTEGRATION = /* GraphQL */ `
  query Integration($name: String!) { integration(name: $name) { id name title } }
`;
const DEBUG = { 'x-response-cache': 'debug' };

describe('the response cache (in memory)', () => {
  it('answers a caller’s repeated query from the cache: one REST call, the same data', async () => {
    const { gateway } = cachedGateway();
    const first = await post(gateway, INTEGRATION, { name: POPULAR_INTEGRATION }, { headers: DEBUG });
    const second = await post(gateway, INTEGRATION, { name: POPULAR_INTEGRATION }, { headers: DEBUG });
    expect(h.calls().map((call) => `${call.method} ${call.path}`)).toEqual([
      `GET /integrations/${POPULAR_INTEGRATION}`,
    ]);
    expect(second.body.data).toEqual(first.body.data);
    expect(first.body.extensions?.responseCache).toMatchObject({ hit: false, didCache: true, ttl: 30_000 });
    expect(second.body.extensions?.responseCache).toEqual({ hit: true });
  });

  it('says nothing of the cache in extensions unless asked, and counts hits and misses in /metrics', async () => {
    const { gateway, metrics } = cachedGateway();
    const first = await post(gateway, INTEGRATION, { name: POPULAR_INTEGRATION });
    const second = await post(gateway, INTEGRATION, { name: POPULAR_INTEGRATION });
    expect(first.body.extensions).toBeUndefined();
    expect(second.body).toEqual(first.body);
    const text = await metrics.registry.metrics();
    expect(text).toContain('graphql_response_cache_total{result="miss"} 1');
    expect(text).toContain('graphql_response_cache_total{result="hit"} 1');
  });

  it('keeps each caller’s answers to that caller: another token makes its own calls and gets its own data', async () => {
    const { gateway } = cachedGateway();
    const mine = await post(gateway, ORG_INSTALLATIONS, { org: OSC });
    const frank = await post(gateway, ORG_INSTALLATIONS, { org: OSC }, { token: TOKENS.frank });
    const carol = await post(gateway, ORG_INSTALLATIONS, { org: OSC }, { token: TOKENS.carol });
    expect(h.calls().map((call) => call.authorization)).toEqual([
      `Bearer ${TOKENS.demo}`,
      `Bearer ${TOKENS.frank}`,
      `Bearer ${TOKENS.carol}`,
    ]);
    expect(mine.body.data.organization.installations.totalCount).toBeGreaterThan(0);
    expect(frank.body.data).toEqual(mine.body.data);
    // carol belongs to no organization: an error, never demo's cached list.
    expect(carol.body.data?.organization?.installations ?? null).toBeNull();
    expect(carol.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('never mixes callers under 200 concurrent requests of four tokens', async () => {
    const { gateway } = cachedGateway();
    const tokens = [TOKENS.demo, TOKENS.alice, TOKENS.bob, TOKENS.frank];
    // Each token sees the installations of its own organizations only.
    const query = /* GraphQL */ `{ integration(name: "${POPULAR_INTEGRATION}") { installations(first: 100) { totalCount nodes { id } } } }`;
    const direct = new Map<string, unknown>();
    const plain = createGateway({ upstream: h.upstream });
    for (const token of tokens) direct.set(token, (await post(plain, query, {}, { token })).body.data);
    expect(new Set([...direct.values()].map((data) => JSON.stringify(data))).size).toBeGreaterThan(1);
    h.resetCalls();
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, index) => {
        const token = tokens[index % tokens.length] as string;
        return post(gateway, query, {}, { token }).then((answer) => ({ token, data: answer.body.data }));
      }),
    );
    for (const { token, data } of answers) expect(data).toEqual(direct.get(token));
    // Each token's first requests miss together; none of them is answered with another token's list.
    expect(new Set(h.calls().map((call) => call.authorization)).size).toBe(4);
  });

  it('does not cache a request without a token, nor an answer with an error', async () => {
    const { gateway } = cachedGateway();
    for (let round = 0; round < 2; round += 1) {
      await post(gateway, INTEGRATION, { name: 'no-such-integration' });
    }
    expect(h.calls()).toHaveLength(2);
    const anonymous = await post(gateway, '{ __typename }', {}, { token: null, headers: DEBUG });
    expect(anonymous.body).toEqual({ data: { __typename: 'Query' } });
  });

  it('never caches events or rendered UIs, and caches installations for at most 10 s', async () => {
    const { gateway } = cachedGateway({ ttlMs: 60_000 });
    const events = /* GraphQL */ `
      query Events($name: String!) { integration(name: $name) { events(first: 5) { nodes { id } } } }
    `;
    const first = await post(gateway, events, { name: POPULAR_INTEGRATION }, { headers: DEBUG });
    await post(gateway, events, { name: POPULAR_INTEGRATION });
    expect(first.body.extensions?.responseCache).toEqual({ hit: false, didCache: false });
    expect(h.calls().filter((call) => call.path.endsWith('/events'))).toHaveLength(2);

    const installations = await post(gateway, ORG_INSTALLATIONS, { org: OSC }, { headers: DEBUG });
    expect(installations.body.extensions?.responseCache).toMatchObject({ didCache: true, ttl: 10_000 });
    const integration = await post(gateway, INTEGRATION, { name: 'kudos' }, { headers: DEBUG });
    expect(integration.body.extensions?.responseCache).toMatchObject({ didCache: true, ttl: 60_000 });
  });

  it('asks GitBook again once the TTL has passed', async () => {
    // The store's clock, moved by the test: the answer's age, not the machine's speed, decides.
    let now = 1_000_000;
    const { gateway } = cachedGateway({ ttlMs: 200, clock: { now: () => now } });
    await post(gateway, INTEGRATION, { name: POPULAR_INTEGRATION });
    now += 199;
    await post(gateway, INTEGRATION, { name: POPULAR_INTEGRATION });
    expect(h.calls()).toHaveLength(1);
    now += 2;
    await post(gateway, INTEGRATION, { name: POPULAR_INTEGRATION });
    expect(h.calls()).toHaveLength(2);
  });

  it('does not store an answer whose entity a write invalidated while it was being computed', async () => {
    const { gateway, store } = cachedGateway();
    // The integration's GET is answered a second after it arrives: the write lands meanwhile.
    h.simulator.injectFault({
      fault: { kind: 'latency', ms: 1_000 },
      match: { operationId: 'getIntegrationByName' },
      times: 1,
    });
    const computing = post(gateway, INTEGRATION, { name: POPULAR_INTEGRATION }, { headers: DEBUG });
    await until(() => h.calls().length === 1, 'the GET to arrive');
    await store.invalidate([{ typename: 'Integration', id: encodeGlobalId('Integration', POPULAR_INTEGRATION) }]);
    const stale = await computing;
    expect(stale.body.errors).toBeUndefined();
    expect(store.size.entries).toBe(0);
    await post(gateway, INTEGRATION, { name: POPULAR_INTEGRATION });
    expect(h.calls()).toHaveLength(2);
  });

  it('a new installation shows at once in the organization’s cached list, for every caller', async () => {
    const { gateway } = cachedGateway();
    const before = await post(gateway, ORG_INSTALLATIONS, { org: OSC }, { token: TOKENS.frank });
    await post(gateway, ORG_INSTALLATIONS, { org: OSC }, { token: TOKENS.frank });
    expect(h.calls()).toHaveLength(1);
    const installed = before.body.data.organization.installations.nodes.map(
      (node: { integration: { name: string } }) => node.integration.name,
    );
    const candidate = [...h.simulator.store.integrations.keys()].find(
      (name) =>
        !installed.includes(name) && h.simulator.store.integrations.get(name)?.integration.visibility === 'public',
    );
    expect(candidate).toBeDefined();
    const install = await post(
      gateway,
      /* GraphQL */ `mutation Install($input: InstallIntegrationInput!) { installIntegration(input: $input) { installation { id } } }`,
      { input: { integrationName: candidate, organizationId: OSC } },
    );
    expect(install.body.errors).toBeUndefined();
    h.resetCalls();
    const after = await post(gateway, ORG_INSTALLATIONS, { org: OSC }, { token: TOKENS.frank });
    expect(h.calls().map((call) => `${call.method} ${call.path}`)).toEqual([`GET /orgs/${OSC}/installations`]);
    expect(after.body.data.organization.installations.totalCount).toBe(
      before.body.data.organization.installations.totalCount + 1,
    );
    expect(after.body.data.organization.installations.nodes).toContainEqual({
      id: install.body.data.installIntegration.installation.id,
      integration: { name: candidate },
    });
  });

  it('a write refused before any call (an id REST would refuse) drops nothing', async () => {
    const { gateway, store } = cachedGateway();
    await post(gateway, INTEGRATION, { name: POPULAR_INTEGRATION });
    const refused = await post(
      gateway,
      /* GraphQL */ `mutation ($input: UpdateInstallationInput!) { updateInstallation(input: $input) { installation { id } } }`,
      { input: { integrationName: POPULAR_INTEGRATION, installationId: 'x'.repeat(600), externalIds: [] } },
    );
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    await post(gateway, INTEGRATION, { name: POPULAR_INTEGRATION });
    expect(h.calls().map((call) => call.path)).toEqual([`/integrations/${POPULAR_INTEGRATION}`]);
    expect(store.size.entries).toBe(1);
  });

  it('an update drops the answers that hold the installation, and no other', async () => {
    const { gateway } = cachedGateway();
    const list = await post(gateway, ORG_INSTALLATIONS, { org: OSC });
    await post(gateway, INTEGRATION, { name: 'kudos' });
    // An installation of another integration than kudos, whose page must then stay cached.
    const target = list.body.data.organization.installations.nodes.find(
      (node: { integration: { name: string } }) => node.integration.name !== 'kudos',
    );
    expect(target).toBeDefined();
    const update = await post(
      gateway,
      /* GraphQL */ `mutation Update($input: UpdateInstallationInput!) { updateInstallation(input: $input) { installation { id } } }`,
      {
        input: {
          integrationName: target.integration.name,
          installationId: Buffer.from(target.id, 'base64url').toString().split('/').pop(),
          externalIds: ['cache-test'],
        },
      },
    );
    expect(update.body.errors).toBeUndefined();
    h.resetCalls();
    await post(gateway, ORG_INSTALLATIONS, { org: OSC });
    await post(gateway, INTEGRATION, { name: 'kudos' });
    // The list held the installation: asked again. kudos' page did not (unless it is the installation's integration).
    const paths = h.calls().map((call) => call.path);
    expect(paths).toContain(`/orgs/${OSC}/installations`);
    expect(paths).not.toContain('/integrations/kudos');
  });

  it('answers variables nested too deep to key as a gateway without a cache does, never with a 500', async () => {
    const deep = `${'['.repeat(30_000)}${']'.repeat(30_000)}`;
    const send = async (gateway: Gateway) => {
      const response = await gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKENS.demo}` },
        body: `{"query":"query ($v: JSON) { __typename }","variables":{"v":${deep}}}`,
      });
      return { status: response.status, body: await response.json() };
    };
    const cached = await send(cachedGateway().gateway);
    expect(cached.status).toBe(200);
    expect(cached).toEqual(await send(createGateway({ upstream: h.upstream })));
    expect(h.calls()).toEqual([]);
  });

  it('keys a persisted operation by its text: two hashes with the same variables never share an answer', async () => {
    const texts = [
      `query Persisted { integration(name: "${POPULAR_INTEGRATION}") { name } }`,
      'query Persisted { integration(name: "kudos") { name } }',
    ];
    const manifest = new Map(texts.map((text, index) => [String(index).repeat(64), text]));
    const { gateway } = cachedGateway({ manifest });
    const byHash = async (hash: string) => {
      const response = await gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKENS.demo}` },
        body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
      });
      return ((await response.json()) as { data: unknown }).data;
    };
    for (let round = 0; round < 2; round += 1) {
      expect(await byHash('0'.repeat(64))).toEqual({ integration: { name: POPULAR_INTEGRATION } });
      expect(await byHash('1'.repeat(64))).toEqual({ integration: { name: 'kudos' } });
    }
    expect(h.calls()).toHaveLength(2);
  });

  it('stays within its bytes when an attacker sends thousands of distinct queries', async () => {
    const maxBytes = 256 * 1024;
    const { gateway, store } = cachedGateway({ maxBytes });
    for (let batch = 0; batch < 20; batch += 1) {
      await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          post(
            gateway,
            `query Q${batch}_${index} { integrations(first: ${1 + ((batch * 50 + index) % 100)}) { nodes { name title description } } }`,
          ),
        ),
      );
    }
    expect(store.size.bytes).toBeLessThanOrEqual(maxBytes);
    expect(store.size.entries).toBeGreaterThan(0);
  });
});

describe('HTTP caching of GET queries', () => {
  const get = (gateway: Gateway, query: string, headers: Record<string, string> = {}, token = TOKENS.demo) =>
    gateway.fetch(`http://gateway.test/graphql?query=${encodeURIComponent(query)}`, {
      headers: { accept: 'application/json', authorization: `Bearer ${token}`, ...headers },
    });
  const QUERY = `{ integration(name: "${POPULAR_INTEGRATION}") { name title } }`;

  it('gives a cached answer an ETag, and a GET naming it in If-None-Match gets 304 without a body or a REST call', async () => {
    const { gateway } = cachedGateway();
    const first = await get(gateway, QUERY);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^[0-9a-f]{64}$/);
    await first.text();
    h.resetCalls();
    const again = await get(gateway, QUERY, { 'if-none-match': `"${etag}"` });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    expect(h.calls()).toEqual([]);
  });

  it('answers 200 with the data when the ETag is another caller’s or the answer was dropped by a write', async () => {
    const { gateway } = cachedGateway();
    const first = await get(gateway, QUERY);
    const etag = first.headers.get('etag') as string;
    await first.text();
    const other = await get(gateway, QUERY, { 'if-none-match': etag }, TOKENS.frank);
    expect(other.status).toBe(200);
    expect(((await other.json()) as { data: unknown }).data).toEqual({
      integration: { name: POPULAR_INTEGRATION, title: expect.any(String) },
    });
    const write = await post(
      gateway,
      /* GraphQL */ `mutation { disableIntegrationDevelopmentMode(input: { integrationName: "${POPULAR_INTEGRATION}" }) { integration { name } } }`,
    );
    // Refused or done, a write that reached GitBook drops what it names.
    expect(write.status).toBe(200);
    expect(h.calls().some((call) => call.method === 'DELETE' || call.method === 'POST')).toBe(true);
    const afterWrite = await get(gateway, QUERY, { 'if-none-match': etag });
    expect(afterWrite.status).toBe(200);
    await afterWrite.text();
  });

  it('ignores an If-None-Match that is not one of its ETags, without looking it up', async () => {
    const { gateway, store } = cachedGateway();
    const lookups: string[] = [];
    const lookup = store.get.bind(store);
    store.get = (responseId) => {
      lookups.push(responseId);
      return lookup(responseId);
    };
    const response = await get(gateway, QUERY, { 'if-none-match': 'x'.repeat(10_000) });
    expect(response.status).toBe(200);
    await response.text();
    // Only the request's own key was looked up (before and at execution), never the client's tag.
    expect(lookups.length).toBeGreaterThan(0);
    expect(lookups.every((key) => /^[0-9a-f]{64}$/.test(key))).toBe(true);
  });
});
