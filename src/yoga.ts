import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createYoga, type Plugin } from 'graphql-yoga';
import { type ResponseStore, responseCachePlugins } from './cache/index.js';
import { compiledExecution } from './compiled-execution.js';
import { compression } from './compression.js';
import { createContextFactory, releaseWhenDone } from './context.js';
import { incrementalDelivery } from './incremental.js';
import { boundedParserCache, DEFAULT_LIMITS, type Limits, limitPlugins } from './limits/index.js';
import { type RateLimits, requestRateLimit } from './limits/rate.js';
import { DEFAULT_LIVE_EVENTS, LiveEvents, type LiveEventsOptions, type PollerSharing } from './live-events.js';
import { type Observability, observabilityPlugins, quietObservability, yogaLogger } from './observability/index.js';
import { type PersistedOperationsOptions, persistedOperationsPlugin } from './persisted-operations.js';
import { requestErrorCodes } from './request-errors.js';
import { schema } from './schema/index.js';
import type { Upstream } from './upstream/client.js';
import { publishWarnings } from './warnings.js';

export interface GatewayOptions {
  /** The REST upstream every request's calls go to. */
  upstream: Upstream;
  /**
   * A token GraphiQL puts in its headers editor. Only the embedded simulator's
   * demo token belongs here: a real token must never be served in a page.
   */
  graphiqlToken?: string;
  /** How long the REST calls of one GraphQL request may take together; 30 s by default. */
  requestTimeoutMs?: number;
  /** Query and request limits; DEFAULT_LIMITS when absent. */
  limits?: Limits;
  /** Whether clients may (or must) send persisted operation hashes; off by default. */
  persistedOperations?: PersistedOperationsOptions;
  /** Origins browsers may call from (CORS); `['*']`, any origin, by default. Never with credentials. */
  corsOrigins?: readonly string[];
  /** Logs, metrics and traces; a silent logger, fresh metrics and no traces by default. */
  observability?: Observability;
  /** The use of an operation on which it is compiled (compiled-execution.ts); 2 by default. */
  compileOnUse?: number;
  /** The response cache (cache/index.ts): where answers are kept and for how long; none by default. */
  responseCache?: { store: ResponseStore; ttlMs: number };
  /** Per-caller rate limits (limits/rate.ts); none by default. */
  rateLimits?: RateLimits;
  /** Live events (subscriptions): polling intervals and limits; DEFAULT_LIVE_EVENTS by default. */
  liveEvents?: Partial<LiveEventsOptions>;
  /** How replicas share their pollers (live-events-redis.ts); each polls for itself without it. */
  liveEventsSharing?: PollerSharing;
  /** Redis, when the cache and limits are shared through it: its state shows in `/readiness`. */
  redis?: { status(): 'ok' | 'down' };
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

# Live events, over Server-Sent Events: run it, then make events happen (with the
# embedded simulator: POST /__simulator/integrations/slack/events, see its banner).
subscription LiveEvents {
  integrationEvents(integrationName: "slack") {
    eventId
    type
    createdAt
    installation { installationId status }
  }
}
`;

/**
 * The gateway as a fetch-style app: no I/O here, so tests can call
 * `gateway.fetch` in-process and main.ts can serve it over HTTP.
 */
export function createGateway(options: GatewayOptions) {
  const { upstream } = options;
  const limits = options.limits ?? DEFAULT_LIMITS;
  const observability = options.observability ?? quietObservability();
  const observed = observabilityPlugins(observability);
  let graphiqlPage: Promise<string> | undefined;
  const liveEvents = new LiveEvents(
    upstream,
    { ...DEFAULT_LIVE_EVENTS, ...options.liveEvents },
    options.liveEventsSharing,
    ({ subscriptions, pollers }) => {
      observability.metrics.subscriptions.set(subscriptions);
      observability.metrics.eventPollers.set(pollers);
    },
  );
  const yoga = createYoga({
    schema,
    context: createContextFactory(upstream, options.requestTimeoutMs ?? 30_000, liveEvents),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    // GraphiQL's code is served by the gateway itself rather than fetched
    // from a CDN, so it works offline and under a strict CSP. It is 9 MB:
    // rendered on the first page view (never by a gateway nobody browses)
    // and kept; compression.ts compresses it once and lets browsers revalidate.
    renderGraphiQL: (graphiqlOptions) =>
      (graphiqlPage ??= import('@graphql-yoga/render-graphiql').then((module) =>
        module.renderGraphiQL(graphiqlOptions),
      )),
    // Unexpected errors become "Unexpected error." with no detail, whatever
    // NODE_ENV says: Yoga's development mode would add stack traces.
    maskedErrors: { isDev: false },
    // Yoga's own lines (an unexpected error's detail, for the operator) join the structured log.
    logging: yogaLogger(observability.logger),
    graphiql: {
      title: 'GitBook Integrations GraphQL',
      defaultQuery: EXAMPLE_QUERY,
      headers: options.graphiqlToken ? JSON.stringify({ Authorization: `Bearer ${options.graphiqlToken}` }) : undefined,
      defaultEditorToolsVisibility: 'headers',
    },
    batching: { limit: limits.maxBatch },
    // Every read needs the Authorization header a page adds itself: a browser's
    // cookies or Basic credentials must never ride along on a cross-site call.
    cors: {
      origin: [...(options.corsOrigins ?? ['*'])],
      credentials: false,
      methods: ['GET', 'POST'],
      exposedHeaders: ['retry-after'],
      maxAge: 600,
    },
    parserAndValidationCache: boundedParserCache(),
    // No field takes a file: multipart bodies would only be parsed for nothing.
    multipart: false,
    // limits/http.ts refuses a body without a Content-Length or over the limit
    // before it is read, and Node reads no more than Content-Length bytes:
    // Yoga's own limit would pipe every body through a counting stream again.
    maxRequestBodySize: false,
    plugins: [
      // First: the plugins that wrap execution (tracing) wrap the compiled executor too.
      compiledExecution({ compileOnUse: options.compileOnUse, metrics: observability.metrics }),
      ...observed.first,
      compression(),
      readiness(upstream, options.redis),
      // Every request counts, a cached answer's too: before the cache can answer.
      options.rateLimits ? requestRateLimit(options.rateLimits) : undefined,
      releaseWhenDone(),
      csrfPrevention(),
      ...limitPlugins(limits, options.rateLimits),
      ...observed.afterLimits,
      requestErrorCodes(),
      publishWarnings(),
      // @defer and @stream (incremental.ts): their validation, and the whole answer for a client
      // that takes no parts. After compiledExecution, whose executor this one wraps, so an
      // operation run whole (its directives taken out) is compiled like any other; after the
      // limits, which refuse an operation before this runs. The response cache, last, wraps it
      // in turn and keeps the merged parts.
      ...incrementalDelivery(),
      ...(options.persistedOperations ? [persistedOperationsPlugin(options.persistedOperations)] : []),
      // After persisted operations (the key is made from the operation's text,
      // which they fill in) and after the limits (a refused operation is not run).
      ...(options.responseCache && options.responseCache.ttlMs > 0
        ? responseCachePlugins({ ...options.responseCache, metrics: observability.metrics })
        : []),
    ].filter((plugin) => plugin !== undefined),
  });
  // The pollers outlive requests: tests count them, main.ts ends them on shutdown.
  return Object.assign(yoga, { liveEvents });
}

export type Gateway = ReturnType<typeof createGateway>;

/**
 * `/readiness`: 200 while GitBook API answers and the circuit is closed, 503
 * otherwise. The body says the same of Redis, which the gateway can do
 * without: `{"upstream":"ok","redis":"down"}` is still ready. Yoga's
 * useReadinessCheck matches every request's URL against a URLPattern, which
 * costs more than the pathname comparison needed here.
 */
function readiness(upstream: Upstream, redis: GatewayOptions['redis']): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== '/readiness') return;
      return upstream.isReachable().then((ready) => {
        const body = { upstream: ready ? 'ok' : 'down', redis: redis ? redis.status() : 'off' };
        endResponse(
          new fetchAPI.Response(JSON.stringify(body), {
            status: ready ? 200 : 503,
            headers: { 'content-type': 'application/json' },
          }),
        );
      });
    },
  };
}

/**
 * Yoga's CSRF prevention, for the requests a cross-site page can make
 * unseen: a POST with a form's content type must carry a header such a page
 * cannot set (`x-graphql-csrf` or `apollo-require-preflight`). GETs are
 * left out: they run queries only (Yoga refuses mutations over GET), and a
 * cross-site GET cannot attach the Authorization header every read needs,
 * so it reads nothing; plain GraphQL-over-HTTP clients keep working.
 */
function csrfPrevention(): Plugin {
  const prevention = useCSRFPrevention({ requestHeaders: ['x-graphql-csrf', 'apollo-require-preflight'] });
  return {
    onRequestParse(payload) {
      if (payload.request.method === 'GET' || payload.request.method === 'HEAD') return;
      return prevention.onRequestParse?.(payload);
    },
  };
}
