import DataLoader from 'dataloader';
import { Pool } from 'undici';
import { GatewayError, badUserInput, fromRestStatus } from '../errors.js';

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
}

const USER_AGENT = 'gitbook-integrations-graphql';

/**
 * Builds a REST path from a template, percent-encoding every interpolated
 * segment so an identifier can never change the route it is sent to.
 */
export function restPath(strings: TemplateStringsArray, ...segments: string[]): string {
  let path = strings[0] ?? '';
  segments.forEach((segment, index) => {
    if (segment === '') throw badUserInput('An identifier must not be empty.');
    // encodeURIComponent leaves dots alone, and a `..` segment would walk up the path.
    if (segment === '.' || segment === '..') throw badUserInput(`"${segment}" is not an identifier.`);
    path += encodeURIComponent(segment) + (strings[index + 1] ?? '');
  });
  return path;
}

export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    params.append(key, String(value));
  }
  const encoded = params.toString();
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
    throw new GatewayError('UPSTREAM_ERROR', `GitBook API sent an answer that is not the ${shape} it documents.`, status);
  }
  return body as T;
}

export class Upstream {
  readonly origin: string;
  private readonly basePath: string;
  private readonly pool: Pool;
  private readonly timeoutMs: number;

  constructor(options: UpstreamOptions) {
    const url = new URL(options.baseUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs;
    this.pool = new Pool(this.origin, {
      connections: options.connections,
      // Keep sockets warm between bursts of GraphQL requests.
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 60_000,
    });
  }

  /** A client for one GraphQL request, forwarding its caller's header as is. */
  client(authorization: string | undefined): RestClient {
    return new RestClient(this, authorization);
  }

  /** True when the upstream answers HTTP at all (any status below 500). */
  async isReachable(): Promise<boolean> {
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

  close(): Promise<void> {
    return this.pool.close();
  }

  /** @internal Sends one REST call; used by RestClient only. */
  async call(
    method: string,
    pathAndQuery: string,
    authorization: string | undefined,
    body: unknown,
  ): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': USER_AGENT,
    };
    if (authorization !== undefined) headers.authorization = authorization;
    if (body !== undefined) headers['content-type'] = 'application/json';

    let status: number;
    let text: string;
    try {
      const response = await this.pool.request({
        method: method as 'GET',
        path: this.basePath + pathAndQuery,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      throw unavailable(error, this.timeoutMs);
    }

    if (status >= 400) throw restError(status, text);
    if (status === 204 || status === 205 || text === '') return { status, body: undefined };
    try {
      return { status, body: JSON.parse(text) };
    } catch {
      throw new GatewayError('UPSTREAM_ERROR', 'GitBook API sent an answer that is not JSON.', status);
    }
  }
}

function unavailable(error: unknown, timeoutMs: number): GatewayError {
  const name = (error as { name?: string } | null)?.name;
  // Never echo the error itself: its message can hold the upstream's address.
  const message =
    name === 'TimeoutError' || name === 'AbortError'
      ? `GitBook API did not answer within ${timeoutMs} ms.`
      : 'GitBook API is unreachable.';
  return new GatewayError('UPSTREAM_UNAVAILABLE', message);
}

function restError(status: number, text: string): GatewayError {
  let message: string | undefined;
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof parsed?.error?.message === 'string') message = parsed.error.message;
  } catch {
    // Not the spec's error shape (a proxy page, say): fall back to the status.
  }
  return fromRestStatus(status, message ?? `GitBook API answered HTTP ${status}.`);
}

/**
 * The per-request face of the upstream. Identical GETs share one call for the
 * life of the request; writes are always sent, once, and never cached.
 */
export class RestClient {
  private readonly gets: DataLoader<string, unknown>;

  constructor(
    private readonly upstream: Upstream,
    private readonly authorization: string | undefined,
  ) {
    // REST has no batch endpoints, so a batch would only make fast answers
    // wait for slow ones: each key is fetched on its own, and cached.
    this.gets = new DataLoader(
      async ([key]) => [(await this.upstream.call('GET', key as string, this.authorization, undefined)).body],
      { batch: false },
    );
  }

  async get<T>(shape: Shape, path: string, query?: Query): Promise<T> {
    return checkShape<T>(await this.gets.load(path + queryString(query)), shape, 200);
  }

  /**
   * Records an answer a GET would give, learnt from another call (a list item
   * is the same object its lookup returns), so that lookup costs no call.
   */
  prime(path: string, query: Query | undefined, value: unknown): void {
    this.gets.prime(path + queryString(query), value);
  }

  /**
   * A write: sent once, never cached. Every answer read before it may now be
   * stale, so they are all forgotten once it is done (or has failed: a failed
   * write may still have changed something).
   */
  async send<T>(
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    options: { query?: Query; body?: unknown; shape?: Shape } = {},
  ): Promise<T> {
    const { status, body } = await this.write(method, path, options);
    return options.shape ? checkShape<T>(body, options.shape, status) : (body as T);
  }

  /**
   * A DELETE. GitBook answers 205 when it deleted something and 204 when
   * there was nothing to delete; this says which.
   */
  async delete(path: string): Promise<boolean> {
    return (await this.write('DELETE', path, {})).status !== 204;
  }

  private async write(
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    options: { query?: Query; body?: unknown },
  ): Promise<{ status: number; body: unknown }> {
    try {
      return await this.upstream.call(method, path + queryString(options.query), this.authorization, options.body);
    } finally {
      this.gets.clearAll();
    }
  }
}
