import { IntegrationScope } from '@gitbook/api';
import { beforeEach, describe, expect, it } from 'vitest';
import { organizationId } from '../../src/simulator/index.js';
import { collect, TOKENS, useSimulator } from './helpers.js';

const api = useSimulator();
beforeEach(() => api.sim.reset());

const NORTHWIND = organizationId('northwind');
const GLOBEX = organizationId('globex');
const store = () => api.sim.store;

describe('getOrganizationById', () => {
  it('answers the organization to its members, with their permissions', async () => {
    const response = await api.get(`/orgs/${NORTHWIND}`, TOKENS.alice);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      object: 'organization',
      id: NORTHWIND,
      title: 'Northwind Traders',
      hostname: 'northwind',
      urls: {
        location: `https://api.gitbook.com/v1/orgs/${NORTHWIND}`,
        app: `https://app.gitbook.com/o/${NORTHWIND}/`,
      },
      permissions: { view: true, admin: true, installIntegration: true },
    });
  });

  it('answers 403 to non-members and 404 for unknown organizations', async () => {
    const forbidden = await api.get(`/orgs/${NORTHWIND}`, TOKENS.bob);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe(403);
    expect((await api.get('/orgs/doesNotExist', TOKENS.bob)).status).toBe(404);
  });
});

describe('listOrganizationInstallations', () => {
  it('lists each installation with its integration, by integration name', async () => {
    const items = await collect(api, `/orgs/${NORTHWIND}/installations`, TOKENS.alice);
    const expected = store().installationsInOrganization(NORTHWIND);
    expect(items.map((i) => i.integration.name)).toEqual(expected.map((e) => e.record.integration.name));
    expect(items.map((i) => i.installation.id)).toEqual(expected.map((e) => e.installation.installation.id));
    expect(items.map((i) => i.integration.name)).toEqual(
      expect.arrayContaining(['northwind-sso', 'northwind-status', 'slack']),
    );
    expect(items.every((i) => i.installation.target.organization === NORTHWIND)).toBe(true);
  });

  it('filters by search', async () => {
    const { body } = await api.get(`/orgs/${NORTHWIND}/installations?search=northwind`, TOKENS.alice);
    expect(body.items.map((i: { integration: { name: string } }) => i.integration.name)).toEqual([
      'northwind-sso',
      'northwind-status',
    ]);
  });

  it('needs membership', async () => {
    expect((await api.get(`/orgs/${NORTHWIND}/installations`, TOKENS.bob)).status).toBe(403);
  });
});

describe('getOrganizationIntegrationStatus', () => {
  it('answers the status of the installation', async () => {
    const inst = store().installationIn(store().integrations.get('slack')!, GLOBEX)!;
    const response = await api.get(`/orgs/${GLOBEX}/integrations/slack/installation_status`, TOKENS.bob);
    expect(response.body).toEqual({ status: inst.installation.status });
  });

  it('answers 404 when not installed, for an invisible integration, and 403 to non-members', async () => {
    const notInstalled = [...store().integrations.values()].find(
      (r) => r.integration.visibility === 'public' && !store().installationIn(r, GLOBEX),
    )!;
    expect(
      (await api.get(`/orgs/${GLOBEX}/integrations/${notInstalled.integration.name}/installation_status`, TOKENS.bob))
        .status,
    ).toBe(404);
    expect((await api.get(`/orgs/${GLOBEX}/integrations/northwind-sso/installation_status`, TOKENS.bob)).status).toBe(
      404,
    );
    expect((await api.get(`/orgs/${GLOBEX}/integrations/slack/installation_status`, TOKENS.alice)).status).toBe(403);
  });
});

