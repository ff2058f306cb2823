import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN, organizationId, POPULAR_INTEGRATION } from '../src/simulator/index.js';
import { Upstream } from '../src/upstream/client.js';
import { createGateway } from '../src/yoga.js';
import { type GraphQLResponse, useHarness } from './helpers/harness.js';
import { closedPort, type Loopback, queryGateway, startLoopback } from './helpers/loopback.js';
import { bearer, errorSummary, expectedGet, rest } from './helpers/rest-fixtures.js';

const h = await useHarness();

const SLACK = POPULAR_INTEGRATION;

/** Everything an error must never show a client. */
const secrets = (...extra: string[]) => [DEMO_TOKEN, h.simulator.url, new URL(h.simulator.url).host, ...extra];

/** No stack trace, token or internal address anywhere in the errors of a response. */
function expectNothingLeaked(response: GraphQLResponse, ...extra: string[]): void {
  const errors = JSON.stringify(response.errors ?? []);
  for (const secret of secrets(...extra)) expect(errors).not.toContain(secret);
  expect(errors).not.toMatch(/\bat .+:\d+:\d+|\.ts\b|\.js\b|node:internal/);
  expect(errors).not.toMatch(/"(stack|originalError)"/);
}

/** A gateway over an upstream that is not the simulator, closed after the file. */
const extraUpstreams: Upstream[] = [];
const loopbacks: Loopback[] = [];
afterAll(async () => {
  await Promise.all(extraUpstreams.map((upstream) => upstream.close()));
  await Promise.all(loopbacks.map((server) => server.close()));
});

function gatewayOver(baseUrl: string, timeoutMs = 5_000) {
  const upstream = new Upstream({ baseUrl, timeoutMs, connections: 4 });
  extraUpstreams.push(upstream);
  return createGateway({ upstream });
}

