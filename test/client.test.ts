import type {
  ContentKitRenderOutput,
  InstalledIntegration,
  Integration,
  IntegrationInstallation,
  IntegrationSpaceInstallation,
  Organization,
} from '@gitbook/api';
import lzString from 'lz-string';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ClientError,
  ConfigureInstallationDocument,
  type ContentKitRenderOutputType,
  createClient,
  type ExecutionResult,
  type InstallationSiteSelection,
  type InstallationSpaceSelection,
  type InstallationStatus,
  type InstalledIntegrationTargetType,
  InstallIntegrationDocument,
  InstallIntegrationOnSpaceDocument,
  type IntegrationCategory,
  IntegrationInstallationStatusDocument,
  type IntegrationInstallationStatusQuery,
  IntegrationPageDocument,
  type IntegrationPageQuery,
  type IntegrationScope,
  type IntegrationTarget,
  MarketplaceDocument,
  type MarketplaceQuery,
  OrganizationIntegrationsDocument,
  RenderComponentActionDocument,
  RenderComponentDocument,
  TypedDocumentString,
  UninstallIntegrationDocument,
} from '../packages/client/src/index.js';
import { DEMO_TOKEN } from '../src/simulator/index.js';
import { useHarness } from './helpers/harness.js';
import { startLoopback, useServedGateways } from './helpers/loopback.js';
import {
  allCaps,
  bearer,
  expectedGet,
  expectedInstallationFields,
  expectedIntegrationFields,
  expectedRenderOutput,
  orNull,
  rest,
  restAnswer,
  TOKENS,
} from './helpers/rest-fixtures.js';
import { canonicalFixtures, globalId, KUDOS, SLACK } from './helpers/typed-client.js';
import { expectedWrite, restWrite } from './helpers/write-fixtures.js';

/**
 * The typed client (packages/client) running every canonical operation of
 * schema/operations against a gateway on a real socket, itself calling the
 * simulator over HTTP. Results are compared with what REST answers directly;
 * `expectTypeOf` and `@ts-expect-error` lines are checked by `tsc --noEmit`
 * (part of `npm test`), so they prove the generated types.
 */

const h = await useHarness({ resetStateBeforeEach: true });
const store = h.simulator.store;
const serve = useServedGateways(h);
const url = await serve();
const client = createClient({ url, token: DEMO_TOKEN });

type Page<T> = { items: T[]; count: number; next?: { page: string } };

/** A REST integration as the Marketplace operation selects it. */
const marketplaceNode = (integration: Integration) => ({
  id: globalId('Integration', integration.name),
  name: integration.name,
  title: integration.title,
  summary: orNull(integration.summary),
  target: allCaps(integration.target),
  categories: integration.categories.map(allCaps),
  verified: integration.verified,
  urls: { icon: orNull(integration.urls.icon) },
  owner: {
    id: globalId('Organization', integration.owner.id),
    organizationId: integration.owner.id,
    title: integration.owner.title,
  },
});

/** A REST installation as the InstallationDetails fragment selects it. */
const installationDetails = (integrationName: string, installation: IntegrationInstallation) => {
  const fields = expectedInstallationFields(installation);
  return {
    id: globalId('Installation', integrationName, installation.id),
    installationId: fields.installationId,
    status: fields.status,
    spaceSelection: fields.spaceSelection,
    siteSelection: fields.siteSelection,
    spaceCount: fields.spaceCount,
    configuration: fields.configuration,
    externalIds: fields.externalIds,
    updatedAt: fields.updatedAt,
  };
};

/** The REST render output as the RenderOutput fragment selects it (all but canAccessVisitorClaims). */
const renderOutput = (output: ContentKitRenderOutput) => {
  const { canAccessVisitorClaims: _unselected, ...selected } = expectedRenderOutput(output);
  return selected;
};

