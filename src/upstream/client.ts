import DataLoader from 'dataloader';
import type CircuitBreaker from 'opossum';
import { Pool } from 'undici';
import { badUserInput, fromRestStatus, GatewayError } from '../errors.js';
import { findOperation } from '../openapi/document.js';
import {
  backoffDelay,
  CallerGaveUp,
  CallTimedOut,
  createBreaker,
  DEFAULT_RESILIENCE,
  FAILING_STATUSES,
  FailingStatus,
  isRetryableTransportError,
  RETRYABLE_STATUSES,
  type ResilienceOptions,
  retryAfterMs,
  sleep,
} from './resilience.js';
import type { OperationId } from './types.js';

/**
 * The REST client: the one module that speaks HTTP to GitBook's API.
 *
 * `Upstream` lives as long as the process and owns the kept-alive connection
 * pool. `RestClient` lives as long as one GraphQL request: it is bound to that
 * request's `Authorization` header and makes each distinct GET at most once.
 */

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Readonly<Record<string, QueryValue>>;

export interface UpstreamOptions {
  /** REST base URL including `/v1`, e.g. `https://api.gitbook.com/v1`. */
  baseUrl: string;
  /** Deadline for one REST call. */
  timeoutMs: number;
  /** Connections kept alive to the upstream origin. */
  connections: number;
  /** Retries and circuit breaker; see resilience.ts for the defaults. */
  resilience?: Partial<ResilienceOptions>;
  /** Where each call is reported (spans, metrics, logs); nowhere by default. */
  telemetry?: RestTelemetry;
}

export type RestMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One REST call, named after the operation it is. */
export interface RestCall {
  operationId: OperationId;
  method: RestMethod;
  /** Path and query string, after the base path (`/integrations?limit=2`). */
  target: string;
  body?: unknown;
}

/** How an attempt ended: its status, or what went wrong before one came. */
export type AttemptOutcome = { status: number } | { error: 'timeout' | 'unreachable' | 'circuit-open' | 'cancelled' };

/**
 * Where the REST client reports what it does, so an operator can see it:
 * one attempt at a time (a retry is another attempt), and the breaker's state.
 * The implementation (observability/) turns these into spans, metrics and logs.
 */
export interface RestTelemetry {
  /** An attempt starts; the headers it returns, if any (trace context), go with it. */
  attempt(attempt: {
    operationId: OperationId;
    method: RestMethod;
    /** The route template, e.g. `/integrations/{integrationName}`. */
    route: string;
    /** 0 for the first try, 1 for the first retry... */
    number: number;
  }): { headers?: Record<string, string>; end(outcome: AttemptOutcome): void };
  /** A retry is decided, and why (a status, or the transport error). */
  retry(operationId: OperationId, reason: string): void;
  /** The circuit breaker changed state. */
  breaker(state: 'open' | 'half-open' | 'closed', upstream: string): void;
}

const NO_TELEMETRY: RestTelemetry = {
  attempt: () => ({ end: () => undefined }),
  retry: () => undefined,
  breaker: () => undefined,
};

const routes = new Map<OperationId, string>();
/** The route template of an operation, from the spec: a bounded label, where a path is not. */
function routeOf(operationId: OperationId): string {
  let route = routes.get(operationId);
  if (route === undefined) {
    route = findOperation(operationId).path;
    routes.set(operationId, route);
  }
  return route;
}

const USER_AGENT = 'gitbook-integrations-graphql';

/**
 * Builds a REST path from a template, percent-encoding every interpolated
 * segment so an identifier can never change the route it is sent to.
 */
export function restPath(strings: TemplateStringsArray, ...segments: string[]): string {
  let path = strings[0] ?? '';
  segments.forEach((segment, index) => {
    // Arguments are checked strings by now: anything else came from an answer that lacked an id.
    if (typeof segment !== 'string') {
      throw new GatewayError('UPSTREAM_ERROR', 'GitBook API sent an object without its identifier.');
    }
    if (segment === '') throw badUserInput('An identifier must not be empty.');
    // encodeURIComponent leaves dots alone, and a `..` segment would walk up the path.
    if (segment === '.' || segment === '..') throw badUserInput(`"${segment}" is not an identifier.`);
    let encoded: string;
    try {
      encoded = encodeURIComponent(segment);
    } catch {
      // A lone surrogate has no UTF-8 form: no URL can carry it.
      throw badUserInput('An identifier is not valid Unicode text.');
    }
    path += encoded + (strings[index + 1] ?? '');
  });
  return path;
}

