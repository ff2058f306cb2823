import { describe, expect, it } from 'vitest';
import { organizationId, POPULAR_INTEGRATION, SEEDED_USERS } from '../src/simulator/index.js';
import { useHarness } from './helpers/harness.js';
import { errorSummary, expectedGet, rest } from './helpers/rest-fixtures.js';

/**
 * Failures stay in their field: a field whose value needs a REST call of its
 * own is nullable, so when that call fails, the field alone is null (with
 * its error) and its parent and siblings keep their data. Each case makes
 * one REST call fail for a reason a page cannot foresee and checks what the
 * rest of the answer still holds.
 */

const h = await useHarness({ resetStateBeforeEach: true });
const store = h.simulator.store;
const SLACK = POPULAR_INTEGRATION;
const NORTHWIND = organizationId('northwind');
const DEMO_ORG = SEEDED_USERS.demo.organizations.find((id) => store.installationsInOrganization(id).length > 0);
if (!DEMO_ORG) throw new Error('demo has no organization with installations');

/** A path matched exactly by a fault rule (rules match prefixes otherwise). */
const exactly = (path: string) => new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

describe('a failing connection nulls itself, not its parent', () => {
  it('Organization.installations answering 403: the organization keeps its id and title', async () => {
    const northwind = await rest(h, `/orgs/${NORTHWIND}`, {}, SEEDED_USERS.alice.token);
    h.resetCalls();
    const response = await h.graphql(
      `{ organization(organizationId: "${NORTHWIND}") { organizationId title installations(first: 2) { totalCount } } }`,
      {},
      { token: SEEDED_USERS.alice.token },
    );
    // alice is a member of Northwind, so a 403 is GitBook's own decision: inject it.
    expect(response.data).toEqual({
      organization: {
        organizationId: NORTHWIND,
        title: northwind.title,
        installations: { totalCount: expect.any(Number) },
      },
    });
    h.simulator.injectFault({
      fault: { kind: 'status', status: 403 },
      match: { path: exactly(`/orgs/${NORTHWIND}/installations`) },
    });
    const failing = await h.graphql(
      `{ organization(organizationId: "${NORTHWIND}") { organizationId title installations(first: 2) { totalCount } } }`,
      {},
      { token: SEEDED_USERS.alice.token },
    );
    expect(failing.data).toEqual({
      organization: { organizationId: NORTHWIND, title: northwind.title, installations: null },
    });
    expect(errorSummary(failing)).toEqual([
      { path: ['organization', 'installations'], code: 'FORBIDDEN', status: 403 },
    ]);
  });

  it('Integration.events answering 500: the integration keeps its title and its other list', async () => {
    h.simulator.injectFault({
      fault: { kind: 'status', status: 500 },
      match: { path: exactly(`/integrations/${SLACK}/events`) },
    });
    const response = await h.graphql(
      `{ integration(name: "${SLACK}") { title events(first: 1) { totalCount } installations(first: 1) { totalCount } } }`,
    );
    const slack = store.integrations.get(SLACK)?.integration;
    expect(response.data).toEqual({
      integration: { title: slack?.title, events: null, installations: { totalCount: expect.any(Number) } },
    });
    expect(errorSummary(response)).toEqual([{ path: ['integration', 'events'], code: 'UPSTREAM_ERROR', status: 500 }]);
  });

  it('Query.integrations failing leaves Query.integration beside it intact', async () => {
    h.simulator.injectFault({ fault: { kind: 'status', status: 500 }, match: { path: exactly('/integrations') } });
    const response = await h.graphql(
      `{ integrations(first: 1) { totalCount } integration(name: "${SLACK}") { name title } }`,
    );
    expect(response.data).toEqual({
      integrations: null,
      integration: { name: SLACK, title: store.integrations.get(SLACK)?.integration.title },
    });
    expect(errorSummary(response)).toEqual([{ path: ['integrations'], code: 'UPSTREAM_ERROR', status: 500 }]);
  });
});

