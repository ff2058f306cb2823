import { hash, randomUUID } from 'node:crypto';
import { useResponseCache } from '@graphql-yoga/plugin-response-cache';
import stableStringify from 'fast-json-stable-stringify';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { callerHash } from '../caller.js';
import type { Context } from '../context.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { ResponseStore } from './store.js';

export { MemoryStore } from './memory-store.js';
export { RedisStore } from './redis-store.js';
export type { ResponseStore } from './store.js';

/**
 * The response cache: Yoga's response-cache plugin, keyed per caller, over
 * one of our stores (memory-store.ts, redis-store.ts).
 *
 * - Who: an answer is cached for the caller who asked (the session is the
 *   hash of the `Authorization` header) and served to that caller only. A
 *   request without a token is never cached; nor is an answer with an error.
 * - How long: `ttlMs` (RESPONSE_CACHE_TTL_MS); what changes without a write
 *   through this gateway sooner: installation statuses `STATUS_TTL_MS` at
 *   most; events and rendered UIs never.
 * - Writes: a mutation drops, for every caller, each answer that holds an
 *   entity it names (the integration, organization, installation, space or
 *   site installation of its input) or returns, and each answer that holds a
 *   list of the type it creates. This is done before the mutation answers.
 * - HTTP: a cached answer carries an `ETag`; a GET with `If-None-Match`
 *   naming the answer it would get is answered 304 without a body.
 * - `extensions.responseCache` (`hit`, `didCache`, `ttl`) when the request
 *   asks with the header `x-response-cache: debug` (not in the parts of an
 *   incremental answer).
 * - Incremental delivery (`@defer`, `@stream`): the plugin merges the parts
 *   as they go out and keeps the whole answer once the last is out (not if a
 *   part has an error, nor if the client left before the end); a repeat is
 *   answered whole from the cache, in one part. The key is the operation's
 *   text, so a query with and without the directives are two entries.
 */

export const STATUS_TTL_MS = 10_000;

/** Types whose answers change without a write through the gateway, or that are made per call. */
function ttlPerSchemaCoordinate(ttlMs: number): Record<string, number> {
  const status = Math.min(ttlMs, STATUS_TTL_MS);
  return {
    IntegrationEvent: 0,
    'Query.integrationUI': 0,
    Installation: status,
    SpaceInstallation: status,
    SiteInstallation: status,
    'Organization.integrationInstallationStatus': status,
  };
}

export interface ResponseCacheOptions {
  store: ResponseStore;
  ttlMs: number;
  metrics: GatewayMetrics;
}

const DEBUG_HEADER = 'x-response-cache';

export function responseCachePlugins(options: ResponseCacheOptions): Plugin[] {
  const { store, ttlMs, metrics } = options;
  const enabled = (request: Request) => request.headers.has('authorization');
  const yogaPlugin = useResponseCache({
    cache: store,
    ttl: ttlMs,
    ttlPerSchemaCoordinate: ttlPerSchemaCoordinate(ttlMs),
    session: (request) => callerHash(request) ?? null,
    enabled,
    includeExtensionMetadata: true,
    buildResponseCacheKey: responseCacheKey,
  });
  // The plugin's own If-None-Match check looks up whatever key a client
  // sends, for any method; ours (notModified) checks that it is this
  // request's key first.
  delete yogaPlugin.onRequest;
  return [notModified(store, enabled), yogaPlugin, invalidateWrites(store), reportCacheUse(metrics, enabled)];
}

/** A GET whose `If-None-Match` names its own cached answer: 304, no body. */
function notModified(store: ResponseStore, enabled: (request: Request) => boolean): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET' || !enabled(request)) return;
      const sent = request.headers.get('if-none-match');
      if (!sent || sent.length > 80) return;
      const etag = sent.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
      if (!/^[0-9a-f]{64}$/.test(etag)) return;
      if (responseCacheKeyOfUrl(url.searchParams, callerHash(request)) !== etag) return;
      return Promise.resolve(store.get(etag)).then((cached) => {
        const lastModified = (cached?.extensions?.http as { headers?: Record<string, string> } | undefined)?.headers?.[
          'Last-Modified'
        ];
        if (!cached) return;
        const headers: Record<string, string> = { etag };
        if (lastModified) headers['last-modified'] = lastModified;
        endResponse(new fetchAPI.Response(null, { status: 304, headers }));
      });
    },
  };
}

