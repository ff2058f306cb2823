import type { Integration, IntegrationInstallation, Organization } from '@gitbook/api';
import { describe, expect, it } from 'vitest';
import { organizationId, POPULAR_INTEGRATION, SEEDED_USERS } from '../src/simulator/index.js';
import { useHarness } from './helpers/harness.js';
import {
  allCaps,
  errorSummary,
  expectedGet,
  expectedInstallationFields,
  orNull,
  rest,
  restAll,
  TOKENS,
} from './helpers/rest-fixtures.js';

const h = await useHarness();
const store = h.simulator.store;

const SLACK = POPULAR_INTEGRATION;
const NORTHWIND = organizationId('northwind');
const DEMO_ORGS = SEEDED_USERS.demo.organizations;

const INSTALLATION_FIELDS = /* GraphQL */ `
  fragment InstallationFields on Installation {
    installationId
    integration { name }
    organization { organizationId }
    status
    spaceSelection
    siteSelection
    spaceCount
    configuration
    createdAt
    updatedAt
    urls { app location publicEndpoint publicContentEndpoint }
    externalIds
    network { proxy }
  }
`;

function expectedInstallation(integrationName: string, installation: IntegrationInstallation) {
  return {
    ...expectedInstallationFields(installation),
    integration: { name: integrationName },
    network: installation.network ? { proxy: orNull(installation.network.proxy) } : null,
  };
}

type Page<T> = { items: T[]; count: number; next?: { page: string } };

