import { createRequire } from 'node:module';
import type { Integration } from '@gitbook/api';
import { describe, expect, it } from 'vitest';
import { organizationId, POPULAR_INTEGRATION } from '../src/simulator/index.js';
import { Upstream } from '../src/upstream/client.js';
import { createGateway } from '../src/yoga.js';
import { useHarness } from './helpers/harness.js';
import { queryGateway, startLoopback } from './helpers/loopback.js';
import { allCaps, bearer, errorSummary, expectedGet, rest, TOKENS } from './helpers/rest-fixtures.js';
import { expectedIntegration, expectedWrite, INTEGRATION_FIELDS } from './helpers/write-fixtures.js';

const h = await useHarness({ resetStateBeforeEach: true });
const store = h.simulator.store;
const spec = createRequire(import.meta.url)('@gitbook/api/spec/openapi.json') as {
  components: { schemas: Record<string, { enum?: string[] }> };
};

/** Owned by Open Source Collective, of which `demo` and `frank` are members: both may publish over it. */
const KUDOS = 'kudos';
const OSC = organizationId('open-source-collective');
const SLACK = POPULAR_INTEGRATION;
const NEW_NAME = 'team-wiki-sync';

const record = (name: string) => {
  const found = store.integrations.get(name);
  if (!found) throw new Error(`no integration ${name} in the store`);
  return found;
};

const PUBLISH = /* GraphQL */ `
  ${INTEGRATION_FIELDS}
  mutation Publish($input: PublishIntegrationInput!) {
    publishIntegration(input: $input) { integration { ...IntegrationFields } }
  }
`;
const READ = /* GraphQL */ `
  ${INTEGRATION_FIELDS}
  query Read($name: String!) { integration(name: $name) { ...IntegrationFields } }
`;

