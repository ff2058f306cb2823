import { randomUUID } from 'node:crypto';
import { type GraphQLError, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { callerHash } from '../caller.js';
import type { GatewayMetrics } from './metrics.js';

/**
 * One HTTP request to the gateway as an operator sees it: its id (the
 * caller's `x-request-id`, or a new one), its operations, the REST calls
 * they made and the codes of their errors. It ends as one JSON log line and
 * as metrics. Never a token (a short hash tells callers apart) nor a
 * variable value.
 */
export interface RequestRecord {
  id: string;
  started: number;
  /** The URL's path, from the URL Yoga parsed already. */
  path?: string;
  operations: { name: string | undefined; type?: string }[];
  /** REST calls sent (every attempt), counted by the REST client. */
  counts: { restCalls: number };
  /** What the operations could have cost before they ran (the fan-out estimate). */
  restCallsEstimate: number;
  errorCodes: string[];
  traceId?: string;
}

const records = new WeakMap<Request, RequestRecord>();

/** An incoming id is kept when it looks like one (a proxy's, a client's), else replaced. */
const REQUEST_ID = /^[\w.:-]{1,128}$/;

export function requestRecord(request: Request): RequestRecord {
  let record = records.get(request);
  if (!record) {
    const sent = request.headers.get('x-request-id');
    record = {
      id: sent !== null && REQUEST_ID.test(sent) ? sent : randomUUID(),
      started: performance.now(),
      operations: [],
      counts: { restCalls: 0 },
      restCallsEstimate: 0,
      errorCodes: [],
    };
    records.set(request, record);
  }
  return record;
}

type Result = { data?: unknown; errors?: readonly (GraphQLError | { extensions?: { code?: unknown } })[] };

type ResultError = NonNullable<Result['errors']>[number];

function codeOf(error: ResultError): string {
  return String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
}

/** One part of an incremental answer: the first (data, errors) or a later one (incremental). */
type Part = Result & { incremental?: readonly { errors?: readonly ResultError[] }[] };

function partErrors(part: Part): ResultError[] {
  return [...(part.errors ?? []), ...(part.incremental ?? []).flatMap((patch) => patch.errors ?? [])];
}

function outcomeOf(result: Result): 'ok' | 'partial' | 'failed' {
  if (!result.errors?.length) return 'ok';
  return result.data ? 'partial' : 'failed';
}

/** The request's log line, metrics and `x-request-id`; `/metrics` itself. */
export function requestTelemetry(options: { logger: Logger; metrics: GatewayMetrics }): Plugin {
  const { logger, metrics } = options;
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname === '/metrics') {
        return metrics.registry
          .metrics()
          .then((text) =>
            endResponse(new fetchAPI.Response(text, { headers: { 'content-type': metrics.registry.contentType } })),
          );
      }
      requestRecord(request).path = url.pathname;
      metrics.inFlight.inc();
    },
    onParams({ request, params }) {
      const record = requestRecord(request);
      for (const one of Array.isArray(params) ? params : [params]) {
        record.operations.push({
          name: typeof one.operationName === 'string' ? one.operationName.slice(0, 100) : undefined,
        });
      }
    },
    onExecute({ args }) {
      const request = (args.contextValue as { request: Request }).request;
      const record = requestRecord(request);
      const operation = getOperationAST(args.document, args.operationName);
      const entry = record.operations.find((known) => known.type === undefined) ?? { name: undefined };
      if (operation) {
        entry.type = operation.operation;
        entry.name ??= operation.name?.value;
      }
      if (!record.operations.includes(entry)) record.operations.push(entry);
      return {
        onExecuteDone({ result }) {
          if (!(Symbol.asyncIterator in result)) return;
          // Incremental delivery (@defer, @stream): each part's errors are counted as it
          // comes, and the operation once, when its last part is out, with the outcome of all.
          let failed = false;
          return {
            onNext({ result: part }) {
              const codes = partErrors(part as Part).map(codeOf);
              for (const code of codes) metrics.graphqlErrors.inc({ code });
              record.errorCodes.push(...codes);
              failed ||= codes.length > 0;
            },
            onEnd() {
              metrics.graphqlOperation(entry.name, entry.type ?? 'unknown', failed ? 'partial' : 'ok');
            },
          };
        },
      };
    },
    onResultProcess({ request, result }) {
      const record = requestRecord(request);
      const results = (Array.isArray(result) ? result : [result]) as Result[];
      results.forEach((one, index) => {
        // Streams (subscriptions, incremental delivery) are logged when they start; an
        // incremental answer's parts are counted as they come (onExecuteDone above).
        if (!one || typeof one !== 'object' || Symbol.asyncIterator in one) return;
        const operation = record.operations[index];
        const codes = (one.errors ?? []).map(codeOf);
        for (const code of codes) metrics.graphqlErrors.inc({ code });
        record.errorCodes.push(...codes);
        metrics.graphqlOperation(operation?.name, operation?.type ?? 'unknown', outcomeOf(one));
      });
    },
    onResponse({ request, response, serverContext }) {
      if (!records.has(request)) return;
      const record = requestRecord(request);
      const seconds = (performance.now() - record.started) / 1000;
      metrics.inFlight.dec();
      metrics.httpRequest(record.operations[0]?.name, response.status, seconds);
      response.headers.set('x-request-id', record.id);
      const address = (serverContext as { req?: { socket?: { remoteAddress?: string } } } | undefined)?.req?.socket
        ?.remoteAddress;
      logger.info(
        {
          requestId: record.id,
          method: request.method,
          path: record.path,
          status: response.status,
          durationMs: Math.round(seconds * 10_000) / 10,
          operations: record.operations,
          restCalls: record.counts.restCalls,
          restCallsEstimate: record.restCallsEstimate,
          errors: record.errorCodes,
          // A short hash tells callers apart in the log.
          caller: callerHash(request)?.slice(0, 12),
          address,
          traceId: record.traceId,
        },
        'request',
      );
    },
  };
}