/** A loopback upstream that answers every request with `handler`. */
async function fakeUpstream(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Loopback> {
  const server = await startLoopback(handler);
  loopbacks.push(server);
  return server;
}

describe('a REST 404', () => {
  it('is NOT_FOUND (status 404) on that field; sibling fields keep their data', async () => {
    const expected = await rest(h, `/integrations/${SLACK}`);
    const response = await h.graphql(`{
      found: integration(name: "${SLACK}") { name title }
      missing: integration(name: "no-such-integration") { name title }
    }`);
    expect(response.data).toEqual({ found: { name: SLACK, title: expected.title }, missing: null });
    expect(errorSummary(response)).toEqual([{ path: ['missing'], code: 'NOT_FOUND', status: 404 }]);
    expect(response.errors?.[0]?.message).toContain('no-such-integration'); // the REST message is kept
    expectNothingLeaked(response);
  });

  it('fails only the nested field that needed the call', async () => {
    const expected = await rest(h, `/integrations/${SLACK}`);
    const response = await h.graphql(`{
      integration(name: "${SLACK}") {
        title
        installation(installationId: "noSuchInstallation") { installationId }
        event(eventId: "noSuchEvent") { eventId }
      }
    }`);
    expect(response.data).toEqual({ integration: { title: expected.title, installation: null, event: null } });
    expect(errorSummary(response)).toEqual([
      { path: ['integration', 'installation'], code: 'NOT_FOUND', status: 404 },
      { path: ['integration', 'event'], code: 'NOT_FOUND', status: 404 },
    ]);
    expect(h.calls()).toEqual([
      expectedGet(`/integrations/${SLACK}`),
      expectedGet(`/integrations/${SLACK}/installations/noSuchInstallation`, {}, { status: 404 }),
      expectedGet(`/integrations/${SLACK}/events/noSuchEvent`, {}, { status: 404 }),
    ]);
    expectNothingLeaked(response);
  });
});

describe('authentication', () => {
  it('without an Authorization header: UNAUTHENTICATED before execution, and no REST call', async () => {
    const response = await h.graphql(`{ integration(name: "${SLACK}") { title } }`, {}, { token: null });
    expect(response.data).toBeUndefined();
    expect(response.errors?.map((error) => error.extensions)).toEqual([{ code: 'UNAUTHENTICATED' }]);
    expect(h.calls()).toEqual([]);
    expectNothingLeaked(response);
  });

  it('with an unknown token: UNAUTHENTICATED (status 401), and the token is not echoed', async () => {
    const token = 'gb_api_unknown_Zz91Qq00Xx';
    const response = await h.graphql(`{ integrations(first: 2) { totalCount } }`, {}, { token });
    expect(response.data).toEqual({ integrations: null });
    expect(errorSummary(response)).toEqual([{ path: ['integrations'], code: 'UNAUTHENTICATED', status: 401 }]);
    expect(h.calls()).toEqual([expectedGet('/integrations', { limit: '2' }, { token, status: 401 })]);
    expectNothingLeaked(response, token);
  });
});

describe('a REST 403', () => {
  // demo is not a member of Northwind.
  const northwind = organizationId('northwind');

  it('is FORBIDDEN (status 403)', async () => {
    const response = await h.graphql(
      `{ organization(organizationId: "${northwind}") { installations(first: 1) { totalCount } } }`,
    );
    expect(errorSummary(response)).toEqual([
      { path: ['organization', 'installations'], code: 'FORBIDDEN', status: 403 },
    ]);
    expect(h.calls()).toEqual([expectedGet(`/orgs/${northwind}/installations`, { limit: '1' }, { status: 403 })]);
    expectNothingLeaked(response);
  });

  it('nulls the failing connection alone: the organization and the rest of the response keep their data', async () => {
    const response = await h.graphql(`{
      integration(name: "${SLACK}") { name }
      organization(organizationId: "${northwind}") { organizationId installations(first: 1) { totalCount } }
    }`);
    expect(errorSummary(response)).toEqual([
      { path: ['organization', 'installations'], code: 'FORBIDDEN', status: 403 },
    ]);
    expect(response.data).toEqual({
      integration: { name: SLACK },
      organization: { organizationId: northwind, installations: null },
    });
  });
});

describe('an upstream that cannot be reached', () => {
  it('refusing connections: UPSTREAM_UNAVAILABLE, the message naming no URL, host or port', async () => {
    const port = await closedPort();
    const gateway = gatewayOver(`http://127.0.0.1:${port}/v1`);
    const response = await queryGateway(gateway, `{ integration(name: "${SLACK}") { title } }`);
    expect(response.data).toEqual({ integration: null });
    expect(errorSummary(response)).toEqual([
      { path: ['integration'], code: 'UPSTREAM_UNAVAILABLE', status: undefined },
    ]);
    const message = response.errors?.[0]?.message ?? '';
    expect(message).not.toMatch(/https?:|127\.0\.0\.1|localhost|\/v1/);
    expect(message).not.toContain(String(port));
    expectNothingLeaked(response, String(port), '127.0.0.1');
  });

  it('hanging past the timeout: UPSTREAM_UNAVAILABLE', async () => {
    const received: string[] = [];
    // Never answers.
    const hanging = await fakeUpstream((req) => received.push(req.url ?? ''));
    const gateway = gatewayOver(`${hanging.url}/v1`, 150);
    const response = await queryGateway(gateway, `{ integration(name: "${SLACK}") { title } }`);
    expect(response.data).toEqual({ integration: null });
    expect(errorSummary(response)).toEqual([
      { path: ['integration'], code: 'UPSTREAM_UNAVAILABLE', status: undefined },
    ]);
    expect(received).toEqual([`/v1/integrations/${SLACK}`]);
    expectNothingLeaked(response, String(hanging.port), '127.0.0.1');
  });
});

describe('an upstream that answers badly', () => {
  /** Answers `status`, `contentType` and `body` to every request. */
  const answering = async (status: number, contentType: string, body: string) => {
    const server = await fakeUpstream((_req, res) => {
      res.writeHead(status, { 'content-type': contentType });
      res.end(body);
    });
    return gatewayOver(`${server.url}/v1`);
  };

  it('a 500: UPSTREAM_ERROR with status 500 and the REST message', async () => {
    const gateway = await answering(500, 'application/json', '{"error":{"code":500,"message":"Something broke"}}');
    const response = await queryGateway(gateway, `{ a: integration(name: "${SLACK}") { title } }`);
    expect(response.data).toEqual({ a: null });
    expect(errorSummary(response)).toEqual([{ path: ['a'], code: 'UPSTREAM_ERROR', status: 500 }]);
    expect(response.errors?.[0]?.message).toBe('Something broke');
    expectNothingLeaked(response);
  });

  it('a 502 proxy page: UPSTREAM_ERROR with status 502, not the page itself', async () => {
    const gateway = await answering(
      502,
      'text/html',
      '<html><body>Bad gateway: http://10.1.2.3:8080/internal</body></html>',
    );
    const response = await queryGateway(gateway, `{ integrations(first: 1) { totalCount } }`);
    expect(errorSummary(response)).toEqual([{ path: ['integrations'], code: 'UPSTREAM_ERROR', status: 502 }]);
    expectNothingLeaked(response, '10.1.2.3', '<html');
  });

  it('a 200 that is not JSON: UPSTREAM_ERROR with its status', async () => {
    const gateway = await answering(200, 'text/plain', 'this is not JSON');
    const response = await queryGateway(gateway, `{ integration(name: "${SLACK}") { title } }`);
    expect(response.data).toEqual({ integration: null });
    expect(errorSummary(response)).toEqual([{ path: ['integration'], code: 'UPSTREAM_ERROR', status: 200 }]);
    expectNothingLeaked(response);
  });

  it('a 200 JSON answer of the wrong shape (a malformed answer): UPSTREAM_ERROR, not an unexpected error', async () => {
    const gateway = await answering(200, 'application/json', '{"unexpected":true}');
    const response = await queryGateway(gateway, `{ integrations(first: 1) { totalCount nodes { name } } }`);
    expect(response.data).toEqual({ integrations: null });
    expect(errorSummary(response)).toEqual([{ path: ['integrations'], code: 'UPSTREAM_ERROR', status: 200 }]);
    expectNothingLeaked(response);
  });
});

describe('each REST status has its code', () => {
  it.each([
    [400, 'BAD_USER_INPUT'],
    [401, 'UNAUTHENTICATED'],
    [403, 'FORBIDDEN'],
    [404, 'NOT_FOUND'],
    [409, 'CONFLICT'],
    [412, 'PRECONDITION_FAILED'],
    [429, 'RATE_LIMITED'],
    [500, 'UPSTREAM_ERROR'],
    [503, 'UPSTREAM_ERROR'],
  ])('%i: %s, with the status and the REST message', async (status, code) => {
    const server = await fakeUpstream((_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: status, message: `REST said ${status}` } }));
    });
    const response = await queryGateway(gatewayOver(`${server.url}/v1`), `{ integration(name: "${SLACK}") { title } }`);
    expect(response.data).toEqual({ integration: null });
    expect(errorSummary(response)).toEqual([{ path: ['integration'], code, status }]);
    expect(response.errors?.[0]?.message).toBe(`REST said ${status}`);
  });
});

