import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The gateway's Prometheus metrics (prom-client), one registry per gateway,
 * served at `/metrics`. Every label has few values: REST operationIds come
 * from the spec, statuses and codes from small sets, and an operation name,
 * which a client chooses, is kept only while it is one of the first
 * `MAX_OPERATION_NAMES` seen (a persisted operation's or a frontend's);
 * any other is counted as `other`.
 */

export const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();

  readonly graphqlRequests = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations answered, by operation and outcome (ok, partial: data with errors, failed: no data).',
    labelNames: ['operation_name', 'operation_type', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly graphqlErrors = new Counter({
    name: 'graphql_errors_total',
    help: 'Errors in GraphQL responses, by extensions.code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'graphql_http_request_duration_seconds',
    help: 'Time to answer an HTTP request to the gateway, by operation (first of a batch) and status.',
    labelNames: ['operation_name', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly executions = new Counter({
    name: 'graphql_executions_total',
    help: 'GraphQL operations executed, by executor: compiled (graphql-jit, an operation seen before) or interpreted.',
    labelNames: ['executor'] as const,
    registers: [this.registry],
  });

  readonly responseCacheUse = new Counter({
    name: 'graphql_response_cache_total',
    help: 'Operations answered from the response cache (hit) or executed for a cacheable request (miss).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'graphql_rate_limited_total',
    help: 'Requests refused by the per-caller rate limits, by the limit reached (requests, rest_calls).',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  readonly redisUp = new Gauge({
    name: 'gateway_redis_up',
    help: '1 while Redis (REDIS_URL) answers, 0 while the gateway runs without it; absent without REDIS_URL.',
    registers: [this.registry],
  });

  readonly subscriptions = new Gauge({
    name: 'graphql_subscriptions_active',
    help: 'Subscriptions (live integration events) held open now.',
    registers: [this.registry],
  });

  readonly eventPollers = new Gauge({
    name: 'gitbook_event_pollers',
    help: 'Pollers of integration events running in this replica, one per (token, integration) subscribed.',
    registers: [this.registry],
  });

  readonly inFlight = new Gauge({
    name: 'graphql_http_requests_in_flight',
    help: 'HTTP requests being answered now.',
    registers: [this.registry],
  });

  readonly restCalls = new Counter({
    name: 'gitbook_rest_calls_total',
    help: 'Calls (attempts) made to GitBook API, by operationId and status (or timeout, unreachable, circuit-open, cancelled).',
    labelNames: ['operation_id', 'method', 'status'] as const,
    registers: [this.registry],
  });

  readonly restDuration = new Histogram({
    name: 'gitbook_rest_call_duration_seconds',
    help: 'Time GitBook API took to answer one attempt, by operationId.',
    labelNames: ['operation_id', 'method'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly restRetries = new Counter({
    name: 'gitbook_rest_retries_total',
    help: 'Retries of GETs, by operationId and what was retried (a status, or a transport failure).',
    labelNames: ['operation_id', 'reason'] as const,
    registers: [this.registry],
  });

  readonly breakerState = new Gauge({
    name: 'gitbook_rest_circuit_open',
    help: 'The circuit breaker in front of GitBook API: 0 closed, 0.5 half-open (probing), 1 open (failing fast).',
    registers: [this.registry],
  });

  readonly breakerTransitions = new Counter({
    name: 'gitbook_rest_circuit_transitions_total',
    help: 'Changes of the circuit breaker state, by the state entered.',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  /** @param process also collect Node's own metrics (heap, event loop lag, GC...): once per process. */
  constructor(options: { process?: boolean } = {}) {
    if (options.process) collectDefaultMetrics({ register: this.registry });
    this.breakerState.set(0);
  }

  /**
   * Per-request and per-call observations go through label children kept
   * here: prom-client hashes a label object on every call, a kept child
   * costs one map lookup. Every label has few values, so the maps stay small.
   */
  private readonly children = new Map<string, { inc(): void } | { observe(value: number): void }>();

  private child<T>(key: string, make: () => T): T {
    let child = this.children.get(key) as T | undefined;
    if (child === undefined) {
      child = make();
      this.children.set(key, child as { inc(): void });
    }
    return child;
  }

  /** One attempt at a REST call: counted by status, timed by operation. */
  restCall(operationId: string, method: string, status: string, seconds: number): void {
    this.child(`c ${operationId} ${method} ${status}`, () => this.restCalls.labels(operationId, method, status)).inc();
    this.child(`d ${operationId} ${method}`, () => this.restDuration.labels(operationId, method)).observe(seconds);
  }

  /** One HTTP request answered, timed by operation (the first of a batch) and status. */
  httpRequest(operationName: string | undefined, status: number, seconds: number): void {
    const operation = this.operationLabel(operationName);
    this.child(`h ${operation} ${status}`, () => this.httpDuration.labels(operation, String(status))).observe(seconds);
  }

  /** One GraphQL operation answered, by its outcome. */
  graphqlOperation(operationName: string | undefined, type: string, outcome: string): void {
    const operation = this.operationLabel(operationName);
    this.child(`o ${operation} ${type} ${outcome}`, () => this.graphqlRequests.labels(operation, type, outcome)).inc();
  }

  /** One operation executed, compiled or interpreted. */
  execution(executor: 'compiled' | 'interpreted'): void {
    this.child(`e ${executor}`, () => this.executions.labels(executor)).inc();
  }

  /** One cacheable operation, answered from the cache or not. */
  responseCache(result: 'hit' | 'miss'): void {
    this.child(`r ${result}`, () => this.responseCacheUse.labels(result)).inc();
  }

  /** An operation name as a label: itself while the set of names is small, `other` past it. */
  operationLabel(name: string | undefined | null): string {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'other';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) return 'other';
    this.operationNames.add(name);
    return name;
  }
}
