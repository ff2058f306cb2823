import type { Integration } from '@gitbook/api';
import { describe, expect, it } from 'vitest';
import { organizationId } from '../src/simulator/index.js';
import { useHarness } from './helpers/harness.js';
import {
  allCaps,
  errorSummary,
  expectedGet,
  expectedIntegrationFields,
  orNull,
  rest,
  restAnswer,
  TOKENS,
} from './helpers/rest-fixtures.js';

const h = await useHarness();
const store = h.simulator.store;

const INTEGRATION_FIELDS = /* GraphQL */ `
  fragment IntegrationFields on Integration {
    name
    version
    title
    description
    summary
    previewImages
    target
    verified
    visibility
    scopes
    categories
    blocks { id title description icon urlUnfurl markdown }
    contentSources { id title description icon configuration }
    configurations { account space site }
    externalLinks { url label }
    urls { location app icon assets publicEndpoint publicContentEndpoint }
    permissions { admin }
    contentSecurityPolicy
    owner { organizationId title createdAt plan type urls { location app logo } }
  }
`;

/** The REST integration as the contract shows it: camelCased, enums in ALL_CAPS, absent → null. */
function expectedIntegration(integration: Integration) {
  return {
    ...expectedIntegrationFields(integration),
    owner: {
      organizationId: integration.owner.id,
      title: integration.owner.title,
      createdAt: integration.owner.createdAt,
      plan: allCaps(integration.owner.plan),
      type: allCaps(integration.owner.type),
      urls: {
        location: integration.owner.urls.location,
        app: integration.owner.urls.app,
        logo: orNull(integration.owner.urls.logo),
      },
    },
  };
}

const records = [...store.integrations.values()];
const pick = (why: string, test: (integration: (typeof records)[number]['integration']) => boolean): string => {
  const record = records.find(
    (candidate) => candidate.integration.visibility === 'public' && test(candidate.integration),
  );
  if (!record) throw new Error(`the seed has no public integration ${why}`);
  return record.integration.name;
};

/** Integrations that between them fill every optional part of the REST object. */
const SHOWCASE = [
  pick('with unfurling blocks', (i) => (i.blocks ?? []).some((block) => (block.urlUnfurl ?? []).length > 0)),
  pick('with Markdown blocks', (i) => (i.blocks ?? []).some((block) => block.markdown !== undefined)),
  pick('with content sources', (i) => (i.contentSources ?? []).length > 0),
  pick('with a string content security policy', (i) => typeof i.contentSecurityPolicy === 'string'),
  pick('with an object content security policy', (i) => typeof i.contentSecurityPolicy === 'object'),
  pick('with a summary and account and space configurations', (i) =>
    Boolean(i.summary && i.configurations?.account && i.configurations.space),
  ),
  pick('with a site configuration', (i) => Boolean(i.configurations?.site)),
];

