import type { InstalledIntegration, Integration, Organization, SiteIntegrationScript } from '@gitbook/api';
import { describe, expect, it } from 'vitest';
import { organizationId, SEEDED_USERS } from '../src/simulator/index.js';
import { useHarness } from './helpers/harness.js';
import { allCaps, errorSummary, expectedGet, orNull, rest, restAnswer, TOKENS } from './helpers/rest-fixtures.js';

const h = await useHarness();
const store = h.simulator.store;

const NORTHWIND = organizationId('northwind');
const GLOBEX = organizationId('globex');
const DEMO_ORGS = SEEDED_USERS.demo.organizations;
const enumOrNull = (value: string | undefined) => (value === undefined ? null : allCaps(value));

const ORGANIZATION_FIELDS = /* GraphQL */ `
  fragment OrganizationFields on Organization {
    organizationId
    title
    createdAt
    emailDomains
    hostname
    type
    useCase
    communityType
    defaultRole
    defaultContent
    sso
    ai
    inviteLinks
    auditLogs
    plan
    billing
    mergeRules
    urls { app location logo }
    trial
    customHostname
    blocked
    permissions
  }
`;

function expectedOrganization(organization: Organization) {
  return {
    organizationId: organization.id,
    title: organization.title,
    createdAt: organization.createdAt,
    emailDomains: organization.emailDomains,
    hostname: orNull(organization.hostname),
    type: allCaps(organization.type),
    useCase: enumOrNull(organization.useCase),
    communityType: enumOrNull(organization.communityType),
    defaultRole: enumOrNull(organization.defaultRole ?? undefined),
    defaultContent: orNull(organization.defaultContent),
    sso: orNull(organization.sso),
    ai: orNull(organization.ai),
    inviteLinks: organization.inviteLinks,
    auditLogs: orNull(organization.auditLogs),
    plan: allCaps(organization.plan),
    billing: orNull(organization.billing),
    mergeRules: organization.mergeRules,
    urls: { app: organization.urls.app, location: organization.urls.location, logo: orNull(organization.urls.logo) },
    trial: organization.trial,
    customHostname: orNull(organization.customHostname),
    blocked: orNull(organization.blocked),
    permissions: organization.permissions,
  };
}

const sortByPath = <T extends { path: string }>(calls: T[]) => [...calls].sort((a, b) => a.path.localeCompare(b.path));

