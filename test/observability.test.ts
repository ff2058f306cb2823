import { createServer } from 'node:http';
import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, GatewayMetrics, type Observability, restTelemetry } from '../src/observability/index.js';
import { MAX_OPERATION_NAMES } from '../src/observability/metrics.js';
import { DEMO_TOKEN, POPULAR_INTEGRATION } from '../src/simulator/index.js';
import { Upstream } from '../src/upstream/client.js';
import { createGateway } from '../src/yoga.js';
import { useHarness } from './helpers/harness.js';
import { listen } from './helpers/loopback.js';

/**
 * What an operator sees, read back from the gateway: the spans it made (an
 * in-memory exporter), `/metrics` scraped after known queries, and the JSON
 * line it logged for each request. Each is compared with what the simulator
 * received.
 */

const h = await useHarness({ resetStateBeforeEach: true });
const SLACK = POPULAR_INTEGRATION;

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
// Global: the context manager and the W3C propagator, as startTracing() registers them.
provider.register();

const written: string[] = [];
const logger = createLogger('info', { write: (line: string) => void written.push(line) });
const metrics = new GatewayMetrics();
const observability: Observability = { logger, metrics, tracerProvider: provider };
const upstream = new Upstream({
  baseUrl: h.simulator.url,
  timeoutMs: 5_000,
  connections: 16,
  resilience: { retryBaseDelayMs: 1 },
  telemetry: restTelemetry({ tracer: provider.getTracer('gitbook-rest'), metrics, logger }),
});
const gateway = createGateway({ upstream, observability });
const server = await listen(createServer(gateway));
const endpoint = `${server.url}/graphql`;

afterAll(async () => {
  await server.close();
  await upstream.close();
  await provider.shutdown();
});

beforeEach(() => {
  exporter.reset();
  written.length = 0;
});

const logLines = () => written.map((line) => JSON.parse(line) as Record<string, any>);

async function post(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKEN}`, ...headers },
    body: JSON.stringify(body),
  });
  return { response, body: (await response.json()) as { data?: any; errors?: any[] } };
}

/** The README's nested query: an integration, two installations, the spaces of each. */
const NESTED = {
  query: `query IntegrationPage($name: String!) {
    integration(name: $name) {
      title
      installations(first: 2) { nodes { installationId spaceInstallations(first: 1) { nodes { spaceId } } } }
    }
  }`,
  variables: { name: SLACK },
  operationName: 'IntegrationPage',
};

describe('traces', () => {
  it('one span for the operation, one per REST call below it, and the REST span’s traceparent sent to GitBook', async () => {
    const { response, body } = await post(NESTED);
    expect(body.errors).toBeUndefined();
    const spans = exporter.getFinishedSpans();
    const operation = spans.filter((span) => span.kind === SpanKind.SERVER);
    expect(operation.map((span) => span.name)).toEqual(['query.IntegrationPage']);
    const [operationSpan] = operation;
    expect(operationSpan?.attributes['gitbook.request_id']).toBe(response.headers.get('x-request-id'));

    const rest = spans.filter((span) => span.kind === SpanKind.CLIENT);
    const calls = h.simulator.requests;
    expect(calls).toHaveLength(4);
    expect(rest).toHaveLength(calls.length);
    for (const span of rest) {
      expect(span.spanContext().traceId).toBe(operationSpan?.spanContext().traceId);
      expect(span.parentSpanContext?.spanId).toBe(operationSpan?.spanContext().spanId);
      expect(span.attributes['http.response.status_code']).toBe(200);
      expect(span.attributes['gitbook.attempt']).toBe(0);
    }
    // Each REST call carried the traceparent of its own span, and named its operation and route.
    const byParent = new Map(rest.map((span) => [span.spanContext().spanId, span]));
    for (const call of calls) {
      const [, traceId, parentId] = call.headers.traceparent?.split('-') ?? [];
      expect(traceId).toBe(operationSpan?.spanContext().traceId);
      const span = byParent.get(parentId ?? '');
      expect(span?.attributes['gitbook.operation_id']).toBe(call.operationId);
      expect(span?.name).toBe(`GET ${span?.attributes['url.template']}`);
      expect(call.headers['x-request-id']).toBe(response.headers.get('x-request-id'));
    }
    expect(rest.map((span) => span.attributes['url.template']).sort()).toEqual([
      '/integrations/{integrationName}',
      '/integrations/{integrationName}/installations',
      '/integrations/{integrationName}/installations/{installationId}/spaces',
      '/integrations/{integrationName}/installations/{installationId}/spaces',
    ]);
  });

  it('continues the caller’s trace when it sends traceparent', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentId = '00f067aa0ba902b7';
    await post(
      { query: `{ integration(name: "${SLACK}") { title } }` },
      { traceparent: `00-${traceId}-${parentId}-01` },
    );
    const [operation] = exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER);
    expect(operation?.spanContext().traceId).toBe(traceId);
    expect(operation?.parentSpanContext?.spanId).toBe(parentId);
    expect(h.simulator.requests[0]?.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-`));
  });

  it('a retried GET is two spans, attempt 0 (503, an error) then attempt 1 (200, resend count 1)', async () => {
    h.simulator.injectFault({
      fault: { kind: 'status', status: 503 },
      match: { path: new RegExp(`^/integrations/${SLACK}$`) },
      times: 1,
    });
    await post({ query: `{ integration(name: "${SLACK}") { title } }` });
    const rest = exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.CLIENT);
    expect(
      rest.map((span) => [
        span.attributes['gitbook.attempt'],
        span.attributes['http.response.status_code'],
        span.status.code,
      ]),
    ).toEqual([
      [0, 503, 2],
      [1, 200, 0],
    ]);
    expect(rest[1]?.attributes['http.request.resend_count']).toBe(1);
    expect(rest[0]?.attributes['http.request.resend_count']).toBeUndefined();
  });

  it('a query that needs no REST call makes only the operation span; with tracing off, no traceparent is sent', async () => {
    await post({ query: '{ __typename }' });
    expect(exporter.getFinishedSpans().map((span) => span.kind)).toEqual([SpanKind.SERVER]);
    // The harness's gateway has no tracer provider and its upstream no telemetry.
    await h.data(`{ integration(name: "${SLACK}") { title } }`);
    expect(h.simulator.requests.at(-1)?.headers.traceparent).toBeUndefined();
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});

