/**
 * Fault injection: rules a test switches on to make the simulator fail on demand, the way a real
 * upstream or the proxies in front of it do (5xx, 429, reset connections, cut or garbled bodies,
 * slow or missing answers). Deterministic: `times` counts exactly, `rate` draws from a seeded
 * PRNG per rule. The server consults `FaultInjector.pick` only when a rule is armed, so the
 * fast path without rules costs one length check.
 */
import type { ServerResponse } from 'node:http';
import { createRng, hashString, type Rng } from './random.js';
import { type OperationId, SIMULATED_OPERATIONS } from './spec.js';

export type FaultKind =
  /** Delay this answer by `ms` (on top of the global latency); the handler runs on arrival. */
  | { kind: 'latency'; ms: number }
  /**
   * Answer `status` (a 4xx or 5xx, typically 500/502/503/504) without running the handler.
   * `body`: 'json' (default) GitBook's error shape, 'html' a proxy's HTML page, 'empty' nothing.
   * `retryAfterSeconds` adds a `Retry-After` header (delta-seconds).
   */
  | { kind: 'status'; status: number; body?: 'json' | 'html' | 'empty'; retryAfterSeconds?: number }
  /**
   * 429 in GitBook's error shape without running the handler. `Retry-After` carries
   * `retryAfterSeconds` (default 1) as delta-seconds ('seconds', default), as an HTTP date at least
   * that far in the future ('date'), or is left out ('none').
   */
  | { kind: 'rate-limit'; retryAfterSeconds?: number; retryAfter?: 'seconds' | 'date' | 'none' }
  /** Close the connection with a TCP RST without answering: ECONNRESET on the client. */
  | { kind: 'reset' }
  /**
   * The answer's status and headers with `Content-Length` of the whole JSON body, then half of
   * the body and the connection closed: the client fails while reading the body.
   */
  | { kind: 'truncated' }
  /** The answer's status, JSON content type and a correctly framed body that is not JSON. */
  | { kind: 'malformed' }
  /** Never answer, until the client gives up, the rule is removed, faults are cleared or the simulator closes. */
  | { kind: 'hang' };

export type FaultName = FaultKind['kind'];

export interface FaultMatch {
  /** HTTP method, case-insensitive. */
  method?: string;
  /**
   * The path after `/v1`, as received (still percent-encoded): a string is a plain prefix
   * (`'/integrations/slack'` also matches `/integrations/slack-bot`), a RegExp is searched.
   */
  path?: string | RegExp;
  /** The operation the request routes to. */
  operationId?: OperationId;
}

export interface FaultRule {
  fault: FaultKind;
  /** Which requests; every criterion given must hold. All requests when absent. */
  match?: FaultMatch;
  /** Apply to the next `times` requests it selects, then retire (default: until removed or cleared). */
  times?: number;
  /** Apply to this share (0..1) of the matching requests, drawn from the rule's seeded PRNG. */
  rate?: number;
  /**
   * Seed of this rule's PRNG. Default: derived from the simulator seed and the rule's content (and
   * how many identical rules came before it since the last clear), so other rules do not shift it.
   */
  seed?: number;
  /**
   * Run the handler before failing, so that a write takes effect although its answer is replaced
   * or lost ("committed, but the client never learned"). Default false. Reads, and `latency`,
   * always run the handler; `truncated` and `malformed` cut or garble its answer.
   */
  commit?: boolean;
}

export interface FaultHandle {
  readonly rule: Readonly<FaultRule>;
  /** How many requests the rule matched (before `rate` and `times`). */
  readonly matched: number;
  /** How many requests it failed. */
  readonly applied: number;
  /** False once retired (`times` reached), removed or cleared. */
  readonly active: boolean;
  /** Retire the rule now; responses it holds hanging are released with a 503. */
  remove(): void;
}

/** The fault chosen for one request. */
export interface AppliedFault {
  fault: FaultKind;
  /** Whether the handler runs (and so a write takes effect). */
  runsHandler: boolean;
  rule: ActiveRule;
}

interface ActiveRule {
  rule: FaultRule;
  method: string | undefined;
  rng: Rng;
  remaining: number;
  matched: number;
  applied: number;
  active: boolean;
}