describe('Query.organization(organizationId)', () => {
  it('makes no REST call by itself', async () => {
    const data = await h.data(
      `query ($id: String!) { organization(organizationId: $id) { organizationId __typename } }`,
      {
        id: NORTHWIND,
      },
    );
    expect(data.organization).toEqual({ organizationId: NORTHWIND, __typename: 'Organization' });
    expect(h.calls()).toEqual([]);
  });

  it('needs no call for its global ID either, which refetches it', async () => {
    const data = await h.data(`query ($id: String!) { organization(organizationId: $id) { id } }`, {
      id: DEMO_ORGS[0],
    });
    expect(h.calls()).toEqual([]);
    const refetched = await h.data(
      `query ($id: ID!) { node(id: $id) { ... on Organization { organizationId title } } }`,
      {
        id: data.organization.id,
      },
    );
    const organization = await rest<Organization>(h, `/orgs/${DEMO_ORGS[0]}`);
    expect(refetched.node).toEqual({ organizationId: organization.id, title: organization.title });
  });

  it('reads every REST field from one GET /orgs/{id}, however many are selected', async () => {
    const id = DEMO_ORGS[0] as string;
    const data = await h.data(
      `${ORGANIZATION_FIELDS} query ($id: String!) {
      organization(organizationId: $id) { ...OrganizationFields again: title alsoAgain: urls { app } }
    }`,
      { id },
    );
    expect(h.calls()).toEqual([expectedGet(`/orgs/${id}`)]);
    const organization = await rest<Organization>(h, `/orgs/${id}`);
    expect(data.organization).toMatchObject(expectedOrganization(organization));
    expect(data.organization.again).toBe(organization.title);
  });

  it('shows every field of each organization as GET /orgs/{id} answers it, one call per organization', async () => {
    const aliases = DEMO_ORGS.map(
      (id, index) => `o${index}: organization(organizationId: "${id}") { ...OrganizationFields }`,
    );
    const data = await h.data(`${ORGANIZATION_FIELDS} { ${aliases.join('\n')} }`);
    expect(sortByPath(h.calls())).toEqual(sortByPath(DEMO_ORGS.map((id) => expectedGet(`/orgs/${id}`))));
    for (const [index, id] of DEMO_ORGS.entries()) {
      expect(data[`o${index}`]).toEqual(expectedOrganization(await rest<Organization>(h, `/orgs/${id}`)));
    }
    // Business and community organizations, so the optional enums are exercised.
    const types = new Set(DEMO_ORGS.map((id) => store.organizations.get(id)?.type));
    expect(types).toEqual(new Set(['business', 'community']));
  });

  it('answers the caller’s own permissions, with the caller’s token', async () => {
    const data = await h.data(
      `query ($id: String!) { organization(organizationId: $id) { title permissions } }`,
      { id: NORTHWIND },
      { token: TOKENS.alice },
    );
    expect(h.calls()).toEqual([expectedGet(`/orgs/${NORTHWIND}`, {}, { token: TOKENS.alice })]);
    const organization = await rest<Organization>(h, `/orgs/${NORTHWIND}`, {}, TOKENS.alice);
    expect(data.organization).toEqual({ title: organization.title, permissions: organization.permissions });
  });

  it('refuses an organizationId REST would reject with BAD_USER_INPUT, before any call', async () => {
    const response = await h.graphql(`{ organization(organizationId: "not/an id") { title } }`);
    expect(errorSummary(response)).toEqual([{ path: ['organization'], code: 'BAD_USER_INPUT', status: undefined }]);
    expect(h.calls()).toEqual([]);
  });

  it('answers NOT_FOUND (status 404) for an unknown organization', async () => {
    const response = await h.graphql(`{ organization(organizationId: "noSuchOrganization") { title } }`);
    expect(errorSummary(response)).toEqual([{ path: ['organization', 'title'], code: 'NOT_FOUND', status: 404 }]);
    expect(h.calls()).toEqual([expectedGet('/orgs/noSuchOrganization', {}, { status: 404 })]);
  });
});

