import type { TracerProvider } from '@opentelemetry/api';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { silentLogger } from './logging.js';
import { GatewayMetrics } from './metrics.js';
import { requestTelemetry } from './requests.js';
import { tracingPlugins } from './tracing.js';

/**
 * What an operator sees of the gateway: structured logs (logging.ts), one
 * line per request (requests.ts), Prometheus metrics at `/metrics`
 * (metrics.ts), and traces over OTLP when configured (tracing.ts, rest.ts).
 */
export interface Observability {
  logger: Logger;
  metrics: GatewayMetrics;
  /** Set when traces are exported; the API's no-op tracer is used otherwise. */
  tracerProvider?: TracerProvider;
}

/** Logs nothing, keeps its own metrics, traces nothing: what a gateway gets unless told otherwise. */
export function quietObservability(): Observability {
  return { logger: silentLogger, metrics: new GatewayMetrics() };
}

export function observabilityPlugins(observability: Observability): { first: Plugin[]; afterLimits: Plugin[] } {
  return {
    // Before anything can refuse a request, so every request has its log line.
    first: [requestTelemetry(observability)],
    // After the limits: an operation refused before it runs has no span.
    afterLimits: tracingPlugins(observability.tracerProvider),
  };
}

export { createLogger, type Logger, yogaLogger } from './logging.js';
export { GatewayMetrics } from './metrics.js';
export { requestRecord } from './requests.js';
export { restTelemetry } from './rest.js';
export { startTracing } from './tracing.js';
