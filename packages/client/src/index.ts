/**
 * A small typed client for the gateway, for frontends and scripts. It runs
 * the operations generated from schema/operations (or any TypedDocumentString
 * codegen made from your own), over fetch, with a GitBook token. With
 * `persisted: true` it sends only the operation's hash, which is what a
 * gateway locked to its manifest (PERSISTED_OPERATIONS=required) accepts.
 *
 *   import { createClient, MarketplaceDocument } from 'gitbook-integrations-graphql-client';
 *   const client = createClient({ url: 'https://graphql.example.com/graphql', token });
 *   const { integrations } = await client.request(MarketplaceDocument, { category: 'ANALYTICS' });
 */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';

export * from './generated/graphql.js';

export interface ClientOptions {
  /** The gateway's GraphQL endpoint, e.g. `http://localhost:4000/graphql`. */
  url: string;
  /** A GitBook API token; sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Send the operation's hash instead of its text (the gateway must know it). */
  persisted?: boolean;
  /** Extra headers for every request. */
  headers?: Record<string, string>;
  /** A fetch implementation; the global one by default. */
  fetch?: typeof fetch;
}

export interface GraphQLErrorResult {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; status?: number; [key: string]: unknown };
}

export interface ExecutionResult<TResult> {
  data?: TResult | null;
  errors?: GraphQLErrorResult[];
}

/** Thrown by `request` when the response carries errors; partial data is kept. */
export class ClientError<TResult = unknown> extends Error {
  constructor(
    readonly errors: GraphQLErrorResult[],
    readonly data: TResult | null | undefined,
    readonly status: number,
  ) {
    super(errors.map((error) => error.message).join('\n') || `The gateway answered HTTP ${status}.`);
    this.name = 'ClientError';
  }

  /** The `extensions.code` of every error, e.g. `['NOT_FOUND']`. */
  get codes(): string[] {
    return this.errors.map((error) => String(error.extensions?.code ?? 'UNKNOWN'));
  }
}

/**
 * What codegen's client preset makes of an operation (documentMode: 'string'):
 * its text, typed with its result and variables, and its persisted hash.
 */
export type TypedDocument<TResult, TVariables> = DocumentTypeDecoration<TResult, TVariables> & {
  toString(): string;
  __meta__?: Record<string, unknown>;
};

/** Variables are optional when an operation has none, or only optional ones. */
type VariablesArgs<TVariables> =
  Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

export function createClient(options: ClientOptions) {
  const send = options.fetch ?? fetch;

  async function execute<TResult, TVariables>(
    document: TypedDocument<TResult, TVariables>,
    ...[variables]: VariablesArgs<TVariables>
  ): Promise<ExecutionResult<TResult> & { status: number }> {
    const hash = document.__meta__?.hash as string | undefined;
    if (options.persisted && !hash) throw new Error('This document has no persisted hash: regenerate it with codegen.');
    const body = options.persisted
      ? { variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }
      : { query: document.toString(), variables };
    const headers = new Headers({
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    });
    if (options.token) headers.set('authorization', `Bearer ${options.token}`);
    // Header names are case-insensitive: an extra `Authorization` replaces the token's.
    for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
    const response = await send(options.url, { method: 'POST', headers, body: JSON.stringify(body) });
    const text = await response.text();
    try {
      return { ...(JSON.parse(text) as ExecutionResult<TResult>), status: response.status };
    } catch {
      // Not GraphQL at all (a proxy's error page): the status is all there is to say.
      return { status: response.status };
    }
  }

  return {
    /** Runs an operation and answers the whole result, errors and partial data included. */
    execute,

    /** Runs an operation and answers its data; throws a ClientError if there were errors. */
    async request<TResult, TVariables>(
      document: TypedDocument<TResult, TVariables>,
      ...variables: VariablesArgs<TVariables>
    ): Promise<TResult> {
      const result = await execute(document, ...variables);
      if (result.errors?.length || result.data == null) {
        throw new ClientError<TResult>(result.errors ?? [], result.data, result.status);
      }
      return result.data;
    },
  };
}

export type Client = ReturnType<typeof createClient>;