describe('Organization.integrations', () => {
  const LIST = `query ($id: String!, $search: String, $category: IntegrationCategory, $blockDomain: String, $hasBlocks: Boolean,
      $hasContentSources: Boolean, $owner: String, $scope: IntegrationScope, $target: IntegrationTarget) {
    organization(organizationId: $id) {
      integrations(first: 100, search: $search, category: $category, blockDomain: $blockDomain, hasBlocks: $hasBlocks,
        hasContentSources: $hasContentSources, owner: $owner, scope: $scope, target: $target) {
        totalCount
        nodes { name visibility owner { organizationId } }
      }
    }
  }`;
  const asNodes = (items: Integration[]) =>
    items.map((integration) => ({
      name: integration.name,
      visibility: allCaps(integration.visibility),
      owner: { organizationId: integration.owner.id },
    }));

  it('lists what GET /orgs/{id}/integrations answers, private integrations of the organization included', async () => {
    const data = await h.data(LIST, { id: NORTHWIND }, { token: TOKENS.alice });
    expect(h.calls()).toEqual([
      expectedGet(`/orgs/${NORTHWIND}/integrations`, { limit: '100' }, { token: TOKENS.alice }),
    ]);
    const page = await rest<{ items: Integration[]; count: number }>(
      h,
      `/orgs/${NORTHWIND}/integrations`,
      { limit: 100 },
      TOKENS.alice,
    );
    expect(data.organization.integrations).toEqual({ totalCount: page.count, nodes: asNodes(page.items) });
    expect(data.organization.integrations.nodes).toContainEqual(
      expect.objectContaining({ visibility: 'PRIVATE', owner: { organizationId: NORTHWIND } }),
    );
  });

  const cases: { filter: string; variables: Record<string, unknown>; query: Record<string, string> }[] = [
    { filter: 'search', variables: { search: 'northwind' }, query: { search: 'northwind' } },
    { filter: 'category', variables: { category: 'VISITOR_AUTH' }, query: { category: 'visitor-auth' } },
    { filter: 'blockDomain', variables: { blockDomain: 'figma.com' }, query: { blockDomain: 'figma.com' } },
    { filter: 'hasBlocks', variables: { hasBlocks: true }, query: { blocks: 'true' } },
    { filter: 'hasContentSources', variables: { hasContentSources: false }, query: { contentSources: 'false' } },
    { filter: 'owner', variables: { owner: NORTHWIND }, query: { owner: NORTHWIND } },
    { filter: 'scope', variables: { scope: 'SITE_VISITOR_AUTH' }, query: { scope: 'site:visitor:auth' } },
    { filter: 'target', variables: { target: 'SPACE' }, query: { target: 'space' } },
    {
      filter: 'every filter at once',
      variables: {
        search: 'o',
        category: 'VISITOR_AUTH',
        blockDomain: 'okta.com',
        hasBlocks: false,
        hasContentSources: false,
        owner: NORTHWIND,
        scope: 'SITE_VISITOR_AUTH',
        target: 'SITE',
      },
      query: {
        search: 'o',
        category: 'visitor-auth',
        blockDomain: 'okta.com',
        blocks: 'false',
        contentSources: 'false',
        owner: NORTHWIND,
        scope: 'site:visitor:auth',
        target: 'site',
      },
    },
  ];

  it.each(cases)('sends $filter as Query.integrations does: $query', async ({ variables, query }) => {
    const data = await h.data(LIST, { id: NORTHWIND, ...variables }, { token: TOKENS.alice });
    expect(h.calls()).toEqual([
      expectedGet(`/orgs/${NORTHWIND}/integrations`, { ...query, limit: '100' }, { token: TOKENS.alice }),
    ]);
    const page = await rest<{ items: Integration[]; count: number }>(
      h,
      `/orgs/${NORTHWIND}/integrations`,
      { ...query, limit: 100 },
      TOKENS.alice,
    );
    expect(data.organization.integrations).toEqual({ totalCount: page.count, nodes: asNodes(page.items) });
  });
});