describe('publishIntegration', () => {
  it('publishes a new integration: one POST carrying every input field under its REST name and spelling', async () => {
    expect(store.integrations.has(NEW_NAME)).toBe(false);
    const input = {
      integrationName: NEW_NAME,
      organizationId: OSC,
      title: 'Team wiki sync',
      description: 'Keeps a team wiki in sync with GitBook.',
      script: 'export default { fetch() {} };',
      scopes: ['SPACE_CONTENT_READ', 'SITE_SCRIPT_INJECT', 'CONVERSATIONS_INGEST'],
      runtime: 'V2',
      icon: 'iVBORw0KGgoAAAANSUhEUg==',
      summary: '# Team wiki sync\n\nMirror your wiki.',
      previewImages: ['aGVsbG8=', 'd29ybGQ='],
      visibility: 'UNLISTED',
      target: 'SPACE',
      categories: ['VISITOR_AUTH', 'CONTENT'],
      blocks: [
        {
          id: 'wiki-page',
          title: 'Wiki page',
          description: 'Embed a page of the wiki',
          icon: 'https://wiki.example/icon.png',
          urlUnfurl: ['https://wiki.example/'],
          markdown: { codeblock: 'wiki', body: 'url' },
        },
      ],
      contentSources: [
        {
          id: 'wiki-pages',
          title: 'Wiki pages',
          description: 'Generate pages from the wiki',
          icon: 'https://wiki.example/source.png',
          configuration: { componentId: 'wiki-source-config' },
        },
      ],
      externalLinks: [{ url: 'https://wiki.example/docs', label: 'Documentation' }],
      configurations: {
        account: { properties: { api_key: { type: 'string', title: 'API key' } }, required: ['api_key'] },
      },
      secrets: { WIKI_TOKEN: 'wiki-secret' },
      contentSecurityPolicy: { 'script-src': "'self' https://wiki.example" },
    };

    const data = await h.data(PUBLISH, { input });

    // The REST body: organizationId → organization, the rest camelCase as REST spells it, enums in REST spelling.
    const { integrationName: _name, organizationId: _org, ...restFields } = input;
    expect(h.calls()).toEqual([
      expectedWrite('POST', `/integrations/${NEW_NAME}`, {
        status: 200,
        body: {
          ...restFields,
          organization: OSC,
          scopes: ['space:content:read', 'site:script:inject', 'conversations:ingest'],
          runtime: 'v2',
          visibility: 'unlisted',
          target: 'space',
          categories: ['visitor-auth', 'content'],
        },
      }),
    ]);

    // The payload is the integration as REST now answers it, read from the POST's answer (no GET).
    const published = await rest<Integration>(h, `/integrations/${NEW_NAME}`);
    expect(published.version).toBe(1);
    expect(data.publishIntegration.integration).toEqual(
      expectedIntegration(published, data.publishIntegration.integration.id),
    );

    // What REST keeps but never shows.
    expect(record(NEW_NAME)).toMatchObject({
      script: input.script,
      runtime: 'v2',
      secrets: input.secrets,
      ownerId: OSC,
    });

    // Read after write: a later query finds it, the same global ID included.
    h.resetCalls();
    const later = await h.data(READ, { name: NEW_NAME });
    expect(later.integration).toEqual(data.publishIntegration.integration);
    expect(h.calls()).toEqual([expectedGet(`/integrations/${NEW_NAME}`)]);
  });

  it('re-publishing increments the version each time, with the caller’s own Authorization', async () => {
    const before = await rest<Integration>(h, `/integrations/${KUDOS}`);
    const input = {
      integrationName: KUDOS,
      organizationId: OSC,
      title: 'Kudos v2',
      description: 'Kudos, rewritten.',
      script: 'export default {};',
      scopes: ['SPACE_METADATA_READ'],
    };

    const first = await h.data(
      `mutation ($input: PublishIntegrationInput!) {
      publishIntegration(input: $input) { integration { name version title description scopes } }
    }`,
      { input },
      { token: TOKENS.frank },
    );
    // Optional fields the input leaves out are left out of the body, not sent as null.
    const body = {
      organization: OSC,
      title: input.title,
      description: input.description,
      script: input.script,
      scopes: ['space:metadata:read'],
    };
    expect(h.calls()).toEqual([
      expectedWrite('POST', `/integrations/${KUDOS}`, { status: 200, body, token: TOKENS.frank }),
    ]);
    expect(first.publishIntegration.integration).toEqual({
      name: KUDOS,
      version: before.version + 1,
      title: 'Kudos v2',
      description: 'Kudos, rewritten.',
      scopes: ['SPACE_METADATA_READ'],
    });

    h.resetCalls();
    const second = await h.data(
      `mutation ($input: PublishIntegrationInput!) {
      publishIntegration(input: $input) { integration { version title } }
    }`,
      { input: { ...input, title: 'Kudos v3' } },
      { token: TOKENS.frank },
    );
    expect(h.calls()).toEqual([
      expectedWrite('POST', `/integrations/${KUDOS}`, {
        status: 200,
        body: { ...body, title: 'Kudos v3' },
        token: TOKENS.frank,
      }),
    ]);
    expect(second.publishIntegration.integration).toEqual({ version: before.version + 2, title: 'Kudos v3' });

    // Read after write.
    h.resetCalls();
    const later = await h.data(`{ integration(name: "${KUDOS}") { version title description } }`);
    expect(later.integration).toEqual({
      version: before.version + 2,
      title: 'Kudos v3',
      description: 'Kudos, rewritten.',
    });
    expect(h.calls()).toEqual([expectedGet(`/integrations/${KUDOS}`)]);
  });

  it('maps every scope and category of the spec to its REST spelling, and back', async () => {
    const scopes = spec.components.schemas.IntegrationScope?.enum ?? [];
    const categories = spec.components.schemas.IntegrationCategory?.enum ?? [];
    expect(scopes.length).toBeGreaterThan(10);
    expect(categories).toContain('visitor-auth');
    const input = {
      integrationName: KUDOS,
      organizationId: OSC,
      title: 'Kudos',
      description: 'All scopes.',
      script: 'x',
      scopes: scopes.map(allCaps),
      categories: categories.map(allCaps),
    };
    const data = await h.data(
      `mutation ($input: PublishIntegrationInput!) {
      publishIntegration(input: $input) { integration { scopes categories } }
    }`,
      { input },
    );
    expect(h.calls()).toEqual([
      expectedWrite('POST', `/integrations/${KUDOS}`, {
        status: 200,
        body: { organization: OSC, title: 'Kudos', description: 'All scopes.', script: 'x', scopes, categories },
      }),
    ]);
    expect(data.publishIntegration.integration).toEqual({
      scopes: scopes.map(allCaps),
      categories: categories.map(allCaps),
    });
  });

  it('maps every runtime, target and visibility to its REST spelling', async () => {
    const runtimes = ['v1', 'v2'];
    const targets = spec.components.schemas.IntegrationTarget?.enum ?? [];
    const visibilities = spec.components.schemas.IntegrationVisibility?.enum ?? [];
    expect(targets.length).toBeGreaterThan(1);
    expect(visibilities.length).toBeGreaterThan(1);
    const count = Math.max(runtimes.length, targets.length, visibilities.length);
    for (let index = 0; index < count; index++) {
      const runtime = runtimes[index % runtimes.length] as string;
      const target = targets[index % targets.length] as string;
      const visibility = visibilities[index % visibilities.length] as string;
      h.resetCalls();
      const data = await h.data(
        `mutation ($input: PublishIntegrationInput!) {
        publishIntegration(input: $input) { integration { target visibility } }
      }`,
        {
          input: {
            integrationName: KUDOS,
            organizationId: OSC,
            title: 'Kudos',
            description: 'd',
            script: 'x',
            scopes: [],
            runtime: allCaps(runtime),
            target: allCaps(target),
            visibility: allCaps(visibility),
          },
        },
      );
      expect(h.calls().map((call) => call.body)).toEqual([
        { organization: OSC, title: 'Kudos', description: 'd', script: 'x', scopes: [], runtime, target, visibility },
      ]);
      expect(data.publishIntegration.integration).toEqual({ target: allCaps(target), visibility: allCaps(visibility) });
      expect(record(KUDOS).runtime).toBe(runtime);
    }
  });

  it('a publish REST refuses is sent once: BAD_USER_INPUT with status 400, and the integration is unchanged', async () => {
    // slack belongs to GitBook: it cannot be published under another organization.
    const before = await rest<Integration>(h, `/integrations/${SLACK}`);
    const input = {
      integrationName: SLACK,
      organizationId: OSC,
      title: 'Slack',
      description: 'd',
      script: 'x',
      scopes: [],
    };
    const response = await h.graphql(
      `mutation ($input: PublishIntegrationInput!) {
      publishIntegration(input: $input) { integration { version } }
    }`,
      { input },
    );
    expect(response.data).toEqual({ publishIntegration: null });
    expect(errorSummary(response)).toEqual([{ path: ['publishIntegration'], code: 'BAD_USER_INPUT', status: 400 }]);
    expect(h.calls()).toEqual([
      expectedWrite('POST', `/integrations/${SLACK}`, {
        status: 400,
        body: { organization: OSC, title: 'Slack', description: 'd', script: 'x', scopes: [] },
      }),
    ]);
    h.resetCalls();
    const later = await h.data(`{ integration(name: "${SLACK}") { version title } }`);
    expect(later.integration).toEqual({ version: before.version, title: before.title });
  });

  it('a taken name is CONFLICT with status 409, sent once', async () => {
    // northwind-sso is Northwind's private integration: demo cannot see it, but its name is taken.
    const response = await h.graphql(
      `mutation ($input: PublishIntegrationInput!) {
      publishIntegration(input: $input) { integration { version } }
    }`,
      {
        input: {
          integrationName: 'northwind-sso',
          organizationId: OSC,
          title: 'SSO',
          description: 'd',
          script: 'x',
          scopes: [],
        },
      },
    );
    expect(errorSummary(response)).toEqual([{ path: ['publishIntegration'], code: 'CONFLICT', status: 409 }]);
    expect(h.calls()).toHaveLength(1);
    expect(h.calls()[0]).toMatchObject({ method: 'POST', path: '/integrations/northwind-sso', status: 409 });
  });

  it('input the spec refuses is BAD_USER_INPUT naming the input field, with no REST call', async () => {
    const valid = {
      integrationName: KUDOS,
      organizationId: OSC,
      title: 'Kudos',
      description: 'd',
      script: 'x',
      scopes: [],
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ previewImages: ['aGk=', 'aGk=', 'aGk=', 'aGk='] }, 'previewImages'],
      [{ title: 'K' }, 'title'],
      [
        { externalLinks: Array.from({ length: 6 }, (_, i) => ({ url: `https://x.example/${i}`, label: `${i}` })) },
        'externalLinks',
      ],
      [{ integrationName: 'not a name!' }, 'integrationName'],
      [{ organizationId: '' }, 'organizationId'],
    ];
    for (const [change, field] of cases) {
      const response = await h.graphql(
        `mutation ($input: PublishIntegrationInput!) {
        publishIntegration(input: $input) { integration { version } }
      }`,
        { input: { ...valid, ...change } },
      );
      expect(errorSummary(response), field).toEqual([
        { path: ['publishIntegration'], code: 'BAD_USER_INPUT', status: undefined },
      ]);
      expect(response.errors?.[0]?.message, field).toContain(field);
    }
    expect(h.calls()).toEqual([]);
  });
});