describe('fields with a REST call of their own', () => {
  it('Organization.integrationInstallationStatus of an integration it has not installed (REST 404): null, the title stays', async () => {
    const notInstalled = [...store.integrations.values()].find(
      (record) => record.integration.visibility === 'public' && !store.installationIn(record, DEMO_ORG),
    )?.integration.name;
    const organization = await rest(h, `/orgs/${DEMO_ORG}`);
    const response = await h.graphql(
      `{ organization(organizationId: "${DEMO_ORG}") { title integrationInstallationStatus(integrationName: "${notInstalled}") } }`,
    );
    expect(response.data).toEqual({ organization: { title: organization.title, integrationInstallationStatus: null } });
    expect(errorSummary(response)).toEqual([
      { path: ['organization', 'integrationInstallationStatus'], code: 'NOT_FOUND', status: 404 },
    ]);
  });

  it('OrganizationSite.integrationScripts of an unknown site (REST 404): null, its siteId and the organization stay', async () => {
    const response = await h.graphql(
      `{ organization(organizationId: "${DEMO_ORG}") { organizationId site(siteId: "noSuchSite") { siteId integrationScripts { script } } } }`,
    );
    expect(response.data).toEqual({
      organization: { organizationId: DEMO_ORG, site: { siteId: 'noSuchSite', integrationScripts: null } },
    });
    expect(errorSummary(response)).toEqual([
      { path: ['organization', 'site', 'integrationScripts'], code: 'NOT_FOUND', status: 404 },
    ]);
    expect(h.calls()).toEqual([
      expectedGet(`/orgs/${DEMO_ORG}/sites/noSuchSite/integration-scripts`, {}, { status: 404 }),
    ]);
  });

  it('Query.integrationUI of an integration without UI (REST 404): null, a sibling query field keeps its data', async () => {
    const [space] = store.spaces.values();
    const response = await h.graphql(
      `query ($context: JSON!) {
        integration(name: "${SLACK}") { name }
        integrationUI(integrationName: "${SLACK}", componentId: "no-such-component", props: {}, context: $context) { type }
      }`,
      { context: { type: 'document', theme: 'light', spaceId: space?.id, editable: true } },
    );
    expect(response.data).toEqual({ integration: { name: SLACK }, integrationUI: null });
    expect(errorSummary(response)).toEqual([{ path: ['integrationUI'], code: 'NOT_FOUND', status: 404 }]);
  });

  it('Installation.integration whose lookup fails (REST 500): null, the installation keeps its fields', async () => {
    const [record] = [...(store.integrations.get(SLACK)?.installations.values() ?? [])].filter((inst) =>
      SEEDED_USERS.demo.organizations.includes(inst.organizationId),
    );
    const id = record?.installation.id;
    h.simulator.injectFault({
      fault: { kind: 'status', status: 500 },
      match: { path: exactly(`/integrations/${SLACK}`) },
    });
    const response = await h.graphql(
      `{ node(id: "${Buffer.from(`Installation:${SLACK}/${id}`).toString('base64url')}") { ... on Installation { installationId status integration { title } } } }`,
    );
    expect(response.data).toEqual({
      node: { installationId: id, status: record?.installation.status.toUpperCase(), integration: null },
    });
    expect(errorSummary(response)).toEqual([{ path: ['node', 'integration'], code: 'UPSTREAM_ERROR', status: 500 }]);
  });
});

describe('a mutation whose payload needs a read after the write', () => {
  it('setIntegrationDevelopmentMode: the read failing nulls `integration` only; the payload still says the change is made', async () => {
    h.simulator.injectFault({
      fault: { kind: 'status', status: 500 },
      match: { method: 'GET', path: exactly('/integrations/kudos') },
    });
    const response = await h.graphql(
      `mutation { setIntegrationDevelopmentMode(input: { integrationName: "kudos", tunnelUrl: "https://tunnel.example/kudos" }) {
        integrationName tunnelUrl integration { name title }
      } }`,
    );
    expect(response.data).toEqual({
      setIntegrationDevelopmentMode: {
        integrationName: 'kudos',
        tunnelUrl: 'https://tunnel.example/kudos',
        integration: null,
      },
    });
    expect(errorSummary(response)).toEqual([
      { path: ['setIntegrationDevelopmentMode', 'integration'], code: 'UPSTREAM_ERROR', status: 500 },
    ]);
    // The write was made, once: the simulator holds the tunnel.
    expect(h.calls().map((call) => `${call.method} ${call.path} ${call.status}`)).toEqual([
      'PUT /integrations/kudos/dev 204',
      'GET /integrations/kudos 500',
    ]);
    expect(store.integrations.get('kudos')?.development?.tunnelUrl).toBe('https://tunnel.example/kudos');
  });

  it('disableIntegrationDevelopmentMode, the same', async () => {
    await h.data(
      `mutation { setIntegrationDevelopmentMode(input: { integrationName: "kudos", tunnelUrl: "https://tunnel.example/k" }) { integrationName } }`,
    );
    h.simulator.injectFault({
      fault: { kind: 'status', status: 503 },
      match: { method: 'GET', path: exactly('/integrations/kudos') },
    });
    const response = await h.graphql(
      `mutation { disableIntegrationDevelopmentMode(input: { integrationName: "kudos" }) { integrationName integration { title } } }`,
    );
    expect(response.data).toEqual({
      disableIntegrationDevelopmentMode: { integrationName: 'kudos', integration: null },
    });
    expect(errorSummary(response)).toEqual([
      { path: ['disableIntegrationDevelopmentMode', 'integration'], code: 'UPSTREAM_ERROR', status: 503 },
    ]);
    expect(store.integrations.get('kudos')?.development).toBeUndefined();
  });

  it('publishIntegration answers from the write itself: no read after it', async () => {
    const record = store.integrations.get('kudos');
    const kudos = record?.integration;
    const response = await h.data(
      `mutation ($input: PublishIntegrationInput!) { publishIntegration(input: $input) { integration { name version title } } }`,
      {
        input: {
          integrationName: 'kudos',
          organizationId: record?.ownerId,
          title: 'Kudos again',
          description: 'Republished.',
          script: 'export default {}',
          scopes: [],
        },
      },
    );
    expect(response.publishIntegration.integration).toEqual({
      name: 'kudos',
      version: (kudos?.version ?? 0) + 1,
      title: 'Kudos again',
    });
    expect(h.calls().map((call) => `${call.method} ${call.path}`)).toEqual(['POST /integrations/kudos']);
  });
});