describe('Marketplace', () => {
  /** The (category, target) pair most integrations share, so a filtered list spans several pages of 2. */
  async function busiestFilter(): Promise<{ category: string; target: string }> {
    const pairs = new Map<string, number>();
    for (const { integration } of store.integrations.values()) {
      for (const category of integration.categories) {
        const key = `${category} ${integration.target}`;
        pairs.set(key, (pairs.get(key) ?? 0) + 1);
      }
    }
    for (const [key] of [...pairs.entries()].sort((a, b) => b[1] - a[1])) {
      const [category = '', target = ''] = key.split(' ');
      const { count } = await rest<Page<Integration>>(h, '/integrations', { category, target, limit: 1 });
      if (count >= 3) return { category, target };
    }
    throw new Error('no category and target share 3 integrations the demo user sees');
  }

  it('filters by category and target and pages through endCursor, one GET /integrations per page', async () => {
    const filter = await busiestFilter();
    const category = allCaps(filter.category) as IntegrationCategory;
    const target = allCaps(filter.target) as IntegrationTarget;
    const first = 2;

    // REST's own pages, followed by hand: what the client should see, page for page.
    const restPages: { query: Record<string, string>; page: Page<Integration> }[] = [];
    let token: string | undefined;
    do {
      const query: Record<string, string> = { ...filter, limit: String(first), ...(token ? { page: token } : {}) };
      const page = await rest<Page<Integration>>(h, '/integrations', query);
      restPages.push({ query, page });
      token = page.next?.page;
    } while (token);
    expect(restPages.length).toBeGreaterThanOrEqual(2);

    const page = (after: string | null) => client.request(MarketplaceDocument, { first, after, category, target });
    const pages: MarketplaceQuery[] = [];
    let after: string | null = null;
    do {
      const data = await page(after);
      expectTypeOf(data).toEqualTypeOf<MarketplaceQuery>();
      expectTypeOf(data.integrations!.nodes[0]!.target).toEqualTypeOf<IntegrationTarget>();
      expectTypeOf(data.integrations!.nodes[0]!.categories).toEqualTypeOf<IntegrationCategory[]>();
      expectTypeOf(data.integrations!.totalCount).toEqualTypeOf<number | null>();
      expectTypeOf(data.integrations!.pageInfo.endCursor).toEqualTypeOf<string | null>();
      // Only what the operation selects is in the type.
      expectTypeOf(data.integrations!.nodes[0]!).not.toHaveProperty('description');
      pages.push(data);
      after = data.integrations!.pageInfo.hasNextPage ? data.integrations!.pageInfo.endCursor : null;
      expect(pages.length).toBeLessThanOrEqual(restPages.length);
    } while (after);

    expect(pages.map((data) => data.integrations!.nodes)).toEqual(
      restPages.map(({ page }) => page.items.map(marketplaceNode)),
    );
    expect(pages.map((data) => data.integrations!.totalCount)).toEqual(restPages.map(({ page }) => page.count));
    expect(pages.map((data) => data.integrations!.pageInfo.hasNextPage)).toEqual(
      restPages.map(({ page }) => page.next !== undefined),
    );
    for (const data of pages) {
      for (const node of data.integrations!.nodes) {
        expect(node.categories).toContain(category);
        expect(node.target).toBe(target);
      }
    }
    expect(h.calls()).toEqual(restPages.map(({ query }) => expectedGet('/integrations', query)));
  });

  it('runs without variables (they are all optional): the first 20 of the marketplace', async () => {
    const data = await client.request(MarketplaceDocument);
    const page = await rest<Page<Integration>>(h, '/integrations', { limit: 20 });
    expect(data.integrations).toEqual({
      totalCount: page.count,
      pageInfo: { hasNextPage: page.next !== undefined, endCursor: expect.any(String) },
      nodes: page.items.map(marketplaceNode),
    });
    expect(h.calls()).toEqual([expectedGet('/integrations', { limit: '20' })]);
  });
});

