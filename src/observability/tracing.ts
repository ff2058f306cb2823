import { getCurrentOtelContext, otelContextMap, setCurrentOtelContext, useOpenTelemetry } from '@envelop/opentelemetry';
import { propagation, ROOT_CONTEXT, SpanKind, type TracerProvider, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import { requestRecord } from './requests.js';

/**
 * Traces (OpenTelemetry): a span per GraphQL operation (Envelop's
 * OpenTelemetry plugin) and a span per REST attempt (rest.ts), joined to the
 * caller's trace when it sends `traceparent`, and carrying it on to GitBook.
 * Exported over OTLP/HTTP when an endpoint is configured; off otherwise, at
 * no cost: the API's no-op tracer is used.
 */

export interface TracingOptions {
  /** Where spans go: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, or `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`. */
  url: string;
  /** `OTEL_SERVICE_NAME`. */
  serviceName: string;
}

/**
 * Starts exporting spans, and registers the provider, the W3C propagator and
 * the AsyncLocalStorage context manager globally (so context flows through
 * awaits down to the REST client). Shut it down to flush what is queued.
 */
export function startTracing(options: TracingOptions): NodeTracerProvider {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: options.url }))],
  });
  provider.register();
  return provider;
}

/** Continues the caller's trace: the operation span's parent is what `traceparent` names. */
function callerTraceContext(): Plugin {
  return {
    onExecute({ args }) {
      if (otelContextMap.has(args.contextValue)) return;
      const request = (args.contextValue as YogaInitialContext).request;
      const headers: Record<string, string> = {};
      for (const name of ['traceparent', 'tracestate']) {
        const value = request.headers.get(name);
        if (value !== null) headers[name] = value;
      }
      setCurrentOtelContext(args.contextValue, propagation.extract(ROOT_CONTEXT, headers));
    },
  };
}

/** Puts the request's id on the operation span, so a log line leads to its trace and back. */
function spanRequestId(): Plugin {
  return {
    onExecute({ args }) {
      const span = trace.getSpan(getCurrentOtelContext(args.contextValue));
      if (!span) return;
      const record = requestRecord((args.contextValue as YogaInitialContext).request);
      span.setAttribute('gitbook.request_id', record.id);
      record.traceId = span.spanContext().traceId;
    },
  };
}

export function tracingPlugins(provider: TracerProvider | undefined): Plugin[] {
  if (!provider) return [];
  return [
    callerTraceContext(),
    // Operation spans name the operation and its type; never the variables
    // nor the result, and the document only when it holds no inline values.
    useOpenTelemetry(
      { resolvers: false, variables: false, result: false },
      provider,
      SpanKind.SERVER,
      {},
      'gitbook-integrations-graphql',
    ) as Plugin,
    spanRequestId(),
  ];
}