describe('arguments that would make an invalid REST request', () => {
  it.each([
    ['outside the pattern', 'slack!'],
    ['with a slash', 'slack/installations'],
    ['with a space', 'sl ack'],
    ['over 100 characters', 'a'.repeat(101)],
    ['empty', ''],
    // The pattern allows dots, but a `..` path segment would walk up the REST path.
    ['a lone dot', '.'],
    ['two dots', '..'],
  ])('integration(name:) %s: BAD_USER_INPUT before any call', async (_label, name) => {
    const response = await h.graphql(`query ($name: String!) { integration(name: $name) { title } }`, { name });
    expect(response.data).toEqual({ integration: null });
    expect(errorSummary(response)).toEqual([{ path: ['integration'], code: 'BAD_USER_INPUT', status: undefined }]);
    expect(h.calls()).toEqual([]);
  });

  it('integration(name:) of exactly 100 characters is sent (and answered 404)', async () => {
    const name = 'a'.repeat(100);
    const response = await h.graphql(`query ($name: String!) { integration(name: $name) { title } }`, { name });
    expect(errorSummary(response)).toEqual([{ path: ['integration'], code: 'NOT_FOUND', status: 404 }]);
    expect(h.calls()).toEqual([expectedGet(`/integrations/${name}`, {}, { status: 404 })]);
  });

  it.each([
    ['outside the pattern', 'bad/name'],
    ['over 100 characters', 'b'.repeat(101)],
    ['empty', ''],
  ])(
    'Organization.integrationInstallationStatus(integrationName:) %s: BAD_USER_INPUT before any call',
    async (_label, name) => {
      const org = organizationId('northwind');
      const response = await h.graphql(
        `query ($org: String!, $name: String!) { organization(organizationId: $org) { integrationInstallationStatus(integrationName: $name) } }`,
        { org, name },
      );
      expect(errorSummary(response)).toEqual([
        { path: ['organization', 'integrationInstallationStatus'], code: 'BAD_USER_INPUT', status: undefined },
      ]);
      expect(h.calls()).toEqual([]);
    },
  );

  it.each(['', ' '])('installationId %j: BAD_USER_INPUT, and no call for it', async (installationId) => {
    const response = await h.graphql(
      `query ($id: String!) { integration(name: "${SLACK}") { name installation(installationId: $id) { installationId } } }`,
      { id: installationId },
    );
    expect(response.data).toEqual({ integration: { name: SLACK, installation: null } });
    expect(errorSummary(response)).toEqual([
      { path: ['integration', 'installation'], code: 'BAD_USER_INPUT', status: undefined },
    ]);
    // `name` needs no lookup of the integration, and the refused id no call.
    expect(h.calls()).toEqual([]);
  });

  it.each(['', ' '])('eventId %j: BAD_USER_INPUT, and no call for it', async (eventId) => {
    const response = await h.graphql(
      `query ($id: String!) { integration(name: "${SLACK}") { name event(eventId: $id) { eventId } } }`,
      { id: eventId },
    );
    expect(response.data).toEqual({ integration: { name: SLACK, event: null } });
    expect(errorSummary(response)).toEqual([
      { path: ['integration', 'event'], code: 'BAD_USER_INPUT', status: undefined },
    ]);
    // `name` needs no lookup of the integration, and the refused id no call.
    expect(h.calls()).toEqual([]);
  });

  it.each(['', ' '])('siteId %j: BAD_USER_INPUT, and no call for it', async (siteId) => {
    const installation = (await rest(h, `/integrations/${SLACK}/installations`, { limit: 1 })).items[0];
    const response = await h.graphql(
      `query ($installationId: String!, $siteId: String!) {
        integration(name: "${SLACK}") {
          installation(installationId: $installationId) { installationId siteInstallation(siteId: $siteId) { siteId } }
        }
      }`,
      { installationId: installation.id, siteId },
    );
    expect(response.data).toEqual({
      integration: { installation: { installationId: installation.id, siteInstallation: null } },
    });
    expect(errorSummary(response)).toEqual([
      { path: ['integration', 'installation', 'siteInstallation'], code: 'BAD_USER_INPUT', status: undefined },
    ]);
    // Only the installation's own call: the integration needs no lookup, the refused id no call.
    expect(h.calls()).toEqual([expectedGet(`/integrations/${SLACK}/installations/${installation.id}`)]);

    h.resetCalls();
    const site = await h.graphql(
      `query ($org: String!, $siteId: String!) { organization(organizationId: $org) { site(siteId: $siteId) { siteId integrations { totalCount } } } }`,
      { org: installation.target.organization, siteId },
    );
    expect(errorSummary(site)).toEqual([{ path: ['organization', 'site'], code: 'BAD_USER_INPUT', status: undefined }]);
    expect(h.calls()).toEqual([]);
  });

  it.each(['', 'not/a space id'])('spaceId %j: BAD_USER_INPUT, and no call for it', async (spaceId) => {
    const installation = (await rest(h, `/integrations/${SLACK}/installations`, { limit: 1 })).items[0];
    const response = await h.graphql(
      `query ($installationId: String!, $spaceId: String!) {
        integration(name: "${SLACK}") {
          installation(installationId: $installationId) { spaceInstallation(spaceId: $spaceId) { spaceId } }
        }
      }`,
      { installationId: installation.id, spaceId },
    );
    expect(response.data).toEqual({ integration: { installation: { spaceInstallation: null } } });
    expect(errorSummary(response)).toEqual([
      { path: ['integration', 'installation', 'spaceInstallation'], code: 'BAD_USER_INPUT', status: undefined },
    ]);
    // Only the installation's own call: the integration needs no lookup, the refused id no call.
    expect(h.calls()).toEqual([expectedGet(`/integrations/${SLACK}/installations/${installation.id}`)]);
  });
});

