import { createYoga, useReadinessCheck } from 'graphql-yoga';
import { createContextFactory } from './context.js';
import { type PersistedOperationsOptions, persistedOperationsPlugin } from './persisted-operations.js';
import { schema } from './schema/index.js';
import type { Upstream } from './upstream/client.js';

export interface GatewayOptions {
  /** The REST upstream every request's calls go to. */
  upstream: Upstream;
  /**
   * A token GraphiQL puts in its headers editor. Only the embedded simulator's
   * demo token belongs here: a real token must never be served in a page.
   */
  graphiqlToken?: string;
  /** Whether clients may (or must) send persisted operation hashes; off by default. */
  persistedOperations?: PersistedOperationsOptions;
}

/** What GraphiQL opens with: a query that shows the graph's links at once. */
export const EXAMPLE_QUERY = `# Welcome to the GraphQL gateway over GitBook's Integrations API.
# Your token goes in the Headers tab: {"Authorization": "Bearer <token>"}.
query Marketplace {
  integrations(first: 5, category: ANALYTICS) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id
      name
      title
      target
      scopes
      owner { organizationId title }
    }
  }
}
`;

/**
 * The gateway as a fetch-style app: no I/O here, so tests can call
 * `gateway.fetch` in-process and main.ts can serve it over HTTP.
 */
export function createGateway(options: GatewayOptions) {
  const { upstream } = options;
  return createYoga({
    schema,
    context: createContextFactory(upstream),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    // Unexpected errors become "Unexpected error." with no detail, whatever
    // NODE_ENV says: Yoga's development mode would add stack traces.
    maskedErrors: { isDev: false },
    graphiql: {
      title: 'GitBook Integrations GraphQL',
      defaultQuery: EXAMPLE_QUERY,
      headers: options.graphiqlToken ? JSON.stringify({ Authorization: `Bearer ${options.graphiqlToken}` }) : undefined,
      defaultEditorToolsVisibility: 'headers',
    },
    plugins: [
      useReadinessCheck({ endpoint: '/readiness', check: () => upstream.isReachable() }),
      ...(options.persistedOperations ? [persistedOperationsPlugin(options.persistedOperations)] : []),
    ].filter((plugin) => plugin !== undefined),
  });
}

export type Gateway = ReturnType<typeof createGateway>;