describe('IntegrationPage', () => {
  /** A REST installation as IntegrationPage selects it. */
  const installationNode = (installation: IntegrationInstallation) => {
    const fields = expectedInstallationFields(installation);
    return {
      id: globalId('Installation', SLACK, installation.id),
      installationId: fields.installationId,
      status: fields.status,
      spaceSelection: fields.spaceSelection,
      siteSelection: fields.siteSelection,
      spaceCount: fields.spaceCount,
      organization: {
        id: globalId('Organization', installation.target.organization),
        organizationId: installation.target.organization,
      },
    };
  };

  it('shows the integration and a page of its installations, and the next page after endCursor', async () => {
    const integration = await rest<Integration>(h, `/integrations/${SLACK}`);
    const fields = expectedIntegrationFields(integration);
    const firstPage = await rest<Page<IntegrationInstallation>>(h, `/integrations/${SLACK}/installations`, {
      limit: 3,
    });
    expect(firstPage.next).toBeDefined();
    const secondPage = await rest<Page<IntegrationInstallation>>(h, `/integrations/${SLACK}/installations`, {
      limit: 3,
      page: firstPage.next!.page,
    });

    const data = await client.request(IntegrationPageDocument, { name: SLACK, installationsFirst: 3 });
    expectTypeOf(data).toEqualTypeOf<IntegrationPageQuery>();
    expectTypeOf(data.integration!.scopes).toEqualTypeOf<IntegrationScope[]>();
    expectTypeOf(data.integration!.installations!.nodes[0]!.status).toEqualTypeOf<InstallationStatus>();
    expectTypeOf(data.integration!.blocks).toEqualTypeOf<
      { id: string; title: string; description: string | null }[] | null
    >();

    const expectedIntegration = {
      id: globalId('Integration', SLACK),
      name: fields.name,
      title: fields.title,
      description: fields.description,
      summary: fields.summary,
      version: fields.version,
      visibility: fields.visibility,
      scopes: fields.scopes,
      categories: fields.categories,
      previewImages: fields.previewImages,
      blocks: fields.blocks?.map(({ id, title, description }) => ({ id, title, description })) ?? null,
      externalLinks: fields.externalLinks,
      owner: {
        id: globalId('Organization', integration.owner.id),
        organizationId: integration.owner.id,
        title: integration.owner.title,
      },
    };
    expect(data.integration).toEqual({
      ...expectedIntegration,
      installations: {
        totalCount: firstPage.count,
        pageInfo: { hasNextPage: true, endCursor: expect.any(String) },
        nodes: firstPage.items.map(installationNode),
      },
    });
    expect(h.calls()).toEqual([
      expectedGet(`/integrations/${SLACK}`),
      expectedGet(`/integrations/${SLACK}/installations`, { limit: '3' }),
    ]);

    h.resetCalls();
    const next = await client.request(IntegrationPageDocument, {
      name: SLACK,
      installationsFirst: 3,
      installationsAfter: data.integration!.installations!.pageInfo.endCursor,
    });
    expect(next.integration).toEqual({
      ...expectedIntegration,
      installations: {
        totalCount: secondPage.count,
        pageInfo: { hasNextPage: secondPage.next !== undefined, endCursor: expect.any(String) },
        nodes: secondPage.items.map(installationNode),
      },
    });
    expect(h.calls()).toEqual([
      expectedGet(`/integrations/${SLACK}`),
      expectedGet(`/integrations/${SLACK}/installations`, { limit: '3', page: firstPage.next!.page }),
    ]);
  });
});

describe('OrganizationIntegrations', () => {
  const sortByPath = <T extends { path: string }>(calls: T[]) =>
    [...calls].sort((a, b) => a.path.localeCompare(b.path));
  const installedNode = (item: InstalledIntegration) => ({
    status: allCaps(item.status),
    target: {
      type: allCaps(item.target.type),
      organizationId: 'organizationId' in item.target ? item.target.organizationId : null,
      spaceId: 'spaceId' in item.target ? item.target.spaceId : null,
      siteId: 'siteId' in item.target ? item.target.siteId : null,
    },
    integration: {
      id: globalId('Integration', item.integration.name),
      name: item.integration.name,
      title: item.integration.title,
    },
  });
  type OrganizationInstallation = { installation: IntegrationInstallation; integration: Integration };
  const installationNode = ({ installation, integration }: OrganizationInstallation) => ({
    id: globalId('Installation', integration.name, installation.id),
    installationId: installation.id,
    status: allCaps(installation.status),
    configuration: installation.configuration,
    integration: { id: globalId('Integration', integration.name), name: integration.name, title: integration.title },
  });

  it('shows the organization, what is installed at which level, and its installations (three GETs)', async () => {
    const { busiestOrg: org } = canonicalFixtures(store);
    const organization = await rest<Organization>(h, `/orgs/${org}`);
    const installed = await rest<Page<InstalledIntegration>>(h, `/orgs/${org}/integrations/installations-status`, {
      limit: 5,
    });
    const installations = await rest<Page<OrganizationInstallation>>(h, `/orgs/${org}/installations`, { limit: 5 });
    expect(installations.count).toBeGreaterThan(0);

    const data = await client.request(OrganizationIntegrationsDocument, { organizationId: org, first: 5 });
    expectTypeOf(
      data.organization!.installedIntegrations!.nodes[0]!.target.type,
    ).toEqualTypeOf<InstalledIntegrationTargetType>();
    expectTypeOf(data.organization!.installations!.nodes[0]!.configuration).toBeUnknown();
    expect(data).toEqual({
      organization: {
        id: globalId('Organization', org),
        organizationId: org,
        title: organization.title,
        installedIntegrations: { totalCount: installed.count, nodes: installed.items.map(installedNode) },
        installations: { totalCount: installations.count, nodes: installations.items.map(installationNode) },
      },
    });
    // The integrations come embedded in both lists: no call per item.
    expect(sortByPath(h.calls())).toEqual(
      sortByPath([
        expectedGet(`/orgs/${org}`),
        expectedGet(`/orgs/${org}/integrations/installations-status`, { limit: '5' }),
        expectedGet(`/orgs/${org}/installations`, { limit: '5' }),
      ]),
    );
  });

  it('passes the target filter in REST spelling', async () => {
    const { busiestOrg: org } = canonicalFixtures(store);
    const installed = await rest<Page<InstalledIntegration>>(h, `/orgs/${org}/integrations/installations-status`, {
      target: 'space',
      limit: 5,
    });
    const data = await client.request(OrganizationIntegrationsDocument, {
      organizationId: org,
      first: 5,
      target: 'SPACE',
    });
    expect(data.organization!.installedIntegrations).toEqual({
      totalCount: installed.count,
      nodes: installed.items.map(installedNode),
    });
    expect(data.organization!.installedIntegrations!.nodes.every((node) => node.target.type === 'SPACE')).toBe(true);
    expect(h.calls()).toContainEqual(
      expectedGet(`/orgs/${org}/integrations/installations-status`, { target: 'space', limit: '5' }),
    );
  });
});

