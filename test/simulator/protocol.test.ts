import { describe, expect, it } from 'vitest';
import { compressToEncodedURIComponent, TOKENS, useSimulator } from './helpers.js';

const api = useSimulator();

describe('routing', () => {
  it('answers 404 in the error shape for an unknown path', async () => {
    const response = await api.get('/integrations/slack/nonsense');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: { code: 404, message: expect.stringContaining('No route') } });
    expect((await api.get('/spaces')).status).toBe(404);
  });

  it('answers 404 outside /v1 and for a trailing slash', async () => {
    const outside = await fetch(api.sim.url.replace(/\/v1$/, '/integrations'), {
      headers: { authorization: `Bearer ${TOKENS.demo}` },
    });
    expect(outside.status).toBe(404);
    expect((await api.get('/integrations/')).status).toBe(404);
  });

  it('answers 405 with Allow for a wrong method on a known path', async () => {
    const response = await api.call('PATCH', '/integrations/slack');
    expect(response.status).toBe(405);
    expect(response.body.error.code).toBe(405);
    expect(response.headers.get('allow')?.split(', ').sort()).toEqual(['DELETE', 'GET', 'POST']);
  });

  it('prefers a literal segment over a parameter', async () => {
    const org = api.sim.store.organizations.keys().next().value as string;
    await api.get(`/orgs/${org}/integrations/installations-status`);
    expect(api.sim.requests.at(-1)?.operationId).toBe('listOrganizationIntegrationsStatus');
  });
});

describe('authentication', () => {
  it('answers 401 without a token, with a malformed header and with an unknown token', async () => {
    const variants: Record<string, string>[] = [
      {},
      { authorization: 'Basic Zm9vOmJhcg==' },
      { authorization: 'Bearer' },
      { authorization: 'Bearer nope' },
    ];
    for (const headers of variants) {
      const response = await api.call('GET', '/integrations', { token: null, headers });
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('Bearer');
    }
  });

  it('authenticates writes too, before looking at the body', async () => {
    const response = await api.call('POST', '/integrations/slack/installations', { token: null, body: {} });
    expect(response.status).toBe(401);
  });
});

describe('path parameters', () => {
  it('refuses an integrationName outside the pattern or over 100 characters', async () => {
    const bad = await api.get('/integrations/bad%20name');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('integrationName');
    expect((await api.get(`/integrations/${'a'.repeat(101)}`)).status).toBe(400);
    expect((await api.get(`/integrations/${'a'.repeat(100)}`)).status).toBe(404);
  });

  it('refuses an organizationId outside the EntityId pattern', async () => {
    const response = await api.get('/orgs/not.an.id');
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('organizationId');
  });

  it('refuses malformed percent-encoding', async () => {
    expect((await api.get('/integrations/%E0%A4%A')).status).toBe(400);
  });
});

describe('query parameters', () => {
  it('refuses an unknown query parameter, naming it', async () => {
    const response = await api.get('/integrations?first=10');
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('"first"');
    // page/limit are unknown to an operation that does not define them.
    expect((await api.get('/integrations/slack?limit=1')).status).toBe(400);
  });

  it('enforces limit bounds and number syntax', async () => {
    expect((await api.get('/integrations?limit=1001')).status).toBe(400);
    expect((await api.get('/integrations?limit=-1')).status).toBe(400);
    expect((await api.get('/integrations?limit=ten')).status).toBe(400);
    expect((await api.get('/integrations?limit=')).status).toBe(400);
    expect((await api.get('/integrations?limit=1000')).status).toBe(200);
    expect((await api.get('/integrations?limit=0')).status).toBe(200);
  });

  it('takes booleans only as true/false and enums only from the spec', async () => {
    expect((await api.get('/integrations?blocks=yes')).status).toBe(400);
    expect((await api.get('/integrations?blocks=1')).status).toBe(400);
    const category = await api.get('/integrations?category=games');
    expect(category.status).toBe(400);
    expect(category.body.error.message).toContain('analytics');
    expect((await api.get('/integrations?blockDomain=a/b')).status).toBe(400);
  });

  it('refuses a repeated parameter', async () => {
    expect((await api.get('/integrations?limit=1&limit=2')).status).toBe(400);
  });

  it('requires the required ones', async () => {
    const response = await api.get('/integrations/kudos/render');
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('"request"');
  });
});