describe('unpublishIntegration', () => {
  it('sends DELETE /integrations/{name}; deletedIntegrationId is the id the integration had; then it is NOT_FOUND', async () => {
    const { integration } = await h.data(`{ integration(name: "${KUDOS}") { id } }`);
    h.resetCalls();

    const data = await h.data(
      `mutation { unpublishIntegration(input: { integrationName: "${KUDOS}" }) { deletedIntegrationId } }`,
    );
    expect(h.calls()).toEqual([expectedWrite('DELETE', `/integrations/${KUDOS}`, { status: 205 })]);
    expect(data.unpublishIntegration).toEqual({ deletedIntegrationId: integration.id });
    expect(store.integrations.has(KUDOS)).toBe(false);

    // Read after write: by name and by its former global ID.
    h.resetCalls();
    const later = await h.graphql(`query ($id: ID!) { integration(name: "${KUDOS}") { name } node(id: $id) { id } }`, {
      id: integration.id,
    });
    expect(later.data).toEqual({ integration: null, node: null });
    expect(errorSummary(later)).toEqual(
      expect.arrayContaining([{ path: ['integration'], code: 'NOT_FOUND', status: 404 }]),
    );
  });

  it('an unknown integration is NOT_FOUND, sent once; a later integration(name:) is NOT_FOUND too', async () => {
    const name = 'no-such-integration';
    const response = await h.graphql(
      `mutation { unpublishIntegration(input: { integrationName: "${name}" }) { deletedIntegrationId } }`,
    );
    expect(response.data).toEqual({ unpublishIntegration: null });
    expect(errorSummary(response)).toEqual([{ path: ['unpublishIntegration'], code: 'NOT_FOUND', status: 204 }]);
    // REST answers 204 when there was nothing to delete.
    expect(h.calls()).toEqual([expectedWrite('DELETE', `/integrations/${name}`, { status: 204 })]);

    h.resetCalls();
    const later = await h.graphql(`{ integration(name: "${name}") { name } }`);
    expect(later.data).toEqual({ integration: null });
    expect(errorSummary(later)).toEqual([{ path: ['integration'], code: 'NOT_FOUND', status: 404 }]);
    expect(h.calls()).toEqual([expectedGet(`/integrations/${name}`, {}, { status: 404 })]);
  });

  it('a refused unpublish is FORBIDDEN with status 403, sent once with the caller’s token, and the integration stays', async () => {
    // alice can see the public slack but is no member of GitBook, its owner.
    const response = await h.graphql(
      `mutation { unpublishIntegration(input: { integrationName: "${SLACK}" }) { deletedIntegrationId } }`,
      {},
      { token: TOKENS.alice },
    );
    expect(errorSummary(response)).toEqual([{ path: ['unpublishIntegration'], code: 'FORBIDDEN', status: 403 }]);
    expect(h.calls()).toEqual([
      expectedWrite('DELETE', `/integrations/${SLACK}`, { status: 403, token: TOKENS.alice }),
    ]);
    h.resetCalls();
    const later = await h.data(`{ integration(name: "${SLACK}") { name } }`, {}, { token: TOKENS.alice });
    expect(later.integration).toEqual({ name: SLACK });
  });
});