describe('Organization.integrationInstallationStatus', () => {
  /** One installation per status, in organizations the demo user belongs to. */
  const byStatus = new Map<string, { organizationId: string; integrationName: string }>();
  for (const record of store.integrations.values()) {
    if (record.integration.visibility === 'private') continue;
    for (const installation of record.installations.values()) {
      if (!DEMO_ORGS.includes(installation.organizationId)) continue;
      if (!byStatus.has(installation.installation.status)) {
        byStatus.set(installation.installation.status, {
          organizationId: installation.organizationId,
          integrationName: record.integration.name,
        });
      }
    }
  }

  it('covers every installation status the seed has', () => {
    expect(byStatus.size).toBeGreaterThanOrEqual(3);
  });

  it.each([...byStatus.entries()])(
    'answers the REST status %s as the InstallationStatus enum',
    async (_status, { organizationId: id, integrationName }) => {
      const data = await h.data(
        `query ($id: String!, $name: String!) { organization(organizationId: $id) { integrationInstallationStatus(integrationName: $name) } }`,
        { id, name: integrationName },
      );
      const path = `/orgs/${id}/integrations/${integrationName}/installation_status`;
      expect(h.calls()).toEqual([expectedGet(path)]);
      const answer = await rest<{ status: string }>(h, path);
      expect(data.organization.integrationInstallationStatus).toBe(allCaps(answer.status));
    },
  );

  it('answers NOT_FOUND (status 404) for an integration the organization has not installed', async () => {
    const id = DEMO_ORGS[0] as string;
    const installed = new Set(store.installationsInOrganization(id).map(({ record }) => record.integration.name));
    const missing = [...store.integrations.values()].find(
      (record) => record.integration.visibility === 'public' && !installed.has(record.integration.name),
    );
    if (!missing) throw new Error('every integration is installed there');
    const response = await h.graphql(
      `query ($id: String!, $name: String!) { organization(organizationId: $id) { integrationInstallationStatus(integrationName: $name) } }`,
      { id, name: missing.integration.name },
    );
    expect(errorSummary(response)).toEqual([
      { path: ['organization', 'integrationInstallationStatus'], code: 'NOT_FOUND', status: 404 },
    ]);
    expect(h.calls()).toEqual([
      expectedGet(`/orgs/${id}/integrations/${missing.integration.name}/installation_status`, {}, { status: 404 }),
    ]);
  });

  it('refuses an invalid integrationName with BAD_USER_INPUT before any call', async () => {
    const response = await h.graphql(
      `query ($id: String!) { organization(organizationId: $id) { integrationInstallationStatus(integrationName: "a b") } }`,
      { id: NORTHWIND },
    );
    expect(errorSummary(response)).toEqual([
      { path: ['organization', 'integrationInstallationStatus'], code: 'BAD_USER_INPUT', status: undefined },
    ]);
    expect(h.calls()).toEqual([]);
  });
});

describe('Organization.installedIntegrations', () => {
  const INSTALLED = `query ($id: String!, $target: InstalledIntegrationTargetType, $siteId: String, $spaceId: String) {
    organization(organizationId: $id) {
      installedIntegrations(first: 200, target: $target, siteId: $siteId, spaceId: $spaceId) {
        totalCount
        nodes { status integration { name title } target { type organizationId spaceId siteId } }
      }
    }
  }`;
  const asNodes = (items: InstalledIntegration[]) =>
    items.map((item) => ({
      status: allCaps(item.status),
      integration: { name: item.integration.name, title: item.integration.title },
      target: {
        type: allCaps(item.target.type),
        organizationId: 'organizationId' in item.target ? item.target.organizationId : null,
        spaceId: 'spaceId' in item.target ? item.target.spaceId : null,
        siteId: 'siteId' in item.target ? item.target.siteId : null,
      },
    }));

  // The demo organization with the most site installations, and its busiest site and space.
  const contentCount = (kind: 'space' | 'site') => {
    const counts = new Map<string, number>();
    for (const record of store.integrations.values()) {
      for (const installation of record.installations.values()) {
        if (!DEMO_ORGS.includes(installation.organizationId)) continue;
        for (const content of installation.content[kind].values()) {
          counts.set(content.targetId, (counts.get(content.targetId) ?? 0) + 1);
        }
      }
    }
    return [...counts.entries()].sort((a, b) => b[1] - a[1]);
  };
  const SITE = contentCount('site')[0]?.[0] as string;
  const ORG = store.sites.get(SITE)?.organizationId as string;
  const SPACE = contentCount('space').find(([id]) => store.spaces.get(id)?.organization === ORG)?.[0] as string;

  const cases: { name: string; variables: Record<string, unknown>; query: Record<string, string> }[] = [
    { name: 'no target (the organization itself)', variables: {}, query: {} },
    { name: 'target ORGANIZATION', variables: { target: 'ORGANIZATION' }, query: { target: 'organization' } },
    { name: 'target SPACE', variables: { target: 'SPACE' }, query: { target: 'space' } },
    {
      name: 'target SPACE and a spaceId',
      variables: { target: 'SPACE', spaceId: SPACE },
      query: { target: 'space', space: SPACE },
    },
    { name: 'target SITE', variables: { target: 'SITE' }, query: { target: 'site' } },
    {
      name: 'target SITE and a siteId',
      variables: { target: 'SITE', siteId: SITE },
      query: { target: 'site', site: SITE },
    },
  ];

  it.each(cases)('lists GET …/integrations/installations-status for $name', async ({ variables, query }) => {
    const data = await h.data(INSTALLED, { id: ORG, ...variables });
    // The integrations come embedded: no lookup per item.
    expect(h.calls()).toEqual([
      expectedGet(`/orgs/${ORG}/integrations/installations-status`, { ...query, limit: '200' }),
    ]);
    const page = await rest<{ items: InstalledIntegration[]; count: number }>(
      h,
      `/orgs/${ORG}/integrations/installations-status`,
      { ...query, limit: 200 },
    );
    expect(page.items.length).toBeGreaterThan(0);
    expect(data.organization.installedIntegrations).toEqual({ totalCount: page.count, nodes: asNodes(page.items) });
  });

  it.each([
    ['siteId without a target', { siteId: 'site_x' }],
    ['siteId with target SPACE', { target: 'SPACE', siteId: 'site_x' }],
    ['siteId with target ORGANIZATION', { target: 'ORGANIZATION', siteId: 'site_x' }],
    ['spaceId without a target', { spaceId: 'space1' }],
    ['spaceId with target SITE', { target: 'SITE', spaceId: 'space1' }],
  ])('refuses %s with BAD_USER_INPUT, before any call', async (_case, variables) => {
    const response = await h.graphql(INSTALLED, { id: ORG, ...variables });
    expect(errorSummary(response)).toEqual([
      { path: ['organization', 'installedIntegrations'], code: 'BAD_USER_INPUT', status: undefined },
    ]);
    expect(h.calls()).toEqual([]);
  });
});

