import { describe, expect, it } from 'vitest';
import { organizationId, POPULAR_INTEGRATION } from '../src/simulator/index.js';
import { useHarness } from './helpers/harness.js';
import { expectedGet, rest, restAll } from './helpers/rest-fixtures.js';

interface RestPage {
  items: { id: string }[];
  count: number;
  next?: { page: string };
}

// Some tests grow a list past the REST page maximum: every test starts from the seed.
const h = await useHarness({ resetStateBeforeEach: true });

const SLACK = POPULAR_INTEGRATION;

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

interface Connection {
  totalCount: number | null;
  pageInfo: PageInfo;
  edges: { cursor: string; node: { id: string } }[];
}

/** The two lists of `slack` the tests page through, and their REST routes. */
const LISTS = {
  events: { field: 'events', idField: 'eventId', path: `/integrations/${SLACK}/events` },
  installations: { field: 'installations', idField: 'installationId', path: `/integrations/${SLACK}/installations` },
} as const;
type ListName = keyof typeof LISTS;

function listQuery(list: ListName): string {
  const { field, idField } = LISTS[list];
  return /* GraphQL */ `
    query Page($name: String!, $first: Int, $after: String) {
      integration(name: $name) {
        list: ${field}(first: $first, after: $after) {
          totalCount
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          edges { cursor node { id: ${idField} } }
        }
      }
    }
  `;
}

async function page(list: ListName, args: { first?: number; after?: string | null }): Promise<Connection> {
  const data = await h.data<{ integration: { list: Connection } }>(listQuery(list), { name: SLACK, ...args });
  return data.integration.list;
}

/** The REST list calls the gateway made (the integration lookup left out). */
function listCalls(list: ListName) {
  return h.calls().filter((call) => call.path === LISTS[list].path);
}

function restIds(items: { id: string }[]): string[] {
  return items.map((item) => item.id);
}

/**
 * Grows `slack`'s events past the REST page maximum of 1000 by repeating the
 * seeded ones under new ids, so a connection has to cross a REST page.
 */
function growSlackEvents(total: number): void {
  const record = h.simulator.store.integrations.get(SLACK);
  if (!record) throw new Error(`${SLACK} is not seeded`);
  const seeded = [...record.events];
  for (let copy = 0; record.events.length < total; copy++) {
    const source = seeded[copy % seeded.length];
    if (!source) throw new Error(`${SLACK} has no events to copy`);
    record.events.push({ ...source, event: { ...source.event, id: `${source.event.id}x${copy}` } });
  }
}