/**
 * Drops what a mutation changed before it answers, so the caller's next read,
 * through any replica, sees the change. The entities come from the
 * mutation's input (context.changes, see schema/mutation.ts): the answer's
 * own entities are dropped by the plugin too, without waiting.
 */
function invalidateWrites(store: ResponseStore): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'mutation') return;
      setExecuteFn(async (executionArgs) => {
        const result = await executeFn(executionArgs);
        const { changes } = executionArgs.contextValue as Context;
        if (changes.length > 0) await store.invalidate(changes);
        return result;
      });
    },
  };
}

/**
 * An answer's key: the plugin's default recipe (operation text, name,
 * variables in a stable order, session), hashed with node:crypto in one
 * synchronous call rather than WebCrypto's promise, a tenth of its cost.
 */
function responseCacheKey(params: {
  documentString: string;
  operationName?: string | null;
  variableValues?: unknown;
  sessionId?: string | null;
}): string {
  // Without a caller nothing is cached (and Yoga's plugin asks for a key before it checks).
  if (!params.sessionId) return '';
  let variables: string;
  try {
    variables = stableStringify(params.variableValues ?? {});
  } catch {
    // Nested past what stringifying can recurse (the limits refuse them later): a key no answer has.
    return randomUUID();
  }
  return hash(
    'sha256',
    [params.documentString, params.operationName ?? '', variables, params.sessionId].join('|'),
    'hex',
  );
}

/**
 * The key of a GET request's answer, from its URL; undefined when the URL's
 * variables are not JSON (Yoga refuses the request).
 */
function responseCacheKeyOfUrl(searchParams: URLSearchParams, sessionId: string | undefined): string | undefined {
  const rawVariables = searchParams.get('variables');
  let variableValues: unknown;
  try {
    variableValues = rawVariables ? JSON.parse(rawVariables) : undefined;
  } catch {
    return undefined;
  }
  return responseCacheKey({
    documentString: searchParams.get('query') ?? '',
    variableValues,
    operationName: searchParams.get('operationName'),
    sessionId,
  });
}

/** Counts hits and misses, and keeps `extensions.responseCache` for those who asked. */
function reportCacheUse(metrics: GatewayMetrics, enabled: (request: Request) => boolean): Plugin {
  return {
    onExecute({ args }) {
      const { request } = args.contextValue as { request: Request };
      if (!enabled(request) || getOperationAST(args.document, args.operationName)?.operation !== 'query') return;
      return {
        onExecuteDone({ result }) {
          // An answer in parts (@defer, @stream) says nothing of the cache in its parts: a query
          // that runs is a miss (a hit never runs).
          if (Symbol.asyncIterator in result) metrics.responseCache('miss');
        },
      };
    },
    onResultProcess({ request, result, setResult }) {
      const asked = request.headers.get(DEBUG_HEADER) === 'debug';
      const results = Array.isArray(result) ? result : [result];
      let changed = false;
      const reported = results.map((one) => {
        const extensions = (one as { extensions?: Record<string, unknown> })?.extensions;
        const use = extensions?.responseCache as { hit?: boolean; didCache?: boolean } | undefined;
        if (!use || !extensions) return one;
        if (use.hit !== undefined) metrics.responseCache(use.hit ? 'hit' : 'miss');
        if (asked) return one;
        changed = true;
        const { responseCache: _dropped, ...rest } = extensions;
        return { ...one, extensions: rest };
      });
      if (changed) setResult((Array.isArray(result) ? reported : reported[0]) as typeof result);
    },
  };
}
