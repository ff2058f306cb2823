/**
 * An embedded, stateful simulator of GitBook's Integrations REST API (the operations tagged
 * `integrations` in the official OpenAPI document, plus installIntegrationOnSpace and
 * getOrganizationById). It is what the gateway talks to when no real upstream is configured,
 * and the upstream of the test suite, which asserts on the requests it records.
 */
import type { AddressInfo } from 'node:net';
import { createSimulatorServer, type RecordedRequest, type ServerSettings } from './server.js';
import { SimulatorStore } from './store.js';

export { DEMO_TOKEN, SEEDED_USERS, POPULAR_INTEGRATION, organizationId, type SeededUser } from './catalog.js';
export { DEFAULT_LIMIT, encodePageToken, decodePageToken } from './pagination.js';
export { SimulatorStore } from './store.js';
export { WORLD_NOW } from './model.js';
export type * from './model.js';
export type { RecordedRequest } from './server.js';

export interface SimulatorOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Deterministic seed of the generated data, default 1. */
  seed?: number;
  /** Latency added before each response, default 0. */
  latencyMs?: number;
  /**
   * Default false. When true every response body is validated against the spec's schema for its
   * operation and status, and a mismatch becomes a 500, so tests catch drift.
   */
  validateResponses?: boolean;
  /** Default true; benchmarks turn it off. */
  recordRequests?: boolean;
}

export interface Simulator {
  /** E.g. 'http://127.0.0.1:41234/v1'. */
  readonly url: string;
  /** The live in-memory state (read it in tests to compute expectations). */
  readonly store: SimulatorStore;
  readonly requests: RecordedRequest[];
  clearRequests(): void;
  /** Restore the seeded state and clear the recorded requests. */
  reset(): void;
  setLatency(ms: number): void;
  /** Close the server and its open keep-alive sockets. */
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  const store = new SimulatorStore(options.seed ?? 1);
  const requests: RecordedRequest[] = [];
  const settings: ServerSettings = {
    latencyMs: options.latencyMs ?? 0,
    validateResponses: options.validateResponses ?? false,
    recordRequests: options.recordRequests ?? true,
  };
  const server = createSimulatorServer(store, settings, requests);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}/v1`,
    store,
    requests,
    clearRequests: () => {
      requests.length = 0;
    },
    reset: () => {
      store.reset();
      requests.length = 0;
    },
    setLatency: (ms) => {
      settings.latencyMs = ms;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