interface Hung {
  res: ServerResponse;
  rule: ActiveRule;
  onRelease: (status: number) => void;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const KINDS: readonly FaultName[] = ['latency', 'status', 'rate-limit', 'reset', 'truncated', 'malformed', 'hang'];
const OPERATIONS: ReadonlySet<string> = new Set(SIMULATED_OPERATIONS);

export class FaultInjector {
  /** Armed rules, in injection order; retired ones leave the list. */
  rules: ActiveRule[] = [];
  /** How many rules of each description were injected since the last clear (seeds the next one). */
  private injected = new Map<string, number>();
  private readonly hung = new Set<Hung>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly seed: number) {}

  add(rule: FaultRule): FaultHandle {
    checkRule(rule);
    const key = describeRule(rule);
    const occurrence = this.injected.get(key) ?? 0;
    this.injected.set(key, occurrence + 1);
    const active: ActiveRule = {
      rule: freeze(rule),
      method: rule.match?.method?.toUpperCase(),
      rng: createRng(rule.seed ?? hashString(`faults:${this.seed}:${occurrence}:${key}`)),
      remaining: rule.times ?? Infinity,
      matched: 0,
      applied: 0,
      active: true,
    };
    this.rules.push(active);
    return {
      rule: active.rule,
      get matched() {
        return active.matched;
      },
      get applied() {
        return active.applied;
      },
      get active() {
        return active.active;
      },
      remove: () => {
        this.retire(active);
        this.release((entry) => entry.rule === active);
      },
    };
  }

  /** The first rule that applies to this request, counted; undefined when none does. */
  pick(method: string, path: string, operationId: string | undefined): AppliedFault | undefined {
    for (const active of this.rules) {
      const { rule } = active;
      if (active.method !== undefined && active.method !== method) continue;
      const match = rule.match;
      if (match?.operationId !== undefined && match.operationId !== operationId) continue;
      if (match?.path !== undefined) {
        if (typeof match.path === 'string' ? !path.startsWith(match.path) : path.search(match.path) === -1) continue;
      }
      active.matched++;
      if (rule.rate !== undefined && !(active.rng.next() < rule.rate)) continue;
      active.applied++;
      if (--active.remaining <= 0) this.retire(active);
      const { kind } = rule.fault;
      const runsHandler =
        kind === 'latency' ||
        rule.commit === true ||
        ((kind === 'truncated' || kind === 'malformed') && SAFE_METHODS.has(method));
      return { fault: rule.fault, runsHandler, rule: active };
    }
    return undefined;
  }

  /** Holds a response unanswered until released (503) or destroyed. */
  hold(res: ServerResponse, applied: AppliedFault, onRelease: (status: number) => void, onClose: () => void): void {
    const entry: Hung = { res, rule: applied.rule, onRelease };
    this.hung.add(entry);
    res.once('close', () => {
      this.hung.delete(entry);
      onClose();
    });
  }

  /** Forget every rule (the PRNGs restart with the next injections) and release hung responses with a 503. */
  clear(): void {
    for (const active of this.rules) active.active = false;
    this.rules = [];
    this.injected.clear();
    this.release(() => true);
  }

  /** For close(): clear, destroy hung responses instead of answering them, cancel pending delays. */
  shutdown(): void {
    for (const active of this.rules) active.active = false;
    this.rules = [];
    this.injected.clear();
    for (const entry of this.hung) entry.res.destroy();
    this.hung.clear();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** A delay that close() cancels (the response is then never sent: its socket is gone). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private retire(active: ActiveRule): void {
    active.active = false;
    const index = this.rules.indexOf(active);
    if (index !== -1) this.rules.splice(index, 1);
  }

  private release(which: (entry: Hung) => boolean): void {
    for (const entry of [...this.hung]) {
      if (!which(entry)) continue;
      this.hung.delete(entry);
      const { res } = entry;
      if (res.destroyed || res.headersSent) continue;
      const payload = JSON.stringify(faultErrorBody(503, 'Service unavailable: a hung request was released'));
      res.writeHead(503, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(payload) });
      res.end(payload);
      entry.onRelease(503);
    }
  }
}

export const JSON_TYPE = 'application/json; charset=utf-8';

export const faultErrorBody = (code: number, message: string) => ({ error: { code, message } });

/** A stand-in body for truncated/malformed answers when the handler did not run or said nothing. */
export function placeholderBody(kind: FaultName): unknown {
  return { fault: kind, message: 'The simulator replaced this answer with an injected fault.' };
}

export interface FaultResponse {
  status: number;
  headers: Record<string, string | number>;
  payload: string | undefined;
}

