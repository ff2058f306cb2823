import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { POPULAR_INTEGRATION } from '../src/simulator/index.js';
import { useHarness } from './helpers/harness.js';
import { errorSummary, expectedGet, rest } from './helpers/rest-fixtures.js';

const h = await useHarness();

const SLACK = POPULAR_INTEGRATION;

/**
 * One object of every node type, as a query reached it, with the fields the
 * refetch selects again. Gathered once: every test refetches from these ids.
 */
// Fields that share a name across node types but not a type are aliased, so
// one selection can read every type.
const SELECTIONS = {
  Integration: 'id name title version',
  Organization: 'id organizationId organizationTitle: title',
  Installation: 'id installationId status createdAt externalIds',
  SpaceInstallation: 'id spaceId status externalIds',
  SiteInstallation: 'id siteId status externalIds',
  IntegrationEvent: 'id eventId eventStatus: status type createdAt',
} as const;
type NodeType = keyof typeof SELECTIONS;

const GATHER = /* GraphQL */ `
  query Gather($name: String!) {
    integration(name: $name) {
      ${SELECTIONS.Integration}
      owner { ${SELECTIONS.Organization} }
      installations(first: 1) {
        nodes {
          ${SELECTIONS.Installation}
          spaceInstallations(first: 1) { nodes { ${SELECTIONS.SpaceInstallation} } }
          siteInstallations(first: 1) { nodes { ${SELECTIONS.SiteInstallation} } }
        }
      }
      events(first: 1) { nodes { ${SELECTIONS.IntegrationEvent} } }
    }
  }
`;

type Fields = Record<string, any> & { id: string };
let seen: Record<NodeType, Fields>;

beforeAll(async () => {
  const { integration } = await h.data(GATHER, { name: SLACK });
  const { owner, installations, events, ...rest } = integration;
  const installation = installations.nodes[0];
  const { spaceInstallations, siteInstallations, ...installationFields } = installation;
  seen = {
    Integration: rest,
    Organization: owner,
    Installation: installationFields,
    SpaceInstallation: spaceInstallations.nodes[0],
    SiteInstallation: siteInstallations.nodes[0],
    IntegrationEvent: events.nodes[0],
  };
  for (const [type, fields] of Object.entries(seen)) {
    if (!fields?.id) throw new Error(`the seed gave no ${type} to refetch`);
  }
});

afterEach(() => h.simulator.setLatency(0));

/** The one REST call that refetches each node type, from what the query returned. */
function refetchPath(type: NodeType): string {
  const installationId = seen.Installation.installationId as string;
  switch (type) {
    case 'Integration':
      return `/integrations/${SLACK}`;
    case 'Organization':
      return `/orgs/${seen.Organization.organizationId}`;
    case 'Installation':
      return `/integrations/${SLACK}/installations/${installationId}`;
    case 'SpaceInstallation':
      return `/integrations/${SLACK}/installations/${installationId}/spaces/${seen.SpaceInstallation.spaceId}`;
    case 'SiteInstallation':
      return `/integrations/${SLACK}/installations/${installationId}/sites/${seen.SiteInstallation.siteId}`;
    case 'IntegrationEvent':
      return `/integrations/${SLACK}/events/${seen.IntegrationEvent.eventId}`;
  }
}

/** `... on Type { fields }` for each type, so one selection reads any node. */
const ANY_NODE = Object.entries(SELECTIONS)
  .map(([type, fields]) => `... on ${type} { ${fields} }`)
  .join('\n');

const NODE = `query ($id: ID!) { node(id: $id) { __typename ${ANY_NODE} } }`;
const NODES = `query ($ids: [ID!]!) { nodes(ids: $ids) { __typename ${ANY_NODE} } }`;

/**
 * Global IDs built the way the gateway builds them (base64url of
 * `Type:part/part`, parts percent-encoded), for ids no query returned.
 */
const rawId = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const globalId = (type: string, ...parts: string[]) => rawId(`${type}:${parts.map(encodeURIComponent).join('/')}`);

const NODE_TYPES = Object.keys(SELECTIONS) as NodeType[];

