import http, { type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_TOKEN } from '../../src/simulator/index.js';
import type { Gateway } from '../../src/yoga.js';
import type { GraphQLResponse } from './harness.js';

/**
 * Small loopback servers for tests that need an upstream the simulator cannot
 * play (one that hangs, answers garbage, or is not there at all) or that talk
 * to the gateway over a real socket.
 */

export interface Loopback {
  /** E.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 with an ephemeral port. */
export async function listen(server: http.Server): Promise<Loopback> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** A loopback HTTP server answering with `handler`. */
export function startLoopback(handler: RequestListener): Promise<Loopback> {
  return listen(http.createServer(handler));
}

/** A loopback port nothing listens on (it was just free'd). */
export async function closedPort(): Promise<number> {
  const server = await startLoopback(() => undefined);
  await server.close();
  return server.port;
}

/**
 * Runs an operation in-process on a gateway other than the harness's;
 * `token: null` sends no Authorization header.
 */
export async function queryGateway(
  gateway: Gateway,
  query: string,
  options: { variables?: Record<string, unknown>; token?: string | null } = {},
): Promise<GraphQLResponse> {
  const token = options.token === undefined ? DEMO_TOKEN : options.token;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const response = await gateway.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables: options.variables }),
  });
  return (await response.json()) as GraphQLResponse;
}