describe('listOrganizationIntegrationsStatus', () => {
  it('defaults to organization installations', async () => {
    const items = await collect(api, `/orgs/${NORTHWIND}/integrations/installations-status`, TOKENS.alice);
    const expected = store().installationsInOrganization(NORTHWIND);
    expect(items).toHaveLength(expected.length);
    expect(items[0]).toEqual({
      status: expected[0]!.installation.installation.status,
      integration: expect.objectContaining({ name: expected[0]!.record.integration.name }),
      target: { type: 'organization', organizationId: NORTHWIND },
    });
  });

  it('lists space and site installations with target=space|site, optionally for one space or site', async () => {
    const expectedSpaces = store()
      .installationsInOrganization(NORTHWIND)
      .flatMap((e) => [...e.installation.content.space.values()]);
    const spaces = await collect(
      api,
      `/orgs/${NORTHWIND}/integrations/installations-status?target=space`,
      TOKENS.alice,
    );
    expect(spaces.map((s) => s.target.spaceId)).toEqual(expectedSpaces.map((c) => c.targetId));
    expect(spaces.map((s) => s.status)).toEqual(expectedSpaces.map((c) => c.installation.status));

    const oneSpace = expectedSpaces[0]!.targetId;
    const forSpace = await collect(
      api,
      `/orgs/${NORTHWIND}/integrations/installations-status?target=space&space=${oneSpace}`,
      TOKENS.alice,
    );
    expect(forSpace.length).toBe(expectedSpaces.filter((c) => c.targetId === oneSpace).length);
    expect(forSpace.every((s) => s.target.spaceId === oneSpace)).toBe(true);

    const site = store().sitesOf(NORTHWIND)[0]!.site.id;
    const forSite = await collect(
      api,
      `/orgs/${NORTHWIND}/integrations/installations-status?target=site&site=${site}`,
      TOKENS.alice,
    );
    const expectedSite = store()
      .installationsInOrganization(NORTHWIND)
      .filter((e) => e.installation.content.site.has(site));
    expect(forSite.map((s) => s.integration.name)).toEqual(expectedSite.map((e) => e.record.integration.name));
    expect(forSite.every((s) => s.target.type === 'site' && s.target.siteId === site)).toBe(true);
  });

  it('refuses site without target=site, space without target=space, and foreign sites or spaces', async () => {
    const site = store().sitesOf(NORTHWIND)[0]!.site.id;
    const space = store().spacesOf(NORTHWIND)[0]!.id;
    expect(
      (await api.get(`/orgs/${NORTHWIND}/integrations/installations-status?site=${site}`, TOKENS.alice)).status,
    ).toBe(400);
    expect(
      (await api.get(`/orgs/${NORTHWIND}/integrations/installations-status?target=site&space=${space}`, TOKENS.alice))
        .status,
    ).toBe(400);
    expect(
      (await api.get(`/orgs/${NORTHWIND}/integrations/installations-status?target=everything`, TOKENS.alice)).status,
    ).toBe(400);
    const foreignSite = store().sitesOf(GLOBEX)[0]!.site.id;
    expect(
      (
        await api.get(
          `/orgs/${NORTHWIND}/integrations/installations-status?target=site&site=${foreignSite}`,
          TOKENS.alice,
        )
      ).status,
    ).toBe(404);
    const foreignSpace = store().spacesOf(GLOBEX)[0]!.id;
    expect(
      (
        await api.get(
          `/orgs/${NORTHWIND}/integrations/installations-status?target=space&space=${foreignSpace}`,
          TOKENS.alice,
        )
      ).status,
    ).toBe(404);
  });
});

