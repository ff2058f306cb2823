/**
 * An embedded, stateful simulator of GitBook's Integrations REST API (the operations tagged
 * `integrations` in the official OpenAPI document, plus installIntegrationOnSpace and
 * getOrganizationById). It is what the gateway talks to when no real upstream is configured,
 * and the upstream of the test suite, which asserts on the requests it records.
 */
import type { AddressInfo } from 'node:net';
import type { IntegrationEvent } from '@gitbook/api';
import { DEMO_TOKEN, organizationId, POPULAR_INTEGRATION } from './catalog.js';
import { type FaultHandle, FaultInjector, type FaultRule } from './faults.js';
import { createSimulatorServer, type RecordedRequest, type ServerSettings } from './server.js';
import { SimulatorStore } from './store.js';

export { DEMO_TOKEN, organizationId, POPULAR_INTEGRATION, SEEDED_USERS, type SeededUser } from './catalog.js';
export type { FaultHandle, FaultKind, FaultMatch, FaultName, FaultRule } from './faults.js';
export type * from './model.js';
export { WORLD_NOW } from './model.js';
export { DEFAULT_LIMIT, decodePageToken, encodePageToken } from './pagination.js';
export type { RecordedRequest } from './server.js';
export type { OperationId } from './spec.js';
export { SimulatorStore } from './store.js';

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
  /** Restore the seeded state, clear the recorded requests and the faults (as `clearFaults()`). */
  reset(): void;
  setLatency(ms: number): void;
  /**
   * Make the simulator fail on demand (README, "Fault injection"). Rules are consulted in
   * injection order and the first that applies wins; the handle counts and removes the rule.
   */
  injectFault(rule: FaultRule): FaultHandle;
  /**
   * Remove every rule (rate PRNGs restart with the next injections) and answer every hung
   * response with a 503.
   */
  clearFaults(): void;
  /**
   * Records `count` new events of an integration (of `installationId`, else of each of its
   * installations in turn), newest of all; answers them oldest first. Over HTTP:
   * `POST /__simulator/integrations/{name}/events` with `{"count": n}`.
   */
  recordEvents(integrationName: string, count?: number, installationId?: string): IntegrationEvent[];
  /** Close the server and its open keep-alive sockets; hung and delayed responses are dropped. */
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  const seed = options.seed ?? 1;
  const store = new SimulatorStore(seed);
  const faults = new FaultInjector(seed);
  const requests: RecordedRequest[] = [];
  const settings: ServerSettings = {
    latencyMs: options.latencyMs ?? 0,
    validateResponses: options.validateResponses ?? false,
    recordRequests: options.recordRequests ?? true,
  };
  const server = createSimulatorServer(store, settings, requests, faults);
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
      faults.clear();
      store.reset();
      requests.length = 0;
    },
    setLatency: (ms) => {
      settings.latencyMs = ms;
    },
    injectFault: (rule) => faults.add(rule),
    recordEvents: (integrationName, count = 1, installationId) =>
      store.recordEvents(integrationName, count, installationId),
    clearFaults: () => faults.clear(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        faults.shutdown();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * Ids worth trying with the demo token, the same in every run of the default
 * seed: the start-up banner prints them and the README's examples use them
 * (a test runs those examples against the simulator).
 */
export function demoFixtures(store: SimulatorStore) {
  const organization = organizationId('acme');
  const slack = store.integrations.get(POPULAR_INTEGRATION);
  const installation =
    slack && [...slack.installations.values()].find((candidate) => candidate.organizationId === organization);
  if (!installation) throw new Error(`the seed has no ${POPULAR_INTEGRATION} installation in acme`);
  return {
    token: DEMO_TOKEN,
    organizationId: organization,
    integrationName: POPULAR_INTEGRATION,
    installationId: installation.installation.id,
    spaceId: [...installation.content.space.keys()][0] ?? '',
    siteId: [...installation.content.site.keys()][0] ?? '',
  };
}

/** What `npm start` prints when it starts the simulator: where to go, with what token, and ids to try. */
export function simulatorBanner(simulator: Simulator, port: number): string {
  const demo = demoFixtures(simulator.store);
  return [
    '',
    '*** GITBOOK_API_URL is not set: the gateway uses the EMBEDDED GITBOOK API SIMULATOR (seeded, in memory). ***',
    `    GraphiQL        http://localhost:${port}/graphql  (the demo token is already in its Headers tab)`,
    `    Demo token      Authorization: Bearer ${demo.token}`,
    `    Ids to try      organizationId "${demo.organizationId}" (Acme Corporation), integration "${demo.integrationName}",`,
    `                    its installationId "${demo.installationId}" in Acme, spaceId "${demo.spaceId}", siteId "${demo.siteId}"`,
    `    Simulator       ${simulator.url}`,
    `    Live events     curl -X POST ${simulator.url.replace(/\/v1$/, '')}/__simulator/integrations/${demo.integrationName}/events -d '{"count":3}'`,
    '    Real API        set GITBOOK_API_URL=https://api.gitbook.com/v1',
    '',
    '',
  ].join('\n');
}
