import { describe, expect, it } from 'vitest';
import { organizationId } from '../../src/simulator/index.js';
import { SIMULATED_OPERATIONS } from '../../src/simulator/spec.js';
import { compressToEncodedURIComponent, useSimulator } from './helpers.js';

const api = useSimulator();

const OWNER = organizationId('open-source-collective');
const ACME = organizationId('acme');

describe('an integration’s whole life, through every operation', () => {
  it('publishes, installs, configures, renders, observes and removes an integration', async () => {
    api.sim.reset();
    const { call, get } = api;
    const name = 'e2e-widget';
    const space = api.sim.store.spacesOf(ACME)[0]!.id;
    const site = api.sim.store.sitesOf(ACME)[0]!.site.id;
    const context = { type: 'document', spaceId: space, editable: true, theme: 'light' };

    const published = await call('POST', `/integrations/${name}`, {
      body: {
        organization: OWNER,
        title: 'E2E Widget',
        description: 'A widget for tests.',
        script: 'export default {}',
        scopes: ['site:script:inject'],
        visibility: 'public',
        target: 'all',
        categories: ['other'],
        blocks: [{ id: 'widget', title: 'Widget', urlUnfurl: ['https://widgets.example/'] }],
        configurations: {
          space: { properties: { color: { type: 'string', enum: ['red', 'blue'] } }, required: ['color'] },
        },
      },
    });
    expect(published.status).toBe(200);
    expect((await get(`/integrations/${name}`)).body.version).toBe(1);
    expect(
      (await get(`/integrations?blockDomain=widgets.example`)).body.items.map((i: { name: string }) => i.name),
    ).toEqual([name]);
    expect(
      (await call('PUT', `/integrations/${name}/dev`, { body: { tunnelUrl: 'https://tunnel.example' } })).status,
    ).toBe(204);
    expect((await call('DELETE', `/integrations/${name}/dev`)).status).toBe(205);
    expect((await call('POST', `/integrations/${name}/tasks`, { body: { task: { run: 'sync' } } })).status).toBe(204);

    const installed = await call('POST', `/integrations/${name}/installations`, { body: { organization: ACME } });
    expect(installed.status).toBe(201);
    const inst = `/integrations/${name}/installations/${installed.body.id}`;
    expect((await get(`/integrations/${name}/installations`)).body.items.map((i: { id: string }) => i.id)).toEqual([
      installed.body.id,
    ]);
    expect((await get(inst)).body.id).toBe(installed.body.id);
    expect((await call('PATCH', inst, { body: { externalIds: ['widget-acme'] } })).body.externalIds).toEqual([
      'widget-acme',
    ]);
    expect((await call('POST', `${inst}/tokens`)).body.token).toEqual(expect.any(String));

    const onSpace = await call('POST', `${inst}/spaces`, { body: { space } });
    expect(onSpace.status).toBe(201);
    expect(onSpace.body.status).toBe('pending');
    expect((await get(`${inst}/spaces`)).body.count).toBe(1);
    expect((await get(`${inst}/spaces/${space}`)).body.space).toBe(space);
    expect(
      (await call('PATCH', `${inst}/spaces/${space}`, { body: { configuration: { color: 'green' } } })).status,
    ).toBe(400);
    expect(
      (await call('PATCH', `${inst}/spaces/${space}`, { body: { configuration: { color: 'blue' } } })).body.status,
    ).toBe('active');
    expect((await get(`/integrations/${name}/spaces?extended=true`)).body.items[0].space.id).toBe(space);
    expect((await get(inst)).body.spaces).toBe(1);

    expect((await call('POST', `${inst}/sites`, { body: { siteId: site } })).status).toBe(201);
    expect((await get(`${inst}/sites`)).body.items[0].site).toBe(site);
    expect((await get(`${inst}/sites/${site}?extended=true`)).body.site.id).toBe(site);
    expect((await call('PATCH', `${inst}/sites/${site}`, { body: { externalIds: ['s'] } })).body.externalIds).toEqual([
      's',
    ]);
    expect((await get(`/integrations/${name}/sites`)).body.count).toBe(1);

    const events = await get(`/integrations/${name}/events?limit=100`);
    expect(events.body.items.map((e: { payload: { type: string } }) => e.payload.type)).toEqual([
      'site_installation_setup',
      'site_installation_setup',
      'space_installation_setup',
      'space_installation_setup',
      'installation_setup',
      'installation_setup',
    ]);
    const event = await get(`/integrations/${name}/events/${events.body.items[0].id}`);
    expect(event.body.event.payload).toMatchObject({ siteId: site, installationId: installed.body.id });
    expect(event.body.trace.logs.length).toBeGreaterThan(0);

    const request = { componentId: 'widget', props: { url: 'https://widgets.example/w/1' }, context };
    const viaGet = await get(
      `/integrations/${name}/render?request=${compressToEncodedURIComponent(JSON.stringify(request))}`,
    );
    expect(viaGet.status).toBe(200);
    expect((await call('POST', `/integrations/${name}/render`, { body: request })).body).toEqual(viaGet.body);

    expect((await get(`/orgs/${ACME}`)).body.id).toBe(ACME);
    expect((await get(`/orgs/${ACME}/integrations?search=e2e`)).body.count).toBe(1);
    expect((await get(`/orgs/${ACME}/integrations/${name}/installation_status`)).body).toEqual({ status: 'active' });
    expect((await get(`/orgs/${ACME}/installations?search=e2e`)).body.items[0].installation.id).toBe(installed.body.id);
    expect(
      (await get(`/orgs/${ACME}/integrations/installations-status?target=space&space=${space}`)).body.items,
    ).toContainEqual(expect.objectContaining({ status: 'active', target: { type: 'space', spaceId: space } }));
    expect(
      (await get(`/orgs/${ACME}/sites/${site}/integrations?search=e2e`)).body.items.map(
        (i: { name: string }) => i.name,
      ),
    ).toEqual([name]);
    const scripts = await get(`/orgs/${ACME}/sites/${site}/integration-scripts`);
    expect(scripts.body).toContainEqual(
      expect.objectContaining({
        script: expect.stringContaining(`/integrations/${name}/installations/`),
        cookies: false,
      }),
    );

    expect((await call('DELETE', `${inst}/sites/${site}`)).status).toBe(205);
    expect((await call('DELETE', `${inst}/spaces/${space}`)).status).toBe(205);
    expect((await call('DELETE', inst)).status).toBe(205);
    expect((await call('DELETE', `/integrations/${name}`)).status).toBe(205);
    expect((await get(`/integrations/${name}`)).status).toBe(404);

    const succeeded = new Set(api.sim.requests.filter((r) => r.status < 300).map((r) => r.operationId));
    expect([...succeeded].sort()).toEqual([...SIMULATED_OPERATIONS].sort());
  });
});