describe('site integrations and scripts', () => {
  const scriptSite = () => {
    for (const { record, installation } of store().installationsInOrganization(NORTHWIND)) {
      if (
        !record.integration.scopes.includes(IntegrationScope.SiteScriptInject) ||
        installation.installation.status !== 'active'
      )
        continue;
      for (const content of installation.content.site.values())
        if (content.installation.status === 'active') return content.targetId;
    }
    throw new Error('no site with an active script integration in Northwind');
  };

  it('lists the integrations enabled on a site, whole, with search', async () => {
    const site = [...store().installationIn(store().integrations.get('slack')!, NORTHWIND)!.content.site.keys()][0]!;
    const response = await api.get(`/orgs/${NORTHWIND}/sites/${site}/integrations`, TOKENS.alice);
    const expected = store()
      .installationsInOrganization(NORTHWIND)
      .filter((e) => e.installation.content.site.has(site));
    expect(response.status).toBe(200);
    expect(response.body.count).toBe(expected.length);
    expect(response.body.next).toBeUndefined();
    expect(response.body.items.map((i: { name: string }) => i.name)).toEqual(
      expected.map((e) => e.record.integration.name),
    );
    const searched = await api.get(`/orgs/${NORTHWIND}/sites/${site}/integrations?search=sLaCk`, TOKENS.alice);
    expect(searched.body.items.map((i: { name: string }) => i.name)).toEqual(['slack']);
    // The spec gives this list no pagination parameters.
    expect((await api.get(`/orgs/${NORTHWIND}/sites/${site}/integrations?limit=5`, TOKENS.alice)).status).toBe(400);
    expect((await api.get(`/orgs/${NORTHWIND}/sites/${site}/integrations?page=x`, TOKENS.alice)).status).toBe(400);
  });

  it('lists the scripts of active script-injecting integrations on a site', async () => {
    const site = scriptSite();
    const response = await api.get(`/orgs/${NORTHWIND}/sites/${site}/integration-scripts`, TOKENS.alice);
    expect(response.status).toBe(200);
    expect(Array.isArray(response.body)).toBe(true);
    expect(response.body.length).toBeGreaterThan(0);
    for (const script of response.body) {
      expect(script.script).toMatch(
        new RegExp(
          `^https://integrations\\.gitbook\\.com/v1/integrations/[^/]+/installations/[^/]+/sites/${site}/script\\.js`,
        ),
      );
      expect(typeof script.cookies).toBe('boolean');
    }
  });

  it('adds a script once a script integration is enabled and configured on the site', async () => {
    const site = store().sitesOf(NORTHWIND)[0]!.site.id;
    const scripts = async () =>
      (await api.get(`/orgs/${NORTHWIND}/sites/${site}/integration-scripts`, TOKENS.alice)).body as unknown[];
    const plausible = store().integrations.get('plausible')!;
    const existing = store().installationIn(plausible, NORTHWIND);
    if (existing)
      expect(
        (
          await api.call('DELETE', `/integrations/plausible/installations/${existing.installation.id}`, {
            token: TOKENS.alice,
          })
        ).status,
      ).toBe(205);
    const before = await scripts();

    const created = await api.call('POST', '/integrations/plausible/installations', {
      token: TOKENS.alice,
      body: { organization: NORTHWIND },
    });
    expect(created.status).toBe(201);
    const path = `/integrations/plausible/installations/${created.body.id}/sites`;
    const onSite = await api.call('POST', path, { token: TOKENS.alice, body: { siteId: site } });
    expect(onSite.body.status).toBe('pending');
    expect(await scripts()).toEqual(before);

    const configured = await api.call('PATCH', `${path}/${site}`, {
      token: TOKENS.alice,
      body: { configuration: { domain: 'docs.northwind.example' } },
    });
    expect(configured.body.status).toBe('active');
    const after = await scripts();
    expect(after).toHaveLength(before.length + 1);
    expect(after).toContainEqual({
      script: `https://integrations.gitbook.com/v1/integrations/plausible/installations/${created.body.id}/sites/${site}/script.js?version=${plausible.integration.version}`,
      cookies: false,
      contentSecurityPolicy: 'script-src https://plausible.io; connect-src https://plausible.io',
    });
  });

  it('answers 404 for a site of another organization and 403 to non-members', async () => {
    const foreign = store().sitesOf(GLOBEX)[0]!.site.id;
    expect((await api.get(`/orgs/${NORTHWIND}/sites/${foreign}/integrations`, TOKENS.alice)).status).toBe(404);
    expect((await api.get(`/orgs/${NORTHWIND}/sites/${foreign}/integration-scripts`, TOKENS.alice)).status).toBe(404);
    expect((await api.get(`/orgs/${GLOBEX}/sites/${foreign}/integration-scripts`, TOKENS.alice)).status).toBe(403);
  });
});