describe('IntegrationInstallationStatus', () => {
  it('answers the organization’s installation status of one integration (one GET)', async () => {
    const { slackInstallation } = canonicalFixtures(store);
    const org = slackInstallation.organizationId;
    const path = `/orgs/${org}/integrations/${SLACK}/installation_status`;
    const answer = await rest<{ status: string }>(h, path);

    const data = await client.request(IntegrationInstallationStatusDocument, {
      organizationId: org,
      integrationName: SLACK,
    });
    expectTypeOf(data).toEqualTypeOf<IntegrationInstallationStatusQuery>();
    expectTypeOf(data.organization!.integrationInstallationStatus).toEqualTypeOf<InstallationStatus | null>();
    expect(data).toEqual({
      organization: { id: globalId('Organization', org), integrationInstallationStatus: allCaps(answer.status) },
    });
    expect(h.calls()).toEqual([expectedGet(path)]);
  });
});

describe('installation mutations', () => {
  const installationPath = (name: string, id: string) => `/integrations/${name}/installations/${id}`;

  it('InstallIntegration: one POST; the payload is the new installation as REST then shows it', async () => {
    const { kudosFreeOrg: org } = canonicalFixtures(store);
    const data = await client.request(InstallIntegrationDocument, { integrationName: KUDOS, organizationId: org });
    expectTypeOf(data.installIntegration).toEqualTypeOf<{
      installation: {
        id: string;
        installationId: string;
        status: InstallationStatus;
        spaceSelection: InstallationSpaceSelection;
        siteSelection: InstallationSiteSelection;
        spaceCount: number;
        configuration: unknown;
        externalIds: string[];
        updatedAt: string;
      };
    } | null>();

    expect(h.calls()).toEqual([
      expectedWrite('POST', `/integrations/${KUDOS}/installations`, { status: 201, body: { organization: org } }),
    ]);
    const created = store.installationIn(store.integrations.get(KUDOS)!, org);
    expect(created).toBeDefined();
    const installation = await rest<IntegrationInstallation>(h, installationPath(KUDOS, created!.installation.id));
    expect(data).toEqual({ installIntegration: { installation: installationDetails(KUDOS, installation) } });
  });

  it('ConfigureInstallation: one PATCH with the REST spelling; the payload is the updated installation', async () => {
    const { slackInstallation } = canonicalFixtures(store);
    const id = slackInstallation.installation.id;
    const before = await rest<IntegrationInstallation>(h, installationPath(SLACK, id));
    const spaceSelection: InstallationSpaceSelection = before.space_selection === 'all' ? 'SELECTED' : 'ALL';
    const variables = {
      integrationName: SLACK,
      installationId: id,
      configuration: { workspace: 'acme-docs', default_channel: '#docs' },
      spaceSelection,
      externalIds: ['T0001', 'T0002'],
    };

    const data = await client.request(ConfigureInstallationDocument, variables);
    expect(h.calls()).toEqual([
      expectedWrite('PATCH', installationPath(SLACK, id), {
        status: 200,
        body: {
          configuration: variables.configuration,
          space_selection: spaceSelection.toLowerCase(),
          externalIds: variables.externalIds,
        },
      }),
    ]);
    const after = await rest<IntegrationInstallation>(h, installationPath(SLACK, id));
    expect(after).toMatchObject({ configuration: variables.configuration, externalIds: variables.externalIds });
    expect(data).toEqual({ updateInstallation: { installation: installationDetails(SLACK, after) } });
    expect(data.updateInstallation!.installation.spaceSelection).toBe(spaceSelection);
  });

  it('InstallIntegrationOnSpace: one POST asking for the extended space (its title is selected)', async () => {
    const { slackInstallation, freeSpaceId: spaceId } = canonicalFixtures(store);
    const id = slackInstallation.installation.id;
    const data = await client.request(InstallIntegrationOnSpaceDocument, {
      integrationName: SLACK,
      installationId: id,
      spaceId,
    });
    expectTypeOf(data.installIntegrationOnSpace!.spaceInstallation.space!.title).toEqualTypeOf<string | null>();

    expect(h.calls()).toEqual([
      expectedWrite('POST', `${installationPath(SLACK, id)}/spaces`, {
        status: 201,
        body: { space: spaceId },
        query: { extended: 'true' },
      }),
    ]);
    const created = await rest<IntegrationSpaceInstallation>(h, `${installationPath(SLACK, id)}/spaces/${spaceId}`, {
      extended: true,
    });
    const space = created.space as { id: string; title?: string };
    expect(data).toEqual({
      installIntegrationOnSpace: {
        spaceInstallation: {
          id: globalId('SpaceInstallation', SLACK, id, spaceId),
          spaceId,
          status: allCaps(created.status),
          space: { id: spaceId, title: orNull(space.title) },
        },
      },
    });
  });

  it('UninstallIntegration: one DELETE; the payload is the deleted installation’s global ID, and REST no longer has it', async () => {
    const { slackInstallation } = canonicalFixtures(store);
    const id = slackInstallation.installation.id;
    const data = await client.request(UninstallIntegrationDocument, { integrationName: SLACK, installationId: id });
    expectTypeOf(data.uninstallIntegration).toEqualTypeOf<{ deletedInstallationId: string } | null>();

    expect(data).toEqual({ uninstallIntegration: { deletedInstallationId: globalId('Installation', SLACK, id) } });
    expect(h.calls()).toEqual([expectedWrite('DELETE', installationPath(SLACK, id), { status: 205 })]);
    expect((await restAnswer(h, installationPath(SLACK, id))).status).toBe(404);
  });
});

