import { beforeEach, describe, expect, it } from 'vitest';
import { type InstallationRecord, organizationId, POPULAR_INTEGRATION } from '../../src/simulator/index.js';
import { collect, TOKENS, useSimulator } from './helpers.js';

const api = useSimulator();
beforeEach(() => api.sim.reset());

const NORTHWIND = organizationId('northwind');
const GLOBEX = organizationId('globex');
const ACME = organizationId('acme');

const store = () => api.sim.store;
const integration = (name: string) => store().integrations.get(name)!;
const installationIn = (name: string, orgId: string) => store().installationIn(integration(name), orgId)!;
const base = (name: string, inst: InstallationRecord) => `/integrations/${name}/installations/${inst.installation.id}`;
const ids = (items: { id: string }[]) => items.map((i) => i.id);

describe('listIntegrationInstallations', () => {
  it('shows the integration owner every installation, in creation order', async () => {
    const slack = integration(POPULAR_INTEGRATION);
    const all = await collect(api, `/integrations/${POPULAR_INTEGRATION}/installations`);
    expect(all.length).toBeGreaterThanOrEqual(25);
    expect(ids(all)).toEqual([...slack.installations.keys()]);
    const createdAt = all.map((i) => i.createdAt);
    expect(createdAt).toEqual([...createdAt].sort());
    for (const item of all) {
      const record = slack.installations.get(item.id)!;
      expect(item.spaces).toBe(record.content.space.size);
      expect(item.spaces).toBeGreaterThanOrEqual(6);
      expect(item.target).toEqual({ organization: record.organizationId });
    }
  });

  it('shows members of an organization only its installation', async () => {
    const alice = await api.get(`/integrations/${POPULAR_INTEGRATION}/installations`, TOKENS.alice);
    expect(alice.body).toMatchObject({ count: 1, items: [{ id: installationIn('slack', NORTHWIND).installation.id }] });
    const bob = await api.get(`/integrations/${POPULAR_INTEGRATION}/installations`, TOKENS.bob);
    expect(ids(bob.body.items)).toEqual([installationIn('slack', GLOBEX).installation.id]);
    expect((await api.get(`/integrations/${POPULAR_INTEGRATION}/installations`, TOKENS.carol)).body).toEqual({
      items: [],
      count: 0,
    });
  });

  it('filters by external id', async () => {
    const target = [...integration('slack').installations.values()][3]!;
    const externalId = target.installation.externalIds[0]!;
    const { body } = await api.get(`/integrations/slack/installations?externalId=${encodeURIComponent(externalId)}`);
    expect(ids(body.items)).toEqual([target.installation.id]);
    expect((await api.get('/integrations/slack/installations?externalId=nope')).body.count).toBe(0);
  });

  it('answers 404 for an unknown or invisible integration', async () => {
    expect((await api.get('/integrations/nope/installations')).status).toBe(404);
    expect((await api.get('/integrations/northwind-sso/installations', TOKENS.bob)).status).toBe(404);
  });
});

describe('getIntegrationInstallationById', () => {
  it('answers the installation to its organization and to the integration owner', async () => {
    const inst = installationIn('slack', NORTHWIND);
    const asAlice = await api.get(base('slack', inst), TOKENS.alice);
    expect(asAlice.status).toBe(200);
    expect(asAlice.body).toEqual({ ...inst.installation, spaces: inst.content.space.size });
    expect(asAlice.body.urls.location).toBe(
      `https://api.gitbook.com/v1/integrations/slack/installations/${inst.installation.id}`,
    );
    expect((await api.get(base('slack', inst))).status).toBe(200);
  });

  it('answers 404 to others and for unknown ids', async () => {
    expect((await api.get(base('slack', installationIn('slack', NORTHWIND)), TOKENS.bob)).status).toBe(404);
    expect((await api.get('/integrations/slack/installations/unknown')).status).toBe(404);
    // The installation exists, but not under this integration.
    expect((await api.get(base('jira', installationIn('slack', ACME)))).status).toBe(404);
  });
});

