import { createServer, type ServerResponse } from 'node:http';
import { MemoryStore, RedisStore } from './cache/index.js';
import { type Config, loadConfig, StartupError } from './config.js';
import { RateLimits } from './limits/rate.js';
import { DEFAULT_LIVE_EVENTS } from './live-events.js';
import { RedisPollerSharing } from './live-events-redis.js';
import { createLogger, GatewayMetrics, type Logger, restTelemetry, startTracing } from './observability/index.js';
import { loadManifest } from './persisted-operations.js';
import { SharedRedis } from './redis.js';
import { Upstream } from './upstream/client.js';
import { createGateway } from './yoga.js';

/**
 * The process: reads the configuration, starts the embedded simulator when no
 * GITBOOK_API_URL is set, serves the gateway, and drains on SIGTERM. What it
 * cannot start with is said in one line naming the variable, file or port at
 * fault, and the process exits with 1.
 */

interface UpstreamTarget {
  url: string;
  graphiqlToken?: string;
  stop?: () => Promise<void>;
}

/** The configured GitBook API, or the embedded simulator when none is. */
async function upstreamTarget(config: Config): Promise<UpstreamTarget> {
  if (config.gitbookApiUrl !== undefined) return { url: config.gitbookApiUrl };
  // Loaded only when needed: a production gateway never holds the simulator's seed in memory.
  const { startSimulator, DEMO_TOKEN, simulatorBanner } = await import('./simulator/index.js');
  const simulator = await startSimulator({ host: '127.0.0.1', port: 0 });
  // For the person who just ran `npm start`: plain text, on stderr, beside the JSON log.
  process.stderr.write(simulatorBanner(simulator, config.port));
  return { url: simulator.url, graphiqlToken: DEMO_TOKEN, stop: () => simulator.close() };
}

function manifestOf(config: Config) {
  try {
    return loadManifest(config.persistedOperationsManifest);
  } catch (error) {
    const reason = (error as { code?: string }).code ?? (error as Error).message;
    throw new StartupError(
      `PERSISTED_OPERATIONS_MANIFEST: cannot read ${config.persistedOperationsManifest} (${reason}); set it to ` +
        `codegen's persisted-documents.json, or PERSISTED_OPERATIONS=off`,
    );
  }
}

function listen(server: ReturnType<typeof createServer>, config: Config): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const where = `${config.host}:${config.port}`;
      if (error.code === 'EADDRINUSE')
        reject(
          new StartupError(
            `PORT ${config.port} is already in use on ${config.host} (${where}): stop what listens there, or set PORT`,
          ),
        );
      else if (error.code === 'EACCES')
        reject(
          new StartupError(`PORT ${config.port}: not allowed to listen on ${where} (ports below 1024 need privileges)`),
        );
      else if (error.code === 'EADDRNOTAVAIL')
        reject(new StartupError(`HOST ${config.host} is not an address of this machine`));
      else reject(error);
    });
    server.listen(config.port, config.host, () => resolve());
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger: Logger = createLogger(config.logLevel);
  const metrics = new GatewayMetrics({ process: true });
  const tracerProvider = config.tracing ? startTracing(config.tracing) : undefined;
  const persistedOperations =
    config.persistedOperations === 'off'
      ? undefined
      : { mode: config.persistedOperations, manifest: manifestOf(config) };

  const target = await upstreamTarget(config);
  const upstream = new Upstream({
    baseUrl: target.url,
    timeoutMs: config.upstreamTimeoutMs,
    connections: config.upstreamConnections,
    resilience: config.resilience,
    telemetry: restTelemetry({ tracer: tracerProvider?.getTracer('gitbook-rest'), metrics, logger }),
  });
  // Without Redis the cache and the limits live in this process; with it, every replica shares them.
  const redis = config.redisUrl
    ? new SharedRedis({ url: config.redisUrl, logger, keyPrefix: config.redisKeyPrefix })
    : undefined;
  if (redis) {
    metrics.redisUp.set(0);
    redis.client.on('ready', () => metrics.redisUp.set(1));
    redis.client.on('close', () => metrics.redisUp.set(0));
  }
  const cacheBounds = { maxBytes: config.responseCache.maxBytes, maxTtlMs: config.responseCache.ttlMs };
  const store = redis
    ? new RedisStore(redis, { ...cacheBounds, requestTimeoutMs: config.requestTimeoutMs })
    : new MemoryStore(cacheBounds);
  // A lease outlives three of its holder's longest waits: then another replica polls.
  const pollerSharing = redis ? new RedisPollerSharing(redis, 3 * DEFAULT_LIVE_EVENTS.maxIntervalMs) : undefined;
  const gateway = createGateway({
    upstream,
    graphiqlToken: target.graphiqlToken,
    requestTimeoutMs: config.requestTimeoutMs,
    limits: config.limits,
    corsOrigins: config.corsOrigins,
    persistedOperations,
    observability: { logger, metrics, tracerProvider },
    responseCache: { store, ttlMs: config.responseCache.ttlMs },
    rateLimits: new RateLimits(config.rateLimits, metrics, redis),
    liveEvents: { maxPerCaller: config.subscriptions.perCaller, maxTotal: config.subscriptions.total },
    liveEventsSharing: pollerSharing,
    redis,
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

  try {
    await listen(server, config);
  } catch (error) {
    await upstream.close();
    await redis?.close();
    await target.stop?.();
    throw error;
  }
  logger.info(
    {
      url: `http://localhost:${config.port}/graphql`,
      upstream: upstream.origin,
      persistedOperations: config.persistedOperations,
      // The collector's origin only: its URL may carry credentials.
      tracing: config.tracing ? new URL(config.tracing.url).origin : 'off',
      responseCache: config.responseCache.ttlMs > 0 ? (redis ? 'redis' : 'memory') : 'off',
    },
    'GraphQL gateway listening',
  );

  const shutdown = (signal: string) => {
    logger.info({ signal, graceMs: config.shutdownGraceMs }, 'draining in-flight requests');
    // Past the grace period, whatever is still running is cut off.
    setTimeout(() => {
      logger.warn('shutdown grace period over: exiting with requests still in flight');
      process.exit(1);
    }, config.shutdownGraceMs).unref();
    draining = true;
    // Event streams never end by themselves: ended here, their responses finish.
    gateway.liveEvents.close();
    for (const response of inFlight) if (!response.headersSent) response.setHeader('connection', 'close');
    // Stop accepting, let open requests finish, then release the upstream and flush the spans.
    server.close(async () => {
      await upstream.close();
      pollerSharing?.close();
      await redis?.close();
      await target.stop?.();
      await tracerProvider?.shutdown();
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  // A setting at fault is said in its own words; anything else is a bug, with its stack.
  const message =
    error instanceof StartupError
      ? error.message
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
  process.stderr.write(`gitbook-integrations-graphql cannot start: ${message}\n`);
  process.exit(1);
});