/**
 * The longest query string sent. Servers and proxies refuse request lines
 * past 8 KiB or so, and their refusal would look like an upstream failure;
 * an argument that long is the caller's to shorten.
 */
export const MAX_QUERY_LENGTH = 6_000;

export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    params.append(key, String(value));
  }
  const encoded = params.toString();
  if (encoded.length > MAX_QUERY_LENGTH) {
    throw badUserInput(
      `The arguments are too long for a GitBook API request (over ${MAX_QUERY_LENGTH} characters encoded).`,
    );
  }
  return encoded === '' ? '' : `?${encoded}`;
}

/**
 * What an answer must look like before anything reads it: an object, a page
 * of objects (`items`, `count`, `next.page`), or an array of objects. GitBook
 * answering something else (a proxy's JSON, a changed API) is an upstream
 * error the client can be told about, not a crash in a resolver.
 */
export type Shape = 'object' | 'page' | 'array';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function hasShape(body: unknown, shape: Shape): boolean {
  if (shape === 'object') return isObject(body);
  if (shape === 'array') return Array.isArray(body) && body.every(isObject);
  return (
    isObject(body) &&
    Array.isArray(body.items) &&
    body.items.every(isObject) &&
    (body.count === undefined || typeof body.count === 'number') &&
    (body.next === undefined || (isObject(body.next) && typeof body.next.page === 'string'))
  );
}

function checkShape<T>(body: unknown, shape: Shape, status: number): T {
  if (!hasShape(body, shape)) {
    throw new GatewayError(
      'UPSTREAM_ERROR',
      `GitBook API sent an answer that is not the ${shape} it documents.`,
      status,
    );
  }
  return body as T;
}

/** The longest Authorization header forwarded; GitBook's tokens, JWTs included, are far shorter. */
export const MAX_AUTHORIZATION_LENGTH = 4_096;

/**
 * Whether a header carries a bearer token (RFC 6750: the scheme in any case,
 * then the token), the only credential GitBook's API takes. Anything else
 * would be answered 401 by GitBook, so it is not sent.
 */
export function isBearer(authorization: string | undefined): boolean {
  return (
    authorization !== undefined &&
    authorization.length <= MAX_AUTHORIZATION_LENGTH &&
    /^bearer +[\x21-\x7e]+ *$/i.test(authorization)
  );
}

/** What one GraphQL request allows its REST calls, and what they report to it. */
export interface CallScope {
  /** Aborted when the GraphQL request is (the client went away). */
  signal?: AbortSignal;
  /** Epoch ms after which no call starts and no retry waits. */
  deadline?: number;
  /** The request's id, sent along as `x-request-id` so GitBook's logs and ours meet. */
  requestId?: string;
  /** Counts the calls sent for the request (every attempt), for its log line. */
  counts?: { restCalls: number };
}

interface Answer {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

/** How long one reachability probe answers `/readiness` for. */
const READINESS_TTL_MS = 1_000;

export class Upstream {
  readonly origin: string;
  private readonly basePath: string;
  private readonly pool: Pool;
  private readonly timeoutMs: number;
  private readonly resilience: ResilienceOptions;
  private readonly telemetry: RestTelemetry;
  private readonly breaker: CircuitBreaker<
    [string, string, Record<string, string>, string | undefined, number],
    Answer
  >;

