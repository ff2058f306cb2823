import { createServer, type ServerResponse } from 'node:http';
import { type Config, loadConfig } from './config.js';
import { loadManifest } from './persisted-operations.js';
import { Upstream } from './upstream/client.js';
import { createGateway } from './yoga.js';

interface UpstreamTarget {
  url: string;
  graphiqlToken?: string;
  stop?: () => Promise<void>;
}

/** The configured GitBook API, or the embedded simulator when none is. */
async function upstreamTarget(config: Config): Promise<UpstreamTarget> {
  if (config.gitbookApiUrl !== undefined) return { url: config.gitbookApiUrl };
  // Loaded only when needed: a production gateway never holds the simulator's seed in memory.
  const { startSimulator, DEMO_TOKEN } = await import('./simulator/index.js');
  const simulator = await startSimulator({ host: '127.0.0.1', port: 0 });
  console.warn(
    [
      '',
      '*** GITBOOK_API_URL is not set: using the EMBEDDED GITBOOK API SIMULATOR (seeded, in memory). ***',
      `*** Simulator: ${simulator.url} — demo token: ${DEMO_TOKEN}`,
      '*** Set GITBOOK_API_URL=https://api.gitbook.com/v1 to use the real API.',
      '',
    ].join('\n'),
  );
  return { url: simulator.url, graphiqlToken: DEMO_TOKEN, stop: () => simulator.close() };
}

const config = loadConfig();
const target = await upstreamTarget(config);
const upstream = new Upstream({
  baseUrl: target.url,
  timeoutMs: config.upstreamTimeoutMs,
  connections: config.upstreamConnections,
  resilience: config.resilience,
});
const gateway = createGateway({
    upstream,
    graphiqlToken: target.graphiqlToken,
    requestTimeoutMs: config.requestTimeoutMs,
    limits: config.limits,
    corsOrigins: config.corsOrigins,
    persistedOperations:
      config.persistedOperations === 'off'
        ? undefined
        : { mode: config.persistedOperations, manifest: loadManifest(config.persistedOperationsManifest) },
});

// While draining, every answer closes its connection: a kept-alive client
// would otherwise keep sending on it and hold the process past its grace.
let draining = false;
const inFlight = new Set<ServerResponse>();
const server = createServer((request, response) => {
  inFlight.add(response);
  response.once('close', () => {
    inFlight.delete(response);
    if (draining) server.closeIdleConnections();
  });
  if (draining) response.setHeader('connection', 'close');
  void gateway(request, response);
});

server.listen(config.port, config.host, () => {
  console.log(
    `GraphQL gateway on http://localhost:${config.port}/graphql (upstream ${upstream.origin}, persisted operations ${config.persistedOperations})`,
  );
});

function shutdown(signal: string) {
  console.log(`${signal}: draining in-flight requests (at most ${config.shutdownGraceMs} ms)`);
  // Past the grace period, whatever is still running is cut off.
  setTimeout(() => {
    console.warn('shutdown grace period over: exiting with requests still in flight');
    process.exit(1);
  }, config.shutdownGraceMs).unref();
  draining = true;
  for (const response of inFlight) if (!response.headersSent) response.setHeader('connection', 'close');
  // Stop accepting, let open requests finish, then release the upstream.
  server.close(async () => {
    await upstream.close();
    await target.stop?.();
    process.exit(0);
  });
  server.closeIdleConnections();
}
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));