describe('Query.integrations', () => {
  it('lists the marketplace as GET /integrations answers it, in one call with the caller’s token', async () => {
    const data = await h.data(`{
      integrations {
        totalCount
        pageInfo { hasNextPage hasPreviousPage }
        nodes { name title }
      }
    }`);
    expect(h.calls()).toEqual([expectedGet('/integrations', { limit: '20' })]);

    const page = await rest<{ items: Integration[]; count: number; next?: unknown }>(h, '/integrations', { limit: 20 });
    expect(data.integrations).toEqual({
      totalCount: page.count,
      pageInfo: { hasNextPage: page.next !== undefined, hasPreviousPage: false },
      nodes: page.items.map((integration) => ({ name: integration.name, title: integration.title })),
    });
  });

  const GITBOOK = organizationId('gitbook');
  const filterCases: { filter: string; variables: Record<string, unknown>; query: Record<string, string> }[] = [
    { filter: 'search', variables: { search: 'sync' }, query: { search: 'sync' } },
    { filter: 'category', variables: { category: 'ANALYTICS' }, query: { category: 'analytics' } },
    {
      filter: 'category (dashed REST value)',
      variables: { category: 'VISITOR_AUTH' },
      query: { category: 'visitor-auth' },
    },
    { filter: 'blockDomain', variables: { blockDomain: 'figma.com' }, query: { blockDomain: 'figma.com' } },
    { filter: 'hasBlocks: true', variables: { hasBlocks: true }, query: { blocks: 'true' } },
    { filter: 'hasBlocks: false', variables: { hasBlocks: false }, query: { blocks: 'false' } },
    { filter: 'hasContentSources: true', variables: { hasContentSources: true }, query: { contentSources: 'true' } },
    { filter: 'hasContentSources: false', variables: { hasContentSources: false }, query: { contentSources: 'false' } },
    { filter: 'owner', variables: { owner: GITBOOK }, query: { owner: GITBOOK } },
    { filter: 'scope', variables: { scope: 'SITE_SCRIPT_INJECT' }, query: { scope: 'site:script:inject' } },
    { filter: 'scope (another)', variables: { scope: 'SPACE_CONTENT_READ' }, query: { scope: 'space:content:read' } },
    { filter: 'target', variables: { target: 'SITE' }, query: { target: 'site' } },
    { filter: 'target (organization)', variables: { target: 'ORGANIZATION' }, query: { target: 'organization' } },
  ];

  const FILTERED = `query Filtered(
    $search: String, $category: IntegrationCategory, $blockDomain: String, $hasBlocks: Boolean,
    $hasContentSources: Boolean, $owner: String, $scope: IntegrationScope, $target: IntegrationTarget
  ) {
    integrations(
      first: 100, search: $search, category: $category, blockDomain: $blockDomain, hasBlocks: $hasBlocks,
      hasContentSources: $hasContentSources, owner: $owner, scope: $scope, target: $target
    ) {
      totalCount
      nodes { name }
    }
  }`;

  it.each(filterCases)('sends $filter to REST as $query', async ({ variables, query }) => {
    const data = await h.data(FILTERED, variables);
    expect(h.calls()).toEqual([expectedGet('/integrations', { ...query, limit: '100' })]);

    const page = await rest<{ items: Integration[]; count: number }>(h, '/integrations', { ...query, limit: 100 });
    const unfiltered = await rest<{ count: number }>(h, '/integrations', { limit: 1 });
    // The filter matters: it keeps some integrations and drops others.
    expect(page.count).toBeGreaterThan(0);
    expect(page.count).toBeLessThan(unfiltered.count);
    expect(data.integrations).toEqual({ totalCount: page.count, nodes: page.items.map(({ name }) => ({ name })) });
  });

  it('sends every filter at once, each under its REST name and spelling', async () => {
    const variables = {
      search: 'a',
      category: 'VISITOR_AUTH',
      blockDomain: 'example.com',
      hasBlocks: false,
      hasContentSources: false,
      owner: GITBOOK,
      scope: 'SITE_VISITOR_AUTH',
      target: 'SITE',
    };
    const data = await h.data(FILTERED, variables);
    const query = {
      search: 'a',
      category: 'visitor-auth',
      blockDomain: 'example.com',
      blocks: 'false',
      contentSources: 'false',
      owner: GITBOOK,
      scope: 'site:visitor:auth',
      target: 'site',
    };
    expect(h.calls()).toEqual([expectedGet('/integrations', { ...query, limit: '100' })]);
    const page = await rest<{ items: Integration[]; count: number }>(h, '/integrations', { ...query, limit: 100 });
    expect(data.integrations).toEqual({ totalCount: page.count, nodes: page.items.map(({ name }) => ({ name })) });
  });

  it('sends no filter REST was not asked for (null means unset)', async () => {
    await h.data(FILTERED, { search: null, category: null, hasBlocks: null, owner: null, scope: null, target: null });
    expect(h.calls()).toEqual([expectedGet('/integrations', { limit: '100' })]);
    expect(h.simulator.requests[0]?.search).toBe('limit=100');
  });

  it('answers enum values in ALL_CAPS, mapped from REST’s spelling', async () => {
    const data = await h.data(`{
      integrations(first: 100, category: VISITOR_AUTH) { nodes { name categories scopes target visibility } }
    }`);
    const page = await rest<{ items: Integration[] }>(h, '/integrations', { category: 'visitor-auth', limit: 100 });
    expect(page.items.length).toBeGreaterThan(0);
    expect(data.integrations.nodes).toEqual(
      page.items.map((integration) => ({
        name: integration.name,
        categories: integration.categories.map(allCaps),
        scopes: integration.scopes.map(allCaps),
        target: allCaps(integration.target),
        visibility: allCaps(integration.visibility),
      })),
    );
    expect(
      data.integrations.nodes.every((node: { categories: string[] }) => node.categories.includes('VISITOR_AUTH')),
    ).toBe(true);
  });

  it('shows every Integration field as the REST list item carries it', async () => {
    const data = await h.data(`${INTEGRATION_FIELDS} { integrations(first: 1000) { nodes { ...IntegrationFields } } }`);
    // The owners came embedded in the list: no call per owner.
    expect(h.calls()).toEqual([expectedGet('/integrations', { limit: '1000' })]);
    const page = await rest<{ items: Integration[] }>(h, '/integrations', { limit: 1000 });
    expect(data.integrations.nodes).toEqual(page.items.map(expectedIntegration));
    expect(page.items.map((integration) => integration.name)).toEqual(expect.arrayContaining(SHOWCASE));
  });

  it.each([
    ['blockDomain', { blockDomain: 'not a domain/' }],
    ['blockDomain', { blockDomain: `${'a'.repeat(101)}` }],
    ['owner', { owner: 'no/such org' }],
  ])('refuses an invalid %s with BAD_USER_INPUT before any call', async (_name, variables) => {
    const response = await h.graphql(FILTERED, variables);
    expect(errorSummary(response)).toEqual([{ path: ['integrations'], code: 'BAD_USER_INPUT', status: undefined }]);
    expect(h.calls()).toEqual([]);
  });
});