describe('setIntegrationDevelopmentMode', () => {
  it('sends PUT /integrations/{name}/dev with {tunnelUrl, all}; the payload’s integration is read after it', async () => {
    expect(record(KUDOS).development).toBeUndefined();
    const tunnelUrl = 'https://kudos-dev.tunnel.example';
    const data = await h.data(
      `mutation ($tunnelUrl: String!) {
      setIntegrationDevelopmentMode(input: { integrationName: "${KUDOS}", tunnelUrl: $tunnelUrl, all: true }) {
        integration { name title version }
      }
    }`,
      { tunnelUrl },
    );
    // REST answers 204 with no body, so the integration is fetched, after the write.
    expect(h.calls()).toEqual([
      expectedWrite('PUT', `/integrations/${KUDOS}/dev`, { status: 204, body: { tunnelUrl, all: true } }),
      expectedGet(`/integrations/${KUDOS}`),
    ]);
    const integration = await rest<Integration>(h, `/integrations/${KUDOS}`);
    expect(data.setIntegrationDevelopmentMode.integration).toEqual({
      name: KUDOS,
      title: integration.title,
      version: integration.version,
    });
    // The REST integration object does not show development mode; the simulator's state does.
    expect(record(KUDOS).development).toEqual({ tunnelUrl, all: true });
  });

  it('leaves `all` out of the body when the input does', async () => {
    const tunnelUrl = 'https://kudos-dev.tunnel.example/2';
    await h.data(
      `mutation ($tunnelUrl: String!) {
      setIntegrationDevelopmentMode(input: { integrationName: "${KUDOS}", tunnelUrl: $tunnelUrl }) { integration { name } }
    }`,
      { tunnelUrl },
    );
    expect(h.calls()[0]).toEqual(
      expectedWrite('PUT', `/integrations/${KUDOS}/dev`, { status: 204, body: { tunnelUrl } }),
    );
    expect(record(KUDOS).development).toEqual({ tunnelUrl, all: false });
  });

  it('a refused write is FORBIDDEN with status 403, sent once, and nothing changes', async () => {
    // frank develops Open Source Collective's integrations, not GitBook's slack.
    const response = await h.graphql(
      `mutation { setIntegrationDevelopmentMode(input: { integrationName: "${SLACK}", tunnelUrl: "https://t.example" }) { integration { name } } }`,
      {},
      { token: TOKENS.frank },
    );
    expect(response.data).toEqual({ setIntegrationDevelopmentMode: null });
    expect(errorSummary(response)).toEqual([
      { path: ['setIntegrationDevelopmentMode'], code: 'FORBIDDEN', status: 403 },
    ]);
    expect(h.calls()).toEqual([
      expectedWrite('PUT', `/integrations/${SLACK}/dev`, {
        status: 403,
        token: TOKENS.frank,
        body: { tunnelUrl: 'https://t.example' },
      }),
    ]);
    expect(record(SLACK).development).toBeUndefined();
  });

  it('an empty or over-long tunnelUrl is BAD_USER_INPUT with no REST call', async () => {
    for (const tunnelUrl of ['', `https://t.example/${'x'.repeat(256)}`]) {
      const response = await h.graphql(
        `mutation ($tunnelUrl: String!) {
        setIntegrationDevelopmentMode(input: { integrationName: "${KUDOS}", tunnelUrl: $tunnelUrl }) { integration { name } }
      }`,
        { tunnelUrl },
      );
      expect(errorSummary(response)).toEqual([
        { path: ['setIntegrationDevelopmentMode'], code: 'BAD_USER_INPUT', status: undefined },
      ]);
      expect(response.errors?.[0]?.message).toContain('tunnelUrl');
    }
    expect(h.calls()).toEqual([]);
  });
});