  constructor(options: UpstreamOptions) {
    const url = new URL(options.baseUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs;
    this.resilience = { ...DEFAULT_RESILIENCE, ...options.resilience };
    this.pool = new Pool(this.origin, {
      connections: options.connections,
      // Keep sockets warm between bursts of GraphQL requests.
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 60_000,
    });
    this.telemetry = options.telemetry ?? NO_TELEMETRY;
    this.breaker = createBreaker((...args) => this.attempt(...args), this.resilience);
    this.breaker.on('open', () => this.telemetry.breaker('open', this.origin));
    this.breaker.on('halfOpen', () => this.telemetry.breaker('half-open', this.origin));
    this.breaker.on('close', () => this.telemetry.breaker('closed', this.origin));
  }

  /** A client for one GraphQL request, forwarding its caller's header as is. */
  client(authorization: string | undefined, scope: CallScope = {}): RestClient {
    return new RestClient(this, authorization, scope);
  }

  /** Whether the breaker lets calls through: false while it is open after repeated failures. */
  get accepting(): boolean {
    return !this.breaker.opened;
  }

  /** True when the upstream answers HTTP at all (any status below 500) and the breaker is not open. */
  isReachable(): Promise<boolean> {
    if (!this.accepting) return Promise.resolve(false);
    // Probes cost a call to GitBook and `/readiness` is open to anyone: concurrent and
    // repeated checks within READINESS_TTL_MS share one probe.
    const now = performance.now();
    if (!this.reachability || now - this.reachability.at > READINESS_TTL_MS) {
      this.reachability = { at: now, answer: this.probe() };
    }
    return this.reachability.answer;
  }

  private reachability: { at: number; answer: Promise<boolean> } | undefined;

  private async probe(): Promise<boolean> {
    try {
      const response = await this.pool.request({
        method: 'GET',
        path: `${this.basePath}/`,
        headers: { 'user-agent': USER_AGENT },
        signal: AbortSignal.timeout(Math.min(this.timeoutMs, 2_000)),
      });
      await response.body.dump();
      return response.statusCode < 500;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.breaker.shutdown();
    await this.pool.close();
  }

  /** One HTTP exchange, inside the breaker: it throws for what counts as the upstream failing. */
  private async attempt(
    method: string,
    path: string,
    headers: Record<string, string>,
    payload: string | undefined,
    timeoutMs: number,
  ): Promise<Answer> {
    // One timer bounds the whole exchange, headers and body: undici's own
    // timeouts only measure silences, and a trickling body would outlast them.
    let body: { destroy(error: Error): void } | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      body?.destroy(new CallTimedOut(timeoutMs));
    }, timeoutMs);
    try {
      const response = await this.pool.request({
        method: method as 'GET',
        path,
        headers,
        body: payload,
        headersTimeout: timeoutMs,
        // The same value for the body lets undici refresh one timer per
        // socket instead of making a new one for each phase of each call
        // (the timer above bounds the whole exchange anyway).
        bodyTimeout: timeoutMs,
      });
      body = response.body;
      if (timedOut) response.body.destroy(new CallTimedOut(timeoutMs));
      const answer = { status: response.statusCode, text: await response.body.text(), headers: response.headers };
      if (FAILING_STATUSES.has(answer.status)) throw new FailingStatus(answer.status, answer.text, answer.headers);
      return answer;
    } catch (error) {
      throw timedOut ? new CallTimedOut(timeoutMs) : error;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * @internal Sends one REST call for RestClient: through the breaker, with
   * retries for GETs only, and within the request's deadline.
   */
  async call(
    call: RestCall,
    authorization: string | undefined,
    scope: CallScope = {},
  ): Promise<{ status: number; body: unknown }> {
    const { operationId, method, target, body } = call;
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': USER_AGENT,
    };
    if (authorization !== undefined) headers.authorization = authorization;
    if (scope.requestId !== undefined) headers['x-request-id'] = scope.requestId;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const payload = body === undefined ? undefined : JSON.stringify(body);
    // A write that failed may still have happened: only GETs are tried again.
    const retries = method === 'GET' ? this.resilience.retries : 0;
    const route = routeOf(operationId);

    for (let number = 0; ; number += 1) {
      // A request that is gone starts no call. Checked here, not inside the
      // breaker: a cancelled probe must not count as the upstream being back.
      // A call already sent is let finish (its timeout bounds it): listening
      // to the request's signal in every call would cost more than the rare
      // wasted answer.
      if (scope.signal?.aborted) throw unavailable(new CallerGaveUp('The GraphQL request was cancelled.'), 0);
      const remaining = timeLeft(scope);
      if (remaining <= 0)
        throw new GatewayError('UPSTREAM_UNAVAILABLE', 'The request ran out of time before GitBook API answered.');
      const timeoutMs = Math.min(this.timeoutMs, remaining);
      const attempt = this.telemetry.attempt({ operationId, method, route, number });
      if (scope.counts) scope.counts.restCalls += 1;
      let answer: Answer;
      try {
        answer = await this.breaker.fire(
          method,
          this.basePath + target,
          attempt.headers ? { ...headers, ...attempt.headers } : headers,
          payload,
          timeoutMs,
        );
      } catch (error) {
        if (error instanceof FailingStatus) {
          answer = error;
        } else {
          attempt.end({ error: transportFailure(error) });
          if (number < retries && isRetryableTransportError(error)) {
            if (await this.pause(backoffDelay(number, this.resilience), scope)) {
              this.telemetry.retry(operationId, transportFailure(error));
              continue;
            }
          }
          throw unavailable(error, timeoutMs);
        }
      }
      attempt.end({ status: answer.status });
      if (number < retries && RETRYABLE_STATUSES.has(answer.status)) {
        const wait = retryAfterMs(answer.headers['retry-after']) ?? backoffDelay(number, this.resilience);
        if (await this.pause(wait, scope)) {
          this.telemetry.retry(operationId, String(answer.status));
          continue;
        }
      }
      return interpret(answer);
    }
  }

  /**
   * Waits before a retry when the wait is allowed and fits what is left of
   * the request's time (measured now, after the attempt); false when a retry
   * is not worth it, and the answer at hand is returned instead.
   */
  private async pause(ms: number, scope: CallScope): Promise<boolean> {
    if (ms > this.resilience.retryMaxDelayMs || ms >= timeLeft(scope)) return false;
    try {
      await sleep(ms, scope.signal);
      return true;
    } catch {
      return false;
    }
  }
}

/** What is left of a request's time, in ms. */
function timeLeft(scope: CallScope): number {
  return (scope.deadline ?? Number.POSITIVE_INFINITY) - Date.now();
}

/** The JSON of a REST answer, or the contract's error for it. */
function interpret({ status, text, headers }: Answer): { status: number; body: unknown } {
  if (status >= 400) throw restError(status, text, headers);
  if (status === 204 || status === 205 || text === '') return { status, body: undefined };
  try {
    return { status, body: JSON.parse(text) };
  } catch {
    throw new GatewayError('UPSTREAM_ERROR', 'GitBook API sent an answer that is not JSON.', status);
  }
}

/**
 * Every operation in scope requires a token: a call without one would only
 * be answered 401, counted against the gateway's own address.
 */
function unauthenticated(): GatewayError {
  return new GatewayError(
    'UNAUTHENTICATED',
    'GitBook API needs the caller’s token: send `Authorization: Bearer <token>`.',
  );
}

/** What went wrong with an attempt that got no answer, as a bounded label. */
function transportFailure(error: unknown): 'timeout' | 'unreachable' | 'circuit-open' | 'cancelled' {
  const { name, code } = (error ?? {}) as { name?: string; code?: string };
  if (code === 'EOPENBREAKER') return 'circuit-open';
  if (error instanceof CallerGaveUp || name === 'AbortError') return 'cancelled';
  if (
    error instanceof CallTimedOut ||
    name === 'TimeoutError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT'
  ) {
    return 'timeout';
  }
  return 'unreachable';
}

function unavailable(error: unknown, timeoutMs: number): GatewayError {
  const name = (error as { name?: string; code?: string } | null)?.name;
  const code = (error as { code?: string } | null)?.code;
  // Never echo the error itself: its message can hold the upstream's address.
  if (code === 'EOPENBREAKER') {
    return new GatewayError(
      'UPSTREAM_UNAVAILABLE',
      'GitBook API has been failing: the gateway pauses its calls for a few seconds before trying again.',
    );
  }
  if (error instanceof CallerGaveUp) return new GatewayError('UPSTREAM_UNAVAILABLE', error.message);
  if (error instanceof CallTimedOut) return new GatewayError('UPSTREAM_UNAVAILABLE', error.message);
  const timedOut =
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT';
  const message = timedOut ? `GitBook API did not answer within ${timeoutMs} ms.` : 'GitBook API is unreachable.';
  return new GatewayError('UPSTREAM_UNAVAILABLE', message);
}

function restError(status: number, text: string, headers: Answer['headers']): GatewayError {
  let message: string | undefined;
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof parsed?.error?.message === 'string') message = parsed.error.message;
  } catch {
    // Not the spec's error shape (a proxy page, say): fall back to the status.
  }
  const retryAfter = status === 429 ? retryAfterMs(headers['retry-after']) : undefined;
  return fromRestStatus(
    status,
    message ?? `GitBook API answered HTTP ${status}.`,
    // Tells a rate-limited client when to come back.
    retryAfter === undefined ? undefined : { retryAfter: Math.ceil(retryAfter / 1000) },
  );
}

