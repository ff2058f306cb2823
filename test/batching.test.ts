import { afterEach, describe, expect, it, vi } from 'vitest';
import { organizationId, POPULAR_INTEGRATION, SEEDED_USERS } from '../src/simulator/index.js';
import { RestClient } from '../src/upstream/client.js';
import { DEMO_TOKEN, type RestCall, useHarness } from './helpers/harness.js';
import { bearer, errorSummary, expectedGet, rest, restAll } from './helpers/rest-fixtures.js';

const h = await useHarness();

const SLACK = POPULAR_INTEGRATION;

afterEach(() => h.simulator.setLatency(0));

/** Calls in a stable order, for comparing calls that ran concurrently. */
function sorted(calls: RestCall[]): RestCall[] {
  const key = (call: RestCall) => `${call.path}?${new URLSearchParams(call.query).toString()} ${call.authorization}`;
  return [...calls].sort((a, b) => key(a).localeCompare(key(b)));
}

describe('the contract’s call counts', () => {
  const QUERY = /* GraphQL */ `
    {
      integrations(first: 20) {
        nodes { name installations(first: 5) { nodes { installationId } } }
      }
    }
  `;

  it('integrations(first: 20) { installations(first: 5) } makes 1 list call + 20 installation lists', async () => {
    const integrations = (await rest(h, '/integrations', { limit: 20 })).items as { name: string }[];
    expect(integrations).toHaveLength(20);
    const expected = await Promise.all(
      integrations.map(async ({ name }) => ({
        name,
        installations: {
          nodes: ((await rest(h, `/integrations/${name}/installations`, { limit: 5 })).items as { id: string }[]).map(
            (installation) => ({ installationId: installation.id }),
          ),
        },
      })),
    );

    const data = await h.data(QUERY);
    expect(data.integrations.nodes).toEqual(expected);
    const calls = h.calls();
    expect(calls).toHaveLength(21);
    expect(calls[0]).toEqual(expectedGet('/integrations', { limit: '20' }));
    expect(sorted(calls.slice(1))).toEqual(
      sorted(integrations.map(({ name }) => expectedGet(`/integrations/${name}/installations`, { limit: '5' }))),
    );
  });

  it('runs the 20 installation lists concurrently', async () => {
    h.simulator.setLatency(30);
    await h.data(QUERY);
    h.simulator.setLatency(0);

    const lists = h.simulator.requests.filter((request) => request.path.endsWith('/installations'));
    expect(lists).toHaveLength(20);
    // Each had started before the first of them was answered.
    const firstEnd = Math.min(...lists.map((request) => request.endedAt));
    expect(lists.filter((request) => request.startedAt >= firstEnd)).toEqual([]);
  });
});

describe('identical GETs within one request', () => {
  it('the same integration under three aliases costs one call', async () => {
    const expected = await rest(h, `/integrations/${SLACK}`);
    const data = await h.data(`{
      a: integration(name: "${SLACK}") { title }
      b: integration(name: "${SLACK}") { name }
      c: integration(name: "${SLACK}") { version }
    }`);
    expect(data).toEqual({ a: { title: expected.title }, b: { name: SLACK }, c: { version: expected.version } });
    expect(h.calls()).toEqual([expectedGet(`/integrations/${SLACK}`)]);
  });

  it('the same list under two aliases costs one call', async () => {
    const expected = (await rest(h, '/integrations', { limit: 3 })).items.map((item: { name: string }) => item.name);
    const data = await h.data(`{
      a: integrations(first: 3) { nodes { name } }
      b: integrations(first: 3) { totalCount }
    }`);
    expect(data.a.nodes.map((node: { name: string }) => node.name)).toEqual(expected);
    expect(h.calls()).toEqual([expectedGet('/integrations', { limit: '3' })]);
  });

  it('the same installation under two aliases costs one call', async () => {
    const installation = (await rest(h, `/integrations/${SLACK}/installations`, { limit: 1 })).items[0];
    const data = await h.data(
      `query ($id: String!) {
        integration(name: "${SLACK}") {
          a: installation(installationId: $id) { installationId }
          b: installation(installationId: $id) { status }
        }
      }`,
      { id: installation.id },
    );
    expect(data.integration.a).toEqual({ installationId: installation.id });
    // One call for both aliases, and no lookup of the integration (only its installations are read).
    expect(h.calls()).toEqual([expectedGet(`/integrations/${SLACK}/installations/${installation.id}`)]);
  });
});

