/**
 * The HTTP face of the simulator: plain node:http (keep-alive), one request at a time through
 * route → (fault?) → auth → spec validation → handler, and every answer leaves through `send`, the
 * single place where responses are produced (latency, injected faults, response validation and
 * recording live there). A fault is picked on arrival, after routing and before the handler, so
 * that a request failed "in front of" the API never touches the state.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { ApiError, badRequest, unauthorized } from './errors.js';
import {
  type AppliedFault,
  type FaultInjector,
  type FaultName,
  faultResponse,
  JSON_TYPE,
  placeholderBody,
} from './faults.js';
import { handlers, type OperationResult } from './operations.js';
import { checkResponse, matchRoute, type Operation, parsePathParameters, parseQuery, validateBody } from './spec.js';
import type { SimulatorStore } from './store.js';

export interface RecordedRequest {
  method: string;
  /** Pathname after the `/v1` prefix, exactly as received (still percent-encoded). */
  path: string;
  /** Raw query string without `?`, exactly as received ('' if none). */
  search: string;
  /** Decoded query parameters. */
  query: Record<string, string>;
  /** Lower-cased request headers. */
  headers: Record<string, string>;
  authorization: string | undefined;
  /** Parsed JSON body, or undefined (no body, or not JSON). */
  body: unknown;
  /** The matched operation; undefined when no route matched. */
  operationId: string | undefined;
  /**
   * The status answered (for `truncated`, the status line sent before the body was cut); 0 when
   * no answer was sent: `reset`, a `hang` not released, or the simulator closed first.
   */
  status: number;
  /** performance.now() when received. */
  startedAt: number;
  /** performance.now() when the response was finished or the connection dropped; 0 while pending. */
  endedAt: number;
  /** The injected fault that hit this request; absent when none did. */
  fault?: FaultName;
}

export interface ServerSettings {
  latencyMs: number;
  validateResponses: boolean;
  recordRequests: boolean;
}

const PREFIX = '/v1';
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The simulator's own admin route, outside GitBook's API (and not recorded
 * among its requests): `POST /__simulator/integrations/{name}/events` with
 * `{"count": n, "installationId": "…"}` (both optional) records n new events
 * of the integration, as live traffic would, and answers them oldest first.
 */
const ADMIN_EVENTS = /^\/__simulator\/integrations\/([^/]+)\/events$/;
const MAX_RECORDED_EVENTS = 1_000;

function recordEventsRoute(
  store: SimulatorStore,
  method: string,
  name: string,
  parsed: { ok: true; value: unknown } | { ok: false; error: string },
  res: ServerResponse,
): void {
  const answer = (status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  if (method !== 'POST') {
    answer(405, { error: 'POST records events' });
    return;
  }
  if (!parsed.ok) {
    answer(400, { error: `The body must be JSON: ${parsed.error}` });
    return;
  }
  const body = (parsed.ok && parsed.value && typeof parsed.value === 'object' ? parsed.value : {}) as {
    count?: unknown;
    installationId?: unknown;
  };
  const count = body.count === undefined ? 1 : body.count;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_RECORDED_EVENTS) {
    answer(400, { error: `count must be a whole number from 1 to ${MAX_RECORDED_EVENTS}` });
    return;
  }
  if (body.installationId !== undefined && typeof body.installationId !== 'string') {
    answer(400, { error: 'installationId must be a string' });
    return;
  }
  try {
    answer(201, { events: store.recordEvents(name, count, body.installationId) });
  } catch (error) {
    answer(404, { error: (error as Error).message });
  }
}