/** The answer of a `status` or `rate-limit` fault. */
export function faultResponse(fault: Extract<FaultKind, { kind: 'status' | 'rate-limit' }>): FaultResponse {
  if (fault.kind === 'rate-limit') {
    const seconds = fault.retryAfterSeconds ?? 1;
    const headers: Record<string, string> = {};
    if (fault.retryAfter === 'date') headers['Retry-After'] = httpDateIn(seconds);
    else if (fault.retryAfter !== 'none') headers['Retry-After'] = String(seconds);
    return json(429, 'Too many requests: rate limit exceeded, retry later', headers);
  }
  const headers: Record<string, string> = {};
  if (fault.retryAfterSeconds !== undefined) headers['Retry-After'] = String(fault.retryAfterSeconds);
  const reason = REASONS[fault.status] ?? 'Error';
  switch (fault.body ?? 'json') {
    case 'html': {
      const title = `${fault.status} ${reason}`;
      const payload = `<!DOCTYPE html>\n<html>\n<head><title>${title}</title></head>\n<body>\n<center><h1>${title}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n`;
      return { status: fault.status, headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8' }, payload };
    }
    case 'empty':
      return { status: fault.status, headers: { ...headers, 'Content-Length': 0 }, payload: undefined };
    default:
      return json(fault.status, `${reason} (injected fault)`, headers);
  }
}

function json(status: number, message: string, headers: Record<string, string>): FaultResponse {
  return {
    status,
    headers: { ...headers, 'Content-Type': JSON_TYPE },
    payload: JSON.stringify(faultErrorBody(status, message)),
  };
}

/** An HTTP date (1 s resolution) no earlier than `seconds` from now. */
function httpDateIn(seconds: number): string {
  return new Date(Math.ceil(Date.now() / 1000) * 1000 + seconds * 1000).toUTCString();
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** A rule's identity for seeding: its content, RegExps by their source and flags. */
function describeRule(rule: FaultRule): string {
  return JSON.stringify(rule, (_key, value: unknown) => (value instanceof RegExp ? String(value) : value));
}

function freeze(rule: FaultRule): Readonly<FaultRule> {
  return Object.freeze({
    ...rule,
    fault: Object.freeze({ ...rule.fault }),
    ...(rule.match ? { match: Object.freeze({ ...rule.match }) } : {}),
  });
}

/** Refuses rules that would silently never do what the test means. */
function checkRule(rule: FaultRule): void {
  const fail: (message: string) => never = (message) => {
    throw new TypeError(`injectFault: ${message}`);
  };
  const fault = rule?.fault as FaultKind | undefined;
  if (!fault || !KINDS.includes(fault.kind)) fail(`fault.kind must be one of ${KINDS.join(', ')}`);
  const seconds = (value: unknown, name: string) => {
    if (value !== undefined && !(Number.isInteger(value) && (value as number) >= 0))
      fail(`${name} must be a non-negative integer (seconds)`);
  };
  switch (fault.kind) {
    case 'latency':
      if (!(Number.isFinite(fault.ms) && fault.ms >= 0)) fail('latency ms must be a finite number ≥ 0');
      break;
    case 'status':
      if (!(Number.isInteger(fault.status) && fault.status >= 400 && fault.status <= 599))
        fail('status must be an integer in 400..599 (a 5xx, typically)');
      if (fault.body !== undefined && !['json', 'html', 'empty'].includes(fault.body))
        fail("status body must be 'json', 'html' or 'empty'");
      seconds(fault.retryAfterSeconds, 'retryAfterSeconds');
      break;
    case 'rate-limit':
      seconds(fault.retryAfterSeconds, 'retryAfterSeconds');
      if (fault.retryAfter !== undefined && !['seconds', 'date', 'none'].includes(fault.retryAfter))
        fail("retryAfter must be 'seconds', 'date' or 'none'");
      break;
  }
  if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times >= 1))
    fail('times must be a positive integer');
  if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1)) fail('rate must be in 0..1');
  if (rule.seed !== undefined && !Number.isInteger(rule.seed)) fail('seed must be an integer');
  const match = rule.match;
  if (match?.path !== undefined) {
    if (typeof match.path === 'string') {
      if (!match.path.startsWith('/')) fail('match.path must start with "/" (it is the path after /v1)');
      if (match.path === '/v1' || match.path.startsWith('/v1/'))
        fail('match.path is the path after /v1: leave the /v1 prefix out');
    } else if (!(match.path instanceof RegExp)) fail('match.path must be a string prefix or a RegExp');
  }
  if (match?.operationId !== undefined && !OPERATIONS.has(match.operationId))
    fail(`match.operationId ${JSON.stringify(match.operationId)} is not a simulated operation`);
}
