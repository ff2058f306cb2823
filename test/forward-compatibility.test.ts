import type { Integration } from '@gitbook/api';
import { describe, expect, it } from 'vitest';
import { POPULAR_INTEGRATION, SEEDED_USERS } from '../src/simulator/index.js';
import { MAX_WARNINGS } from '../src/warnings.js';
import { type GraphQLResponse, useHarness } from './helpers/harness.js';
import { queryGateway, rewritingUpstream } from './helpers/loopback.js';
import { allCaps, expectedGet, rest } from './helpers/rest-fixtures.js';

/**
 * GitBook's API is released every few days and answers what the pinned
 * `@gitbook/api` does not know yet: enum values, properties, numbers past
 * what a GraphQL Int holds, `next` on a list it does not paginate. A proxy in
 * front of the simulator plays that API (helpers/loopback.ts); each test
 * checks that the newer answer fails nothing and loses nothing.
 */

const h = await useHarness();
const SLACK = POPULAR_INTEGRATION;
const MARKETPLACE = `{ integrations(first: 3) { totalCount nodes { name version target scopes categories visibility } } }`;

type Page = { items: any[]; count?: number; next?: { page: string } };

describe('an enum value newer than the pinned spec', () => {
  it('is served as UNKNOWN in its place, the page and its item intact, and the raw value is in extensions.warnings', async () => {
    const { gateway } = await rewritingUpstream(h, (path, body: Page) => {
      if (path !== '/integrations') return body;
      const [first] = body.items as Integration[];
      if (first) Object.assign(first, { scopes: [...first.scopes, 'site:hologram:write'], target: 'hologram' });
      return body;
    });
    const page = await rest<Page>(h, '/integrations', { limit: 3 });
    const response = await queryGateway(gateway, MARKETPLACE);
    const [first, ...others] = page.items as Integration[];
    if (!first) throw new Error('the marketplace is empty');
    const node = (integration: Integration) => ({
      name: integration.name,
      version: integration.version,
      target: allCaps(integration.target),
      scopes: integration.scopes.map(allCaps),
      categories: integration.categories.map(allCaps),
      visibility: allCaps(integration.visibility),
    });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      integrations: {
        totalCount: page.count,
        nodes: [
          { ...node(first), target: 'UNKNOWN', scopes: [...first.scopes.map(allCaps), 'UNKNOWN'] },
          ...others.map(node),
        ],
      },
    });
    expect((response as GraphQLResponse & { extensions?: unknown }).extensions).toEqual({
      warnings: [
        {
          code: 'UNKNOWN_ENUM_VALUE',
          message:
            'GitBook API sent "hologram" for Integration.target, a value IntegrationTarget does not know yet: it is served as UNKNOWN.',
          path: ['integrations', 'nodes', 0, 'target'],
          enum: 'IntegrationTarget',
          value: 'hologram',
        },
        {
          code: 'UNKNOWN_ENUM_VALUE',
          message:
            'GitBook API sent "site:hologram:write" for Integration.scopes, a value IntegrationScope does not know yet: it is served as UNKNOWN.',
          path: ['integrations', 'nodes', 0, 'scopes', first.scopes.length],
          enum: 'IntegrationScope',
          value: 'site:hologram:write',
        },
      ],
    });
  });

  it('in an installation’s status and in a lookup that resolves asynchronously, the same', async () => {
    const [installation] = [...(h.simulator.store.integrations.get(SLACK)?.installations.values() ?? [])];
    if (!installation) throw new Error('no slack installation');
    const id = installation.installation.id;
    const { gateway } = await rewritingUpstream(h, (path, body) =>
      path === `/integrations/${SLACK}/installations/${id}`
        ? { ...body, status: 'hibernating', site_selection: 'some' }
        : body,
    );
    const response = await queryGateway(
      gateway,
      `{ integration(name: "${SLACK}") { installation(installationId: "${id}") { installationId status siteSelection } } }`,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      integration: { installation: { installationId: id, status: 'UNKNOWN', siteSelection: 'UNKNOWN' } },
    });
    const warnings = (response as { extensions?: { warnings?: { path: unknown; value: unknown }[] } }).extensions
      ?.warnings;
    expect(warnings?.map(({ path, value }) => ({ path, value }))).toEqual([
      { path: ['integration', 'installation', 'status'], value: 'hibernating' },
      { path: ['integration', 'installation', 'siteSelection'], value: 'some' },
    ]);
  });

  it(`lists at most ${MAX_WARNINGS} warnings in a response and counts the rest`, async () => {
    const { gateway } = await rewritingUpstream(h, (path, body: Page) =>
      path === '/integrations'
        ? { ...body, items: body.items.map((item) => ({ ...item, target: 'hologram', visibility: 'holographic' })) }
        : body,
    );
    const response = await queryGateway(gateway, `{ integrations(first: 40) { nodes { target visibility } } }`);
    const nodes = (response.data as { integrations: { nodes: { target: string; visibility: string }[] } }).integrations
      .nodes;
    expect(nodes).toHaveLength(40);
    expect(nodes.every((node) => node.target === 'UNKNOWN' && node.visibility === 'UNKNOWN')).toBe(true);
    const extensions = (response as { extensions?: { warnings: unknown[]; warningsOmitted?: number } }).extensions;
    expect(extensions?.warnings).toHaveLength(MAX_WARNINGS);
    expect(extensions?.warningsOmitted).toBe(80 - MAX_WARNINGS);
  });

  it('UNKNOWN cannot be sent: as a literal it fails validation, as a variable it is BAD_USER_INPUT; no REST call either way', async () => {
    const literal = await h.graphql('{ integrations(scope: UNKNOWN) { totalCount } }');
    expect(literal.errors?.map((error) => error.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(literal.errors?.[0]?.message).toContain(
      'IntegrationScope.UNKNOWN stands for values newer than this gateway',
    );
    const variable = await h.graphql(
      'query ($scope: IntegrationScope) { integrations(scope: $scope) { totalCount } }',
      { scope: 'UNKNOWN' },
    );
    expect(variable.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(h.calls()).toEqual([]);
  });
});

describe('properties newer than the pinned spec', () => {
  it('are ignored: the answer is what it would be without them, with no warning', async () => {
    const { gateway } = await rewritingUpstream(h, (path, body: Page) =>
      path === '/integrations'
        ? { ...body, hologram: { depth: 3 }, items: body.items.map((item) => ({ ...item, hologramUrl: 'https://x' })) }
        : body,
    );
    const plain = await queryGateway(h.gateway, MARKETPLACE);
    const newer = await queryGateway(gateway, MARKETPLACE);
    expect(newer).toEqual(plain);
    expect(newer.errors).toBeUndefined();
  });
});

describe('numbers the spec types as `number`', () => {
  it('are served as sent, fractional or past 2^31: version, spaceCount, totalCount', async () => {
    const [installation] = [...(h.simulator.store.integrations.get(SLACK)?.installations.values() ?? [])];
    if (!installation) throw new Error('no slack installation');
    const { gateway } = await rewritingUpstream(h, (path, body) => {
      if (path === `/integrations/${SLACK}`) return { ...body, version: 4_294_967_296.5 };
      if (path === `/integrations/${SLACK}/installations`) {
        return {
          ...body,
          count: Number.MAX_SAFE_INTEGER,
          items: body.items.map((item: object) => ({ ...item, spaces: 3_000_000_000.25 })),
        };
      }
      return body;
    });
    const response = await queryGateway(
      gateway,
      `{ integration(name: "${SLACK}") { version installations(first: 2) { totalCount nodes { spaceCount } } } }`,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      integration: {
        version: 4_294_967_296.5,
        installations: {
          totalCount: Number.MAX_SAFE_INTEGER,
          nodes: [{ spaceCount: 3_000_000_000.25 }, { spaceCount: 3_000_000_000.25 }],
        },
      },
    });
  });
});