describe('node(id) refetches every node type', () => {
  it.each(NODE_TYPES)('%s: the same data from its id, with exactly one REST call', async (type) => {
    h.resetCalls();
    const data = await h.data(NODE, { id: seen[type].id });
    expect(data.node).toEqual({ __typename: type, ...seen[type] });
    expect(h.calls()).toEqual([expectedGet(refetchPath(type))]);
  });

  it('SpaceInstallation: selecting space { title } makes ONE call, with extended=true', async () => {
    const path = refetchPath('SpaceInstallation');
    const extended = await rest(h, path, { extended: true });
    const data = await h.data(
      `query ($id: ID!) { node(id: $id) { ... on SpaceInstallation { spaceId status space { id title } } } }`,
      { id: seen.SpaceInstallation.id },
    );
    expect(data.node).toEqual({
      spaceId: seen.SpaceInstallation.spaceId,
      status: seen.SpaceInstallation.status,
      space: { id: extended.space.id, title: extended.space.title },
    });
    expect(h.calls()).toEqual([expectedGet(path, { extended: 'true' })]);
  });

  it('SiteInstallation: selecting site { title } makes ONE call, with extended=true', async () => {
    const path = refetchPath('SiteInstallation');
    const extended = await rest(h, path, { extended: true });
    const data = await h.data(
      `query ($id: ID!) { node(id: $id) { ... on SiteInstallation { siteId site { id title } } } }`,
      { id: seen.SiteInstallation.id },
    );
    expect(data.node).toEqual({
      siteId: seen.SiteInstallation.siteId,
      site: { id: extended.site.id, title: extended.site.title },
    });
    expect(h.calls()).toEqual([expectedGet(path, { extended: 'true' })]);
  });

  it('SpaceInstallation: selecting only space { id } does not ask for extended', async () => {
    const data = await h.data(`query ($id: ID!) { node(id: $id) { ... on SpaceInstallation { space { id } } } }`, {
      id: seen.SpaceInstallation.id,
    });
    expect(data.node).toEqual({ space: { id: seen.SpaceInstallation.spaceId } });
    expect(h.calls()).toEqual([expectedGet(refetchPath('SpaceInstallation'))]);
  });

  it('an id round-trips: the refetched node has the id it was fetched by', async () => {
    for (const type of NODE_TYPES) {
      const data = await h.data(`query ($id: ID!) { node(id: $id) { id } }`, { id: seen[type].id });
      expect(data.node).toEqual({ id: seen[type].id });
    }
  });
});

describe('nodes(ids)', () => {
  it('answers mixed types in the order asked, making the calls concurrently', async () => {
    const order: NodeType[] = [
      'IntegrationEvent',
      'Integration',
      'SiteInstallation',
      'Organization',
      'SpaceInstallation',
      'Installation',
    ];
    h.simulator.setLatency(30);
    h.resetCalls();
    const data = await h.data(NODES, { ids: order.map((type) => seen[type].id) });
    h.simulator.setLatency(0);

    expect(data.nodes).toEqual(order.map((type) => ({ __typename: type, ...seen[type] })));
    const calls = h.calls();
    expect([...calls].sort((a, b) => a.path.localeCompare(b.path))).toEqual(
      order.map((type) => expectedGet(refetchPath(type))).sort((a, b) => a.path.localeCompare(b.path)),
    );
    // Concurrent: every call had started before the first one was answered.
    const requests = h.simulator.requests;
    const firstEnd = Math.min(...requests.map((request) => request.endedAt));
    expect(requests.every((request) => request.startedAt < firstEnd)).toBe(true);
  });

  it('costs one call for the same id asked twice', async () => {
    const id = seen.Installation.id;
    const data = await h.data(NODES, { ids: [id, id] });
    const expected = { __typename: 'Installation', ...seen.Installation };
    expect(data.nodes).toEqual([expected, expected]);
    expect(h.calls()).toEqual([expectedGet(refetchPath('Installation'))]);
  });

  it('answers an empty list with no call', async () => {
    expect(await h.data(NODES, { ids: [] })).toEqual({ nodes: [] });
    expect(h.calls()).toEqual([]);
  });
});