describe('Query.integration(name)', () => {
  it.each(SHOWCASE)('shows every field of %s as GET /integrations/{name} answers it, in one call', async (name) => {
    const data = await h.data(
      `${INTEGRATION_FIELDS} query ($name: String!) { integration(name: $name) { ...IntegrationFields } }`,
      {
        name,
      },
    );
    expect(h.calls()).toEqual([expectedGet(`/integrations/${name}`)]);
    expect(data.integration).toEqual(expectedIntegration(await rest<Integration>(h, `/integrations/${name}`)));
  });

  it('reads the owner from the integration’s answer: no GET /orgs/{id}', async () => {
    const data = await h.data(`{
      integration(name: "slack") {
        owner { id organizationId title createdAt emailDomains hostname plan type inviteLinks mergeRules trial permissions }
      }
    }`);
    expect(h.calls()).toEqual([expectedGet('/integrations/slack')]);
    const { owner } = await rest<Integration>(h, '/integrations/slack');
    expect(data.integration.owner).toEqual({
      id: expect.any(String),
      organizationId: owner.id,
      title: owner.title,
      createdAt: owner.createdAt,
      emailDomains: owner.emailDomains,
      hostname: orNull(owner.hostname),
      plan: allCaps(owner.plan),
      type: allCaps(owner.type),
      inviteLinks: owner.inviteLinks,
      mergeRules: owner.mergeRules,
      trial: owner.trial,
      permissions: owner.permissions,
    });
  });

  it('reads each listed integration’s owner from the list: one call in all', async () => {
    const data = await h.data(`{ integrations(first: 50) { nodes { name owner { organizationId title plan } } } }`);
    expect(h.calls()).toEqual([expectedGet('/integrations', { limit: '50' })]);
    const page = await rest<{ items: Integration[] }>(h, '/integrations', { limit: 50 });
    expect(data.integrations.nodes).toEqual(
      page.items.map((integration) => ({
        name: integration.name,
        owner: {
          organizationId: integration.owner.id,
          title: integration.owner.title,
          plan: allCaps(integration.owner.plan),
        },
      })),
    );
    // More than one owner, so the embedded objects really are per integration.
    expect(new Set(page.items.map((integration) => integration.owner.id)).size).toBeGreaterThan(1);
  });

  it('looks a listed integration up without a second call', async () => {
    // A space installation names its integration, which the list already answered.
    const data = await h.data(`{
      integrations(search: "slack") { nodes { name spaceInstallations(first: 1) { nodes { integration { title version } } } } }
    }`);
    expect(h.calls()).toEqual([
      expectedGet('/integrations', { search: 'slack', limit: '20' }),
      expectedGet('/integrations/slack/spaces', { limit: '1' }),
    ]);
    const page = await rest<{ items: Integration[] }>(h, '/integrations', { search: 'slack', limit: 20 });
    expect(page.items.map((integration) => integration.name)).toEqual(['slack']);
    const slack = await rest<Integration>(h, '/integrations/slack');
    expect(data.integrations.nodes).toEqual([
      {
        name: 'slack',
        spaceInstallations: { nodes: [{ integration: { title: slack.title, version: slack.version } }] },
      },
    ]);
  });

  it('gives each integration’s own version, as an Int', async () => {
    const data = await h.data(`{ integrations(first: 1000) { nodes { name version } } }`);
    const page = await rest<{ items: Integration[] }>(h, '/integrations', { limit: 1000 });
    expect(data.integrations.nodes).toEqual(page.items.map(({ name, version }) => ({ name, version })));
    expect(new Set(page.items.map((integration) => integration.version)).size).toBeGreaterThan(1);
  });

  it('answers null with NOT_FOUND (status 404) for an unknown integration', async () => {
    const response = await h.graphql(`{ integration(name: "no-such-integration") { name } }`);
    expect(response.data).toEqual({ integration: null });
    expect(errorSummary(response)).toEqual([{ path: ['integration'], code: 'NOT_FOUND', status: 404 }]);
    const answer = await restAnswer<{ error: { message: string } }>(h, '/integrations/no-such-integration');
    expect(response.errors?.[0]?.message).toBe(answer.body.error.message);
    expect(h.calls()).toEqual([expectedGet('/integrations/no-such-integration', {}, { status: 404 })]);
  });

  it.each(['has space', 'a/b', 'x'.repeat(101), ''])(
    'refuses the name %j with BAD_USER_INPUT before any call',
    async (name) => {
      const response = await h.graphql(`query ($name: String!) { integration(name: $name) { name } }`, { name });
      expect(response.data).toEqual({ integration: null });
      expect(errorSummary(response)).toEqual([{ path: ['integration'], code: 'BAD_USER_INPUT', status: undefined }]);
      expect(h.calls()).toEqual([]);
    },
  );
});