describe('installIntegration', () => {
  const notInstalledIn = (orgId: string, predicate: (name: string) => boolean = () => true) =>
    [...store().integrations.values()].find(
      (r) =>
        r.integration.visibility === 'public' && !store().installationIn(r, orgId) && predicate(r.integration.name),
    )!.integration.name;

  it('creates an installation (201 with Location), visible to later reads, and refuses a second one (409)', async () => {
    const name = notInstalledIn(NORTHWIND, (n) => !store().integrations.get(n)!.integration.configurations?.account);
    const created = await api.call('POST', `/integrations/${name}/installations`, {
      token: TOKENS.alice,
      body: { organization: NORTHWIND },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(created.body.urls.location);
    expect(created.body).toMatchObject({
      status: 'active',
      space_selection: 'selected',
      site_selection: 'selected',
      spaces: 0,
      configuration: {},
      externalIds: [],
      target: { organization: NORTHWIND },
    });
    expect((await api.get(`/integrations/${name}/installations/${created.body.id}`, TOKENS.alice)).body).toEqual(
      created.body,
    );
    const status = await api.get(`/orgs/${NORTHWIND}/integrations/${name}/installation_status`, TOKENS.alice);
    expect(status.body).toEqual({ status: 'active' });
    const again = await api.call('POST', `/integrations/${name}/installations`, {
      token: TOKENS.alice,
      body: { organization: NORTHWIND },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe(409);
  });

  it('leaves an installation pending until its required configuration is set', async () => {
    const requiresConfiguration = (n: string) => {
      const account = store().integrations.get(n)!.integration.configurations?.account;
      return account !== undefined && 'properties' in account && (account.required ?? []).length > 0;
    };
    const name = notInstalledIn(NORTHWIND, requiresConfiguration);
    const created = await api.call('POST', `/integrations/${name}/installations`, {
      token: TOKENS.alice,
      body: { organization: NORTHWIND },
    });
    expect(created.body.status).toBe('pending');
  });

  it('records the installation_setup event the integration receives', async () => {
    const name = notInstalledIn(NORTHWIND);
    const created = await api.call('POST', `/integrations/${name}/installations`, {
      token: TOKENS.alice,
      body: { organization: NORTHWIND },
    });
    const events = await api.get(`/integrations/${name}/events?limit=1`, TOKENS.alice);
    expect(events.body.items[0]).toMatchObject({
      installationId: created.body.id,
      integrationId: integration(name).id,
      status: 'success',
      payload: { type: 'installation_setup', installationId: created.body.id, status: created.body.status },
    });
  });

  it('refuses unknown organizations (404), foreign ones (403) and private integrations elsewhere than their owner (403)', async () => {
    const name = notInstalledIn(NORTHWIND);
    expect(
      (
        await api.call('POST', `/integrations/${name}/installations`, {
          token: TOKENS.alice,
          body: { organization: 'unknownOrg' },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await api.call('POST', `/integrations/${name}/installations`, {
          token: TOKENS.alice,
          body: { organization: GLOBEX },
        })
      ).status,
    ).toBe(403);
    const privateElsewhere = await api.call('POST', '/integrations/acme-changelog/installations', {
      body: { organization: organizationId('initech') },
    });
    expect(privateElsewhere.status).toBe(403);
    expect(privateElsewhere.body.error.message).toContain('Private integration');
    expect(
      (
        await api.call('POST', '/integrations/northwind-sso/installations', {
          token: TOKENS.bob,
          body: { organization: GLOBEX },
        })
      ).status,
    ).toBe(404);
  });
});

describe('updateIntegrationInstallation', () => {
  it('updates configuration, external ids and status, and stamps updatedAt', async () => {
    const inst = [...integration('jira').installations.values()].find((i) => i.installation.status !== 'paused')!;
    const before = inst.installation.updatedAt;
    const response = await api.call('PATCH', base('jira', inst), {
      body: { configuration: {}, externalIds: ['atlassian-cloud-42'] },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ configuration: {}, externalIds: ['atlassian-cloud-42'], status: 'pending' });
    expect(response.body.updatedAt > before).toBe(true);
    const configured = await api.call('PATCH', base('jira', inst), {
      body: { configuration: { site: 'https://acme.atlassian.net' } },
    });
    expect(configured.body.status).toBe('active');
    expect((await api.get(`/integrations/jira/installations?externalId=atlassian-cloud-42`)).body.items[0].id).toBe(
      inst.installation.id,
    );
  });

  it('enables the installation on every space of the organization when selecting all', async () => {
    const inst = installationIn(
      'github-sync',
      [...integration('github-sync').installations.values()][0]!.organizationId,
    );
    const response = await api.call('PATCH', base('github-sync', inst), { body: { space_selection: 'all' } });
    expect(response.body.space_selection).toBe('all');
    expect(response.body.spaces).toBe(store().spacesOf(inst.organizationId).length);
    const listed = await collect(api, `${base('github-sync', inst)}/spaces`);
    expect(listed.map((s) => s.space).sort()).toEqual(
      store()
        .spacesOf(inst.organizationId)
        .map((s) => s.id)
        .sort(),
    );
  });

  it('checks the configuration against the integration schema and the body against the spec', async () => {
    const inst = installationIn('slack', NORTHWIND);
    const wrongType = await api.call('PATCH', base('slack', inst), {
      token: TOKENS.alice,
      body: { configuration: { workspace: 42 } },
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.message).toContain('"workspace"');
    expect(
      (
        await api.call('PATCH', base('slack', inst), {
          token: TOKENS.alice,
          body: { externalIds: ['1', '2', '3', '4', '5', '6'] },
        })
      ).status,
    ).toBe(400);
    expect(
      (await api.call('PATCH', base('slack', inst), { token: TOKENS.alice, body: { space_selection: 'some' } })).status,
    ).toBe(400);
    expect((await api.call('PATCH', base('slack', inst), { token: TOKENS.bob, body: {} })).status).toBe(404);
  });
});

describe('uninstallIntegration', () => {
  it('uninstalls (205), cascades to space and site installations, then answers 204', async () => {
    const inst = installationIn('slack', NORTHWIND);
    const spacesBefore = (await api.get('/integrations/slack/spaces?limit=0')).body.count;
    const sitesBefore = (await api.get('/integrations/slack/sites?limit=0')).body.count;
    const response = await api.call('DELETE', base('slack', inst), { token: TOKENS.alice });
    expect(response.status).toBe(205);
    expect(response.body).toBeUndefined();
    expect((await api.get(base('slack', inst), TOKENS.alice)).status).toBe(404);
    expect((await api.get('/integrations/slack/spaces?limit=0')).body.count).toBe(
      spacesBefore - inst.content.space.size,
    );
    expect((await api.get('/integrations/slack/sites?limit=0')).body.count).toBe(sitesBefore - inst.content.site.size);
    expect((await api.get(`/orgs/${NORTHWIND}/integrations/slack/installation_status`, TOKENS.alice)).status).toBe(404);
    expect((await api.call('DELETE', base('slack', inst), { token: TOKENS.alice })).status).toBe(204);
    const events = await api.get('/integrations/slack/events?limit=1');
    expect(events.body.items[0].payload).toMatchObject({
      type: 'installation_deleted',
      installationId: inst.installation.id,
    });
  });

  it('needs membership of the installation organization', async () => {
    const inst = installationIn('slack', NORTHWIND);
    expect((await api.call('DELETE', base('slack', inst))).status).toBe(403);
    expect((await api.call('DELETE', base('slack', inst), { token: TOKENS.bob })).status).toBe(204);
    expect(integration('slack').installations.has(inst.installation.id)).toBe(true);
  });
});

describe('createIntegrationInstallationToken', () => {
  it('issues a temporary token to the integration owner', async () => {
    const inst = installationIn('slack', ACME);
    const response = await api.call('POST', `${base('slack', inst)}/tokens`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ token: expect.stringMatching(/^gitbook_integration_slack_/) });
    expect(inst.tokens).toEqual([response.body.token]);
  });

  it('refuses installation members who do not own the integration', async () => {
    expect(
      (await api.call('POST', `${base('slack', installationIn('slack', NORTHWIND))}/tokens`, { token: TOKENS.alice }))
        .status,
    ).toBe(403);
  });
});

describe('space installations', () => {
  const freeSpace = (inst: InstallationRecord) =>
    store()
      .spacesOf(inst.organizationId)
      .find((s) => !inst.content.space.has(s.id));

  it('lists the spaces of an installation, as ids or (extended) full spaces', async () => {
    const inst = installationIn('slack', NORTHWIND);
    const plain = await api.get(`${base('slack', inst)}/spaces`, TOKENS.alice);
    expect(plain.body.count).toBe(inst.content.space.size);
    expect(plain.body.items.map((i: { space: string }) => i.space)).toEqual([...inst.content.space.keys()]);
    expect(plain.body.items[0]).toMatchObject({ integration: 'slack', installation: inst.installation.id });
    const extended = await api.get(`${base('slack', inst)}/spaces?extended=true`, TOKENS.alice);
    const first = extended.body.items[0];
    expect(first.space).toMatchObject({
      object: 'space',
      id: plain.body.items[0].space,
      organization: NORTHWIND,
      permissions: { admin: true },
    });
    expect((await api.get(`${base('slack', inst)}/spaces?extended=false`, TOKENS.alice)).body).toEqual(plain.body);
  });

  it('installs on a space of the organization (201), counts it, and refuses it twice (409)', async () => {
    const inst = installationIn('slack', NORTHWIND);
    const space = freeSpace(inst)!;
    const before = inst.content.space.size;
    const created = await api.call('POST', `${base('slack', inst)}/spaces?extended=true`, {
      token: TOKENS.alice,
      body: { space: space.id },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(
      `https://api.gitbook.com/v1/integrations/slack/installations/${inst.installation.id}/spaces/${space.id}`,
    );
    expect(created.body).toMatchObject({
      space: { id: space.id, title: space.title },
      status: 'pending',
      configuration: {},
      externalIds: [],
    });
    expect((await api.get(base('slack', inst), TOKENS.alice)).body.spaces).toBe(before + 1);
    const again = await api.call('POST', `${base('slack', inst)}/spaces`, {
      token: TOKENS.alice,
      body: { space: space.id },
    });
    expect(again.status).toBe(409);
  });

  it('refuses unknown spaces (404), spaces of other organizations (400) and integrations that do not target spaces (400)', async () => {
    const inst = installationIn('slack', NORTHWIND);
    expect(
      (
        await api.call('POST', `${base('slack', inst)}/spaces`, {
          token: TOKENS.alice,
          body: { space: 'unknownSpace' },
        })
      ).status,
    ).toBe(404);
    const foreign = store().spacesOf(GLOBEX)[0]!;
    expect(
      (await api.call('POST', `${base('slack', inst)}/spaces`, { token: TOKENS.alice, body: { space: foreign.id } }))
        .status,
    ).toBe(400);
    const analytics = installationIn(
      'google-analytics',
      [...integration('google-analytics').installations.values()][0]!.organizationId,
    );
    const wrongTarget = await api.call('POST', `${base('google-analytics', analytics)}/spaces`, {
      body: { space: store().spacesOf(analytics.organizationId)[0]!.id },
    });
    expect(wrongTarget.status).toBe(400);
    expect(wrongTarget.body.error.message).toContain('targets "site"');
  });

  it('gets, updates and uninstalls one space installation', async () => {
    const inst = installationIn('slack', NORTHWIND);
    const [spaceId, content] = [...inst.content.space.entries()].find(([, c]) => c.installation.status !== 'paused')!;
    const path = `${base('slack', inst)}/spaces/${spaceId}`;
    const got = await api.get(path, TOKENS.alice);
    expect(got.body).toEqual({ ...content.installation, space: spaceId });
    expect((await api.get(`${path}?extended=true`, TOKENS.alice)).body.space.id).toBe(spaceId);

    const cleared = await api.call('PATCH', path, { token: TOKENS.alice, body: { configuration: {} } });
    expect(cleared.body.status).toBe('pending');
    const updated = await api.call('PATCH', `${path}?extended=true`, {
      token: TOKENS.alice,
      body: { configuration: { channel: '#docs' }, externalIds: ['C0123'] },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      configuration: { channel: '#docs' },
      externalIds: ['C0123'],
      space: { id: spaceId },
    });
    expect(updated.body.status).toBe('active');
    expect(
      (await api.get(`/integrations/slack/spaces?externalId=C0123`, TOKENS.alice)).body.items.map(
        (i: { space: string }) => i.space,
      ),
    ).toEqual([spaceId]);
    expect(
      (
        await api.call('PATCH', path, {
          token: TOKENS.alice,
          body: { configuration: { notify_content_update: 'yes' } },
        })
      ).status,
    ).toBe(400);

    const size = inst.content.space.size;
    expect((await api.call('DELETE', path, { token: TOKENS.alice })).status).toBe(205);
    expect((await api.get(base('slack', inst), TOKENS.alice)).body.spaces).toBe(size - 1);
    expect((await api.get(path, TOKENS.alice)).status).toBe(404);
    expect((await api.call('DELETE', path, { token: TOKENS.alice })).status).toBe(204);
    expect((await api.call('PATCH', path, { token: TOKENS.alice, body: {} })).status).toBe(404);
  });

  it('lists every space installation of an integration the caller may see', async () => {
    const demo = await collect(api, '/integrations/slack/spaces?extended=true');
    const expected = [...integration('slack').installations.values()].reduce((n, i) => n + i.content.space.size, 0);
    expect(demo).toHaveLength(expected);
    expect(demo.every((item) => typeof item.space === 'object' && item.space.object === 'space')).toBe(true);
    const alice = await collect(api, '/integrations/slack/spaces', TOKENS.alice);
    expect(alice.map((i) => i.space).sort()).toEqual(
      [...installationIn('slack', NORTHWIND).content.space.keys()].sort(),
    );
  });
});

describe('site installations', () => {
  it('lists, installs (body { siteId }), gets, updates and uninstalls', async () => {
    const inst = installationIn('slack', NORTHWIND);
    const listed = await api.get(`${base('slack', inst)}/sites?extended=true`, TOKENS.alice);
    expect(listed.body.count).toBe(inst.content.site.size);
    expect(listed.body.items[0].site).toMatchObject({ object: 'site', permissions: { admin: true } });

    const siteId = [...inst.content.site.keys()][0]!;
    expect((await api.call('DELETE', `${base('slack', inst)}/sites/${siteId}`, { token: TOKENS.alice })).status).toBe(
      205,
    );
    expect(inst.content.site.has(siteId)).toBe(false);
    expect(
      (await api.call('POST', `${base('slack', inst)}/sites`, { token: TOKENS.alice, body: { site: siteId } })).status,
    ).toBe(400);
    const created = await api.call('POST', `${base('slack', inst)}/sites`, { token: TOKENS.alice, body: { siteId } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ site: siteId, integration: 'slack', installation: inst.installation.id });
    expect(created.headers.get('location')).toBe(created.body.urls.location);
    expect(
      (await api.call('POST', `${base('slack', inst)}/sites`, { token: TOKENS.alice, body: { siteId } })).status,
    ).toBe(409);
    expect(
      (
        await api.call('POST', `${base('slack', inst)}/sites`, {
          token: TOKENS.alice,
          body: { siteId: store().sitesOf(GLOBEX)[0]!.site.id },
        })
      ).status,
    ).toBe(400);

    const path = `${base('slack', inst)}/sites/${siteId}`;
    expect((await api.get(`${path}?extended=true`, TOKENS.alice)).body.site).toMatchObject({
      id: siteId,
      object: 'site',
    });
    const updated = await api.call('PATCH', path, { token: TOKENS.alice, body: { externalIds: ['site-ext'] } });
    expect(updated.body).toMatchObject({ site: siteId, externalIds: ['site-ext'] });
    expect((await api.get('/integrations/slack/sites?externalId=site-ext', TOKENS.alice)).body.count).toBe(1);
    expect((await api.call('DELETE', path, { token: TOKENS.alice })).status).toBe(205);
    expect((await api.get(path, TOKENS.alice)).status).toBe(404);
    expect((await api.call('DELETE', path, { token: TOKENS.alice })).status).toBe(204);
  });

  it('refuses integrations that do not target sites', async () => {
    const inst = [...integration('github-sync').installations.values()][0]!;
    const response = await api.call('POST', `${base('github-sync', inst)}/sites`, {
      body: { siteId: store().sitesOf(inst.organizationId)[0]!.site.id },
    });
    expect(response.status).toBe(400);
  });

  it('lists every site installation of an integration the caller may see', async () => {
    const all = await collect(api, '/integrations/slack/sites');
    expect(all).toHaveLength(
      [...integration('slack').installations.values()].reduce((n, i) => n + i.content.site.size, 0),
    );
    const bob = await collect(api, '/integrations/slack/sites', TOKENS.bob);
    expect(bob.map((i) => i.site).sort()).toEqual([...installationIn('slack', GLOBEX).content.site.keys()].sort());
  });
});

describe('events', () => {
  it('lists the events newest first, limited to what the caller may see', async () => {
    const slack = integration('slack');
    const all = await collect(api, '/integrations/slack/events');
    expect(all).toHaveLength(slack.events.length);
    expect(all.length).toBeGreaterThanOrEqual(60);
    const times = all.map((e) => e.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(new Set(all.map((e) => e.payload.type)).size).toBeGreaterThanOrEqual(4);
    expect(all.some((e) => e.status === 'failed')).toBe(true);
    const northwind = installationIn('slack', NORTHWIND).installation.id;
    const alice = await collect(api, '/integrations/slack/events', TOKENS.alice);
    expect(alice.length).toBe(slack.events.filter((e) => e.organizationId === NORTHWIND).length);
    expect(alice.every((e) => e.installationId === northwind)).toBe(true);
  });

  it('gets one event with its trace', async () => {
    const [first] = integration('slack').events;
    const response = await api.get(`/integrations/slack/events/${first!.event.id}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ event: first!.event, trace: first!.trace });
    expect(response.body.trace.logs.length).toBeGreaterThanOrEqual(3);
    expect(response.body.trace.logs[0]).toMatchObject({ level: 'debug', timestamp: first!.event.createdAt });
  });

  it('answers 404 for unknown events and events of other organizations', async () => {
    expect((await api.get('/integrations/slack/events/unknown')).status).toBe(404);
    const foreign = integration('slack').events.find((e) => e.organizationId !== NORTHWIND)!;
    expect((await api.get(`/integrations/slack/events/${foreign.event.id}`, TOKENS.alice)).status).toBe(404);
  });
});
