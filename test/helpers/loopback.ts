import http, { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll } from 'vitest';
import { DEMO_TOKEN } from '../../src/simulator/index.js';
import { Upstream } from '../../src/upstream/client.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/yoga.js';
import type { GraphQLResponse, Harness } from './harness.js';

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

/**
 * Returns `serve(options)`, which starts a gateway over `h.upstream` on
 * 127.0.0.1 (an ephemeral port) and answers its `/graphql` URL; every gateway
 * is closed after the test file.
 */
export function useServedGateways(h: Harness): (options?: Partial<GatewayOptions>) => Promise<string> {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await Promise.all(closers.map((close) => close()));
  });
  return async (options = {}) => {
    const server = await listen(createServer(createGateway({ upstream: h.upstream, ...options })));
    closers.push(server.close);
    return `${server.url}/graphql`;
  };
}

/**
 * A proxy in front of the simulator that lets a test change its answers
 * (the real API answering more than the pinned spec says): `rewrite` gets
 * the REST path (after `/v1`) and the parsed JSON answer, and returns the
 * answer to send instead. Requests still reach the simulator, which records
 * them as usual. Closed after the test file.
 */
export async function rewritingUpstream(
  h: Harness,
  rewrite: (path: string, body: any) => unknown,
): Promise<{ gateway: Gateway; close(): Promise<void> }> {
  const target = new URL(h.simulator.url);
  const proxy = await startLoopback((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const forwarded = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => body.push(chunk));
          answer.on('end', () => {
            const text = Buffer.concat(body).toString('utf8');
            const path = (req.url ?? '').split('?')[0]?.replace(/^\/v1/, '') ?? '';
            const rewritten =
              text && answer.statusCode === 200 ? JSON.stringify(rewrite(path, JSON.parse(text))) : text;
            res.writeHead(answer.statusCode ?? 502, { 'content-type': 'application/json' });
            res.end(rewritten);
          });
        },
      );
      forwarded.end(Buffer.concat(chunks));
    });
  });
  const upstream = new Upstream({ baseUrl: `${proxy.url}/v1`, timeoutMs: 5_000, connections: 8 });
  const close = async () => {
    await upstream.close();
    await proxy.close();
  };
  afterAll(close);
  return { gateway: createGateway({ upstream }), close };
}