describe('request bodies', () => {
  const org = () => api.sim.store.organizations.keys().next().value as string;

  it('requires a body where the spec does', async () => {
    const response = await api.call('POST', '/integrations/slack/installations');
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('required');
  });

  it('names a missing required field', async () => {
    const response = await api.call('POST', '/integrations/my-thing', {
      body: { organization: org(), title: 'My thing', description: 'x', scopes: [] },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('"script"');
  });

  it('names a field of the wrong type, a bad enum and a too long string', async () => {
    const base = { organization: org(), title: 'My thing', description: 'x', scopes: [], script: 'x' };
    const wrongType = await api.call('POST', '/integrations/my-thing', { body: { ...base, title: 42 } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.message).toContain('title');
    const badEnum = await api.call('POST', '/integrations/my-thing', {
      body: { ...base, scopes: ['space:everything'] },
    });
    expect(badEnum.status).toBe(400);
    expect(badEnum.body.error.message).toContain('scopes.0');
    const tooLong = await api.call('POST', '/integrations/my-thing', { body: { ...base, title: 'x'.repeat(31) } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toMatch(/title.*30 characters/);
    const tooMany = await api.call('POST', '/integrations/my-thing', {
      body: { ...base, previewImages: ['aGk=', 'aGk=', 'aGk=', 'aGk='] },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toContain('previewImages');
  });

  it('checks schedule bounds and formats', async () => {
    expect((await api.call('POST', '/integrations/kudos/tasks', { body: { task: {}, schedule: 86401 } })).status).toBe(
      400,
    );
    expect((await api.call('POST', '/integrations/kudos/tasks', { body: { schedule: 5 } })).status).toBe(400);
    const notBase64 = await api.call('POST', '/integrations/my-thing', {
      body: { organization: org(), title: 'My thing', description: 'x', scopes: [], script: 'x', icon: 'not base64!' },
    });
    expect(notBase64.status).toBe(400);
    expect(notBase64.body.error.message).toContain('icon');
  });

  it('refuses unknown top-level fields, so a misspelled one cannot pass silently', async () => {
    const inst = [...api.sim.store.integrations.get('slack')!.installations.values()][0]!;
    const response = await api.call('PATCH', `/integrations/slack/installations/${inst.installation.id}`, {
      body: { spaceSelection: 'all' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('"spaceSelection"');
    expect(response.body.error.message).toContain('space_selection');
  });

  it('refuses invalid JSON, a non-JSON content type, and a body where the spec defines none', async () => {
    expect(
      (
        await api.call('POST', '/integrations/slack/installations', {
          rawBody: '{"organization":',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await api.call('POST', '/integrations/slack/installations', {
          rawBody: 'organization=x',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).status,
    ).toBe(400);
    const onDelete = await api.call('DELETE', '/integrations/does-not-exist', { body: { a: 1 } });
    expect(onDelete.status).toBe(400);
    expect(onDelete.body.error.message).toContain('no request body');
  });
});

describe('response validation', () => {
  it('turns an answer that drifts from the spec into a 500 naming the problem', async () => {
    const record = api.sim.store.integrations.get('mermaid');
    const title = record!.integration.title;
    record!.integration.title = 'M';
    try {
      const response = await fetch(`${api.sim.url}/integrations/mermaid`, {
        headers: { authorization: `Bearer ${TOKENS.demo}` },
      });
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({
        error: { code: 500, message: expect.stringMatching(/^simulator response does not match spec: .*title/) },
      });
    } finally {
      record!.integration.title = title;
    }
  });
});

describe('request recording', () => {
  it('records method, raw path and search, decoded query, headers, body and status', async () => {
    api.sim.clearRequests();
    const org = [...api.sim.store.organizations.keys()][4]!;
    await api.get('/integrations?search=git%20hub&limit=2');
    await api.call('POST', `/integrations/kudos/installations`, {
      body: { organization: org },
      headers: { 'x-trace': 'abc' },
    });
    expect(api.sim.requests).toHaveLength(2);
    const [list, install] = api.sim.requests;
    expect(list).toMatchObject({
      method: 'GET',
      path: '/integrations',
      search: 'search=git%20hub&limit=2',
      query: { search: 'git hub', limit: '2' },
      authorization: `Bearer ${TOKENS.demo}`,
      body: undefined,
      operationId: 'listIntegrations',
      status: 200,
    });
    expect(install).toMatchObject({ method: 'POST', operationId: 'installIntegration', body: { organization: org } });
    expect([201, 409]).toContain(install!.status);
    expect(install!.headers['x-trace']).toBe('abc');
    expect(install!.headers['content-type']).toBe('application/json');
    expect(list!.endedAt).toBeGreaterThanOrEqual(list!.startedAt);
  });

  it('keeps the path percent-encoded and records unmatched routes without an operation', async () => {
    api.sim.clearRequests();
    await api.get('/integrations/a%2Db');
    await api.get('/unknown');
    expect(api.sim.requests.map((r) => [r.path, r.operationId, r.status])).toEqual([
      ['/integrations/a%2Db', 'getIntegrationByName', 404],
      ['/unknown', undefined, 404],
    ]);
  });

  it('clears on demand', async () => {
    await api.get('/integrations');
    api.sim.clearRequests();
    expect(api.sim.requests).toEqual([]);
  });
});

describe('latency', () => {
  it('delays every answer by the configured latency', async () => {
    api.sim.setLatency(60);
    try {
      const started = performance.now();
      await api.get('/integrations/slack');
      expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    } finally {
      api.sim.setLatency(0);
    }
  });
});

describe('render request encoding', () => {
  it('is an LZ-string the GET render operation decodes', async () => {
    const request = compressToEncodedURIComponent(
      JSON.stringify({
        componentId: 'kudos-counter',
        props: {},
        context: { type: 'document', spaceId: 's', editable: true, theme: 'light' },
      }),
    );
    expect((await api.get(`/integrations/kudos/render?request=${request}`)).status).toBe(200);
  });
});