describe('a list primes the lookups of its items', () => {
  it('an organization’s installations list answers installation.integration { title }', async () => {
    const org = organizationId('acme');
    const listed = (await rest(h, `/orgs/${org}/installations`, { limit: 10 })).items as {
      installation: { id: string };
      integration: { name: string; title: string };
    }[];
    expect(listed.length).toBeGreaterThan(1);

    const data = await h.data(`{
      organization(organizationId: "${org}") {
        installations(first: 10) { nodes { installationId integration { name title } } }
      }
    }`);
    expect(data.organization.installations.nodes).toEqual(
      listed.map((item) => ({
        installationId: item.installation.id,
        integration: { name: item.integration.name, title: item.integration.title },
      })),
    );
    expect(h.calls()).toEqual([expectedGet(`/orgs/${org}/installations`, { limit: '10' })]);
  });

  it('integrations { nodes } answers a later nested lookup of one of them, and of its owner', async () => {
    const integrations = (await rest(h, '/integrations', { limit: 5 })).items as { name: string; title: string }[];
    const data = await h.data(`{
      integrations(first: 5) {
        nodes {
          id
          name
          installations(first: 1) {
            nodes { integration { id title owner { organizationId title } } }
          }
        }
      }
    }`);
    for (const [index, node] of (data.integrations.nodes as any[]).entries()) {
      for (const installation of node.installations.nodes) {
        expect(installation.integration).toMatchObject({ id: node.id, title: integrations[index]?.title });
      }
    }
    // The list and the installation lists; no GET /integrations/{name}, no GET /orgs/{id}.
    expect(sorted(h.calls())).toEqual(
      sorted([
        expectedGet('/integrations', { limit: '5' }),
        ...integrations.map(({ name }) => expectedGet(`/integrations/${name}/installations`, { limit: '1' })),
      ]),
    );
    expect(
      (data.integrations.nodes as any[]).some((node) => node.installations.nodes.length > 0),
      'some listed integration should have an installation',
    ).toBe(true);
  });

  it('an installations list answers spaceInstallation.installation and node(id) lookups in the same request', async () => {
    const installations = (await rest(h, `/integrations/${SLACK}/installations`, { limit: 3 })).items as {
      id: string;
      status: string;
    }[];
    const data = await h.data(`{
      integration(name: "${SLACK}") {
        installations(first: 3) {
          nodes {
            id
            installationId
            spaceInstallations(first: 1) { nodes { installation { id installationId createdAt } } }
          }
        }
      }
    }`);
    const nodes = data.integration.installations.nodes as any[];
    expect(nodes.map((node) => node.installationId)).toEqual(installations.map((installation) => installation.id));
    for (const node of nodes) {
      expect(node.spaceInstallations.nodes).toEqual([
        { installation: { id: node.id, installationId: node.installationId, createdAt: expect.any(String) } },
      ]);
    }
    expect(sorted(h.calls())).toEqual(
      sorted([
        expectedGet(`/integrations/${SLACK}/installations`, { limit: '3' }),
        ...installations.map((installation) =>
          expectedGet(`/integrations/${SLACK}/installations/${installation.id}/spaces`, { limit: '1' }),
        ),
      ]),
    );
  });
});

