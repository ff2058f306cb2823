import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMIT, organizationId, SEEDED_USERS } from '../../src/simulator/index.js';
import { collect, compressToEncodedURIComponent, TOKENS, useSimulator } from './helpers.js';

const api = useSimulator();
beforeEach(() => api.sim.reset());

const names = (items: { name: string }[]) => items.map((i) => i.name);
const GITBOOK = organizationId('gitbook');
const NORTHWIND = organizationId('northwind');
const GLOBEX = organizationId('globex');

describe('listIntegrations', () => {
  it('lists the public integrations by name, with the default page size', async () => {
    const response = await api.get('/integrations');
    expect(response.status).toBe(200);
    const expected = [...api.sim.store.integrations.values()]
      .filter((r) => r.integration.visibility === 'public')
      .map((r) => r.integration.name)
      .sort();
    expect(response.body.count).toBe(expected.length);
    expect(names(response.body.items)).toEqual(expected.slice(0, DEFAULT_LIMIT));
    expect(response.body.next).toBeDefined();
    const all = await collect(api, '/integrations');
    expect(names(all)).toEqual(expected);
  });

  it('embeds the owner organization and per-caller permissions', async () => {
    const { body } = await api.get('/integrations?search=slack');
    const slack = body.items.find((i: { name: string }) => i.name === 'slack');
    expect(slack.owner).toMatchObject({ object: 'organization', id: GITBOOK, title: 'GitBook' });
    expect(slack.permissions).toEqual({ admin: true });
    const asCarol = await api.get('/integrations?search=slack', TOKENS.carol);
    expect(asCarol.body.items[0].permissions).toEqual({ admin: false });
    expect(asCarol.body.items[0].owner.permissions.view).toBe(false);
  });

  it('filters by search on name and title, case-insensitively', async () => {
    const { body } = await api.get('/integrations?search=GIT&limit=100');
    expect(names(body.items)).toEqual(['github-files', 'github-sync', 'gitlab-sync']);
    const byTitle = await api.get('/integrations?search=entra');
    expect(names(byTitle.body.items)).toEqual(['azure-ad']);
  });

  it('filters by category', async () => {
    const all = await collect(api, '/integrations?category=visitor-auth');
    expect(names(all)).toEqual(expect.arrayContaining(['auth0', 'azure-ad', 'okta']));
    expect(all.every((i) => i.categories.includes('visitor-auth'))).toBe(true);
    expect(names(all)).not.toContain('slack');
  });

  it('filters by block domain, including parent domains and wildcard unfurls', async () => {
    expect(names((await api.get('/integrations?blockDomain=figma.com')).body.items)).toEqual(['figma']);
    expect(names((await api.get('/integrations?blockDomain=www.figma.com')).body.items)).toEqual(['figma']);
    expect(names((await api.get('/integrations?blockDomain=atlassian.net')).body.items)).toEqual(['jira']);
    expect(names((await api.get('/integrations?blockDomain=github.com')).body.items)).toEqual(['github-files']);
    expect((await api.get('/integrations?blockDomain=example.org')).body).toEqual({ items: [], count: 0 });
  });

  it('filters by having blocks or content sources', async () => {
    const total = (await api.get('/integrations?limit=0')).body.count;
    const withBlocks = await collect(api, '/integrations?blocks=true');
    const withoutBlocks = await collect(api, '/integrations?blocks=false');
    expect(withBlocks.length + withoutBlocks.length).toBe(total);
    expect(withBlocks.every((i) => i.blocks.length > 0)).toBe(true);
    expect(withoutBlocks.every((i) => i.blocks.length === 0)).toBe(true);
    expect(names(withBlocks)).toEqual(expect.arrayContaining(['mermaid', 'kudos', 'figma']));
    const sources = await collect(api, '/integrations?contentSources=true');
    expect(names(sources)).toEqual(expect.arrayContaining(['notion-sync', 'openapi-generator']));
    expect(sources.every((i) => i.contentSources.length > 0)).toBe(true);
  });

  it('filters by owner, scope and target', async () => {
    const owned = await collect(api, `/integrations?owner=${organizationId('open-source-collective')}`);
    expect(names(owned)).toEqual(expect.arrayContaining(['kudos', 'mermaid', 'plausible']));
    expect(owned.every((i) => i.owner.id === organizationId('open-source-collective'))).toBe(true);
    const scoped = await collect(api, '/integrations?scope=site:script:inject');
    expect(names(scoped)).toEqual(expect.arrayContaining(['google-analytics', 'intercom']));
    expect(scoped.every((i) => i.scopes.includes('site:script:inject'))).toBe(true);
    // A target keeps what can be installed there, so integrations targeting `all` come along.
    const sites = await collect(api, '/integrations?target=site');
    expect(names(sites)).toEqual(expect.arrayContaining(['google-analytics', 'slack']));
    expect(names(sites)).not.toContain('github-sync');
    expect(sites.every((i) => i.target === 'site' || i.target === 'all')).toBe(true);
    const onlyAll = await collect(api, '/integrations?target=all');
    expect(onlyAll.every((i) => i.target === 'all')).toBe(true);
  });

  it('combines filters', async () => {
    const { body } = await api.get(
      `/integrations?category=analytics&owner=${GITBOOK}&scope=site:script:cookies&limit=100`,
    );
    expect(names(body.items)).toEqual(['google-analytics', 'google-tag-manager', 'hotjar']);
  });

  it('never lists unlisted or private integrations', async () => {
    const all = names(await collect(api, '/integrations', TOKENS.alice));
    expect(all).not.toContain('ai-answers-beta');
    expect(all).not.toContain('northwind-sso');
    expect(all).not.toContain('northwind-status');
  });
});

