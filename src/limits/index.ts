import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { maxRestCalls } from './schema/fan-out.js';

/**
 * What a single request may ask of the gateway. Shape limits (depth,
 * aliases, tokens, directives) are graphql-armor's; the fan-out limit is
 * ours, because only this schema knows which fields call REST and that a
 * connection multiplies what is below it by its `first`. Every refusal
 * happens before execution, so a refused query makes no REST call.
 */
export interface Limits {
  /** Deepest field nesting. */
  maxDepth: number;
  /** Aliased fields in one operation. */
  maxAliases: number;
  /** Tokens in the document. */
  maxTokens: number;
  /** Directives in one operation. */
  maxDirectives: number;
  /** The most REST calls an operation may be able to make. */
  maxRestCalls: number;
  /** Largest request body, in bytes. */
  maxBodyBytes: number;
  /** Operations in one batched request. */
  maxBatch: number;
  /** Suggest field names in validation errors ("Did you mean…"); off in production. */
  fieldSuggestions: boolean;
}

export const DEFAULT_LIMITS: Limits = {
  maxDepth: 15,
  maxAliases: 30,
  maxTokens: 5_000,
  maxDirectives: 50,
  maxRestCalls: 300,
  maxBodyBytes: 100_000,
  maxBatch: 10,
  fieldSuggestions: true,
};

/** A query the limits refuse: too deep, too wide, or too expensive upstream. */
const TOO_COMPLEX = 'QUERY_TOO_COMPLEX';

function tagAsTooComplex(_context: unknown, error: GraphQLError): void {
  Object.assign(error.extensions, { code: TOO_COMPLEX });
}

/** Refuses an operation that could fan out to more REST calls than allowed, before it runs. */
function restFanOutLimit(max: number): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const estimate = maxRestCalls(
        args.schema as GraphQLSchema,
        args.document,
        (args.variableValues ?? {}) as Record<string, unknown>,
        args.operationName,
      );
      if (estimate !== undefined && estimate > max) {
        setResultAndStopExecution({
          errors: [
            new GraphQLError(
              `This operation could make up to ${estimate} calls to GitBook API; the limit is ${max}. Ask for smaller pages (first) or fewer nested lists.`,
              // A request error like a validation failure: 400 for graphql-response+json, 200 for json.
              { extensions: { code: TOO_COMPLEX, restCalls: estimate, limit: max, http: { status: 400, spec: true } } },
            ),
          ],
        });
      }
    },
  };
}

/** Refuses request bodies over the limit by their Content-Length, before reading them. */
function bodySizeLimit(maxBytes: number): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (request.method !== 'POST') return;
      const length = request.headers.get('content-length');
      // Node's HTTP parser reads exactly Content-Length bytes; a body without one is chunked and unbounded.
      const status = length === null ? 411 : Number(length) > maxBytes ? 413 : undefined;
      if (status === undefined) return;
      const message =
        status === 411
          ? 'Send a Content-Length with the request body.'
          : `The request body is over ${maxBytes} bytes.`;
      endResponse(
        new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] }), {
          status,
          headers: { 'content-type': 'application/json; charset=utf-8' },
        }),
      );
    },
  };
}

export function limitPlugins(limits: Limits): Plugin[] {
  const rejected = { onReject: [tagAsTooComplex], propagateOnRejection: true };
  return [
    bodySizeLimit(limits.maxBodyBytes),
    EnvelopArmorPlugin({
      maxDepth: { n: limits.maxDepth, ...rejected },
      maxAliases: { n: limits.maxAliases, ...rejected },
      maxTokens: { n: limits.maxTokens, ...rejected },
      maxDirectives: { n: limits.maxDirectives, ...rejected },
      // The REST fan-out limit is the cost limit that matters here.
      costLimit: { enabled: false },
      blockFieldSuggestion: { enabled: !limits.fieldSuggestions },
    }) as Plugin,
    restFanOutLimit(limits.maxRestCalls),
  ];
}