describe('Integration.installations', () => {
  it('lists GET /integrations/{name}/installations with every Installation field', async () => {
    const data = await h.data(`${INSTALLATION_FIELDS} {
      integration(name: "${SLACK}") {
        installations(first: 50) { totalCount pageInfo { hasNextPage } nodes { ...InstallationFields } }
      }
    }`);
    // Only the list: it names the integration, so `integration { name }` needs no lookup of it,
    // and the organization's id is in the installation.
    expect(h.calls()).toEqual([expectedGet(`/integrations/${SLACK}/installations`, { limit: '50' })]);
    const page = await rest<Page<IntegrationInstallation>>(h, `/integrations/${SLACK}/installations`, { limit: 50 });
    expect(data.integration.installations).toEqual({
      totalCount: page.count,
      pageInfo: { hasNextPage: page.next !== undefined },
      nodes: page.items.map((installation) => expectedInstallation(SLACK, installation)),
    });
    // Every enum value and a real spread of counts show up, so the mapping is exercised.
    const statuses = new Set(page.items.map((installation) => installation.status));
    expect(statuses.size).toBeGreaterThan(1);
  });

  it('pushes first down as limit and continues after a cursor', async () => {
    const all = await restAll<IntegrationInstallation>(h, `/integrations/${SLACK}/installations`);
    const first = await h.data(
      `{ integration(name: "${SLACK}") { installations(first: 3) { pageInfo { endCursor hasNextPage } nodes { installationId } } } }`,
    );
    expect(h.calls().at(-1)).toEqual(expectedGet(`/integrations/${SLACK}/installations`, { limit: '3' }));
    expect(first.integration.installations.nodes).toEqual(all.slice(0, 3).map((i) => ({ installationId: i.id })));
    expect(first.integration.installations.pageInfo.hasNextPage).toBe(true);

    h.resetCalls();
    const after = first.integration.installations.pageInfo.endCursor;
    const second = await h.data(
      `query ($after: String) { integration(name: "${SLACK}") { installations(first: 3, after: $after) { nodes { installationId } } } }`,
      { after },
    );
    expect(second.integration.installations.nodes).toEqual(all.slice(3, 6).map((i) => ({ installationId: i.id })));
    // The end cursor sat on the last item of the REST page: it carries the next page's token.
    expect(h.calls()).toEqual([
      expectedGet(`/integrations/${SLACK}/installations`, { limit: '3', page: expect.any(String) }),
    ]);
  });

  it('filters by externalId', async () => {
    const [some] = (await rest<Page<IntegrationInstallation>>(h, `/integrations/${SLACK}/installations`, { limit: 5 }))
      .items;
    const externalId = some?.externalIds[0] as string;
    expect(externalId).toBeDefined();
    const data = await h.data(
      `${INSTALLATION_FIELDS} query ($externalId: String) {
        integration(name: "${SLACK}") { installations(externalId: $externalId) { totalCount nodes { ...InstallationFields } } }
      }`,
      { externalId },
    );
    expect(h.calls()).toEqual([expectedGet(`/integrations/${SLACK}/installations`, { limit: '20', externalId })]);
    const page = await rest<Page<IntegrationInstallation>>(h, `/integrations/${SLACK}/installations`, {
      externalId,
      limit: 20,
    });
    expect(page.count).toBeGreaterThan(0);
    expect(data.integration.installations).toEqual({
      totalCount: page.count,
      nodes: page.items.map((installation) => expectedInstallation(SLACK, installation)),
    });
  });

  it('shows the caller only the installations REST shows them', async () => {
    const data = await h.data(
      `{ integration(name: "${SLACK}") { installations(first: 100) { totalCount nodes { installationId organization { organizationId } } } } }`,
      {},
      { token: TOKENS.alice },
    );
    expect(h.calls()).toEqual([
      expectedGet(`/integrations/${SLACK}/installations`, { limit: '100' }, { token: TOKENS.alice }),
    ]);
    const page = await rest<Page<IntegrationInstallation>>(
      h,
      `/integrations/${SLACK}/installations`,
      { limit: 100 },
      TOKENS.alice,
    );
    expect(data.integration.installations).toEqual({
      totalCount: page.count,
      nodes: page.items.map((i) => ({ installationId: i.id, organization: { organizationId: i.target.organization } })),
    });
    expect(data.integration.installations.nodes).toEqual([
      expect.objectContaining({ organization: { organizationId: NORTHWIND } }),
    ]);
  });

  it('reads the installation’s organization with GET /orgs/{id} only when its REST fields are selected', async () => {
    const page = await rest<Page<IntegrationInstallation>>(h, `/integrations/${SLACK}/installations`, { limit: 1000 });
    const mine = page.items.filter((installation) => DEMO_ORGS.includes(installation.target.organization)).slice(0, 2);
    const ids = mine.map((installation) => installation.id);
    expect(ids).toHaveLength(2);

    const data = await h.data(
      `query ($a: String!, $b: String!) {
        integration(name: "${SLACK}") {
          a: installation(installationId: $a) { organization { organizationId title } }
          b: installation(installationId: $b) { organization { organizationId title plan } }
        }
      }`,
      { a: ids[0], b: ids[1] },
    );
    const orgCalls = h.calls().filter((call) => call.path.startsWith('/orgs/'));
    expect(orgCalls.map((call) => call.path).sort()).toEqual(mine.map((i) => `/orgs/${i.target.organization}`).sort());
    for (const [alias, installation] of [
      ['a', mine[0]],
      ['b', mine[1]],
    ] as const) {
      const organization = await rest<Organization>(h, `/orgs/${installation?.target.organization}`);
      expect(data.integration[alias].organization).toMatchObject({
        organizationId: organization.id,
        title: organization.title,
      });
    }
  });
});

