import type { IntegrationInstallation, IntegrationSiteInstallation, IntegrationSpaceInstallation } from '@gitbook/api';
import { describe, expect, it } from 'vitest';
import { POPULAR_INTEGRATION } from '../../src/simulator/index.js';
import type { Harness } from './harness.js';
import { allCaps, errorSummary, expectedGet, rest } from './rest-fixtures.js';

/**
 * Space installations and site installations mirror each other route for
 * route, so space-installation.test.ts and site-installation.test.ts run the
 * same behaviours through this suite, each with its own kind.
 */

type Item = IntegrationSpaceInstallation | IntegrationSiteInstallation;
type Page<T> = { items: T[]; count: number; next?: { page: string } };

export interface ContentKindSuite {
  /** `space` or `site`: the GraphQL field, the `<kind>Id` field and argument. */
  kind: 'space' | 'site';
  /** `Space` or `Site`: the GraphQL type of the content. */
  type: 'Space' | 'Site';
  /** The REST path segment: `spaces` or `sites`. */
  segment: 'spaces' | 'sites';
  /** Every field of the content type beyond `id`, as a selection. */
  contentSelection: string;
  /** The content as GraphQL should show it, from the REST `extended=true` object. */
  expectedContent: (content: any) => Record<string, unknown>;
  /** An id the gateway must refuse before calling REST. */
  invalidId: string;
}

/** The id of the content a REST item is on, whether extended or not. */
const contentIdOf = (item: Item, kind: 'space' | 'site'): string => {
  const content =
    kind === 'space' ? (item as IntegrationSpaceInstallation).space : (item as IntegrationSiteInstallation).site;
  return typeof content === 'string' ? content : content.id;
};