describe('ContentKit renders', () => {
  it('RenderComponent: one GET …/render carrying the request as lz-string JSON; the output is REST’s', async () => {
    const { render } = canonicalFixtures(store);
    const variables = { ...render, state: { count: 1 } };
    const data = await client.request(RenderComponentDocument, variables);
    expectTypeOf(data.integrationUI!.type).toEqualTypeOf<ContentKitRenderOutputType>();
    expectTypeOf(data.integrationUI!.element).toBeUnknown();

    const calls = h.calls();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      method: 'GET',
      path: `/integrations/${KUDOS}/render`,
      authorization: bearer(DEMO_TOKEN),
      status: 200,
    });
    expect(Object.keys(calls[0]!.query)).toEqual(['request']);
    const request = {
      componentId: render.componentId,
      props: render.props,
      state: variables.state,
      context: render.context,
    };
    expect(
      JSON.parse(lzString.decompressFromEncodedURIComponent(calls[0]!.query.request ?? '') ?? 'null'),
    ).toStrictEqual(request);

    const direct = await rest<ContentKitRenderOutput>(h, `/integrations/${KUDOS}/render`, {
      request: lzString.compressToEncodedURIComponent(JSON.stringify(request)),
    });
    expect(data).toEqual({ integrationUI: renderOutput(direct) });
    expect(data.integrationUI!.type).toBe('ELEMENT');
  });

  it('RenderComponentAction: one POST …/render with the action; the output is REST’s', async () => {
    const { render } = canonicalFixtures(store);
    const variables = { ...render, state: { count: 3 }, action: { action: 'kudos.add', amount: 2 } };
    const data = await client.request(RenderComponentActionDocument, variables);
    expectTypeOf(data.renderIntegrationUI!.output.returnValue).toBeUnknown();

    const { integrationName, ...request } = variables;
    expect(h.calls()).toEqual([
      expectedWrite('POST', `/integrations/${integrationName}/render`, { status: 200, body: request }),
    ]);
    const direct = await restWrite<ContentKitRenderOutput>(
      h,
      'POST',
      `/integrations/${integrationName}/render`,
      request,
    );
    expect(direct.status).toBe(200);
    expect(data).toEqual({ renderIntegrationUI: { output: renderOutput(direct.body) } });
    // The action changed the state it was sent.
    expect(data.renderIntegrationUI!.output.state).not.toEqual(variables.state);
  });
});