describe('disableIntegrationDevelopmentMode', () => {
  it('sends DELETE /integrations/{name}/dev; the payload’s integration is read after it', async () => {
    record(KUDOS).development = { tunnelUrl: 'https://kudos-dev.tunnel.example', all: false };
    const data = await h.data(`mutation {
      disableIntegrationDevelopmentMode(input: { integrationName: "${KUDOS}" }) { integration { name version } }
    }`);
    expect(h.calls()).toEqual([
      expectedWrite('DELETE', `/integrations/${KUDOS}/dev`, { status: 205 }),
      expectedGet(`/integrations/${KUDOS}`),
    ]);
    expect(data.disableIntegrationDevelopmentMode.integration).toEqual({
      name: KUDOS,
      version: record(KUDOS).integration.version,
    });
    expect(record(KUDOS).development).toBeUndefined();
  });

  it('an unknown integration is NOT_FOUND with status 404, sent once', async () => {
    const response = await h.graphql(`mutation {
      disableIntegrationDevelopmentMode(input: { integrationName: "no-such-integration" }) { integration { name } }
    }`);
    expect(response.data).toEqual({ disableIntegrationDevelopmentMode: null });
    expect(errorSummary(response)).toEqual([
      { path: ['disableIntegrationDevelopmentMode'], code: 'NOT_FOUND', status: 404 },
    ]);
    expect(h.calls()).toEqual([expectedWrite('DELETE', '/integrations/no-such-integration/dev', { status: 404 })]);
  });
});

