import { Pool } from 'undici';
import { encodeGlobalId, nodeKey } from '../../src/schema/global-id.js';
import { POPULAR_INTEGRATION, SimulatorStore } from '../../src/simulator/index.js';

/**
 * The benchmark's five queries, each with the REST calls a careful engineer
 * would make by hand for the same answer (the baseline), as concurrently as
 * possible. Fixtures come from the seeded store, so the simulator processes
 * the bench starts (same seed) hold the same data.
 */

export interface BenchQuery {
  id: 'a' | 'b' | 'c' | 'd' | 'e';
  title: string;
  query: string;
  variables: Record<string, unknown>;
  /** The hand-written REST version of the query. */
  baseline: (rest: BaselineRest) => Promise<unknown>;
}

/** A minimal REST client for the baseline: kept-alive undici, JSON in and out. */
export class BaselineRest {
  private readonly pool: Pool;
  private readonly basePath: string;

  constructor(
    baseUrl: string,
    private readonly token: string,
    connections = 128,
    /** Wraps every call: the tests count round trips with it (helpers/rounds.ts). */
    private readonly around: <T>(send: () => Promise<T>) => Promise<T> = (send) => send(),
  ) {
    const url = new URL(baseUrl);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, { connections, keepAliveTimeout: 30_000 });
  }

  get<T = any>(path: string): Promise<T> {
    return this.around(async () => {
      const response = await this.pool.request({
        method: 'GET',
        path: this.basePath + path,
        headers: { authorization: `Bearer ${this.token}`, accept: 'application/json' },
      });
      const text = await response.body.text();
      if (response.statusCode !== 200) throw new Error(`baseline GET ${path}: HTTP ${response.statusCode} ${text}`);
      return JSON.parse(text) as T;
    });
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

const enc = encodeURIComponent;

/** REST enum values as GraphQL spells them, so both answers can be compared. */
const caps = (value: string) => value.replace(/[^a-zA-Z0-9]+/g, '_').toUpperCase();

/** The organization with the most installations: (c) lists them. */
function busiestOrganization(store: SimulatorStore): string {
  const counts = new Map<string, number>();
  for (const record of store.integrations.values()) {
    for (const installation of record.installations.values()) {
      counts.set(installation.organizationId, (counts.get(installation.organizationId) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? '';
}

/** 100 global IDs: 25 integrations, installations, space installations and events each. */
function mixedNodeIds(store: SimulatorStore): string[] {
  const slack = store.integrations.get(POPULAR_INTEGRATION);
  if (!slack) throw new Error('the seed has no popular integration');
  const integrations = [...store.integrations.values()]
    .filter((record) => record.integration.visibility === 'public')
    .slice(0, 25)
    .map((record) => encodeGlobalId('Integration', nodeKey(record.integration.name)));
  const installations = [...slack.installations.values()].slice(0, 25);
  const installationIds = installations.map((installation) =>
    encodeGlobalId('Installation', nodeKey(slack.integration.name, installation.installation.id)),
  );
  const spaceInstallationIds = installations
    .flatMap((installation) => [...installation.content.space.values()].slice(0, 1))
    .slice(0, 25)
    .map((content) =>
      encodeGlobalId(
        'SpaceInstallation',
        nodeKey(slack.integration.name, content.installation.installation, content.targetId),
      ),
    );
  const eventIds = slack.events
    .slice(0, 25)
    .map((event) => encodeGlobalId('IntegrationEvent', nodeKey(slack.integration.name, event.event.id)));
  const ids = [...integrations, ...installationIds, ...spaceInstallationIds, ...eventIds];
  if (ids.length !== 100) throw new Error(`expected 100 node ids, got ${ids.length}`);
  return ids;
}

/** Decodes what mixedNodeIds built, for the baseline's own calls. */
function restPathOfNode(id: string): string {
  const [typename, key = ''] = Buffer.from(id, 'base64url').toString('utf8').split(/:(.*)/s);
  const parts = key.split('/').map((part) => enc(decodeURIComponent(part)));
  switch (typename) {
    case 'Integration':
      return `/integrations/${parts[0]}`;
    case 'Installation':
      return `/integrations/${parts[0]}/installations/${parts[1]}`;
    case 'SpaceInstallation':
      return `/integrations/${parts[0]}/installations/${parts[1]}/spaces/${parts[2]}`;
    case 'IntegrationEvent':
      return `/integrations/${parts[0]}/events/${parts[1]}`;
    default:
      throw new Error(`unexpected node type ${typename}`);
  }
}

export function benchQueries(seed = 1): BenchQuery[] {
  const store = new SimulatorStore(seed);
  const organizationId = busiestOrganization(store);
  const ids = mixedNodeIds(store);
  const slack = POPULAR_INTEGRATION;
  return [
    {
      id: 'a',
      title: '50 integrations with owner and categories',
      query: `query A { integrations(first: 50) { nodes { name title categories owner { organizationId title } } } }`,
      variables: {},
      baseline: async (rest) => {
        const page = await rest.get<{ items: any[] }>('/integrations?limit=50');
        return {
          integrations: {
            nodes: page.items.map((item) => ({
              name: item.name,
              title: item.title,
              categories: item.categories.map(caps),
              owner: { organizationId: item.owner.id, title: item.owner.title },
            })),
          },
        };
      },
    },
    {
      id: 'b',
      title: '1 integration, 20 installations, 5 space installations each',
      query: `query B($name: String!) {
        integration(name: $name) {
          installations(first: 20) {
            nodes { installationId status spaceInstallations(first: 5) { nodes { spaceId status } } }
          }
        }
      }`,
      variables: { name: slack },
      baseline: async (rest) => {
        const installations = await rest.get<{ items: any[] }>(`/integrations/${enc(slack)}/installations?limit=20`);
        const spaces = await Promise.all(
          installations.items.map((installation) =>
            rest.get<{ items: any[] }>(
              `/integrations/${enc(slack)}/installations/${enc(installation.id)}/spaces?limit=5`,
            ),
          ),
        );
        return {
          integration: {
            installations: {
              nodes: installations.items.map((installation, index) => ({
                installationId: installation.id,
                status: caps(installation.status),
                spaceInstallations: {
                  nodes: spaces[index]?.items.map((item) => ({ spaceId: item.space, status: caps(item.status) })),
                },
              })),
            },
          },
        };
      },
    },
    {
      id: 'c',
      title: "an organization's installations with their integrations",
      query: `query C($org: String!) {
        organization(organizationId: $org) {
          installations(first: 50) { nodes { installationId status integration { name title } } }
        }
      }`,
      variables: { org: organizationId },
      baseline: async (rest) => {
        const page = await rest.get<{ items: any[] }>(`/orgs/${enc(organizationId)}/installations?limit=50`);
        return {
          organization: {
            installations: {
              nodes: page.items.map((item) => ({
                installationId: item.installation.id,
                status: caps(item.installation.status),
                integration: { name: item.integration.name, title: item.integration.title },
              })),
            },
          },
        };
      },
    },
    {
      id: 'd',
      title: 'nodes for 100 global IDs of mixed types',
      query: `query D($ids: [ID!]!) {
        nodes(ids: $ids) {
          id
          ... on Integration { title }
          ... on Installation { status }
          ... on SpaceInstallation { status }
          ... on IntegrationEvent { eventStatus: status }
        }
      }`,
      variables: { ids },
      baseline: async (rest) => ({
        nodes: await Promise.all(
          ids.map(async (id) => {
            const answer = await rest.get(restPathOfNode(id));
            const object = 'event' in answer ? answer.event : answer;
            if (object.title !== undefined) return { id, title: object.title };
            return 'integrationId' in object
              ? { id, eventStatus: caps(object.status) }
              : { id, status: caps(object.status) };
          }),
        ),
      }),
    },
    {
      // The smallest: most of what it costs is the fixed cost of a request.
      id: 'e',
      title: '10 integrations with their owner',
      query: `query E { integrations(first: 10) { nodes { name title owner { organizationId title } } } }`,
      variables: {},
      baseline: async (rest) => {
        const page = await rest.get<{ items: any[] }>('/integrations?limit=10');
        return {
          integrations: {
            nodes: page.items.map((item) => ({
              name: item.name,
              title: item.title,
              owner: { organizationId: item.owner.id, title: item.owner.title },
            })),
          },
        };
      },
    },
  ];
}