describe('typed variables', () => {
  it('variables that do not type-check are refused by the gateway too (HTTP 400), before any REST call', async () => {
    const refusals = [
      // @ts-expect-error `name` is required
      client.execute(IntegrationPageDocument, {}),
      // @ts-expect-error the variables are required when one of them is
      client.execute(IntegrationPageDocument),
      // @ts-expect-error not a value of IntegrationCategory
      client.execute(MarketplaceDocument, { category: 'ANALYTIC' }),
      // @ts-expect-error `first` is an Int
      client.execute(MarketplaceDocument, { first: '10' }),
      // @ts-expect-error `name` is a String
      client.execute(IntegrationPageDocument, { name: 42 }),
      // @ts-expect-error `props` is required by the render query
      client.execute(RenderComponentDocument, { integrationName: KUDOS, componentId: 'kudos-counter', context: {} }),
    ];
    for (const result of await Promise.all(refusals)) {
      expect(result.status).toBe(400);
      expect(result.data ?? null).toBeNull();
      expect(result.errors).toEqual([
        expect.objectContaining({
          message: expect.stringMatching(/^Variable "\$\w+"/),
          extensions: { code: 'BAD_USER_INPUT' },
        }),
      ]);
    }
    expect(h.calls()).toEqual([]);
  });

  it('a misspelled variable does not type-check; at runtime the gateway would silently ignore it', async () => {
    // @ts-expect-error `frist` is no variable of Marketplace
    await client.request(MarketplaceDocument, { frist: 1 });
    // The default page size was used: the typo would have gone unnoticed.
    expect(h.calls()).toEqual([expectedGet('/integrations', { limit: '20' })]);
  });

  it('`request` throws a ClientError with code BAD_USER_INPUT and status 400 for a variable the schema refuses', async () => {
    const error = await client
      // @ts-expect-error not a value of IntegrationCategory
      .request(MarketplaceDocument, { category: 'ANALYTIC' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).status).toBe(400);
    expect((error as ClientError).codes).toEqual(['BAD_USER_INPUT']);
    expect(h.calls()).toEqual([]);
  });
});