describe('queueIntegrationTask', () => {
  const QUEUE = /* GraphQL */ `
    mutation ($input: QueueIntegrationTaskInput!) { queueIntegrationTask(input: $input) { queued } }
  `;

  it('sends POST /integrations/{name}/tasks with {task, schedule}', async () => {
    const task = { type: 'sync', spaces: ['a', 'b'], options: { full: true } };
    const before = record(KUDOS).tasks.length;
    const data = await h.data(QUEUE, { input: { integrationName: KUDOS, task, schedule: 3600 } });
    expect(data.queueIntegrationTask).toEqual({ queued: true });
    expect(h.calls()).toEqual([
      expectedWrite('POST', `/integrations/${KUDOS}/tasks`, { status: 204, body: { task, schedule: 3600 } }),
    ]);
    // Tasks are not readable through the API; the simulator's state shows the queued one.
    expect(record(KUDOS).tasks).toHaveLength(before + 1);
    expect(record(KUDOS).tasks.at(-1)).toMatchObject({ task, schedule: 3600 });
  });

  it('leaves `schedule` out when the input does, and accepts both ends of 0..86400', async () => {
    await h.data(QUEUE, { input: { integrationName: KUDOS, task: { n: 1 } } });
    await h.data(QUEUE, { input: { integrationName: KUDOS, task: { n: 2 }, schedule: 0 } });
    await h.data(QUEUE, { input: { integrationName: KUDOS, task: { n: 3 }, schedule: 86400 } });
    expect(h.calls()).toEqual([
      expectedWrite('POST', `/integrations/${KUDOS}/tasks`, { status: 204, body: { task: { n: 1 } } }),
      expectedWrite('POST', `/integrations/${KUDOS}/tasks`, { status: 204, body: { task: { n: 2 }, schedule: 0 } }),
      expectedWrite('POST', `/integrations/${KUDOS}/tasks`, { status: 204, body: { task: { n: 3 }, schedule: 86400 } }),
    ]);
    expect(
      record(KUDOS)
        .tasks.slice(-3)
        .map((queued) => queued.schedule),
    ).toEqual([0, 0, 86400]);
  });

  it.each([86401, -1])('schedule %i is refused with BAD_USER_INPUT and no REST call', async (schedule) => {
    const before = record(KUDOS).tasks.length;
    const response = await h.graphql(QUEUE, { input: { integrationName: KUDOS, task: { n: 1 }, schedule } });
    expect(response.data).toEqual({ queueIntegrationTask: null });
    expect(errorSummary(response)).toEqual([
      { path: ['queueIntegrationTask'], code: 'BAD_USER_INPUT', status: undefined },
    ]);
    expect(response.errors?.[0]?.message).toContain('schedule');
    expect(h.calls()).toEqual([]);
    expect(record(KUDOS).tasks).toHaveLength(before);
  });

  it('a task that is not a JSON object is refused with BAD_USER_INPUT and no REST call', async () => {
    for (const task of ['run', 42, [1, 2]]) {
      const response = await h.graphql(QUEUE, { input: { integrationName: KUDOS, task } });
      expect(errorSummary(response), JSON.stringify(task)).toEqual([
        { path: ['queueIntegrationTask'], code: 'BAD_USER_INPUT', status: undefined },
      ]);
    }
    expect(h.calls()).toEqual([]);
  });

  it('a refused task is FORBIDDEN with status 403, sent once', async () => {
    const before = record(SLACK).tasks.length;
    const response = await h.graphql(
      QUEUE,
      { input: { integrationName: SLACK, task: { n: 1 } } },
      { token: TOKENS.frank },
    );
    expect(errorSummary(response)).toEqual([{ path: ['queueIntegrationTask'], code: 'FORBIDDEN', status: 403 }]);
    expect(h.calls()).toEqual([
      expectedWrite('POST', `/integrations/${SLACK}/tasks`, {
        status: 403,
        token: TOKENS.frank,
        body: { task: { n: 1 } },
      }),
    ]);
    expect(record(SLACK).tasks).toHaveLength(before);
  });
});

describe('mutation fields run in order, each reading what the previous ones wrote', () => {
  it('a payload never shows an integration loaded before a later write, and its GET comes after that write', async () => {
    const before = await rest<Integration>(h, `/integrations/${KUDOS}`);
    const data = await h.data(`mutation {
      dev: setIntegrationDevelopmentMode(input: { integrationName: "${KUDOS}", tunnelUrl: "https://t.example" }) {
        integration { title version }
      }
      publish: publishIntegration(input: {
        integrationName: "${KUDOS}", organizationId: "${OSC}", title: "Kudos renamed", description: "d", script: "x", scopes: []
      }) {
        integration { title version }
      }
      undev: disableIntegrationDevelopmentMode(input: { integrationName: "${KUDOS}" }) {
        integration { title version }
      }
    }`);
    expect(data).toEqual({
      dev: { integration: { title: before.title, version: before.version } },
      publish: { integration: { title: 'Kudos renamed', version: before.version + 1 } },
      undev: { integration: { title: 'Kudos renamed', version: before.version + 1 } },
    });
    // One call per write, each sent once and in document order; the publish answer is the
    // integration itself, the other two fetch it after their write.
    expect(h.calls().map((call) => `${call.method} ${call.path}`)).toEqual([
      `PUT /integrations/${KUDOS}/dev`,
      `GET /integrations/${KUDOS}`,
      `POST /integrations/${KUDOS}`,
      `DELETE /integrations/${KUDOS}/dev`,
      `GET /integrations/${KUDOS}`,
    ]);
    const requests = h.simulator.requests;
    for (let index = 1; index < requests.length; index++) {
      expect(requests[index]!.startedAt).toBeGreaterThanOrEqual(requests[index - 1]!.endedAt);
    }
  });
});