describe('a list REST does not paginate, answering `next` anyway', () => {
  // A site of one of demo's organizations with at least two integrations on it.
  const store = h.simulator.store;
  const found = [...store.sites.values()].find(
    (candidate) =>
      SEEDED_USERS.demo.organizations.includes(candidate.organizationId) &&
      [...store.integrations.values()].filter((record) =>
        [...record.installations.values()].some(
          (inst) => inst.organizationId === candidate.organizationId && inst.content.site.has(candidate.site.id),
        ),
      ).length >= 2,
  );
  if (!found) throw new Error('no site of demo’s organizations has two integrations');
  const org = found.organizationId;
  const site = found.site.id;
  const path = `/orgs/${org}/sites/${site}/integrations`;
  const query = (args: string) =>
    `{ organization(organizationId: "${org}") { site(siteId: "${site}") { integrations(${args}) { totalCount pageInfo { hasNextPage endCursor } nodes { name } } } } }`;

  it('is read once: every item once, hasNextPage false, one REST call (it looped on the same page before)', async () => {
    const whole = await rest<Page>(h, path);
    const { gateway } = await rewritingUpstream(h, (requested, body) =>
      requested === path ? { ...body, next: { page: 'again' } } : body,
    );
    const response = await queryGateway(gateway, query('first: 50'));
    expect(response.errors).toBeUndefined();
    const integrations = (response.data as any).organization.site.integrations;
    expect(integrations.nodes).toEqual(whole.items.map((item) => ({ name: item.name })));
    expect(integrations.pageInfo.hasNextPage).toBe(false);
    expect(integrations.totalCount).toBe(whole.count);
    expect(h.calls()).toEqual([expectedGet(path)]);
  });

  it('pages through that one answer with first/after, asking REST for the same list each time, never for `next`', async () => {
    const whole = await rest<Page>(h, path);
    const { gateway } = await rewritingUpstream(h, (requested, body) =>
      requested === path ? { ...body, next: { page: 'again' } } : body,
    );
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page <= whole.items.length; page += 1) {
      const response: GraphQLResponse = await queryGateway(
        gateway,
        query(`first: 1${after ? `, after: "${after}"` : ''}`),
      );
      const integrations = (response.data as any).organization.site.integrations;
      seen.push(...integrations.nodes.map((node: { name: string }) => node.name));
      if (!integrations.pageInfo.hasNextPage) break;
      after = integrations.pageInfo.endCursor;
    }
    expect(seen).toEqual(whole.items.map((item) => item.name));
    expect(h.calls()).toEqual(whole.items.map(() => expectedGet(path)));
  });
});