describe('errors', () => {
  const MISSING = 'no-such-integration';

  it('`request` throws a ClientError with the codes, the HTTP status and the partial data', async () => {
    const error = await client.request(IntegrationPageDocument, { name: MISSING }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ClientError);
    const clientError = error as ClientError<IntegrationPageQuery>;
    expect(clientError.codes).toEqual(['NOT_FOUND']);
    expect(clientError.status).toBe(200);
    expect(clientError.data).toEqual({ integration: null });
    expect(clientError.errors).toEqual([
      expect.objectContaining({
        path: ['integration'],
        extensions: expect.objectContaining({ code: 'NOT_FOUND', status: 404 }),
      }),
    ]);
    expect(clientError.message).toContain(MISSING); // REST's message
    expect(h.calls()).toEqual([expectedGet(`/integrations/${MISSING}`, {}, { status: 404 })]);
  });

  it('keeps the data of the fields that succeeded next to the error of the one that failed', async () => {
    // Any TypedDocumentString runs, not only the generated ones.
    const document = new TypedDocumentString<
      { found: { name: string } | null; missing: { name: string } | null },
      { found: string; missing: string }
    >(
      'query ($found: String!, $missing: String!) { found: integration(name: $found) { name } missing: integration(name: $missing) { name } }',
    );
    const error = await client.request(document, { found: SLACK, missing: MISSING }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).codes).toEqual(['NOT_FOUND']);
    expect((error as ClientError).data).toEqual({ found: { name: SLACK }, missing: null });
    const byPath = (calls: { path: string }[]) => [...calls].sort((x, y) => x.path.localeCompare(y.path));
    expect(byPath(h.calls())).toEqual(
      byPath([expectedGet(`/integrations/${SLACK}`), expectedGet(`/integrations/${MISSING}`, {}, { status: 404 })]),
    );
  });

  it('`execute` answers the errors and the partial data without throwing', async () => {
    const result = await client.execute(IntegrationPageDocument, { name: MISSING });
    expectTypeOf(result).toEqualTypeOf<ExecutionResult<IntegrationPageQuery> & { status: number }>();
    expect(result).toEqual({
      status: 200,
      data: { integration: null },
      errors: [
        expect.objectContaining({
          path: ['integration'],
          extensions: expect.objectContaining({ code: 'NOT_FOUND', status: 404 }),
        }),
      ],
    });
  });

  it('a response that is not GraphQL (a proxy’s error page) is a ClientError carrying the HTTP status', async () => {
    const proxy = await startLoopback((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    });
    try {
      const behindProxy = createClient({ url: `${proxy.url}/graphql`, token: DEMO_TOKEN });
      const error = await behindProxy.request(MarketplaceDocument).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ClientError);
      expect((error as ClientError).status).toBe(502);
      expect((error as ClientError).codes).toEqual([]);
      expect((error as ClientError).message).toContain('502');
    } finally {
      await proxy.close();
    }
  });

  it('`execute` answers a successful result with no errors', async () => {
    const result = await client.execute(IntegrationInstallationStatusDocument, {
      organizationId: canonicalFixtures(store).slackInstallation.organizationId,
      integrationName: SLACK,
    });
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    expect(result.data?.organization?.integrationInstallationStatus).toEqual(expect.any(String));
  });
});

describe('the token', () => {
  /** A fetch that records the headers of every request it sends. */
  function recordingFetch() {
    const sent: Headers[] = [];
    const recording: typeof fetch = (input, init) => {
      sent.push(new Headers(init?.headers));
      return fetch(input, init);
    };
    return { sent, fetch: recording };
  }

  it('is sent as `Authorization: Bearer <token>` and forwarded to REST unchanged', async () => {
    const recorder = recordingFetch();
    const withToken = createClient({ url, token: DEMO_TOKEN, fetch: recorder.fetch });
    await withToken.request(MarketplaceDocument, { first: 1 });
    expect(recorder.sent).toHaveLength(1);
    expect(recorder.sent[0]!.get('authorization')).toBe(`Bearer ${DEMO_TOKEN}`);
    expect(recorder.sent[0]!.get('content-type')).toBe('application/json');
    expect(h.calls()).toEqual([expectedGet('/integrations', { limit: '1' })]);
  });

  it('extra headers are sent with every request; one named like a default, in any case, replaces it', async () => {
    const recorder = recordingFetch();
    const other = `Bearer ${TOKENS.frank}`;
    const custom = createClient({
      url,
      token: DEMO_TOKEN,
      headers: { 'x-request-id': 'client-test', Authorization: other },
      fetch: recorder.fetch,
    });
    await custom.request(MarketplaceDocument, { first: 1 });
    expect(recorder.sent[0]!.get('x-request-id')).toBe('client-test');
    expect(recorder.sent[0]!.get('authorization')).toBe(other);
    expect(h.calls()).toEqual([{ ...expectedGet('/integrations', { limit: '1' }), authorization: other }]);
  });

  it('without a token no Authorization header is sent at all, and the gateway refuses with UNAUTHENTICATED before any REST call', async () => {
    const recorder = recordingFetch();
    const anonymous = createClient({ url, fetch: recorder.fetch });
    const error = await anonymous.request(MarketplaceDocument, { first: 1 }).catch((caught: unknown) => caught);
    expect([...recorder.sent[0]!.keys()]).not.toContain('authorization');
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).codes).toEqual(['UNAUTHENTICATED']);
    expect((error as ClientError).data).toBeUndefined();
    expect(h.calls()).toEqual([]);
  });
});