describe('what errors never show', () => {
  it('no stack trace, token or internal URL, whatever failed', async () => {
    const northwind = organizationId('northwind');
    const failing = [
      `{ integration(name: "no-such-integration") { title } }`,
      `{ integration(name: "bad name") { title } }`,
      `{ organization(organizationId: "${northwind}") { installations { totalCount } } }`,
      `{ integrations(first: 5000) { totalCount } }`,
      `{ integrations(after: "junk") { totalCount } }`,
      `{ node(id: "junk") { id } }`,
      `{ integration(name: "${SLACK}") { installation(installationId: "") { installationId } } }`,
    ];
    for (const query of failing) {
      for (const token of [DEMO_TOKEN, 'gb_api_unknown_Zz91Qq00Xx', null]) {
        const response = await h.graphql(query, {}, { token });
        expect(response.errors?.length, query).toBeGreaterThan(0);
        expectNothingLeaked(response, 'gb_api_unknown_Zz91Qq00Xx');
      }
    }
    // The calls did carry the tokens: the errors left them out.
    expect(h.calls().map((call) => call.authorization)).toContain(bearer('gb_api_unknown_Zz91Qq00Xx'));
  });

  it('no stack trace even for an unexpected error while NODE_ENV=development', async () => {
    // An answer the gateway cannot use makes an unexpected error inside it.
    const server = await fakeUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"unexpected":true}');
    });
    const gateway = gatewayOver(`${server.url}/v1`);
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'development';
    try {
      const response = await queryGateway(
        gateway,
        `{ integration(name: "${SLACK}") { installations(first: 1) { totalCount } } }`,
      );
      expect(response.errors?.length).toBeGreaterThan(0);
      expectNothingLeaked(response);
    } finally {
      process.env.NODE_ENV = previous;
    }
  });
});