/** `/metrics` as numbers: `name{labels}` → value. */
async function scrape(): Promise<Map<string, number>> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

/** How much each sample grew between two scrapes (absent before: from 0). */
function grown(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [key, value] of after) {
    const change = value - (before.get(key) ?? 0);
    if (change !== 0) delta[key] = change;
  }
  return delta;
}

describe('/metrics', () => {
  it('counts operations by name and outcome, errors by code, REST calls by operationId and status, retries, latency', async () => {
    const before = await scrape();
    await post(NESTED);
    await post({
      query: 'query Missing { integration(name: "no-such-integration") { title } }',
      operationName: 'Missing',
    });
    h.simulator.injectFault({
      fault: { kind: 'status', status: 503 },
      match: { path: '/integrations/kudos' },
      times: 1,
    });
    await post({ query: 'query Kudos { integration(name: "kudos") { title } }' });
    const anonymous = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query Anonymous { integrations { totalCount } }' }),
    });
    await anonymous.text();
    const delta = grown(before, await scrape());

    expect(
      delta['graphql_operations_total{operation_name="IntegrationPage",operation_type="query",outcome="ok"}'],
    ).toBe(1);
    expect(delta['graphql_operations_total{operation_name="Missing",operation_type="query",outcome="partial"}']).toBe(
      1,
    );
    expect(delta['graphql_operations_total{operation_name="Kudos",operation_type="query",outcome="ok"}']).toBe(1);
    expect(delta['graphql_operations_total{operation_name="Anonymous",operation_type="query",outcome="failed"}']).toBe(
      1,
    );
    expect(delta['graphql_errors_total{code="NOT_FOUND"}']).toBe(1);
    expect(delta['graphql_errors_total{code="UNAUTHENTICATED"}']).toBe(1);

    // Every call the simulator received, by operationId and status, and nothing else.
    const expected: Record<string, number> = {};
    for (const call of h.simulator.requests) {
      const key = `gitbook_rest_calls_total{operation_id="${call.operationId}",method="${call.method}",status="${call.status}"}`;
      expected[key] = (expected[key] ?? 0) + 1;
    }
    const restCalls = Object.fromEntries(
      Object.entries(delta).filter(([key]) => key.startsWith('gitbook_rest_calls_total')),
    );
    expect(restCalls).toEqual(expected);
    expect(delta['gitbook_rest_retries_total{operation_id="getIntegrationByName",reason="503"}']).toBe(1);
    expect(delta['gitbook_rest_call_duration_seconds_count{operation_id="getIntegrationByName",method="GET"}']).toBe(4);
    expect(delta['graphql_http_request_duration_seconds_count{operation_name="IntegrationPage",status="200"}']).toBe(1);
    expect((await scrape()).get('graphql_http_requests_in_flight')).toBe(0);
  });

  it('the circuit breaker’s state: 1 while open, with a transition counted and a warning logged', async () => {
    const fragileMetrics = new GatewayMetrics();
    const fragileWritten: string[] = [];
    const fragileLogger = createLogger('info', { write: (line: string) => void fragileWritten.push(line) });
    const fragile = new Upstream({
      baseUrl: h.simulator.url,
      timeoutMs: 5_000,
      connections: 4,
      resilience: { retries: 0, breakerVolumeThreshold: 4, breakerResetMs: 60_000 },
      telemetry: restTelemetry({ metrics: fragileMetrics, logger: fragileLogger }),
    });
    const app = createGateway({ upstream: fragile, observability: { logger: fragileLogger, metrics: fragileMetrics } });
    h.simulator.injectFault({ fault: { kind: 'status', status: 503 } });
    for (let index = 0; index < 5; index += 1) {
      await app.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKEN}` },
        body: JSON.stringify({ query: `{ integration(name: "${SLACK}") { title } }` }),
      });
    }
    const text = await (await app.fetch('http://gateway.test/metrics')).text();
    expect(text).toContain('gitbook_rest_circuit_open 1');
    expect(text).toContain('gitbook_rest_circuit_transitions_total{state="open"} 1');
    expect(text).toContain(
      'gitbook_rest_calls_total{operation_id="getIntegrationByName",method="GET",status="circuit-open"} 1',
    );
    expect(fragileWritten.map((line) => JSON.parse(line)).filter((line) => line.circuit)).toEqual([
      expect.objectContaining({ level: 40, circuit: 'open', upstream: new URL(h.simulator.url).origin }),
    ]);
    await fragile.close();
  });

  it(`keeps at most ${MAX_OPERATION_NAMES} operation names as labels; a flood of made-up names is counted as "other"`, async () => {
    const flood = new GatewayMetrics();
    const app = createGateway({ upstream, observability: { logger, metrics: flood } });
    for (let index = 0; index < MAX_OPERATION_NAMES + 50; index += 1) {
      await app.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `query Made${index} { __typename }` }),
      });
    }
    const text = await (await app.fetch('http://gateway.test/metrics')).text();
    const names = new Set(
      [...text.matchAll(/graphql_operations_total\{operation_name="([^"]+)"/g)].map((match) => match[1]),
    );
    expect(names.size).toBe(MAX_OPERATION_NAMES + 1);
    expect(text).toContain('graphql_operations_total{operation_name="other",operation_type="query",outcome="ok"} 50');
  });
});

describe('the log line of each request', () => {
  it('honours the caller’s x-request-id, echoes it, and says the operation, duration, REST calls and error codes', async () => {
    const { response } = await post(
      { query: 'query Mixed { integration(name: "slack") { title } missing: integration(name: "nope") { title } }' },
      { 'x-request-id': 'frontend-42.abc' },
    );
    expect(response.headers.get('x-request-id')).toBe('frontend-42.abc');
    expect(h.simulator.requests.map((call) => call.headers['x-request-id'])).toEqual([
      'frontend-42.abc',
      'frontend-42.abc',
    ]);
    const lines = logLines().filter((line) => line.msg === 'request');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      requestId: 'frontend-42.abc',
      method: 'POST',
      path: '/graphql',
      status: 200,
      operations: [{ name: 'Mixed', type: 'query' }],
      restCalls: 2,
      restCallsEstimate: 2,
      errors: ['NOT_FOUND'],
      address: '127.0.0.1',
    });
    expect(lines[0]?.durationMs).toBeGreaterThan(0);
    expect(lines[0]?.caller).toMatch(/^[0-9a-f]{12}$/);
    expect(lines[0]?.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('makes up an id when none is sent, or when the one sent is not an id', async () => {
    for (const sent of [undefined, 'has spaces and "quotes"', 'x'.repeat(200)]) {
      const { response } = await post({ query: '{ __typename }' }, sent === undefined ? {} : { 'x-request-id': sent });
      const id = response.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(logLines().at(-1)?.requestId).toBe(id);
    }
  });

  it('one line for a batch, listing each operation; never the token, never a variable’s value', async () => {
    const secret = 'variable-value-that-must-not-be-logged';
    await post([
      {
        query: 'query One($search: String) { integrations(search: $search) { totalCount } }',
        variables: { search: secret },
      },
      { query: 'query Two { __typename }' },
    ]);
    const lines = logLines();
    expect(lines).toHaveLength(1);
    expect(lines[0]?.operations).toEqual([
      { name: 'One', type: 'query' },
      { name: 'Two', type: 'query' },
    ]);
    const text = written.join('');
    expect(text).not.toContain(secret);
    expect(text).not.toContain(DEMO_TOKEN);
    expect(text).not.toContain(DEMO_TOKEN.replace(/^gb_api_[a-z]+_/, ''));
  });
});