/** One REST read: what a GET asks, and what its answer must look like. */
interface RestRead {
  operationId: OperationId;
  shape: Shape;
  /** Path and query string: the read's identity, and its cache key. */
  target: string;
}

/**
 * The per-request face of the upstream, bound to the caller's Authorization.
 * Its reads go through one DataLoader, the request's only cache: keyed by
 * REST read (path and query), primed by lists (a listed item is what its
 * lookup answers), emptied after every write and once the operation has run.
 * Writes are always sent, once, and never cached.
 */
export class RestClient {
  private readonly reads: DataLoader<RestRead, unknown, string>;
  /** What lists learnt, recorded into the loader on the next read: most lists are never followed by a lookup. */
  private readonly unrecorded: (() => void)[] = [];
  /** Whether the caller sent a bearer token: without one, no call is made. */
  readonly authenticated: boolean;

  constructor(
    private readonly upstream: Upstream,
    private readonly authorization: string | undefined,
    private readonly scope: CallScope,
  ) {
    this.authenticated = isBearer(authorization);
    this.reads = new DataLoader((reads) => this.sendReads(reads), { cacheKeyFn: (read) => read.target });
  }

  /**
   * The reads of one tick, sent at once. Each key settles with its own
   * answer, not with the batch: REST has no batch endpoint, and a fast answer
   * must not wait for a slow one.
   */
  private sendReads(reads: readonly RestRead[]): Promise<unknown[]> {
    return Promise.resolve(
      reads.map((read) => {
        if (!this.authenticated) return Promise.reject(unauthenticated());
        return this.upstream
          .call({ operationId: read.operationId, method: 'GET', target: read.target }, this.authorization, this.scope)
          .then(
            ({ body }) => checkShape(body, read.shape, 200),
            (error: unknown) => {
              // A failed GET is not remembered: asked again, it is tried again.
              this.reads.clear(read);
              throw error;
            },
          );
      }),
    );
  }

