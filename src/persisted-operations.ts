import { readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { Plugin } from 'graphql-yoga';

/**
 * Persisted operations: a frontend sends the hash of an operation it was
 * built with instead of its text, and the gateway runs the manifest's text.
 * `required` is how production locks the gateway down to those operations;
 * `allowed` runs both hashes and ad-hoc queries (GraphiQL); `off` ignores them.
 */
export type PersistedOperationsMode = 'off' | 'allowed' | 'required';

export interface PersistedOperationsOptions {
  mode: PersistedOperationsMode;
  /** sha256 hash (hex) → operation text. */
  manifest: ReadonlyMap<string, string>;
}

/** Manifest keys are `sha256:<hex>` (codegen) or `<hex>` (Apollo-style clients): both name the same operation. */
const normalizeHash = (hash: string) => hash.replace(/^sha256:/, '').toLowerCase();

/** Reads a persisted-documents manifest as codegen's client preset writes it: `{ "sha256:<hex>": "<document>" }`. */
export function loadManifest(path: string): ReadonlyMap<string, string> {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const manifest = new Map<string, string>();
  for (const [hash, document] of Object.entries(raw)) {
    if (typeof document !== 'string') throw new Error(`${path}: the operation of ${hash} is not a string`);
    manifest.set(normalizeHash(hash), document);
  }
  return manifest;
}

const refused = (message: string, code: string) => ({ message, extensions: { code, http: { status: 400 } } });

export function persistedOperationsPlugin(options: PersistedOperationsOptions): Plugin | undefined {
  if (options.mode === 'off') return undefined;
  return usePersistedOperations({
    allowArbitraryOperations: options.mode === 'allowed',
    getPersistedOperation: (hash) => options.manifest.get(normalizeHash(hash)) ?? null,
    customErrors: {
      notFound: refused(
        'No persisted operation has this hash: the client is older or newer than this gateway’s manifest.',
        'PERSISTED_QUERY_NOT_FOUND',
      ),
      persistedQueryOnly: refused(
        'This gateway runs persisted operations only: send extensions.persistedQuery.sha256Hash, not a query.',
        'PERSISTED_QUERY_ONLY',
      ),
      keyNotFound: refused(
        'Send a query, or extensions.persistedQuery { version: 1, sha256Hash } of a persisted operation.',
        'PERSISTED_QUERY_ID_REQUIRED',
      ),
    },
  });
}