describe('a malformed id', () => {
  const MALFORMED: [string, () => string][] = [
    ['garbage', () => 'not an id!'],
    ['an empty string', () => ''],
    ['a type that is not a node type', () => globalId('Space', 'abc')],
    ['an unknown type name', () => globalId('Widget', SLACK)],
    ['valid base64 of nonsense', () => rawId('hello world')],
    ['a known type with an empty key', () => rawId('Integration:')],
    ['an integration name with a slash', () => rawId(`Integration:${SLACK}/x`)],
    ['an integration name with an encoded slash', () => globalId('Integration', `${SLACK}/x`)],
    ['an installation whose integration name has a slash', () => globalId('Installation', 'sl/ack', 'abc')],
    ['an installation with a part missing', () => globalId('Installation', SLACK)],
    [
      'another node type’s id with its type renamed',
      () => rawId(`Integration:${Buffer.from(seen.Installation.id, 'base64url').toString('utf8').split(':')[1]}`),
    ],
    ['a valid id with junk appended', () => `${seen.Integration.id}!!`],
  ];

  it.each(MALFORMED)('node: %s is BAD_USER_INPUT at node, with no REST call', async (_label, make) => {
    const response = await h.graphql(NODE, { id: make() });
    expect(response.data).toEqual({ node: null });
    expect(errorSummary(response)).toEqual([{ path: ['node'], code: 'BAD_USER_INPUT', status: undefined }]);
    expect(h.calls()).toEqual([]);
  });

  it.each(MALFORMED)('nodes: %s fails only its own slot', async (_label, make) => {
    const response = await h.graphql(NODES, { ids: [seen.Integration.id, make(), seen.Installation.id] });
    expect(response.data).toEqual({
      nodes: [
        { __typename: 'Integration', ...seen.Integration },
        null,
        { __typename: 'Installation', ...seen.Installation },
      ],
    });
    expect(errorSummary(response)).toEqual([{ path: ['nodes', 1], code: 'BAD_USER_INPUT', status: undefined }]);
    expect(h.calls()).toEqual([expectedGet(refetchPath('Integration')), expectedGet(refetchPath('Installation'))]);
  });
});

describe('an unknown but well-formed id', () => {
  const UNKNOWN: [string, () => string, () => string][] = [
    ['Integration', () => globalId('Integration', 'no-such-integration'), () => '/integrations/no-such-integration'],
    [
      'Installation',
      () => globalId('Installation', SLACK, 'noSuchInstallation'),
      () => `/integrations/${SLACK}/installations/noSuchInstallation`,
    ],
    [
      'IntegrationEvent',
      () => globalId('IntegrationEvent', SLACK, 'noSuchEvent'),
      () => `/integrations/${SLACK}/events/noSuchEvent`,
    ],
    ['Organization', () => globalId('Organization', 'noSuchOrganization'), () => '/orgs/noSuchOrganization'],
    [
      'SpaceInstallation',
      () => globalId('SpaceInstallation', SLACK, seen.Installation.installationId, 'noSuchSpace'),
      () => `/integrations/${SLACK}/installations/${seen.Installation.installationId}/spaces/noSuchSpace`,
    ],
  ];

  it.each(UNKNOWN)('%s: node is null with NOT_FOUND (status 404)', async (_type, id, path) => {
    const response = await h.graphql(NODE, { id: id() });
    expect(response.data).toEqual({ node: null });
    expect(errorSummary(response)).toEqual([{ path: ['node'], code: 'NOT_FOUND', status: 404 }]);
    expect(h.calls()).toEqual([expectedGet(path(), {}, { status: 404 })]);
  });

  it('nodes: only its slot is null', async () => {
    const response = await h.graphql(NODES, {
      ids: [globalId('Integration', 'no-such-integration'), seen.Integration.id],
    });
    expect(response.data).toEqual({ nodes: [null, { __typename: 'Integration', ...seen.Integration }] });
    expect(errorSummary(response)).toEqual([{ path: ['nodes', 0], code: 'NOT_FOUND', status: 404 }]);
  });
});