export function contentInstallationSuite(h: Harness, options: ContentKindSuite): void {
  const { kind, type, segment } = options;
  const Type = `${type}Installation`;
  const idField = `${kind}Id`;
  const list = `${kind}Installations`;
  const lookup = `${kind}Installation`;
  const NAME = POPULAR_INTEGRATION;

  const FIELDS = /* GraphQL */ `
    fragment ContentInstallationFields on ${Type} {
      ${idField}
      status
      configuration
      externalIds
      urls { location publicEndpoint publicContentEndpoint }
      integration { name title }
    }
  `;

  const expectedItem = (item: Item, integrationTitle: string) => ({
    [idField]: contentIdOf(item, kind),
    status: allCaps(item.status),
    configuration: item.configuration,
    externalIds: item.externalIds,
    urls: {
      location: item.urls.location,
      publicEndpoint: item.urls.publicEndpoint,
      publicContentEndpoint: item.urls.publicContentEndpoint,
    },
    integration: { name: item.integration, title: integrationTitle },
  });

  const title = async () => (await rest<{ title: string }>(h, `/integrations/${NAME}`)).title;
  const byIntegration = `/integrations/${NAME}/${segment}`;

  /** An installation of the integration with at least `count` contents of this kind. */
  const installationWith = async (count: number): Promise<IntegrationInstallation> => {
    const page = await rest<Page<IntegrationInstallation>>(h, `/integrations/${NAME}/installations`, { limit: 100 });
    for (const installation of page.items) {
      const contents = await rest<Page<Item>>(h, `/integrations/${NAME}/installations/${installation.id}/${segment}`, {
        limit: 1,
      });
      if (contents.count >= count) return installation;
    }
    throw new Error(`no ${NAME} installation has ${count} ${segment}`);
  };

  describe(`Integration.${list}`, () => {
    it(`lists GET /integrations/{name}/${segment} with every ${Type} field, without extended`, async () => {
      const data = await h.data(`${FIELDS} {
        integration(name: "${NAME}") { ${list}(first: 30) { totalCount pageInfo { hasNextPage } nodes { ...ContentInstallationFields } } }
      }`);
      // The list needs no lookup of the integration it names; the items' `integration { title }`
      // costs one lookup for them all, after the list.
      expect(h.calls()).toEqual([expectedGet(byIntegration, { limit: '30' }), expectedGet(`/integrations/${NAME}`)]);
      const page = await rest<Page<Item>>(h, byIntegration, { limit: 30 });
      const integrationTitle = await title();
      expect(data.integration[list]).toEqual({
        totalCount: page.count,
        pageInfo: { hasNextPage: page.next !== undefined },
        nodes: page.items.map((item) => expectedItem(item, integrationTitle)),
      });
      // Items from several installations, so each is read from its own item.
      expect(new Set(page.items.map((item) => item.installation)).size).toBeGreaterThan(1);
    });

    it('filters by externalId', async () => {
      const [some] = (await rest<Page<Item>>(h, byIntegration, { limit: 5 })).items;
      const externalId = some?.externalIds[0] as string;
      expect(externalId).toBeDefined();
      const data = await h.data(
        `${FIELDS} query ($externalId: String) {
          integration(name: "${NAME}") { ${list}(externalId: $externalId) { totalCount nodes { ...ContentInstallationFields } } }
        }`,
        { externalId },
      );
      expect(h.calls()).toEqual([
        expectedGet(byIntegration, { limit: '20', externalId }),
        expectedGet(`/integrations/${NAME}`),
      ]);
      const page = await rest<Page<Item>>(h, byIntegration, { externalId, limit: 20 });
      expect(page.count).toBeGreaterThan(0);
      const integrationTitle = await title();
      expect(data.integration[list]).toEqual({
        totalCount: page.count,
        nodes: page.items.map((item) => expectedItem(item, integrationTitle)),
      });
    });

    it(`reads each item’s installation with one lookup per distinct installation`, async () => {
      const data = await h.data(`{
        integration(name: "${NAME}") { ${list}(first: 10) { nodes { ${idField} installation { installationId status spaceCount } } } }
      }`);
      const page = await rest<Page<Item>>(h, byIntegration, { limit: 10 });
      const installationIds = [...new Set(page.items.map((item) => item.installation))];
      const calls = h.calls();
      expect(calls.slice(0, 1)).toEqual([expectedGet(byIntegration, { limit: '10' })]);
      expect(calls.slice(1).sort((a, b) => a.path.localeCompare(b.path))).toEqual(
        installationIds
          .map((id) => expectedGet(`/integrations/${NAME}/installations/${id}`))
          .sort((a, b) => a.path.localeCompare(b.path)),
      );
      const installations = new Map<string, IntegrationInstallation>();
      for (const id of installationIds) {
        installations.set(id, await rest<IntegrationInstallation>(h, `/integrations/${NAME}/installations/${id}`));
      }
      expect(data.integration[list].nodes).toEqual(
        page.items.map((item) => {
          const installation = installations.get(item.installation) as IntegrationInstallation;
          return {
            [idField]: contentIdOf(item, kind),
            installation: {
              installationId: installation.id,
              status: allCaps(installation.status),
              spaceCount: installation.spaces,
            },
          };
        }),
      );
    });

    it(`shows the ${kind} as REST’s extended form, asked for in the same call`, async () => {
      const data = await h.data(`{
        integration(name: "${NAME}") { ${list}(first: 5) { nodes { ${idField} ${kind} { id ${options.contentSelection} } } } }
      }`);
      expect(h.calls()).toEqual([expectedGet(byIntegration, { limit: '5', extended: 'true' })]);
      const page = await rest<Page<Item>>(h, byIntegration, { limit: 5, extended: true });
      expect(data.integration[list].nodes).toEqual(
        page.items.map((item) => {
          const content =
            kind === 'space'
              ? (item as IntegrationSpaceInstallation).space
              : (item as IntegrationSiteInstallation).site;
          return {
            [idField]: contentIdOf(item, kind),
            [kind]: { id: contentIdOf(item, kind), ...options.expectedContent(content) },
          };
        }),
      );
    });
  });

  describe(`the extended=true lookahead on Integration.${list}`, () => {
    const cases: { name: string; query: string; variables?: Record<string, unknown>; extended: boolean }[] = [
      {
        name: `only ${idField}`,
        query: `{ integration(name: "${NAME}") { ${list}(first: 3) { nodes { ${idField} } } } }`,
        extended: false,
      },
      {
        name: `${kind} { id }`,
        query: `{ integration(name: "${NAME}") { ${list}(first: 3) { nodes { ${kind} { id } } } } }`,
        extended: false,
      },
      {
        name: `${kind} { id __typename }`,
        query: `{ integration(name: "${NAME}") { ${list}(first: 3) { nodes { ${kind} { id __typename } } } } }`,
        extended: false,
      },
      {
        name: `${kind} { title }`,
        query: `{ integration(name: "${NAME}") { ${list}(first: 3) { nodes { ${kind} { title } } } } }`,
        extended: true,
      },
      {
        name: `${kind} { title } under edges { node }`,
        query: `{ integration(name: "${NAME}") { ${list}(first: 3) { edges { cursor node { ${idField} ${kind} { title } } } } } }`,
        extended: true,
      },
      {
        name: `${kind} { title } through a named fragment on ${Type}`,
        query: `fragment F on ${Type} { ${kind} { title } }
          { integration(name: "${NAME}") { ${list}(first: 3) { nodes { ${idField} ...F } } } }`,
        extended: true,
      },
      {
        name: `${kind} { title } through a fragment on ${type}`,
        query: `fragment C on ${type} { title }
          { integration(name: "${NAME}") { ${list}(first: 3) { nodes { ${kind} { id ...C } } } } }`,
        extended: true,
      },
      {
        name: `${kind} { title } through an inline fragment on Node`,
        query: `{ integration(name: "${NAME}") { ${list}(first: 3) { nodes { ... on Node { ... on ${Type} { ${kind} { title } } } } } } }`,
        extended: true,
      },
      {
        name: `${kind} { title } through a fragment on the connection`,
        query: `fragment L on ${Type}Connection { nodes { ${kind} { title } } }
          { integration(name: "${NAME}") { ${list}(first: 3) { ...L } } }`,
        extended: true,
      },
      {
        name: `${kind} { id } through a fragment (still only the id)`,
        query: `fragment F on ${Type} { ${kind} { id } }
          { integration(name: "${NAME}") { ${list}(first: 3) { nodes { ${idField} ...F } } } }`,
        extended: false,
      },
      {
        name: `${kind} { title } left out by @include(if: false)`,
        query: `query ($full: Boolean!) { integration(name: "${NAME}") { ${list}(first: 3) { nodes { ${idField} ${kind} { id title @include(if: $full) } } } } }`,
        variables: { full: false },
        extended: false,
      },
      {
        name: `${kind} { title } kept by @include(if: true)`,
        query: `query ($full: Boolean!) { integration(name: "${NAME}") { ${list}(first: 3) { nodes { ${idField} ${kind} { id title @include(if: $full) } } } } }`,
        variables: { full: true },
        extended: true,
      },
      {
        name: `${kind} { title } skipped by @skip(if: true)`,
        query: `{ integration(name: "${NAME}") { ${list}(first: 3) { nodes { ${idField} ${kind} @skip(if: true) { title } } } } }`,
        extended: false,
      },
    ];

    it.each(cases)('selecting $name asks extended=$extended, in one call', async ({ query, variables, extended }) => {
      const data = await h.data(query, variables);
      expect(h.calls()).toEqual([
        expectedGet(byIntegration, extended ? { limit: '3', extended: 'true' } : { limit: '3' }),
      ]);
      expect(data.integration).toBeTruthy();
    });
  });

  describe(`Installation.${list}`, () => {
    it(`lists GET …/installations/{id}/${segment} with every ${Type} field`, async () => {
      const installation = await installationWith(2);
      const path = `/integrations/${NAME}/installations/${installation.id}/${segment}`;
      const data = await h.data(
        `${FIELDS} query ($id: String!) {
          integration(name: "${NAME}") {
            installation(installationId: $id) {
              ${list}(first: 50) { totalCount nodes { ...ContentInstallationFields installation { installationId } } }
            }
          }
        }`,
        { id: installation.id },
      );
      // Each item's installation is the parent, already loaded; the items' `integration { title }`
      // costs one lookup for them all, after the list.
      expect(h.calls()).toEqual([
        expectedGet(`/integrations/${NAME}/installations/${installation.id}`),
        expectedGet(path, { limit: '50' }),
        expectedGet(`/integrations/${NAME}`),
      ]);
      const page = await rest<Page<Item>>(h, path, { limit: 50 });
      const integrationTitle = await title();
      expect(data.integration.installation[list]).toEqual({
        totalCount: page.count,
        nodes: page.items.map((item) => ({
          ...expectedItem(item, integrationTitle),
          installation: { installationId: installation.id },
        })),
      });
    });

    it.each([
      { selection: `${idField} ${kind} { id }`, extended: false },
      { selection: `${idField} ${kind} { id title }`, extended: true },
    ])('asks extended=$extended when selecting $selection', async ({ selection, extended }) => {
      const installation = await installationWith(2);
      const path = `/integrations/${NAME}/installations/${installation.id}/${segment}`;
      const data = await h.data(
        `query ($id: String!) { integration(name: "${NAME}") { installation(installationId: $id) { ${list}(first: 2) { nodes { ${selection} } } } } }`,
        { id: installation.id },
      );
      expect(h.calls()).toEqual([
        expectedGet(`/integrations/${NAME}/installations/${installation.id}`),
        expectedGet(path, extended ? { limit: '2', extended: 'true' } : { limit: '2' }),
      ]);
      const page = await rest<Page<Item>>(h, path, { limit: 2, extended: true });
      expect(data.integration.installation[list].nodes).toEqual(
        page.items.map((item) => {
          const content =
            kind === 'space'
              ? (item as IntegrationSpaceInstallation).space
              : (item as IntegrationSiteInstallation).site;
          const id = contentIdOf(item, kind);
          return { [idField]: id, [kind]: extended ? { id, title: (content as { title: string }).title } : { id } };
        }),
      );
    });
  });

  describe(`Installation.${lookup}(${idField})`, () => {
    const LOOKUP = (selection: string) => `query ($id: String!, $contentId: String!) {
      integration(name: "${NAME}") { installation(installationId: $id) { ${lookup}(${idField}: $contentId) { ${selection} } } }
    }`;
    const target = async () => {
      const installation = await installationWith(1);
      const [item] = (
        await rest<Page<Item>>(h, `/integrations/${NAME}/installations/${installation.id}/${segment}`, { limit: 1 })
      ).items;
      const contentId = contentIdOf(item as Item, kind);
      return {
        installation,
        contentId,
        path: `/integrations/${NAME}/installations/${installation.id}/${segment}/${contentId}`,
      };
    };

    it(`reads GET …/${segment}/{${idField}} without extended when only ${idField} and plain fields are selected`, async () => {
      const { installation, contentId, path } = await target();
      const data = await h.data(
        `${FIELDS} ${LOOKUP(`id ...ContentInstallationFields installation { installationId } ${kind} { id }`)}`,
        {
          id: installation.id,
          contentId,
        },
      );
      // The item's `integration { title }` costs the one lookup of the integration, after the item.
      expect(h.calls()).toEqual([
        expectedGet(`/integrations/${NAME}/installations/${installation.id}`),
        expectedGet(path),
        expectedGet(`/integrations/${NAME}`),
      ]);
      const item = await rest<Item>(h, path);
      expect(data.integration.installation[lookup]).toEqual({
        id: expect.any(String),
        ...expectedItem(item, await title()),
        installation: { installationId: installation.id },
        [kind]: { id: contentId },
      });
    });

    it(`reads it with extended=true, in one call, when the ${kind} is selected beyond its id`, async () => {
      const { installation, contentId, path } = await target();
      const data = await h.data(LOOKUP(`${idField} ${kind} { id ${options.contentSelection} }`), {
        id: installation.id,
        contentId,
      });
      expect(h.calls()).toEqual([
        expectedGet(`/integrations/${NAME}/installations/${installation.id}`),
        expectedGet(path, { extended: 'true' }),
      ]);
      const item = await rest<Item>(h, path, { extended: true });
      const content =
        kind === 'space' ? (item as IntegrationSpaceInstallation).space : (item as IntegrationSiteInstallation).site;
      expect(data.integration.installation[lookup]).toEqual({
        [idField]: contentId,
        [kind]: { id: contentId, ...options.expectedContent(content) },
      });
    });

    it(`asks extended=true through a fragment too`, async () => {
      const { installation, contentId, path } = await target();
      await h.data(`fragment X on ${Type} { ${kind} { ... on ${type} { title } } } ${LOOKUP('...X')}`, {
        id: installation.id,
        contentId,
      });
      expect(h.calls()).toEqual([
        expectedGet(`/integrations/${NAME}/installations/${installation.id}`),
        expectedGet(path, { extended: 'true' }),
      ]);
    });

    it('costs no call after the same request listed it', async () => {
      const { installation, contentId } = await target();
      const data = await h.data(
        `query ($id: String!, $contentId: String!) {
          integration(name: "${NAME}") {
            installation(installationId: $id) {
              ${list}(first: 1) { nodes { installation { ${lookup}(${idField}: $contentId) { ${idField} status } } } }
            }
          }
        }`,
        { id: installation.id, contentId },
      );
      expect(h.calls()).toEqual([
        expectedGet(`/integrations/${NAME}/installations/${installation.id}`),
        expectedGet(`/integrations/${NAME}/installations/${installation.id}/${segment}`, { limit: '1' }),
      ]);
      expect(data.integration.installation[list].nodes[0].installation[lookup][idField]).toBe(contentId);
    });

    it(`refetches through node(id), with extended=true only when the ${kind} is read`, async () => {
      const { installation, contentId, path } = await target();
      const { integration } = await h.data(LOOKUP('id'), { id: installation.id, contentId });
      const globalId = integration.installation[lookup].id as string;

      h.resetCalls();
      const plain = await h.data(`query ($id: ID!) { node(id: $id) { ... on ${Type} { ${idField} status } } }`, {
        id: globalId,
      });
      expect(plain.node[idField]).toBe(contentId);
      expect(h.calls()).toEqual([expectedGet(path)]);

      h.resetCalls();
      const full = await h.data(`query ($id: ID!) { node(id: $id) { ... on ${Type} { ${kind} { title } } } }`, {
        id: globalId,
      });
      expect(h.calls()).toEqual([expectedGet(path, { extended: 'true' })]);
      const item = await rest<Item>(h, path, { extended: true });
      const content =
        kind === 'space' ? (item as IntegrationSpaceInstallation).space : (item as IntegrationSiteInstallation).site;
      expect(full.node[kind].title).toBe((content as { title: string }).title);
    });

    it('answers null with NOT_FOUND (status 404) where the integration is not installed', async () => {
      const { installation } = await target();
      const installed = new Set(
        (
          await rest<Page<Item>>(h, `/integrations/${NAME}/installations/${installation.id}/${segment}`, {
            limit: 1000,
          })
        ).items.map((item) => contentIdOf(item, kind)),
      );
      const collection = kind === 'space' ? h.simulator.store.spaces.keys() : h.simulator.store.sites.keys();
      const other = [...collection].find((id) => !installed.has(id)) as string;
      const response = await h.graphql(LOOKUP(idField), { id: installation.id, contentId: other });
      expect(response.data).toEqual({ integration: { installation: { [lookup]: null } } });
      expect(errorSummary(response)).toEqual([
        { path: ['integration', 'installation', lookup], code: 'NOT_FOUND', status: 404 },
      ]);
      expect(h.calls().at(-1)).toEqual(
        expectedGet(`/integrations/${NAME}/installations/${installation.id}/${segment}/${other}`, {}, { status: 404 }),
      );
    });

    it(`refuses the ${idField} ${JSON.stringify(options.invalidId)} with BAD_USER_INPUT, before calling for it`, async () => {
      const { installation } = await target();
      const response = await h.graphql(LOOKUP(idField), { id: installation.id, contentId: options.invalidId });
      expect(errorSummary(response)).toEqual([
        { path: ['integration', 'installation', lookup], code: 'BAD_USER_INPUT', status: undefined },
      ]);
      expect(h.calls().map((call) => call.path)).toEqual([`/integrations/${NAME}/installations/${installation.id}`]);
    });
  });
}