describe('a failed mutation field', () => {
  it('fails alone: the fields after it still run, each write sent once', async () => {
    const kudosTasks = record(KUDOS).tasks.length;
    const response = await h.graphql(
      `mutation {
      refused: queueIntegrationTask(input: { integrationName: "${SLACK}", task: { n: 1 } }) { queued }
      invalid: queueIntegrationTask(input: { integrationName: "${KUDOS}", task: { n: 2 }, schedule: -1 }) { queued }
      accepted: queueIntegrationTask(input: { integrationName: "${KUDOS}", task: { n: 3 } }) { queued }
    }`,
      {},
      { token: TOKENS.frank },
    );
    expect(response.data).toEqual({ refused: null, invalid: null, accepted: { queued: true } });
    expect(errorSummary(response)).toEqual([
      { path: ['refused'], code: 'FORBIDDEN', status: 403 },
      { path: ['invalid'], code: 'BAD_USER_INPUT', status: undefined },
    ]);
    expect(h.calls()).toEqual([
      expectedWrite('POST', `/integrations/${SLACK}/tasks`, {
        status: 403,
        token: TOKENS.frank,
        body: { task: { n: 1 } },
      }),
      expectedWrite('POST', `/integrations/${KUDOS}/tasks`, {
        status: 204,
        token: TOKENS.frank,
        body: { task: { n: 3 } },
      }),
    ]);
    expect(record(KUDOS).tasks).toHaveLength(kudosTasks + 1);
  });
});

describe('how a mutation reaches REST', () => {
  it('over HTTP GET it is refused (405) and makes no REST call', async () => {
    const query = `mutation { queueIntegrationTask(input: { integrationName: "${KUDOS}", task: { n: 1 } }) { queued } }`;
    const before = record(KUDOS).tasks.length;
    const response = await h.gateway.fetch(`http://gateway.test/graphql?query=${encodeURIComponent(query)}`, {
      method: 'GET',
      headers: {
        accept: 'application/graphql-response+json',
        authorization: bearer(TOKENS.demo),
        'x-graphql-csrf': '1',
      },
    });
    expect(response.status).toBe(405);
    expect(h.calls()).toEqual([]);
    expect(record(KUDOS).tasks).toHaveLength(before);
  });

  it('without an Authorization header: UNAUTHENTICATED before execution, and nothing is sent', async () => {
    const before = record(KUDOS).tasks.length;
    const response = await h.graphql(
      `mutation { queueIntegrationTask(input: { integrationName: "${KUDOS}", task: { n: 1 } }) { queued } }`,
      {},
      { token: null },
    );
    expect(response.data).toBeUndefined();
    expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(h.calls()).toEqual([]);
    expect(record(KUDOS).tasks).toHaveLength(before);
  });
});