describe('Integration.installation(installationId)', () => {
  const LOOKUP = `${INSTALLATION_FIELDS} query ($name: String!, $id: String!) {
    integration(name: $name) { installation(installationId: $id) { id ...InstallationFields } }
  }`;

  it('reads GET /integrations/{name}/installations/{installationId}, every field as REST answers it', async () => {
    for (const integrationName of [SLACK, 'google-analytics', 'zendesk']) {
      h.resetCalls();
      const [listed] = (
        await rest<Page<IntegrationInstallation>>(h, `/integrations/${integrationName}/installations`, { limit: 1 })
      ).items;
      const installationId = listed?.id as string;
      const data = await h.data(LOOKUP, { name: integrationName, id: installationId });
      expect(h.calls()).toEqual([expectedGet(`/integrations/${integrationName}/installations/${installationId}`)]);
      const installation = await rest<IntegrationInstallation>(
        h,
        `/integrations/${integrationName}/installations/${installationId}`,
      );
      expect(data.integration.installation).toEqual({
        id: expect.any(String),
        ...expectedInstallation(integrationName, installation),
      });
    }
  });

  it('costs no call for an installation the same request listed', async () => {
    const [listed] = (
      await rest<Page<IntegrationInstallation>>(h, `/integrations/${SLACK}/installations`, { limit: 2 })
    ).items;
    const data = await h.data(
      `query ($id: String!) {
        integration(name: "${SLACK}") {
          installations(first: 2) {
            nodes { integration { installation(installationId: $id) { installationId spaceCount status } } }
          }
        }
      }`,
      { id: listed?.id },
    );
    expect(data.integration.installations.nodes[0].integration.installation).toEqual({
      installationId: listed?.id,
      spaceCount: listed?.spaces,
      status: allCaps(listed?.status ?? ''),
    });
    // No call for the installation, and none for the items' `integration { installation(…) }`:
    // a link that reads only what hangs below the integration needs no lookup of it.
    expect(h.calls()).toEqual([expectedGet(`/integrations/${SLACK}/installations`, { limit: '2' })]);
  });

  it('answers null with NOT_FOUND (status 404) for an installation REST does not show the caller', async () => {
    const hidden = [...(store.integrations.get(SLACK)?.installations.values() ?? [])].find(
      (installation) => installation.organizationId !== NORTHWIND,
    );
    const id = hidden?.installation.id as string;
    const response = await h.graphql(
      `query ($id: String!) { integration(name: "${SLACK}") { name installation(installationId: $id) { installationId } } }`,
      { id },
      { token: TOKENS.alice },
    );
    expect(response.data).toEqual({ integration: { name: SLACK, installation: null } });
    expect(errorSummary(response)).toEqual([{ path: ['integration', 'installation'], code: 'NOT_FOUND', status: 404 }]);
    expect(h.calls()).toEqual([
      expectedGet(`/integrations/${SLACK}/installations/${id}`, {}, { token: TOKENS.alice, status: 404 }),
    ]);
  });

  it('refuses an empty installationId with BAD_USER_INPUT, before calling for it', async () => {
    const response = await h.graphql(
      `{ integration(name: "${SLACK}") { name installation(installationId: "") { installationId } } }`,
    );
    expect(response.data).toEqual({ integration: { name: SLACK, installation: null } });
    expect(errorSummary(response)).toEqual([
      { path: ['integration', 'installation'], code: 'BAD_USER_INPUT', status: undefined },
    ]);
    // `name` needs no lookup and the refused id no call: nothing reaches REST.
    expect(h.calls()).toEqual([]);
  });
});