describe('Organization.site(siteId)', () => {
  // A demo organization's site with several integrations, and one whose integrations inject scripts.
  const demoSites = DEMO_ORGS.flatMap((id) =>
    store.sitesOf(id).map((site) => ({ organizationId: id, siteId: site.site.id })),
  );
  const siteIntegrations = async (
    site: { organizationId: string; siteId: string },
    query: Record<string, string> = {},
  ) =>
    rest<{ items: Integration[]; count: number; next?: unknown }>(
      h,
      `/orgs/${site.organizationId}/sites/${site.siteId}/integrations`,
      query,
    );
  const scriptsOf = (site: { organizationId: string; siteId: string }) =>
    rest<SiteIntegrationScript[]>(h, `/orgs/${site.organizationId}/sites/${site.siteId}/integration-scripts`);

  const SITE_QUERY = `query ($id: String!, $siteId: String!, $search: String, $first: Int, $after: String) {
    organization(organizationId: $id) {
      site(siteId: $siteId) {
        siteId
        integrations(search: $search, first: $first, after: $after) {
          totalCount
          pageInfo { hasNextPage hasPreviousPage endCursor }
          nodes { name title }
        }
      }
    }
  }`;

  const findSite = async (test: (count: number, scripts: SiteIntegrationScript[]) => boolean) => {
    for (const site of demoSites) {
      const [{ count }, scripts] = await Promise.all([siteIntegrations(site), scriptsOf(site)]);
      if (test(count, scripts)) return site;
    }
    throw new Error('no such site in the seed');
  };

  it('makes no call for the site itself', async () => {
    const [site] = demoSites;
    const data = await h.data(
      `query ($id: String!, $siteId: String!) { organization(organizationId: $id) { site(siteId: $siteId) { siteId } } }`,
      {
        id: site?.organizationId,
        siteId: site?.siteId,
      },
    );
    expect(data.organization.site).toEqual({ siteId: site?.siteId });
    expect(h.calls()).toEqual([]);
  });

  it('lists GET …/sites/{siteId}/integrations whole, sending no page or limit', async () => {
    const site = await findSite((count) => count >= 3);
    const data = await h.data(SITE_QUERY, { id: site.organizationId, siteId: site.siteId });
    const path = `/orgs/${site.organizationId}/sites/${site.siteId}/integrations`;
    expect(h.calls()).toEqual([expectedGet(path)]);
    expect(h.simulator.requests[0]?.search).toBe('');
    const answer = await siteIntegrations(site);
    expect(data.organization.site.integrations).toMatchObject({
      totalCount: answer.count,
      pageInfo: { hasNextPage: false, hasPreviousPage: false },
      nodes: answer.items.map(({ name, title }) => ({ name, title })),
    });
  });

  it('sends search as the only query parameter', async () => {
    const site = await findSite((count) => count >= 3);
    const all = await siteIntegrations(site);
    const search = all.items[1]?.name as string;
    const data = await h.data(SITE_QUERY, { id: site.organizationId, siteId: site.siteId, search });
    const path = `/orgs/${site.organizationId}/sites/${site.siteId}/integrations`;
    expect(h.calls()).toEqual([expectedGet(path, { search })]);
    const answer = await siteIntegrations(site, { search });
    expect(answer.count).toBeLessThan(all.count);
    expect(data.organization.site.integrations.nodes).toEqual(answer.items.map(({ name, title }) => ({ name, title })));
  });

  it('pages through the whole answer with first/after, still sending no page or limit', async () => {
    const site = await findSite((count) => count >= 3);
    const answer = await siteIntegrations(site);
    const path = `/orgs/${site.organizationId}/sites/${site.siteId}/integrations`;
    const names = answer.items.map(({ name, title }) => ({ name, title }));

    const first = await h.data(SITE_QUERY, { id: site.organizationId, siteId: site.siteId, first: 2 });
    expect(first.organization.site.integrations).toMatchObject({
      totalCount: answer.count,
      pageInfo: { hasNextPage: true, hasPreviousPage: false },
      nodes: names.slice(0, 2),
    });
    expect(h.calls()).toEqual([expectedGet(path)]);

    h.resetCalls();
    const second = await h.data(SITE_QUERY, {
      id: site.organizationId,
      siteId: site.siteId,
      first: 2,
      after: first.organization.site.integrations.pageInfo.endCursor,
    });
    expect(second.organization.site.integrations).toMatchObject({
      pageInfo: { hasNextPage: answer.count > 4, hasPreviousPage: true },
      nodes: names.slice(2, 4),
    });
    expect(h.calls()).toEqual([expectedGet(path)]);
  });

  it('lists GET …/sites/{siteId}/integration-scripts', async () => {
    const site = await findSite((_count, scripts) => scripts.length > 0);
    const data = await h.data(
      `query ($id: String!, $siteId: String!) {
        organization(organizationId: $id) { site(siteId: $siteId) { integrationScripts { script cookies contentSecurityPolicy } } }
      }`,
      { id: site.organizationId, siteId: site.siteId },
    );
    const path = `/orgs/${site.organizationId}/sites/${site.siteId}/integration-scripts`;
    expect(h.calls()).toEqual([expectedGet(path)]);
    const scripts = await scriptsOf(site);
    expect(data.organization.site.integrationScripts).toEqual(
      scripts.map((script) => ({
        script: script.script,
        cookies: script.cookies,
        contentSecurityPolicy: orNull(script.contentSecurityPolicy),
      })),
    );
  });

  it('makes one call per list when both are selected', async () => {
    const site = await findSite((count, scripts) => count > 0 && scripts.length > 0);
    await h.data(
      `query ($id: String!, $siteId: String!) {
        organization(organizationId: $id) { site(siteId: $siteId) { integrations { totalCount } integrationScripts { script } } }
      }`,
      { id: site.organizationId, siteId: site.siteId },
    );
    const base = `/orgs/${site.organizationId}/sites/${site.siteId}`;
    expect(sortByPath(h.calls())).toEqual([
      expectedGet(`${base}/integration-scripts`),
      expectedGet(`${base}/integrations`),
    ]);
  });
});