describe('walking a connection with endCursor', () => {
  it.each([
    { list: 'events' as const, first: 7 },
    { list: 'installations' as const, first: 10 },
  ])('yields every item of $list exactly once, in REST order (first: $first)', async ({ list, first }) => {
    const expected = restIds(await restAll(h, LISTS[list].path));
    expect(expected.length).toBeGreaterThan(2 * first); // several GraphQL pages

    const seen: string[] = [];
    let after: string | null = null;
    for (let step = 0; step < 50; step++) {
      h.resetCalls();
      const connection = await page(list, { first, after });

      // One call per step, the list alone (no lookup of the integration): the first
      // step reads the first REST page; each later one follows the REST page token
      // that endCursor carries, asking for `first` items only.
      const [listCall, ...rest] = h.calls();
      expect(rest).toEqual([]);
      expect(listCall).toEqual({
        ...expectedGet(LISTS[list].path, { limit: String(first) }),
        query: step === 0 ? { limit: String(first) } : { limit: String(first), page: expect.any(String) },
      });

      const ids = connection.edges.map((edge) => edge.node.id);
      expect(ids).toEqual(expected.slice(seen.length, seen.length + first));
      seen.push(...ids);
      expect(connection.totalCount).toBe(expected.length);
      expect(connection.pageInfo).toEqual({
        hasNextPage: seen.length < expected.length,
        hasPreviousPage: after !== null,
        startCursor: connection.edges[0]?.cursor,
        endCursor: connection.edges.at(-1)?.cursor,
      });
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  it('gives every edge a distinct cursor', async () => {
    const connection = await page('events', { first: 60 });
    const cursors = connection.edges.map((edge) => edge.cursor);
    expect(cursors).toHaveLength(60);
    expect(new Set(cursors).size).toBe(60);
  });

  it('says hasNextPage: false when the page ends exactly at the end of the list', async () => {
    const all = restIds(await restAll(h, LISTS.installations.path));

    const whole = await page('installations', { first: all.length });
    expect(whole.edges.map((edge) => edge.node.id)).toEqual(all);
    expect(whole.pageInfo.hasNextPage).toBe(false);

    const allButOne = await page('installations', { first: all.length - 1 });
    expect(allButOne.pageInfo.hasNextPage).toBe(true);
    const last = await page('installations', { first: 5, after: allButOne.pageInfo.endCursor });
    expect(last.edges.map((edge) => edge.node.id)).toEqual(all.slice(-1));
    expect(last.pageInfo.hasNextPage).toBe(false);
  });

  it('answers an empty page after the last edge', async () => {
    const all = restIds(await restAll(h, LISTS.events.path));
    const whole = await page('events', { first: all.length });
    h.resetCalls();

    const after = await page('events', { first: 5, after: whole.pageInfo.endCursor });
    expect(after).toEqual({
      totalCount: all.length,
      pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null },
      edges: [],
    });
    expect(listCalls('events').map((call) => call.query)).toEqual([{ limit: String(all.length + 5) }]);
  });
});

describe('after: the cursor of an edge in the middle of a page', () => {
  it('continues with exactly the next item, re-requesting that REST page', async () => {
    const all = restIds(await restAll(h, LISTS.events.path));
    const first = await page('events', { first: 10 });
    const middle = first.edges[4];
    if (!middle) throw new Error('expected 10 edges');
    h.resetCalls();

    const next = await page('events', { first: 3, after: middle.cursor });
    expect(next.edges.map((edge) => edge.node.id)).toEqual(all.slice(5, 8));
    // The edge sat at index 4 of the first REST page (no token): limit = 4 + 1 + 3.
    expect(listCalls('events')).toEqual([expectedGet(LISTS.events.path, { limit: '8' })]);
    expect(next.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect(next.totalCount).toBe(all.length);
  });
});

describe('a list longer than one REST page (REST answers at most 1000 items)', () => {
  const TOTAL = 1200;

  it('crosses to the next REST page with its token, and continues mid-page on that page', async () => {
    growSlackEvents(TOTAL);
    const firstRestPage = await rest<RestPage>(h, LISTS.events.path, { limit: 1000 });
    const token = firstRestPage.next?.page;
    if (!token) throw new Error('REST should announce a second page');
    const all = restIds(await restAll(h, LISTS.events.path));
    expect(all).toHaveLength(TOTAL);

    const head = await page('events', { first: 1000 });
    expect(head.totalCount).toBe(TOTAL);
    expect(head.pageInfo.hasNextPage).toBe(true);
    expect(listCalls('events').map((call) => call.query)).toEqual([{ limit: '1000' }]);
    const edge899 = head.edges[899];
    if (!edge899) throw new Error('expected 1000 edges');
    h.resetCalls();

    // 300 items after item 899: the rest of REST page 1, then 200 of page 2.
    const spanning = await page('events', { first: 300, after: edge899.cursor });
    expect(spanning.edges.map((edge) => edge.node.id)).toEqual(all.slice(900, 1200));
    expect(spanning.pageInfo.hasNextPage).toBe(false);
    expect(listCalls('events').map((call) => call.query)).toEqual([{ limit: '1000' }, { page: token, limit: '200' }]);

    // Item 1100 sits at index 100 of REST page 2: the same token, limit = 100 + 1 + 5.
    const edge1100 = spanning.edges[200];
    if (!edge1100) throw new Error('expected 300 edges');
    h.resetCalls();
    const inSecondPage = await page('events', { first: 5, after: edge1100.cursor });
    expect(inSecondPage.edges.map((edge) => edge.node.id)).toEqual(all.slice(1101, 1106));
    expect(listCalls('events')).toEqual([expectedGet(LISTS.events.path, { page: token, limit: '106' })]);
    expect(inSecondPage.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  });

  it('walks the whole list with endCursor, every item exactly once', async () => {
    growSlackEvents(TOTAL);
    const all = restIds(await restAll(h, LISTS.events.path));
    const seen: string[] = [];
    let after: string | null = null;
    for (let step = 0; step < 10; step++) {
      const connection = await page('events', { first: 500, after });
      seen.push(...connection.edges.map((edge) => edge.node.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(all);
  });
});

describe('a REST list without pagination (a site’s integrations)', () => {
  it('pages through the one whole answer; REST gets no limit or page', async () => {
    // listSiteIntegrations has no pagination parameters: the strict simulator would refuse them.
    const org = organizationId('initech');
    let site: { id: string; names: string[] } | undefined;
    for (const record of h.simulator.store.sitesOf(org)) {
      const answer = await rest<{ items: { name: string }[] }>(h, `/orgs/${org}/sites/${record.site.id}/integrations`);
      if (answer.items.length >= 3) site = { id: record.site.id, names: answer.items.map((item) => item.name) };
    }
    if (!site) throw new Error('the seed gave initech no site with 3 integrations');
    const path = `/orgs/${org}/sites/${site.id}/integrations`;
    const query = /* GraphQL */ `
      query ($org: String!, $site: String!, $after: String) {
        organization(organizationId: $org) {
          site(siteId: $site) {
            integrations(first: 2, after: $after) {
              totalCount
              pageInfo { hasNextPage endCursor }
              nodes { name }
            }
          }
        }
      }
    `;

    const head = (await h.data(query, { org, site: site.id })).organization.site.integrations;
    expect(head.nodes.map((node: { name: string }) => node.name)).toEqual(site.names.slice(0, 2));
    expect(head.totalCount).toBe(site.names.length);
    expect(head.pageInfo.hasNextPage).toBe(true);
    expect(h.calls()).toEqual([expectedGet(path)]);

    h.resetCalls();
    const tail = (await h.data(query, { org, site: site.id, after: head.pageInfo.endCursor })).organization.site
      .integrations;
    expect(tail.nodes.map((node: { name: string }) => node.name)).toEqual(site.names.slice(2, 4));
    expect(tail.pageInfo.hasNextPage).toBe(site.names.length > 4);
    expect(h.calls()).toEqual([expectedGet(path)]);
  });
});

describe('first', () => {
  it('defaults to 20 (REST limit=20)', async () => {
    const all = restIds(await restAll(h, LISTS.events.path));
    const connection = await page('events', {});
    expect(connection.edges.map((edge) => edge.node.id)).toEqual(all.slice(0, 20));
    expect(listCalls('events').map((call) => call.query)).toEqual([{ limit: '20' }]);
  });

  it('accepts 1000, the REST maximum (REST limit=1000)', async () => {
    const all = restIds(await restAll(h, LISTS.events.path));
    const connection = await page('events', { first: 1000 });
    expect(connection.edges.map((edge) => edge.node.id)).toEqual(all);
    expect(connection.pageInfo.hasNextPage).toBe(false);
    expect(listCalls('events').map((call) => call.query)).toEqual([{ limit: '1000' }]);
  });

  it.each([1001, 0, -1])('refuses first: %i with BAD_USER_INPUT and makes no REST call', async (first) => {
    const response = await h.graphql(`query ($first: Int) { integrations(first: $first) { totalCount } }`, { first });
    expect(response.data).toEqual({ integrations: null });
    expect(response.errors).toEqual([
      expect.objectContaining({ path: ['integrations'], extensions: { code: 'BAD_USER_INPUT' } }),
    ]);
    expect(h.calls()).toEqual([]);
  });

  it.each([1001, 0, -1])('refuses first: %i on a nested connection before its REST call', async (first) => {
    const response = await h.graphql(listQuery('events'), { name: SLACK, first });
    expect(response.errors).toEqual([
      expect.objectContaining({ path: ['integration', 'list'], extensions: { code: 'BAD_USER_INPUT' } }),
    ]);
    expect(listCalls('events')).toEqual([]);
  });
});

describe('totalCount', () => {
  it('is the REST count of the list, whatever the page size', async () => {
    const installations = await rest<RestPage>(h, LISTS.installations.path, { limit: 1 });
    for (const first of [1, 5, 1000]) {
      expect((await page('installations', { first })).totalCount).toBe(installations.count);
    }
    const top = await h.data(`{ integrations(first: 3) { totalCount } }`);
    const restTop = await rest<RestPage>(h, '/integrations', { limit: 1 });
    expect(top.integrations.totalCount).toBe(restTop.count);
  });
});

describe('a malformed after', () => {
  const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

  it.each([
    ['not a cursor at all', 'not a cursor!'],
    ['base64 of plain text', base64url('hello world')],
    ['a JSON object', base64url('{"page":null,"index":0}')],
    ['a negative index', base64url('[null,-1]')],
    ['a fractional index', base64url('[null,1.5]')],
    ['an empty page token', base64url('["",0]')],
    ['a third element', base64url('[null,0,0]')],
  ])('refuses %s with BAD_USER_INPUT and makes no REST call', async (_label, after) => {
    const response = await h.graphql(
      `query ($after: String) { integrations(first: 2, after: $after) { totalCount } }`,
      {
        after,
      },
    );
    expect(response.data).toEqual({ integrations: null });
    expect(response.errors).toEqual([
      expect.objectContaining({ path: ['integrations'], extensions: { code: 'BAD_USER_INPUT' } }),
    ]);
    expect(h.calls()).toEqual([]);
  });
});
