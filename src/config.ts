import { fileURLToPath } from 'node:url';
import type { PersistedOperationsMode } from './persisted-operations.js';

/**
 * The only module that reads `process.env`. Everything else receives a `Config`
 * so tests can build gateways with their own settings.
 */
export interface Config {
  /** Listen port of the gateway. */
  port: number;
  /** Host the gateway listens on. */
  host: string;
  /**
   * REST base URL including `/v1`. Undefined means: start the embedded GitBook
   * API simulator and use it.
   */
  gitbookApiUrl: string | undefined;
  /** Deadline for one REST call, in milliseconds. */
  upstreamTimeoutMs: number;
  /** Kept-alive connections held open to the upstream origin. */
  upstreamConnections: number;
  /** off: only queries; allowed: queries and persisted hashes; required: persisted hashes only. */
  persistedOperations: PersistedOperationsMode;
  /** The persisted-documents manifest (hash → operation) codegen wrote. */
  persistedOperationsManifest: string;
}

function integer(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

const PERSISTED_MODES: readonly PersistedOperationsMode[] = ['off', 'allowed', 'required'];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const persistedOperations = (env.PERSISTED_OPERATIONS?.trim() || 'allowed') as PersistedOperationsMode;
  if (!PERSISTED_MODES.includes(persistedOperations)) {
    throw new Error(`PERSISTED_OPERATIONS must be one of ${PERSISTED_MODES.join(', ')}, got "${persistedOperations}"`);
  }
  const gitbookApiUrl = env.GITBOOK_API_URL?.trim() || undefined;
  if (gitbookApiUrl !== undefined) {
    const url = new URL(gitbookApiUrl); // throws on a malformed URL: better at start-up than on the first query
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`GITBOOK_API_URL must be an http(s) URL, got "${gitbookApiUrl}"`);
    }
  }
  return {
    port: integer('PORT', env.PORT, 4000, 0),
    host: env.HOST?.trim() || '0.0.0.0',
    gitbookApiUrl,
    upstreamTimeoutMs: integer('UPSTREAM_TIMEOUT_MS', env.UPSTREAM_TIMEOUT_MS, 10_000, 1),
    upstreamConnections: integer('UPSTREAM_CONNECTIONS', env.UPSTREAM_CONNECTIONS, 64, 1),
    persistedOperations,
    persistedOperationsManifest:
      env.PERSISTED_OPERATIONS_MANIFEST?.trim() ||
      fileURLToPath(new URL('./client/generated/persisted-documents.json', import.meta.url)),
  };
}