describe('getIntegrationByName', () => {
  it('answers the integration', async () => {
    const { status, body } = await api.get('/integrations/github-sync');
    expect(status).toBe(200);
    const record = api.sim.store.integrations.get('github-sync')!;
    expect(body).toMatchObject({ ...record.integration, permissions: { admin: true } });
    expect(body.urls.location).toBe('https://api.gitbook.com/v1/integrations/github-sync');
  });

  it('shows unlisted integrations to anyone and private ones only to their owner', async () => {
    expect((await api.get('/integrations/ai-answers-beta', TOKENS.carol)).status).toBe(200);
    expect((await api.get('/integrations/northwind-status', TOKENS.bob)).status).toBe(200);
    expect((await api.get('/integrations/northwind-sso', TOKENS.alice)).status).toBe(200);
    for (const token of [TOKENS.bob, TOKENS.carol, TOKENS.demo]) {
      const response = await api.get('/integrations/northwind-sso', token);
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ error: { code: 404, message: 'Integration "northwind-sso" not found' } });
    }
  });

  it('answers 404 for an unknown integration', async () => {
    expect((await api.get('/integrations/no-such-integration')).status).toBe(404);
  });
});

describe('publishIntegration and unpublishIntegration', () => {
  const manifest = {
    organization: GITBOOK,
    title: 'Docs Helper',
    description: 'Helps with docs.',
    script: 'export default {}',
    scopes: ['space:content:read'],
  };

  it('creates a private integration at version 1, then replaces it at version 2', async () => {
    const created = await api.call('POST', '/integrations/docs-helper', { body: manifest });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      object: 'integration',
      name: 'docs-helper',
      version: 1,
      title: 'Docs Helper',
      visibility: 'private',
      target: 'all',
      verified: false,
      categories: [],
      scopes: ['space:content:read'],
      owner: { id: GITBOOK },
      permissions: { admin: true },
    });
    expect(api.sim.store.integrations.get('docs-helper')?.script).toBe('export default {}');

    const updated = await api.call('POST', '/integrations/docs-helper', {
      body: {
        ...manifest,
        title: 'Docs Helper Pro',
        visibility: 'public',
        categories: ['content'],
        previewImages: ['aGVsbG8='],
        icon: 'aGVsbG8=',
      },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      version: 2,
      title: 'Docs Helper Pro',
      visibility: 'public',
      categories: ['content'],
    });
    expect(updated.body.previewImages).toHaveLength(1);
    expect(updated.body.urls.icon).toMatch(/^https:\/\/integrations\.gitbook\.com\//);
    expect((await api.get('/integrations/docs-helper', TOKENS.carol)).body.version).toBe(2);
    expect(names(await collect(api, '/integrations?search=docs-helper'))).toEqual(['docs-helper']);
  });

  it('accepts the organization hostname', async () => {
    const created = await api.call('POST', '/integrations/docs-helper', {
      body: { ...manifest, organization: 'gitbook' },
    });
    expect(created.status).toBe(200);
    expect(created.body.owner.id).toBe(GITBOOK);
  });

  it('keeps a new private integration out of sight of other organizations', async () => {
    await api.call('POST', '/integrations/docs-helper', { body: manifest });
    expect((await api.get('/integrations/docs-helper', TOKENS.carol)).status).toBe(404);
    const orgList = await collect(api, `/orgs/${GITBOOK}/integrations`);
    expect(names(orgList)).toContain('docs-helper');
    expect(names(await collect(api, '/integrations'))).not.toContain('docs-helper');
  });

  it('refuses an unknown organization (404), a foreign one (403), a taken name (403/409) and an owner change (400)', async () => {
    expect(
      (await api.call('POST', '/integrations/docs-helper', { body: { ...manifest, organization: 'nowhere' } })).status,
    ).toBe(404);
    expect(
      (
        await api.call('POST', '/integrations/docs-helper', {
          token: TOKENS.alice,
          body: { ...manifest, organization: GLOBEX },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await api.call('POST', '/integrations/slack', {
          token: TOKENS.alice,
          body: { ...manifest, organization: NORTHWIND },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await api.call('POST', '/integrations/northwind-sso', {
          token: TOKENS.bob,
          body: { ...manifest, organization: GLOBEX },
        })
      ).status,
    ).toBe(409);
    const moved = await api.call('POST', '/integrations/slack', {
      body: { ...manifest, organization: organizationId('acme') },
    });
    expect(moved.status).toBe(400);
    expect(api.sim.store.integrations.get('slack')?.integration.title).toBe('Slack');
  });

  it('unpublishes with 205, then answers 204 as it no longer exists', async () => {
    await api.call('POST', '/integrations/docs-helper', { body: manifest });
    const deleted = await api.call('DELETE', '/integrations/docs-helper');
    expect(deleted.status).toBe(205);
    expect(deleted.body).toBeUndefined();
    expect((await api.get('/integrations/docs-helper')).status).toBe(404);
    expect((await api.call('DELETE', '/integrations/docs-helper')).status).toBe(204);
  });

  it('takes the installations along when unpublishing', async () => {
    const org = [...api.sim.store.integrations.get('kudos')!.installations.values()][0]!.organizationId;
    expect(names((await collect(api, `/orgs/${org}/installations`)).map((i) => i.integration))).toContain('kudos');
    expect((await api.call('DELETE', '/integrations/kudos', { token: TOKENS.frank })).status).toBe(205);
    expect(names((await collect(api, `/orgs/${org}/installations`)).map((i) => i.integration))).not.toContain('kudos');
    expect((await api.get('/integrations/kudos/installations')).status).toBe(404);
  });

  it('lets only the owner unpublish, and hides private integrations behind 204', async () => {
    expect((await api.call('DELETE', '/integrations/slack', { token: TOKENS.alice })).status).toBe(403);
    expect((await api.call('DELETE', '/integrations/northwind-sso', { token: TOKENS.bob })).status).toBe(204);
    expect(api.sim.store.integrations.has('northwind-sso')).toBe(true);
  });
});

describe('development mode and tasks', () => {
  it('enables and disables development mode for the owner', async () => {
    const enabled = await api.call('PUT', '/integrations/kudos/dev', {
      token: TOKENS.frank,
      body: { tunnelUrl: 'https://abc.trycloudflare.com' },
    });
    expect(enabled.status).toBe(204);
    expect(enabled.body).toBeUndefined();
    expect(api.sim.store.integrations.get('kudos')?.development).toEqual({
      tunnelUrl: 'https://abc.trycloudflare.com',
      all: false,
    });
    await api.call('PUT', '/integrations/kudos/dev', {
      token: TOKENS.frank,
      body: { tunnelUrl: 'https://x.example', all: true },
    });
    expect(api.sim.store.integrations.get('kudos')?.development).toEqual({ tunnelUrl: 'https://x.example', all: true });
    expect((await api.call('DELETE', '/integrations/kudos/dev', { token: TOKENS.frank })).status).toBe(205);
    expect(api.sim.store.integrations.get('kudos')?.development).toBeUndefined();
  });

  it('refuses others (403), unknown integrations (404) and an empty tunnel URL (400)', async () => {
    expect(
      (
        await api.call('PUT', '/integrations/kudos/dev', {
          token: TOKENS.alice,
          body: { tunnelUrl: 'https://x.example' },
        })
      ).status,
    ).toBe(403);
    expect((await api.call('DELETE', '/integrations/kudos/dev', { token: TOKENS.alice })).status).toBe(403);
    expect(
      (
        await api.call('PUT', '/integrations/nope/dev', {
          token: TOKENS.frank,
          body: { tunnelUrl: 'https://x.example' },
        })
      ).status,
    ).toBe(404);
    expect(
      (await api.call('PUT', '/integrations/kudos/dev', { token: TOKENS.frank, body: { tunnelUrl: '' } })).status,
    ).toBe(400);
  });

  it('queues tasks for the owner, with their schedule', async () => {
    const response = await api.call('POST', '/integrations/kudos/tasks', {
      token: TOKENS.frank,
      body: { task: { kind: 'digest' }, schedule: 60 },
    });
    expect(response.status).toBe(204);
    const [task] = api.sim.store.integrations.get('kudos')!.tasks;
    expect(task).toMatchObject({ task: { kind: 'digest' }, schedule: 60 });
    expect(Date.parse(task!.runAt) - Date.parse(task!.queuedAt)).toBe(60_000);
    expect(
      (await api.call('POST', '/integrations/kudos/tasks', { token: TOKENS.alice, body: { task: {} } })).status,
    ).toBe(403);
  });
});

describe('render', () => {
  const context = { type: 'document', spaceId: 'space1', editable: true, theme: 'light' };
  const renderGet = (name: string, request: unknown, token = TOKENS.demo) =>
    api.get(`/integrations/${name}/render?request=${compressToEncodedURIComponent(JSON.stringify(request))}`, token);

  it('renders a counter that an action increments (POST)', async () => {
    const response = await api.call('POST', '/integrations/kudos/render', {
      body: {
        componentId: 'kudos-counter',
        props: { message: 'Thanks!' },
        state: { count: 2 },
        context,
        action: { action: 'kudos.add' },
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.body).toMatchObject({ type: 'element', state: { count: 3 }, props: { message: 'Thanks!' } });
    const [stack, markdown] = response.body.element.children;
    expect(stack.children[0]).toEqual({ type: 'text', style: 'bold', children: '3 kudos' });
    expect(stack.children[1]).toMatchObject({ type: 'button', onPress: { action: 'kudos.add' } });
    expect(markdown).toEqual({ type: 'markdown', content: 'Thanks!' });
  });

  it('decodes the LZ-string request of GET render and answers the same element', async () => {
    const request = { componentId: 'kudos-counter', props: { initial: 5 }, context, action: { action: 'kudos.add' } };
    const viaGet = await renderGet('kudos', request);
    expect(viaGet.status).toBe(200);
    expect(viaGet.headers.get('cache-control')).toContain('max-age');
    expect(viaGet.body.state).toEqual({ count: 6 });
    const viaPost = await api.call('POST', '/integrations/kudos/render', { body: request });
    expect(viaGet.body).toEqual(viaPost.body);
    // The raw form is kept; decoded, a `+` of the LZ alphabet reads as a space, which lz-string tolerates.
    expect(api.sim.requests.at(-2)?.search).toBe(`request=${compressToEncodedURIComponent(JSON.stringify(request))}`);
  });

  it('refuses a request that is not LZ-string, not JSON, or not a RenderIntegrationUI', async () => {
    const bad = await api.get('/integrations/kudos/render?request=%21%21%21');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('LZ-string');
    const notJson = await api.get(`/integrations/kudos/render?request=${compressToEncodedURIComponent('{not json')}`);
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.message).toContain('JSON');
    const incomplete = await renderGet('kudos', { componentId: 'kudos-counter', context });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.error.message).toContain('"props"');
    expect(
      (await renderGet('kudos', { componentId: 'kudos-counter', props: {}, context: { type: 'document' } })).status,
    ).toBe(400);
  });

  it('toggles the mermaid editor and unfurls GitHub links', async () => {
    const preview = await api.call('POST', '/integrations/mermaid/render', {
      body: { componentId: 'mermaid', props: { content: 'graph LR; A-->B' }, context },
    });
    expect(preview.body.element.children[0]).toMatchObject({ type: 'webframe' });
    const editing = await api.call('POST', '/integrations/mermaid/render', {
      body: {
        componentId: 'mermaid',
        props: preview.body.props,
        state: preview.body.state,
        context,
        action: { action: 'mermaid.toggle' },
      },
    });
    expect(editing.body.state).toEqual({ editing: true });
    expect(editing.body.element.children[0]).toMatchObject({
      type: 'codeblock',
      content: 'graph LR; A-->B',
      syntax: 'mermaid',
    });
    const url = 'https://github.com/GitbookIO/integrations/blob/main/README.md';
    const unfurled = await api.call('POST', '/integrations/github-files/render', {
      body: { componentId: 'github-code-block', props: {}, context, action: { action: '@link.unfurl', url } },
    });
    expect(unfurled.body.props).toEqual({ url });
    expect(unfurled.body.element.children[0]).toMatchObject({
      type: 'card',
      title: 'README.md',
      hint: 'GitbookIO/integrations',
    });
  });

  it('completes the Slack configuration flow on save', async () => {
    const accountContext = { type: 'configuration_account', organizationId: GITBOOK, theme: 'dark' };
    const form = await api.call('POST', '/integrations/slack/render', {
      body: { componentId: 'configure', props: {}, context: accountContext },
    });
    expect(form.body.element.type).toBe('configuration');
    const saved = await api.call('POST', '/integrations/slack/render', {
      body: {
        componentId: 'configure',
        props: {},
        state: { default_channel: '#docs' },
        context: accountContext,
        action: { action: 'save' },
      },
    });
    expect(saved.body).toEqual({ type: 'complete', returnValue: { default_channel: '#docs' } });
  });

  it('renders a generic element for other blocks, and 404 without UI or component', async () => {
    const figma = await api.call('POST', '/integrations/figma/render', {
      body: { componentId: 'figma-embed', props: { url: 'https://www.figma.com/file/x' }, context },
    });
    expect(figma.status).toBe(200);
    expect(figma.body.element.children[0]).toMatchObject({ type: 'card', title: 'Figma' });
    const noComponent = await api.call('POST', '/integrations/kudos/render', {
      body: { componentId: 'nope', props: {}, context },
    });
    expect(noComponent.status).toBe(404);
    const noUi = await api.call('POST', '/integrations/segment/render', {
      body: { componentId: 'x', props: {}, context },
    });
    expect(noUi.status).toBe(404);
    expect(noUi.body.error.message).toContain('does not render any UI');
    expect(
      (await renderGet('northwind-status', { componentId: 'status-badge', props: {}, context }, TOKENS.alice)).status,
    ).toBe(200);
    expect((await renderGet('northwind-sso', { componentId: 'x', props: {}, context }, TOKENS.bob)).status).toBe(404);
  });
});

describe('listOrganizationIntegrations', () => {
  it('lists public integrations plus every one the organization owns', async () => {
    const all = names(await collect(api, `/orgs/${NORTHWIND}/integrations`, TOKENS.alice));
    expect(all).toEqual(expect.arrayContaining(['northwind-sso', 'northwind-status', 'slack']));
    expect(all).not.toContain('globex-metrics');
    expect(all).not.toContain('ai-answers-beta');
    const publicCount = (await api.get('/integrations?limit=0')).body.count;
    const owned = [...api.sim.store.integrations.values()].filter(
      (r) => r.ownerId === NORTHWIND && r.integration.visibility !== 'public',
    ).length;
    expect(all).toHaveLength(publicCount + owned);
    expect(all).toEqual([...all].sort());
  });

  it('applies the same filters', async () => {
    const { body } = await api.get(
      `/orgs/${NORTHWIND}/integrations?category=visitor-auth&owner=${NORTHWIND}`,
      TOKENS.alice,
    );
    expect(names(body.items)).toEqual(['northwind-sso']);
    expect(body.items[0].permissions.admin).toBe(true);
  });

  it('needs membership', async () => {
    expect((await api.get(`/orgs/${NORTHWIND}/integrations`, TOKENS.bob)).status).toBe(403);
    expect((await api.get('/orgs/unknownOrg123/integrations', TOKENS.bob)).status).toBe(404);
    expect(SEEDED_USERS.alice.organizations).toEqual([NORTHWIND]);
  });
});
