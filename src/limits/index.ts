import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { httpLimits } from './http.js';
import { operationBudget } from './operation.js';
import type { RateLimits } from './rate.js';

/**
 * What a single request may ask of the gateway. Shape limits (depth,
 * aliases, tokens, directives) are graphql-armor's; the rest are ours,
 * because only this gateway knows which fields call REST, that a connection
 * multiplies what is below it by its `first`, and that a variable used many
 * times is copied each time into what is sent. Every refusal happens before
 * execution, so a refused query makes no REST call.
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
  /** Fields and fragment spreads one operation may select once its fragments are expanded. */
  maxSelections: number;
  /** Largest argument value, in bytes of JSON, once its variables are put in place. */
  maxInputBytes: number;
  /** Most values (strings, numbers, list items, object fields) in one argument value, likewise. */
  maxInputValues: number;
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
  maxSelections: 10_000,
  maxInputBytes: 65_536,
  maxInputValues: 10_000,
  maxBodyBytes: 100_000,
  maxBatch: 10,
  fieldSuggestions: true,
};

/** A query the limits refuse: too deep, too wide, or too expensive upstream. */
export const TOO_COMPLEX = 'QUERY_TOO_COMPLEX';

function tagAsTooComplex(_context: unknown, error: { extensions: Record<string, unknown> }): void {
  Object.assign(error.extensions, { code: TOO_COMPLEX });
}

export function limitPlugins(limits: Limits, rateLimits?: RateLimits): Plugin[] {
  const rejected = { onReject: [tagAsTooComplex], propagateOnRejection: true };
  return [
    httpLimits(limits.maxBodyBytes),
    EnvelopArmorPlugin({
      // Fields only: a spread of a named fragment is no level of the answer,
      // and colocated fragments (codegen's habit) would otherwise count double.
      maxDepth: { n: limits.maxDepth, flattenFragments: true, ...rejected },
      maxAliases: { n: limits.maxAliases, ...rejected },
      maxTokens: { n: limits.maxTokens, ...rejected },
      maxDirectives: { n: limits.maxDirectives, ...rejected },
      // The REST fan-out limit is the cost limit that matters here.
      costLimit: { enabled: false },
      blockFieldSuggestion: { enabled: !limits.fieldSuggestions },
    }) as Plugin,
    operationBudget(limits, rateLimits),
  ];
}

/**
 * Yoga's parse cache, bounded by what it holds rather than by entries: its
 * keys are query texts, up to a body long, and a parsed document takes about
 * 84 bytes of heap per character of its text (measured on dense queries), so
 * 1,024 entries of the largest documents would hold gigabytes.
 */
const DOCUMENT_CACHE_BYTES = 64 * 1024 * 1024;
const AST_BYTES_PER_CHARACTER = 100;

export function boundedParserCache() {
  return {
    documentCache: new LRUCache<string, DocumentNode>({
      maxSize: DOCUMENT_CACHE_BYTES,
      sizeCalculation: (_document, text) => text.length * AST_BYTES_PER_CHARACTER + 1024,
    }),
    // Documents that do not parse: their text and one error each.
    errorCache: new LRUCache<string, Error>({
      maxSize: DOCUMENT_CACHE_BYTES / 16,
      sizeCalculation: (_error, text) => text.length * 2 + 1024,
    }),
  };
}
