import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMIT, decodePageToken, encodePageToken, organizationId } from '../../src/simulator/index.js';
import { getOperation, SIMULATED_OPERATIONS } from '../../src/simulator/spec.js';
import { TOKENS, useSimulator } from './helpers.js';

const api = useSimulator();

const NORTHWIND = organizationId('northwind');
const ACME = organizationId('acme');
const key = (item: any) => JSON.stringify(item);

/** Walks a list page by page with a small limit, checking the page contract at every step. */
async function walk(path: string, limit: number, token = TOKENS.demo) {
  const items: any[] = [];
  let page: string | undefined;
  let count: number | undefined;
  for (let n = 0; n < 500; n++) {
    const sep = path.includes('?') ? '&' : '?';
    const response = await api.get(`${path}${sep}limit=${limit}${page ? `&page=${page}` : ''}`, token);
    expect(response.status, path).toBe(200);
    const body = response.body;
    count ??= body.count;
    expect(body.count, `${path}: count is the total, on every page`).toBe(count);
    expect(body.items.length).toBeLessThanOrEqual(limit);
    items.push(...body.items);
    if (items.length < count!) {
      expect(body.items.length, `${path}: full pages until the end`).toBe(limit);
      expect(body.next?.page, `${path}: next while items follow`).toEqual(expect.any(String));
      page = body.next.page;
    } else {
      expect(body.next, `${path}: no next on the last page`).toBeUndefined();
      break;
    }
  }
  expect(items).toHaveLength(count!);
  expect(new Set(items.map(key)).size).toBe(items.length);
  return items;
}

describe('every paginated list', () => {
  it('pages consistently (count, next, no duplicates) and matches one big page', async () => {
    const slack = api.sim.store.integrations.get('slack')!;
    const inst = api.sim.store.installationIn(slack, ACME)!;
    const site = api.sim.store.sitesOf(ACME)[0]!.site.id;
    const lists: Record<string, string> = {
      listIntegrations: '/integrations',
      listOrganizationIntegrations: `/orgs/${ACME}/integrations`,
      listIntegrationInstallations: '/integrations/slack/installations',
      listIntegrationEvents: '/integrations/slack/events',
      listIntegrationSpaceInstallations: '/integrations/slack/spaces?extended=true',
      listIntegrationSiteInstallations: '/integrations/slack/sites',
      listIntegrationInstallationSpaces: `/integrations/slack/installations/${inst.installation.id}/spaces`,
      listIntegrationInstallationSites: `/integrations/slack/installations/${inst.installation.id}/sites?extended=true`,
      listOrganizationInstallations: `/orgs/${ACME}/installations`,
      listOrganizationIntegrationsStatus: `/orgs/${ACME}/integrations/installations-status?target=site&site=${site}`,
    };
    const paginated = SIMULATED_OPERATIONS.filter((id) => getOperation(id).queryParameters.has('page'));
    expect(Object.keys(lists).sort()).toEqual([...paginated].sort());
    for (const [operationId, path] of Object.entries(lists)) {
      api.sim.clearRequests();
      const walked = await walk(path, 3);
      expect(api.sim.requests.every((r) => r.operationId === operationId)).toBe(true);
      const whole = await api.get(`${path}${path.includes('?') ? '&' : '?'}limit=1000`);
      expect(walked.map(key), operationId).toEqual(whole.body.items.map(key));
    }
  });

  it('walks a long list fully (slack space installations)', async () => {
    const expected = [...api.sim.store.integrations.get('slack')!.installations.values()].flatMap((i) => [
      ...i.content.space.keys(),
    ]);
    expect(expected.length).toBeGreaterThan(150);
    const items = await walk('/integrations/slack/spaces', 7);
    expect(items.map((i) => i.space)).toEqual(expected);
  });

  it('scopes pages to what the caller may see', async () => {
    const alice = await walk('/integrations/slack/spaces', 2, TOKENS.alice);
    expect(alice.map((i) => i.space)).toEqual([
      ...api.sim.store.installationIn(api.sim.store.integrations.get('slack')!, NORTHWIND)!.content.space.keys(),
    ]);
  });
});

describe('limits', () => {
  it(`defaults to ${DEFAULT_LIMIT} items`, async () => {
    const { body } = await api.get('/integrations/slack/events');
    expect(body.items).toHaveLength(DEFAULT_LIMIT);
    expect(decodePageToken(body.next.page)).toBe(DEFAULT_LIMIT);
  });

  it('answers only the count with limit=0', async () => {
    const { body } = await api.get('/integrations/slack/events?limit=0');
    expect(body.items).toEqual([]);
    expect(body.count).toBe(api.sim.store.integrations.get('slack')!.events.length);
  });

  it('reads a fractional limit as its integer part', async () => {
    expect((await api.get('/integrations?limit=2.5')).body.items).toHaveLength(2);
  });
});

describe('page tokens', () => {
  it('encode the position of the next item, whatever the limit', async () => {
    const all = (await api.get('/integrations/slack/installations?limit=1000')).body.items;
    const first = await api.get('/integrations/slack/installations?limit=5');
    const token = first.body.next.page;
    for (const limit of [1, 3, 10]) {
      const next = await api.get(`/integrations/slack/installations?limit=${limit}&page=${token}`);
      expect(next.body.items.map((i: { id: string }) => i.id)).toEqual(
        all.slice(5, 5 + limit).map((i: { id: string }) => i.id),
      );
      expect(next.body.next.page).toBe(encodePageToken(5 + limit));
    }
    // Without a limit, the default applies from the same position.
    const byDefault = await api.get(`/integrations/slack/installations?page=${token}`);
    expect(byDefault.body.items[0].id).toBe(all[5].id);
  });

  it('past the end answer an empty page with the count', async () => {
    const { body } = await api.get(`/integrations?page=${encodePageToken(10_000)}`);
    expect(body.items).toEqual([]);
    expect(body.count).toBeGreaterThan(0);
    expect(body.next).toBeUndefined();
  });

  it('refuse malformed tokens with 400', async () => {
    const malformed = [
      'garbage!',
      'bm90IGpzb24',
      Buffer.from('{"offset":-1}').toString('base64url'),
      Buffer.from('{"offset":1.5}').toString('base64url'),
      Buffer.from('{"offset":"3"}').toString('base64url'),
      Buffer.from('{ "offset": 3 }').toString('base64url'),
      Buffer.from('[]').toString('base64url'),
    ];
    for (const token of malformed) {
      const response = await api.get(`/integrations?page=${encodeURIComponent(token)}`);
      expect(response.status, token).toBe(400);
      expect(response.body.error.message).toContain('page token');
    }
  });
});

describe('whole lists', () => {
  it('listSiteIntegrations answers everything at once, without next', async () => {
    const site = [
      ...api.sim.store.installationIn(api.sim.store.integrations.get('slack')!, ACME)!.content.site.keys(),
    ][0]!;
    const expected = api.sim.store
      .installationsInOrganization(ACME)
      .filter((e) => e.installation.content.site.has(site));
    expect(expected.length).toBeGreaterThan(0);
    const { body } = await api.get(`/orgs/${ACME}/sites/${site}/integrations`);
    expect(body).toEqual({ items: expect.any(Array), count: expected.length });
    expect(body.items.map((i: { name: string }) => i.name)).toEqual(expected.map((e) => e.record.integration.name));
  });
});
