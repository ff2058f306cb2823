import { context, propagation, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { RestTelemetry } from '../upstream/client.js';
import type { GatewayMetrics } from './metrics.js';

/**
 * What the REST client reports, made visible: each attempt is a CLIENT span
 * (a child of the operation span, its `traceparent` sent to GitBook), a count
 * and a latency by operationId; retries are counted; the breaker's state is
 * a gauge and a log line.
 */
export function restTelemetry(options: { tracer?: Tracer; metrics: GatewayMetrics; logger: Logger }): RestTelemetry {
  const { metrics, logger, tracer } = options;
  return {
    attempt({ operationId, method, route, number }) {
      const started = performance.now();
      // Without a tracer (no OTLP endpoint) no span is made, not even a no-op one.
      if (!tracer) {
        return {
          end(outcome) {
            const status = 'status' in outcome ? String(outcome.status) : outcome.error;
            metrics.restCall(operationId, method, status, (performance.now() - started) / 1000);
          },
        };
      }
      const span = tracer.startSpan(`${method} ${route}`, {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': method,
          'url.template': route,
          'gitbook.operation_id': operationId,
          'gitbook.attempt': number,
          ...(number > 0 ? { 'http.request.resend_count': number } : {}),
        },
      });
      const headers: Record<string, string> = {};
      if (span.isRecording()) propagation.inject(trace.setSpan(context.active(), span), headers);
      return {
        headers,
        end(outcome) {
          const status = 'status' in outcome ? String(outcome.status) : outcome.error;
          metrics.restCall(operationId, method, status, (performance.now() - started) / 1000);
          if ('status' in outcome) {
            span.setAttribute('http.response.status_code', outcome.status);
            if (outcome.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          } else {
            span.setAttribute('error.type', outcome.error);
            span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error });
          }
          span.end();
        },
      };
    },
    retry(operationId, reason) {
      metrics.restRetries.inc({ operation_id: operationId, reason });
    },
    breaker(state, upstream) {
      metrics.breakerState.set(state === 'open' ? 1 : state === 'half-open' ? 0.5 : 0);
      metrics.breakerTransitions.inc({ state });
      const log = state === 'closed' ? logger.info.bind(logger) : logger.warn.bind(logger);
      log(
        { upstream, circuit: state },
        state === 'open'
          ? 'GitBook API keeps failing: calls fail fast until the breaker probes again'
          : state === 'half-open'
            ? 'probing GitBook API'
            : 'GitBook API answers again',
      );
    },
  };
}
