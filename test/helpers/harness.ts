import { afterAll, beforeEach, expect } from 'vitest';
import { DEMO_TOKEN, type RecordedRequest, type Simulator, startSimulator } from '../../src/simulator/index.js';
import { Upstream } from '../../src/upstream/client.js';
import { createGateway, type Gateway } from '../../src/yoga.js';

/**
 * A simulator on loopback (strict: it validates its own answers against the
 * spec) and a gateway whose REST calls go to it over real HTTP. The GraphQL
 * side is called in-process through `gateway.fetch`.
 */

export interface GraphQLResponse<Data = Record<string, any>> {
  data?: Data | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface RestCall {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  body: unknown;
  status: number;
}

export interface Harness {
  simulator: Simulator;
  upstream: Upstream;
  gateway: Gateway;
  /** Runs an operation; `token: null` sends no Authorization header. */
  graphql<Data = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { token?: string | null; headers?: Record<string, string> },
  ): Promise<GraphQLResponse<Data>>;
  /** Runs an operation and fails the test, printing both, on any GraphQL error. */
  data<Data = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { token?: string | null },
  ): Promise<Data>;
  /** The REST calls the simulator received since the last `resetCalls()`. */
  calls(): RestCall[];
  resetCalls(): void;
}

export function restCall(request: RecordedRequest): RestCall {
  return {
    method: request.method,
    path: request.path,
    query: request.query,
    authorization: request.authorization,
    body: request.body,
    status: request.status,
  };
}

/** Starts a harness for the test file; it is closed after the file's tests. */
export async function useHarness(options: { resetStateBeforeEach?: boolean } = {}): Promise<Harness> {
  const simulator = await startSimulator({ validateResponses: true });
  const upstream = new Upstream({ baseUrl: simulator.url, timeoutMs: 5_000, connections: 128 });
  // Every operation compiled from its first use, so the suite runs on the
  // compiled executor wherever production would (compiled-execution.test.ts
  // covers the interpreted first use).
  const gateway = createGateway({ upstream, compileOnUse: 1 });

  afterAll(async () => {
    await upstream.close();
    await simulator.close();
  });
  beforeEach(() => {
    if (options.resetStateBeforeEach) simulator.reset();
    simulator.clearRequests();
  });

  const graphql: Harness['graphql'] = async (query, variables, requestOptions = {}) => {
    const token = requestOptions.token === undefined ? DEMO_TOKEN : requestOptions.token;
    const headers: Record<string, string> = { 'content-type': 'application/json', ...requestOptions.headers };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const response = await gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResponse<any>;
  };

  return {
    simulator,
    upstream,
    gateway,
    graphql,
    async data(query, variables, requestOptions) {
      const response = await graphql(query, variables, requestOptions);
      if (response.errors?.length || !response.data) {
        expect.fail(
          `Unexpected GraphQL errors.\n--- operation ---\n${query}\n--- variables ---\n${JSON.stringify(variables ?? {}, null, 2)}\n--- response ---\n${JSON.stringify(response, null, 2)}`,
        );
      }
      return response.data as any;
    },
    calls: () => simulator.requests.map(restCall),
    resetCalls: () => simulator.clearRequests(),
  };
}

export { DEMO_TOKEN };