  /** A GET, made at most once per request; not an async function, so a hundred in flight hold no frames. */
  get<T>(operationId: OperationId, shape: Shape, path: string, query?: Query): Promise<T> {
    try {
      if (this.unrecorded.length > 0) for (const record of this.unrecorded.splice(0)) record();
      return this.reads.load({ operationId, shape, target: path + queryString(query) }) as Promise<T>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** A GET made again, whatever the cache holds for it (a list's partial answer). */
  reload<T>(operationId: OperationId, shape: Shape, path: string, query?: Query): Promise<T> {
    try {
      this.reads.clear({ target: path + queryString(query) } as RestRead);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.get<T>(operationId, shape, path, query);
  }

  /**
   * Lets go of every answer once the operation has run: whatever still holds
   * this client (the response pipeline, a pending log line, a context-keyed
   * WeakMap, which V8's young-generation GC keeps until a full GC) would
   * otherwise keep the answers alive, copied and promoted at every minor GC.
   */
  release(): void {
    this.reads.clearAll();
    this.unrecorded.length = 0;
  }

  /** Records an answer a GET would give, learnt from another call, so that GET costs nothing. */
  prime(path: string, query: Query | undefined, value: unknown): void {
    // Only the target keys the cache; a primed read is never sent.
    this.reads.prime({ target: path + queryString(query) } as RestRead, value);
  }

  /** Primes on the next read, if there is one: most lists are never followed by a lookup. */
  primeLater(record: () => void): void {
    this.unrecorded.push(record);
  }

  /**
   * A write: sent once, never cached. Every answer read before it may now be
   * stale, so they are all forgotten once it is done (or has failed: a failed
   * write may still have changed something).
   */
  async send<T>(
    operationId: OperationId,
    method: Exclude<RestMethod, 'GET'>,
    path: string,
    options: { query?: Query; body?: unknown; shape?: Shape } = {},
  ): Promise<T> {
    const { status, body } = await this.write(operationId, method, path, options);
    return options.shape ? checkShape<T>(body, options.shape, status) : (body as T);
  }

  /**
   * A DELETE. GitBook answers 205 when it deleted something and 204 when
   * there was nothing to delete; this says which.
   */
  async delete(operationId: OperationId, path: string): Promise<boolean> {
    return (await this.write(operationId, 'DELETE', path, {})).status !== 204;
  }

  private async write(
    operationId: OperationId,
    method: Exclude<RestMethod, 'GET'>,
    path: string,
    options: { query?: Query; body?: unknown },
  ): Promise<{ status: number; body: unknown }> {
    if (!this.authenticated) throw unauthenticated();
    try {
      const target = path + queryString(options.query);
      return await this.upstream.call(
        { operationId, method, target, body: options.body },
        this.authorization,
        this.scope,
      );
    } finally {
      this.release();
    }
  }
}