describe('Query.integration(name) when only what hangs below it is read', () => {
  // Its installations, events, space and site installations name the integration in their own
  // calls, and answer 404 themselves if it does not exist: the lookup would be a wasted round trip.
  const INSTALLATIONS = '/integrations/slack/installations';
  type Page = { items: { id: string }[]; count: number };

  it('makes only the installations call', async () => {
    const data = await h.data(
      `{ integration(name: "slack") { installations(first: 2) { nodes { installationId } } } }`,
    );
    expect(h.calls()).toEqual([expectedGet(INSTALLATIONS, { limit: '2' })]);
    const page = await rest<Page>(h, INSTALLATIONS, { limit: 2 });
    expect(page.items).toHaveLength(2);
    expect(data.integration.installations.nodes).toEqual(page.items.map((item) => ({ installationId: item.id })));
  });

  it('still looks the integration up when a REST field (title) is read too: both calls', async () => {
    const data = await h.data(
      `{ integration(name: "slack") { title installations(first: 2) { nodes { installationId } } } }`,
    );
    expect(h.calls()).toEqual([expectedGet('/integrations/slack'), expectedGet(INSTALLATIONS, { limit: '2' })]);
    const slack = await rest<Integration>(h, '/integrations/slack');
    const page = await rest<Page>(h, INSTALLATIONS, { limit: 2 });
    expect(data.integration).toEqual({
      title: slack.title,
      installations: { nodes: page.items.map((item) => ({ installationId: item.id })) },
    });
  });

  it('looks the integration up for { name } alone: that lookup is what says it exists', async () => {
    const data = await h.data(`{ integration(name: "slack") { name } }`);
    expect(h.calls()).toEqual([expectedGet('/integrations/slack')]);
    expect(data.integration).toEqual({ name: (await rest<Integration>(h, '/integrations/slack')).name });
  });

  it('answers an unknown integration with installations: null and one NOT_FOUND (status 404) on the list', async () => {
    const response = await h.graphql(
      `{ integration(name: "no-such-integration") { installations(first: 2) { nodes { installationId } } } }`,
    );
    // Only the list that failed is null: no lookup was made to tell the integration does not exist.
    expect(response.data).toEqual({ integration: { installations: null } });
    expect(errorSummary(response)).toEqual([
      { path: ['integration', 'installations'], code: 'NOT_FOUND', status: 404 },
    ]);
    expect(h.calls()).toEqual([
      expectedGet('/integrations/no-such-integration/installations', { limit: '2' }, { status: 404 }),
    ]);
    const answer = await restAnswer<{ error: { message: string } }>(
      h,
      '/integrations/no-such-integration/installations',
      { limit: 2 },
    );
    expect(answer.status).toBe(404);
    expect(response.errors?.[0]?.message).toBe(answer.body.error.message);
  });

  it('answers id without the lookup, equal to the id the lookup gives', async () => {
    const without = await h.data(`{ integration(name: "slack") { id name installations(first: 1) { totalCount } } }`);
    expect(h.calls()).toEqual([expectedGet(INSTALLATIONS, { limit: '1' })]);
    h.resetCalls();
    const looked = await h.data(`{ integration(name: "slack") { id title } }`);
    expect(h.calls()).toEqual([expectedGet('/integrations/slack')]);
    expect(without.integration.name).toBe('slack');
    expect(without.integration.id).toBe(looked.integration.id);
    expect(without.integration.installations.totalCount).toBe((await rest<Page>(h, INSTALLATIONS, { limit: 1 })).count);
  });
});