export function createSimulatorServer(
  store: SimulatorStore,
  settings: ServerSettings,
  requests: RecordedRequest[],
  faults: FaultInjector,
): http.Server {
  const server = http.createServer({ keepAlive: true }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      // Only a broken socket gets here: handle() answers every other failure itself.
      res.destroy(error instanceof Error ? error : undefined);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = performance.now();
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const pathname = q === -1 ? target : target.slice(0, q);
    const search = q === -1 ? '' : target.slice(q + 1);
    const raw = await readBody(req);
    const parsed = raw ? parseJson(raw) : ({ ok: false, error: 'too large' } as const);
    const admin = ADMIN_EVENTS.exec(pathname);
    if (admin) {
      let name: string;
      try {
        name = decodeURIComponent(admin[1] ?? '');
      } catch {
        res
          .writeHead(400, { 'content-type': 'application/json' })
          .end('{"error":"The integration name is not a valid URI component"}');
        return;
      }
      recordEventsRoute(store, method, name, parsed, res);
      return;
    }
    const headers = flattenHeaders(req.headers);
    const record: RecordedRequest = {
      method,
      path: pathname.startsWith(PREFIX) ? pathname.slice(PREFIX.length) : pathname,
      search,
      query: Object.fromEntries(new URLSearchParams(search)),
      headers,
      authorization: headers.authorization,
      body: parsed.ok ? parsed.value : undefined,
      operationId: undefined,
      status: 0,
      startedAt,
      endedAt: 0,
    };
    if (settings.recordRequests) requests.push(record);

    const match = pathname.startsWith(`${PREFIX}/`) ? matchRoute(method, record.path) : undefined;
    if (match?.kind === 'found') record.operationId = match.operation.id;
    const fault = faults.rules.length === 0 ? undefined : faults.pick(method, record.path, record.operationId);
    if (fault) {
      record.fault = fault.fault.kind;
      // Failed before the handler: nothing runs; truncated/malformed writes get a stand-in body.
      if (!fault.runsHandler) {
        return send(res, record, undefined, { status: 200, body: placeholderBody(fault.fault.kind) }, fault);
      }
    }

    let operation: Operation | undefined;
    let result: OperationResult;
    try {
      if (!match) throw new ApiError(404, `No route for ${method} ${pathname}: the API lives under ${PREFIX}`);
      if (match.kind === 'not-found') throw new ApiError(404, `No route for ${method} ${pathname}`);
      if (match.kind === 'method-not-allowed') {
        result = {
          status: 405,
          body: errorBody(405, `Method ${method} is not allowed on ${pathname} (allowed: ${match.allow.join(', ')})`),
          headers: { Allow: match.allow.join(', ') },
        };
      } else {
        operation = match.operation;
        const viewer = authenticate(store, headers.authorization);
        const params = parsePathParameters(operation, match.rawParams);
        const query = parseQuery(operation, search);
        if (!raw) throw new ApiError(413, `Request body exceeds ${MAX_BODY_BYTES} bytes`);
        if (raw.length > 0 && !isJson(headers['content-type']))
          throw badRequest('Request body must be sent as Content-Type: application/json');
        if (!parsed.ok) throw badRequest(`Request body is not valid JSON: ${parsed.error}`);
        validateBody(operation, parsed.value);
        result = handlers[operation.id]({ store, viewer, params, query, body: parsed.value });
      }
    } catch (error) {
      result = failure(error, method, pathname);
    }
    await send(res, record, operation, result, fault);
  }

  /** The one place a response is produced. */
  async function send(
    res: ServerResponse,
    record: RecordedRequest,
    operation: Operation | undefined,
    result: OperationResult,
    fault?: AppliedFault,
  ): Promise<void> {
    if (fault?.fault.kind === 'hang') {
      faults.hold(
        res,
        fault,
        (status) => {
          record.status = status;
          record.endedAt = performance.now();
        },
        () => {
          record.endedAt ||= performance.now();
        },
      );
      return;
    }
    const delay = settings.latencyMs + (fault?.fault.kind === 'latency' ? fault.fault.ms : 0);
    if (delay > 0) {
      await faults.sleep(delay);
      if (res.destroyed) {
        // The client gave up while the answer was delayed: nothing is sent (status stays 0).
        record.endedAt = performance.now();
        return;
      }
    }
    if (fault) {
      const { fault: kind } = fault;
      if (kind.kind === 'reset') {
        // RST rather than FIN: the client sees ECONNRESET, not a clean end of stream.
        if (!res.socket?.destroyed) res.socket?.resetAndDestroy();
        record.endedAt = performance.now();
        return;
      }
      if (kind.kind === 'status' || kind.kind === 'rate-limit') {
        const answer = faultResponse(kind);
        if (answer.payload !== undefined) answer.headers['Content-Length'] = Buffer.byteLength(answer.payload);
        res.writeHead(answer.status, answer.headers);
        res.end(answer.payload);
        record.status = answer.status;
        record.endedAt = performance.now();
        return;
      }
    }
    let { status, body, headers = {} } = result;
    if (settings.validateResponses && (!fault || fault.runsHandler)) {
      const problem = checkResponse(operation, status, body);
      if (problem) {
        status = 500;
        body = errorBody(500, `simulator response does not match spec: ${problem}`);
        headers = {};
      }
    }
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const kind = fault?.fault.kind;
    if (kind === 'truncated' || kind === 'malformed') {
      // The answer (or, when it has no body, a stand-in with 200) cut to its first half: sent with
      // the whole length and the connection closed (truncated), or framed as is (malformed).
      if (payload === undefined) {
        status = 200;
        headers = {};
      }
      const bytes = Buffer.from(payload ?? JSON.stringify(placeholderBody(kind)));
      const half = bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2)));
      res.writeHead(status, {
        ...headers,
        'Content-Type': JSON_TYPE,
        'Content-Length': kind === 'truncated' ? bytes.length : half.length,
      });
      record.status = status;
      if (kind === 'malformed') {
        res.end(half);
        record.endedAt = performance.now();
      } else {
        res.write(half, () => {
          res.destroy();
          record.endedAt = performance.now();
        });
      }
      return;
    }
    if (payload !== undefined) {
      res.writeHead(status, {
        ...headers,
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(payload),
      });
    } else {
      // 204 must not carry Content-Length; 205 must say its content is empty.
      res.writeHead(status, status === 204 ? headers : { ...headers, 'Content-Length': 0 });
    }
    res.end(payload);
    record.status = status;
    record.endedAt = performance.now();
  }

  return server;
}

function authenticate(store: SimulatorStore, header: string | undefined) {
  if (!header) throw unauthorized('Missing Authorization header: send "Authorization: Bearer <token>"');
  const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  if (!token) throw unauthorized('Malformed Authorization header: expected "Bearer <token>"');
  const viewer = store.users.get(token);
  if (!viewer) throw unauthorized('Invalid or expired access token');
  return viewer;
}

function failure(error: unknown, method: string, pathname: string): OperationResult {
  if (error instanceof ApiError) {
    return {
      status: error.status,
      body: errorBody(error.status, error.message),
      ...(error.status === 401 ? { headers: { 'WWW-Authenticate': 'Bearer realm="GitBook API"' } } : {}),
    };
  }
  console.error(`[simulator] ${method} ${pathname} failed:`, error);
  return {
    status: 500,
    body: errorBody(500, `Internal simulator error: ${error instanceof Error ? error.message : String(error)}`),
  };
}

const errorBody = (code: number, message: string) => ({ error: { code, message } });

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType);
}

function flattenHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

function parseJson(raw: Buffer): Parsed {
  if (raw.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** The whole body, or undefined when it is too large to be a sensible API request. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES) return undefined;
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
}