describe('Organization.installations', () => {
  type OrgItem = { installation: IntegrationInstallation; integration: Integration };
  const ORG = DEMO_ORGS.find((id) => store.installationsInOrganization(id).length >= 5) as string;

  it('lists GET /orgs/{id}/installations with every Installation field', async () => {
    const data = await h.data(
      `${INSTALLATION_FIELDS} query ($id: String!) {
        organization(organizationId: $id) { installations(first: 100) { totalCount nodes { ...InstallationFields } } }
      }`,
      { id: ORG },
    );
    // Each item embeds its integration: `integration` costs nothing more.
    expect(h.calls()).toEqual([expectedGet(`/orgs/${ORG}/installations`, { limit: '100' })]);
    const page = await rest<Page<OrgItem>>(h, `/orgs/${ORG}/installations`, { limit: 100 });
    expect(page.count).toBeGreaterThanOrEqual(5);
    expect(data.organization.installations).toEqual({
      totalCount: page.count,
      nodes: page.items.map((item) => expectedInstallation(item.integration.name, item.installation)),
    });
  });

  it('primes each installation’s integration: reading it costs no extra call', async () => {
    const data = await h.data(
      `query ($id: String!) {
        organization(organizationId: $id) {
          installations(first: 100) { nodes { installationId integration { name title version visibility owner { title } } } }
        }
      }`,
      { id: ORG },
    );
    expect(h.calls()).toEqual([expectedGet(`/orgs/${ORG}/installations`, { limit: '100' })]);
    const page = await rest<Page<OrgItem>>(h, `/orgs/${ORG}/installations`, { limit: 100 });
    expect(data.organization.installations.nodes).toEqual(
      page.items.map((item) => ({
        installationId: item.installation.id,
        integration: {
          name: item.integration.name,
          title: item.integration.title,
          version: item.integration.version,
          visibility: allCaps(item.integration.visibility),
          owner: { title: item.integration.owner.title },
        },
      })),
    );
  });

  it('filters by search', async () => {
    const page = await rest<Page<OrgItem>>(h, `/orgs/${ORG}/installations`, { limit: 100 });
    const search = page.items[0]?.integration.name as string;
    const data = await h.data(
      `query ($id: String!, $search: String) {
        organization(organizationId: $id) { installations(search: $search) { totalCount nodes { installationId integration { name } } } }
      }`,
      { id: ORG, search },
    );
    expect(h.calls()).toEqual([expectedGet(`/orgs/${ORG}/installations`, { limit: '20', search })]);
    const filtered = await rest<Page<OrgItem>>(h, `/orgs/${ORG}/installations`, { search, limit: 20 });
    expect(filtered.count).toBeLessThan(page.count);
    expect(data.organization.installations).toEqual({
      totalCount: filtered.count,
      nodes: filtered.items.map((item) => ({
        installationId: item.installation.id,
        integration: { name: item.integration.name },
      })),
    });
  });

  it('includes the private integrations the organization installed, for its members', async () => {
    const data = await h.data(
      `query ($id: String!) { organization(organizationId: $id) { installations(first: 100) { nodes { integration { name visibility } } } } }`,
      { id: NORTHWIND },
      { token: TOKENS.alice },
    );
    expect(h.calls()).toEqual([
      expectedGet(`/orgs/${NORTHWIND}/installations`, { limit: '100' }, { token: TOKENS.alice }),
    ]);
    const page = await rest<Page<OrgItem>>(h, `/orgs/${NORTHWIND}/installations`, { limit: 100 }, TOKENS.alice);
    expect(data.organization.installations.nodes).toEqual(
      page.items.map((item) => ({
        integration: { name: item.integration.name, visibility: allCaps(item.integration.visibility) },
      })),
    );
    expect(data.organization.installations.nodes).toContainEqual({
      integration: expect.objectContaining({ visibility: 'PRIVATE' }),
    });
  });

  it('lets a listed installation be looked up through its integration without another call', async () => {
    const page = await rest<Page<OrgItem>>(h, `/orgs/${ORG}/installations`, { limit: 1 });
    const data = await h.data(
      `query ($id: String!) {
        organization(organizationId: $id) {
          installations(first: 1) { nodes { integration { installations(first: 1) { totalCount } } } }
        }
      }`,
      { id: ORG },
    );
    const name = page.items[0]?.integration.name as string;
    // The integration came with the list; only its own installations list is new.
    expect(h.calls()).toEqual([
      expectedGet(`/orgs/${ORG}/installations`, { limit: '1' }),
      expectedGet(`/integrations/${name}/installations`, { limit: '1' }),
    ]);
    const installations = await rest<Page<IntegrationInstallation>>(h, `/integrations/${name}/installations`, {
      limit: 1,
    });
    expect(data.organization.installations.nodes[0].integration.installations.totalCount).toBe(installations.count);
  });
});