describe('private integrations', () => {
  const NORTHWIND = organizationId('northwind');
  const privateRecord = records.find(
    (record) => record.integration.visibility === 'private' && record.ownerId === NORTHWIND,
  );
  const unlistedRecord = records.find(
    (record) => record.integration.visibility === 'unlisted' && record.ownerId === NORTHWIND,
  );
  if (!privateRecord || !unlistedRecord) throw new Error('the seed has no private and unlisted Northwind integrations');
  const name = privateRecord.integration.name;
  const LOOKUP = `${INTEGRATION_FIELDS} query ($name: String!) { integration(name: $name) { ...IntegrationFields } }`;

  it('are readable by members of the owner organization, with their token', async () => {
    const data = await h.data(LOOKUP, { name }, { token: TOKENS.alice });
    expect(h.calls()).toEqual([expectedGet(`/integrations/${name}`, {}, { token: TOKENS.alice })]);
    const integration = await rest<Integration>(h, `/integrations/${name}`, {}, TOKENS.alice);
    expect(data.integration).toEqual(expectedIntegration(integration));
    expect(data.integration).toMatchObject({
      visibility: 'PRIVATE',
      permissions: { admin: true },
      owner: { organizationId: NORTHWIND },
    });
  });

  it.each(['bob', 'carol', 'demo'] as const)('do not exist for %s, who is not a member', async (user) => {
    const response = await h.graphql(
      `query ($name: String!) { integration(name: $name) { name } }`,
      { name },
      { token: TOKENS[user] },
    );
    expect(response.data).toEqual({ integration: null });
    expect(errorSummary(response)).toEqual([{ path: ['integration'], code: 'NOT_FOUND', status: 404 }]);
    expect(h.calls()).toEqual([expectedGet(`/integrations/${name}`, {}, { token: TOKENS[user], status: 404 })]);
  });

  it('are never listed in the marketplace, not even to their owners', async () => {
    for (const user of ['alice', 'demo'] as const) {
      h.resetCalls();
      const data = await h.data(`{ integrations(first: 1000) { nodes { name } } }`, {}, { token: TOKENS[user] });
      expect(h.calls()).toEqual([expectedGet('/integrations', { limit: '1000' }, { token: TOKENS[user] })]);
      const page = await rest<{ items: Integration[] }>(h, '/integrations', { limit: 1000 }, TOKENS[user]);
      const names = (data.integrations.nodes as { name: string }[]).map((node) => node.name);
      expect(names).toEqual(page.items.map((integration) => integration.name));
      expect(names).not.toContain(name);
    }
  });

  it('unlike unlisted ones, which anyone may read by name', async () => {
    const unlisted = unlistedRecord.integration.name;
    const data = await h.data(
      `query ($unlisted: String!) {
        unlisted: integration(name: $unlisted) { name visibility permissions { admin } }
      }`,
      { unlisted },
      { token: TOKENS.carol },
    );
    expect(data.unlisted).toEqual({ name: unlisted, visibility: 'UNLISTED', permissions: { admin: false } });
    expect(h.calls()).toEqual([expectedGet(`/integrations/${unlisted}`, {}, { token: TOKENS.carol })]);
  });

  it('a failed lookup leaves the rest of the response intact', async () => {
    const response = await h.graphql(
      `query ($name: String!) { hidden: integration(name: $name) { name } slack: integration(name: "slack") { name } }`,
      { name },
      { token: TOKENS.bob },
    );
    expect(response.data).toEqual({ hidden: null, slack: { name: 'slack' } });
    expect(errorSummary(response)).toEqual([{ path: ['hidden'], code: 'NOT_FOUND', status: 404 }]);
  });
});