describe('a link whose target is only identified', () => {
  it('installation { id installationId } and integration { name } are answered from the ids at hand', async () => {
    const [installation] = (await rest(h, `/integrations/${SLACK}/installations`, { limit: 1 })).items as {
      id: string;
    }[];
    const spaces = (await rest(h, `/integrations/${SLACK}/installations/${installation?.id}/spaces`, { limit: 2 }))
      .items as { space: string }[];
    h.resetCalls();
    const data = await h.data(
      `query ($id: String!) {
        integration(name: "${SLACK}") {
          installation(installationId: $id) {
            spaceInstallations(first: 2) {
              nodes { spaceId installation { id installationId } integration { id name } }
            }
          }
        }
      }`,
      { id: installation?.id },
    );
    const nodes = data.integration.installation.spaceInstallations.nodes as any[];
    expect(nodes.map((node) => node.spaceId)).toEqual(spaces.map((item) => item.space));
    const refetched = await h.data(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, {
      ids: [nodes[0].installation.id, nodes[0].integration.id],
    });
    // The ids built without a lookup are the real ones: node() refetches them.
    expect(refetched.nodes).toEqual([{ id: nodes[0].installation.id }, { id: nodes[0].integration.id }]);
    expect(nodes.every((node) => node.installation.installationId === installation?.id)).toBe(true);
    expect(nodes.every((node) => node.integration.name === SLACK)).toBe(true);
  });

  it('costs no lookup of the installation or the integration', async () => {
    const [installation] = (await rest(h, `/integrations/${SLACK}/installations`, { limit: 1 })).items as {
      id: string;
    }[];
    h.resetCalls();
    await h.data(
      `query ($id: String!) {
        integration(name: "${SLACK}") {
          installation(installationId: $id) {
            spaceInstallations(first: 2) { nodes { installation { id installationId } integration { id name } } }
          }
        }
      }`,
      { id: installation?.id },
    );
    // Only the two calls the query names: not even the top integration is looked up.
    expect(h.calls()).toEqual([
      expectedGet(`/integrations/${SLACK}/installations/${installation?.id}`),
      expectedGet(`/integrations/${SLACK}/installations/${installation?.id}/spaces`, { limit: '2' }),
    ]);
  });
});

describe('loaders are per request', () => {
  it('the same query twice makes its calls twice', async () => {
    const query = `{ integration(name: "${SLACK}") { title installations(first: 2) { totalCount } } }`;
    const first = await h.data(query);
    const second = await h.data(query);
    expect(second).toEqual(first);
    const once = [
      expectedGet(`/integrations/${SLACK}`),
      expectedGet(`/integrations/${SLACK}/installations`, { limit: '2' }),
    ];
    expect(h.calls()).toEqual([...once, ...once]);
  });

  it('the same query twice at once makes its calls twice', async () => {
    const query = `{ integration(name: "${SLACK}") { title } }`;
    await Promise.all([h.data(query), h.data(query)]);
    expect(h.calls()).toEqual([expectedGet(`/integrations/${SLACK}`), expectedGet(`/integrations/${SLACK}`)]);
  });
});

describe('the REST client of one request', () => {
  const slack = () => expectedGet(`/integrations/${SLACK}`);

  it('shares one GET between identical lookups, and calls again once released', async () => {
    const client = h.upstream.client(bearer(DEMO_TOKEN));
    const [first, second] = await Promise.all([
      client.get('getIntegrationByName', 'object', `/integrations/${SLACK}`),
      client.get('getIntegrationByName', 'object', `/integrations/${SLACK}`),
    ]);
    expect(second).toBe(first);
    expect(h.calls()).toEqual([slack()]);
    client.release();
    expect(await client.get('getIntegrationByName', 'object', `/integrations/${SLACK}`)).toEqual(first);
    expect(h.calls()).toEqual([slack(), slack()]);
  });

  it('does not remember a GET that failed: asked again, it is made again', async () => {
    const client = h.upstream.client(bearer(DEMO_TOKEN));
    const missing = '/integrations/no-such-integration';
    await expect(client.get('getIntegrationByName', 'object', missing)).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND' },
    });
    await expect(client.get('getIntegrationByName', 'object', missing)).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND' },
    });
    const notFound = expectedGet(missing, {}, { status: 404 });
    expect(h.calls()).toEqual([notFound, notFound]);
  });

  it('is released once its operation has run, once per operation of a batch', async () => {
    const release = vi.spyOn(RestClient.prototype, 'release');
    try {
      await h.data(`{ integration(name: "${SLACK}") { title } }`);
      expect(release).toHaveBeenCalledTimes(1);
      const response = await h.gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: bearer(DEMO_TOKEN) },
        body: JSON.stringify([{ query: '{ integrations(first: 1) { totalCount } }' }, { query: '{ __typename }' }]),
      });
      expect(response.status).toBe(200);
      expect(release).toHaveBeenCalledTimes(3);
    } finally {
      release.mockRestore();
    }
  });
});

