import { describe, expect, it } from 'vitest';
import { organizationId, SEEDED_USERS } from '../../src/simulator/index.js';
import { collect, TOKENS, useSimulator } from './helpers.js';

const api = useSimulator();

const NORTHWIND = organizationId('northwind');
const GLOBEX = organizationId('globex');

/** Everything a token can reach about installations, as comparable strings. */
async function installationFootprint(token: string): Promise<Set<string>> {
  const seen = new Set<string>();
  for (const name of ['slack', 'github-sync', 'google-analytics', 'mermaid', 'kudos', 'jira']) {
    for (const inst of await collect(api, `/integrations/${name}/installations`, token))
      seen.add(`installation:${inst.id}`);
    for (const space of await collect(api, `/integrations/${name}/spaces`, token))
      seen.add(`space:${space.installation}/${space.space}`);
    for (const site of await collect(api, `/integrations/${name}/sites`, token))
      seen.add(`site:${site.installation}/${site.site}`);
    for (const event of await collect(api, `/integrations/${name}/events`, token)) seen.add(`event:${event.id}`);
  }
  for (const orgId of SEEDED_USERS.alice.organizations.concat(SEEDED_USERS.bob.organizations)) {
    const response = await api.get(`/orgs/${orgId}/installations?limit=1000`, token);
    if (response.status === 200)
      for (const item of response.body.items) seen.add(`installation:${item.installation.id}`);
  }
  return seen;
}

describe('the seeded users see disjoint slices', () => {
  it('alice and bob never see each other’s installations, space/site installations or events', async () => {
    const alice = await installationFootprint(TOKENS.alice);
    const bob = await installationFootprint(TOKENS.bob);
    expect(alice.size).toBeGreaterThan(5);
    expect(bob.size).toBeGreaterThan(5);
    expect([...alice].filter((item) => bob.has(item))).toEqual([]);
  });

  it('demo sees much more than alice or bob, and carol sees no installation at all', async () => {
    const demo = await installationFootprint(TOKENS.demo);
    const alice = await installationFootprint(TOKENS.alice);
    expect(demo.size).toBeGreaterThan(10 * alice.size);
    expect((await installationFootprint(TOKENS.carol)).size).toBe(0);
  });

  it('each sees their own private integrations only', async () => {
    expect((await api.get('/integrations/northwind-sso', TOKENS.alice)).status).toBe(200);
    expect((await api.get('/integrations/globex-metrics', TOKENS.bob)).status).toBe(200);
    expect((await api.get('/integrations/globex-metrics', TOKENS.alice)).status).toBe(404);
    expect((await api.get('/integrations/northwind-sso', TOKENS.bob)).status).toBe(404);
    const aliceOrgList = (await collect(api, `/orgs/${NORTHWIND}/integrations`, TOKENS.alice)).map((i) => i.name);
    const bobOrgList = (await collect(api, `/orgs/${GLOBEX}/integrations`, TOKENS.bob)).map((i) => i.name);
    expect(aliceOrgList).toContain('northwind-sso');
    expect(aliceOrgList).not.toContain('globex-metrics');
    expect(bobOrgList).toContain('globex-metrics');
    expect(bobOrgList).not.toContain('northwind-sso');
  });

  it('the developer of an integration sees its installations everywhere, and nothing of others', async () => {
    const kudos = api.sim.store.integrations.get('kudos')!;
    const frankKudos = await collect(api, '/integrations/kudos/installations', TOKENS.frank);
    expect(frankKudos.map((i) => i.id)).toEqual([...kudos.installations.keys()]);
    expect(await collect(api, '/integrations/slack/installations', TOKENS.frank)).toEqual([]);
    expect((await api.get(`/orgs/${NORTHWIND}/installations`, TOKENS.frank)).status).toBe(403);
  });
});

describe('organization routes', () => {
  it('answer 403 to non-members and 404 for unknown organizations, on every /orgs operation', async () => {
    const site = api.sim.store.sitesOf(NORTHWIND)[0]!.site.id;
    const paths = [
      '',
      '/integrations',
      '/installations',
      '/integrations/slack/installation_status',
      '/integrations/installations-status',
      `/sites/${site}/integrations`,
      `/sites/${site}/integration-scripts`,
    ];
    for (const path of paths) {
      expect((await api.get(`/orgs/${NORTHWIND}${path}`, TOKENS.bob)).status, path).toBe(403);
      expect((await api.get(`/orgs/${NORTHWIND}${path}`, TOKENS.demo)).status, path).toBe(403);
      expect((await api.get(`/orgs/unknownOrganization${path}`, TOKENS.alice)).status, path).toBe(404);
      expect((await api.get(`/orgs/${NORTHWIND}${path}`, TOKENS.alice)).status, path).toBe(200);
    }
  });
});