describe('identifiers that would make an invalid REST request', () => {
  /** Every mutation of the contract, with an input valid but for the identifier under test. */
  const MUTATIONS: { field: string; input: string; selection: string; fields: Record<string, unknown> }[] = [
    {
      field: 'publishIntegration',
      input: 'PublishIntegrationInput',
      selection: 'integration { name }',
      fields: { organizationId: OSC, title: 'Title', description: 'd', script: 'x', scopes: [] },
    },
    {
      field: 'unpublishIntegration',
      input: 'UnpublishIntegrationInput',
      selection: 'deletedIntegrationId',
      fields: {},
    },
    {
      field: 'installIntegration',
      input: 'InstallIntegrationInput',
      selection: 'installation { installationId }',
      fields: { organizationId: OSC },
    },
    {
      field: 'updateInstallation',
      input: 'UpdateInstallationInput',
      selection: 'installation { installationId }',
      fields: { installationId: 'i1', externalIds: [] },
    },
    {
      field: 'uninstallIntegration',
      input: 'UninstallIntegrationInput',
      selection: 'deletedInstallationId',
      fields: { installationId: 'i1' },
    },
    {
      field: 'createInstallationToken',
      input: 'CreateInstallationTokenInput',
      selection: 'token',
      fields: { installationId: 'i1' },
    },
    {
      field: 'installIntegrationOnSpace',
      input: 'InstallIntegrationOnSpaceInput',
      selection: 'spaceInstallation { spaceId }',
      fields: { installationId: 'i1', spaceId: 's1' },
    },
    {
      field: 'updateSpaceInstallation',
      input: 'UpdateSpaceInstallationInput',
      selection: 'spaceInstallation { spaceId }',
      fields: { installationId: 'i1', spaceId: 's1', externalIds: [] },
    },
    {
      field: 'uninstallIntegrationFromSpace',
      input: 'UninstallIntegrationFromSpaceInput',
      selection: 'deletedSpaceInstallationId',
      fields: { installationId: 'i1', spaceId: 's1' },
    },
    {
      field: 'installIntegrationOnSite',
      input: 'InstallIntegrationOnSiteInput',
      selection: 'siteInstallation { siteId }',
      fields: { installationId: 'i1', siteId: 's1' },
    },
    {
      field: 'updateSiteInstallation',
      input: 'UpdateSiteInstallationInput',
      selection: 'siteInstallation { siteId }',
      fields: { installationId: 'i1', siteId: 's1', externalIds: [] },
    },
    {
      field: 'uninstallIntegrationFromSite',
      input: 'UninstallIntegrationFromSiteInput',
      selection: 'deletedSiteInstallationId',
      fields: { installationId: 'i1', siteId: 's1' },
    },
    {
      field: 'setIntegrationDevelopmentMode',
      input: 'SetIntegrationDevelopmentModeInput',
      selection: 'integration { name }',
      fields: { tunnelUrl: 'https://t.example' },
    },
    {
      field: 'disableIntegrationDevelopmentMode',
      input: 'DisableIntegrationDevelopmentModeInput',
      selection: 'integration { name }',
      fields: {},
    },
    {
      field: 'renderIntegrationUI',
      input: 'RenderIntegrationUIInput',
      selection: 'output { type }',
      fields: {
        componentId: 'c',
        props: {},
        context: { type: 'document', theme: 'light', spaceId: 's1', editable: true },
      },
    },
    { field: 'queueIntegrationTask', input: 'QueueIntegrationTaskInput', selection: 'queued', fields: { task: {} } },
  ];

  it('the list covers every mutation of the schema', async () => {
    const data = await h.data(`{ __type(name: "Mutation") { fields { name } } }`);
    expect(data.__type.fields.map((field: { name: string }) => field.name).sort()).toEqual(
      MUTATIONS.map((m) => m.field).sort(),
    );
  });

  it.each(MUTATIONS)(
    '$field refuses a bad integrationName with BAD_USER_INPUT and no REST call',
    async ({ field, input, selection, fields }) => {
      for (const integrationName of ['not a name', 'x'.repeat(101), '..', '.', '']) {
        const response = await h.graphql(`mutation ($input: ${input}!) { ${field}(input: $input) { ${selection} } }`, {
          input: { integrationName, ...fields },
        });
        expect(response.data, integrationName).toEqual({ [field]: null });
        expect(errorSummary(response), integrationName).toEqual([
          { path: [field], code: 'BAD_USER_INPUT', status: undefined },
        ]);
      }
      expect(h.calls()).toEqual([]);
    },
  );

  it.each(MUTATIONS.filter((m) => 'installationId' in m.fields))(
    '$field refuses an installationId of "", "." or ".." with BAD_USER_INPUT and no REST call',
    async ({ field, input, selection, fields }) => {
      for (const installationId of ['', '.', '..']) {
        const response = await h.graphql(`mutation ($input: ${input}!) { ${field}(input: $input) { ${selection} } }`, {
          input: { integrationName: SLACK, ...fields, installationId },
        });
        expect(errorSummary(response), installationId).toEqual([
          { path: [field], code: 'BAD_USER_INPUT', status: undefined },
        ]);
      }
      expect(h.calls()).toEqual([]);
    },
  );
});

describe('a write is never retried', () => {
  it('an upstream answering 503 to a mutation gets exactly one request: UPSTREAM_ERROR with status 503', async () => {
    const received: { method: string; url: string; authorization: string | undefined }[] = [];
    const upstreamServer = await startLoopback((request, response) => {
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        authorization: request.headers.authorization,
      });
      request.resume();
      request.on('end', () => {
        response.writeHead(503, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { code: 503, message: 'Service unavailable, try again' } }));
      });
    });
    const upstream = new Upstream({ baseUrl: `${upstreamServer.url}/v1`, timeoutMs: 5_000, connections: 4 });
    try {
      const gateway = createGateway({ upstream });
      const response = await queryGateway(
        gateway,
        `mutation {
        queueIntegrationTask(input: { integrationName: "${KUDOS}", task: { n: 1 } }) { queued }
      }`,
      );
      expect(response.data).toEqual({ queueIntegrationTask: null });
      expect(errorSummary(response)).toEqual([{ path: ['queueIntegrationTask'], code: 'UPSTREAM_ERROR', status: 503 }]);
      expect(received).toEqual([
        { method: 'POST', url: `/v1/integrations/${KUDOS}/tasks`, authorization: bearer(TOKENS.demo) },
      ]);
    } finally {
      await upstream.close();
      await upstreamServer.close();
    }
  });
});