describe('token isolation', () => {
  const { alice, bob } = SEEDED_USERS;
  // Each user sees their own private integration, and the other's is a 404.
  const QUERY = /* GraphQL */ `
    {
      integration(name: "${SLACK}") {
        installations(first: 50) { totalCount nodes { installationId organization { organizationId } } }
      }
      northwind: integration(name: "northwind-sso") { name }
      globex: integration(name: "globex-metrics") { name }
    }
  `;

  async function expectedFor(user: typeof alice) {
    const installations = await restAll(h, `/integrations/${SLACK}/installations`, {}, user.token);
    return {
      integration: {
        installations: {
          totalCount: installations.length,
          nodes: installations.map((installation: { id: string; target: { organization: string } }) => ({
            installationId: installation.id,
            organization: { organizationId: installation.target.organization },
          })),
        },
      },
      northwind: user === alice ? { name: 'northwind-sso' } : null,
      globex: user === bob ? { name: 'globex-metrics' } : null,
    };
  }

  it('alice and bob, interleaved, each get only their own data and their own Authorization on every call', async () => {
    const expected = { alice: await expectedFor(alice), bob: await expectedFor(bob) };
    // The two really see different things.
    expect(expected.alice.integration.installations.nodes).not.toEqual(expected.bob.integration.installations.nodes);
    expect(expected.alice.integration.installations.nodes.length).toBeGreaterThan(0);
    expect(expected.bob.integration.installations.nodes.length).toBeGreaterThan(0);

    const PAIRS = 15;
    h.simulator.setLatency(5);
    const responses = await Promise.all(
      Array.from({ length: PAIRS }, (_, index) =>
        Promise.all(
          (index % 2 === 0 ? [alice, bob] : [bob, alice]).map(async (user) => ({
            user,
            response: await h.graphql(QUERY, {}, { token: user.token }),
          })),
        ),
      ),
    );
    h.simulator.setLatency(0);

    for (const { user, response } of responses.flat()) {
      const handle = user === alice ? 'alice' : 'bob';
      expect(response.data, handle).toEqual(expected[handle]);
      expect(errorSummary(response), handle).toEqual([
        { path: [user === alice ? 'globex' : 'northwind'], code: 'NOT_FOUND', status: 404 },
      ]);
    }

    // Three calls per request (the installations list, which needs no lookup of slack, and the
    // two lookups), each with its own caller's token: a call that carried the other token
    // would have answered the other's private integration.
    const calls = h.calls();
    expect(calls).toHaveLength(3 * 2 * PAIRS);
    for (const user of [alice, bob]) {
      const own = calls.filter((call) => call.authorization === bearer(user.token));
      expect(own).toHaveLength(3 * PAIRS);
      expect(
        own.filter((call) => call.path === `/integrations/${SLACK}/installations` && call.status === 200),
      ).toHaveLength(PAIRS);
      const mine = user === alice ? 'northwind-sso' : 'globex-metrics';
      const theirs = user === alice ? 'globex-metrics' : 'northwind-sso';
      expect(own.filter((call) => call.path === `/integrations/${mine}` && call.status === 200)).toHaveLength(PAIRS);
      expect(own.filter((call) => call.path === `/integrations/${theirs}` && call.status === 404)).toHaveLength(PAIRS);
    }
  });
});