describe('organizations the caller is not a member of', () => {
  const globexSite = store.sitesOf(GLOBEX)[0]?.site.id as string;
  const cases: { field: string; selection: string; path: string; restPath: string }[] = [
    { field: 'title', selection: 'title', path: 'title', restPath: `/orgs/${GLOBEX}` },
    {
      field: 'integrations',
      selection: 'integrations { totalCount }',
      path: 'integrations',
      restPath: `/orgs/${GLOBEX}/integrations`,
    },
    {
      field: 'installations',
      selection: 'installations { totalCount }',
      path: 'installations',
      restPath: `/orgs/${GLOBEX}/installations`,
    },
    {
      field: 'integrationInstallationStatus',
      selection: 'integrationInstallationStatus(integrationName: "slack")',
      path: 'integrationInstallationStatus',
      restPath: `/orgs/${GLOBEX}/integrations/slack/installation_status`,
    },
    {
      field: 'installedIntegrations',
      selection: 'installedIntegrations { totalCount }',
      path: 'installedIntegrations',
      restPath: `/orgs/${GLOBEX}/integrations/installations-status`,
    },
  ];

  it.each(cases)(
    '$field answers FORBIDDEN (status 403) with GitBook’s message',
    async ({ selection, path, restPath: route }) => {
      const response = await h.graphql(`query ($id: String!) { organization(organizationId: $id) { ${selection} } }`, {
        id: GLOBEX,
      });
      expect(errorSummary(response)).toEqual([{ path: ['organization', path], code: 'FORBIDDEN', status: 403 }]);
      const answer = await restAnswer<{ error: { message: string } }>(h, route);
      expect(answer.status).toBe(403);
      expect(response.errors?.[0]?.message).toBe(answer.body.error.message);
      expect(h.calls()).toEqual([expect.objectContaining({ method: 'GET', path: route, status: 403 })]);
    },
  );

  it.each([
    ['integrations', 'integrations { totalCount }', 'integrations'],
    ['integrationScripts', 'integrationScripts { script }', 'integration-scripts'],
  ])('site.%s answers FORBIDDEN (status 403)', async (field, selection, route) => {
    const response = await h.graphql(
      `query ($id: String!, $siteId: String!) { organization(organizationId: $id) { site(siteId: $siteId) { ${selection} } } }`,
      { id: GLOBEX, siteId: globexSite },
    );
    expect(errorSummary(response)).toEqual([{ path: ['organization', 'site', field], code: 'FORBIDDEN', status: 403 }]);
    expect(h.calls()).toEqual([expectedGet(`/orgs/${GLOBEX}/sites/${globexSite}/${route}`, {}, { status: 403 })]);
  });

  it('fails only its own field: the rest of the response stays intact', async () => {
    const response = await h.graphql(
      `query ($forbidden: String!, $mine: String!) {
        forbidden: organization(organizationId: $forbidden) { title }
        mine: organization(organizationId: $mine) { title }
        integration(name: "slack") { name }
      }`,
      { forbidden: GLOBEX, mine: DEMO_ORGS[0] },
    );
    const mine = await rest<Organization>(h, `/orgs/${DEMO_ORGS[0]}`);
    expect(errorSummary(response)).toEqual([{ path: ['forbidden', 'title'], code: 'FORBIDDEN', status: 403 }]);
    // Only the field whose REST call failed is null.
    expect(response.data).toEqual({
      forbidden: { title: null },
      mine: { title: mine.title },
      integration: { name: 'slack' },
    });
  });

  it('is readable by its own members', async () => {
    const data = await h.data(
      `query ($id: String!) { organization(organizationId: $id) { title } }`,
      { id: GLOBEX },
      { token: TOKENS.bob },
    );
    const organization = await rest<Organization>(h, `/orgs/${GLOBEX}`, {}, TOKENS.bob);
    expect(data.organization).toEqual({ title: organization.title });
    expect(h.calls()).toEqual([expectedGet(`/orgs/${GLOBEX}`, {}, { token: TOKENS.bob })]);
  });
});
