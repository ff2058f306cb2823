import type { IntegrationEvent } from '@gitbook/api';
import { GraphQLError } from 'graphql';
import { callerHash } from './caller.js';
import { GatewayError } from './errors.js';
import type { RestClient, Upstream } from './upstream/client.js';
import { listIntegrationEvents } from './upstream/events.js';

/**
 * Live integration events: GitBook's REST API only lists an integration's
 * events (newest first, paged), so the gateway polls the list for its
 * subscribers, with their own token, and hands each new event on once,
 * oldest first.
 *
 * - One poller per (token, integration), however many subscriptions share it.
 * - It polls every `minIntervalMs` while events arrive and backs off, doubling,
 *   to `maxIntervalMs` while none do; a 429's `Retry-After` is waited out.
 * - It follows REST pages until it meets an event it has seen, so none is
 *   missed when more arrive between two polls than fit in one page.
 * - It stops when its last subscriber leaves. Any other REST error ends
 *   every subscription of it with the error's code: an expired token must
 *   not poll for ever.
 */
export interface LiveEventsOptions {
  minIntervalMs: number;
  maxIntervalMs: number;
  /** Subscriptions one caller (token) may hold at once. */
  maxPerCaller: number;
  /** Subscriptions the gateway holds at once. */
  maxTotal: number;
  /** Items asked for per REST page. */
  pageSize: number;
  /** REST pages one poll may follow before it stops (and starts again from the newest). */
  maxPagesPerPoll: number;
  /** How long one REST call of a poll may take. */
  callTimeoutMs: number;
}

export const DEFAULT_LIVE_EVENTS: LiveEventsOptions = {
  minIntervalMs: 2_000,
  maxIntervalMs: 30_000,
  maxPerCaller: 10,
  maxTotal: 1_000,
  pageSize: 100,
  maxPagesPerPoll: 20,
  callTimeoutMs: 10_000,
};

/** What a subscriber receives: each new event, and a REST client for the fields read below it. */
export interface LiveEvent {
  integrationName: string;
  event: IntegrationEvent;
  rest: RestClient;
}

/** Ids remembered per poller to recognise events already delivered. */
const REMEMBERED_IDS = 5_000;

/**
 * Events a subscriber may leave unread: a client that stops reading (its
 * stream blocked) ends with an error past this, rather than grow the
 * gateway's memory for as long as events come.
 */
export const MAX_UNREAD_EVENTS = 1_000;

class Subscriber implements AsyncIterableIterator<LiveEvent> {
  private readonly queue: LiveEvent[] = [];
  private waiting: ((result: IteratorResult<LiveEvent>) => void) | undefined;
  private failWaiting: ((error: unknown) => void) | undefined;
  private failure: unknown;
  private done = false;

  constructor(private readonly leave: (subscriber: Subscriber) => void) {}

  push(event: LiveEvent): void {
    if (this.done || this.failure !== undefined) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      this.failWaiting = undefined;
      resolve({ value: event, done: false });
    } else if (this.queue.length >= MAX_UNREAD_EVENTS) {
      this.fail(
        new GatewayError(
          'RATE_LIMITED',
          `More than ${MAX_UNREAD_EVENTS} events were left unread: the subscription ends.`,
        ),
      );
    } else {
      this.queue.push(event);
    }
  }

  fail(error: unknown): void {
    if (this.done || this.failure !== undefined) return;
    this.failure = error;
    // What was not read goes, and the poller forgets this subscriber: the error is what it reads next.
    this.queue.length = 0;
    this.leaveOnce();
    if (this.failWaiting) {
      const reject = this.failWaiting;
      this.waiting = undefined;
      this.failWaiting = undefined;
      this.finish();
      reject(error);
    }
  }

  next(): Promise<IteratorResult<LiveEvent>> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve({ value: queued, done: false });
    if (this.failure !== undefined) {
      const error = this.failure;
      this.failure = undefined;
      this.finish();
      return Promise.reject(error);
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }

  return(): Promise<IteratorResult<LiveEvent>> {
    this.finish();
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
    this.failWaiting = undefined;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<LiveEvent> {
    return this;
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.queue.length = 0;
    this.leaveOnce();
  }

  private left = false;

  private leaveOnce(): void {
    if (this.left) return;
    this.left = true;
    this.leave(this);
  }
}

/**
 * How replicas share one poller per (token, integration) through Redis (see
 * live-events-redis.ts): the replica holding the lease polls REST and
 * publishes what it finds; the others deliver what is published. Absent
 * without REDIS_URL, and while Redis is down each replica polls for itself.
 */
export interface PollerSharing {
  /** True: this replica polls now (it holds or took the lease); false: another does; undefined: Redis is down. */
  lead(key: string): Promise<boolean | undefined>;
  release(key: string): Promise<void>;
  /** The newest event the last leader delivered, where a new leader starts from. */
  lastDelivered(key: string): Promise<string | undefined>;
  /** Hands the new events (newest first; the newest becomes `lastDelivered`) or the poll's failure to the other replicas. */
  publish(key: string, message: SharedPoll): Promise<void>;
  /** Records where "new" starts (the newest event when a poller first looked) without publishing anything. */
  mark(key: string, newestId: string): Promise<void>;
  /** Receives what the leader publishes for the key, until `unlisten`. */
  listen(key: string, receive: (message: SharedPoll) => void): void;
  unlisten(key: string): void;
}

/** What a leader publishes: new events (newest first), or the failure that ended its polling. */
export type SharedPoll =
  | { events: IntegrationEvent[] }
  | { error: { message: string; extensions: Record<string, unknown> } };

class Poller {
  readonly subscribers = new Set<Subscriber>();
  private readonly seen = new Set<string>();
  private intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();
  private stopped = false;
  /** Whether this replica polled REST at its last turn: a new leader starts where the last one left. */
  private leading = false;
  private polledOnce = false;

  constructor(
    private readonly upstream: Upstream,
    private readonly authorization: string,
    readonly key: string,
    readonly integrationName: string,
    private readonly options: LiveEventsOptions,
    private readonly sharing: PollerSharing | undefined,
    private readonly stats: { restPolls: number },
    private readonly onStop: (poller: Poller) => void,
  ) {
    this.intervalMs = options.minIntervalMs;
  }

  start(): void {
    this.sharing?.listen(this.key, (message) => this.receive(message));
    void this.turn();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort.abort();
    if (this.sharing) {
      this.sharing.unlisten(this.key);
      if (this.leading) void this.sharing.release(this.key);
    }
    this.onStop(this);
  }

  private client(): RestClient {
    // A client per poll: its per-request cache must not answer the next poll.
    return this.upstream.client(this.authorization, {
      signal: this.abort.signal,
      deadline: Date.now() + this.options.callTimeoutMs * this.options.maxPagesPerPoll,
    });
  }

  private deliver(fresh: readonly IntegrationEvent[]): void {
    // Oldest first, to every subscriber; its subscribers share one token, so one client per event.
    for (let index = fresh.length - 1; index >= 0; index -= 1) {
      const live = {
        integrationName: this.integrationName,
        event: fresh[index] as IntegrationEvent,
        rest: this.client(),
      };
      for (const subscriber of this.subscribers) subscriber.push(live);
    }
  }

  private failAll(error: unknown): void {
    for (const subscriber of [...this.subscribers]) subscriber.fail(error);
    this.stop();
  }

  /** What the leading replica found, when another replica leads. */
  private receive(message: SharedPoll): void {
    if (this.stopped || this.leading) return;
    if ('error' in message) {
      this.failAll(new GraphQLError(message.error.message, { extensions: message.error.extensions }));
      return;
    }
    const fresh = message.events.filter((event) => !this.seen.has(event.id));
    for (const event of fresh) this.remember(event.id);
    this.deliver(fresh);
  }

  /** One turn: poll REST if this replica leads (or Redis is down), else check the lease again later. */
  private async turn(): Promise<void> {
    if (this.stopped) return;
    const leads = this.sharing ? await this.sharing.lead(this.key) : true;
    if (this.stopped) return;
    if (leads === false) {
      this.leading = false;
      this.timer = setTimeout(() => void this.turn(), this.options.minIntervalMs);
      return;
    }
    // Taking over from another replica: start from what it delivered last.
    const from =
      leads === true && !this.leading && this.sharing ? await this.sharing.lastDelivered(this.key) : undefined;
    this.leading = leads === true;
    await this.poll(from);
  }

  /**
   * The first poll of a poller marks what exists as seen (subscribers get
   * what happens after they came), unless it takes over from `from`, the
   * newest event another replica delivered.
   */
  private async poll(from: string | undefined): Promise<void> {
    // A follower taking over without a marker starts from the newest event it was handed.
    const marking = !this.polledOnce && from === undefined && this.seen.size === 0;
    let waitMs = this.intervalMs;
    try {
      if (from !== undefined) this.remember(from);
      const fresh = await this.newEvents(this.client(), marking);
      this.stats.restPolls += 1;
      this.polledOnce = true;
      if (this.stopped) return;
      if (!marking) this.deliver(fresh);
      const newest = fresh[0];
      if (this.leading && this.sharing && newest) {
        if (marking) await this.sharing.mark(this.key, newest.id);
        else await this.sharing.publish(this.key, { events: fresh });
      }
      this.intervalMs =
        fresh.length > 0 && !marking
          ? this.options.minIntervalMs
          : Math.min(this.options.maxIntervalMs, this.intervalMs * (marking ? 1 : 2));
      waitMs = this.intervalMs;
    } catch (error) {
      if (this.stopped) return;
      const retryAfter = retryAfterMs(error);
      if (retryAfter === undefined) {
        if (this.leading && this.sharing && error instanceof GraphQLError) {
          await this.sharing.publish(this.key, {
            error: { message: error.message, extensions: { ...error.extensions } },
          });
        }
        this.failAll(error);
        return;
      }
      // Backs off as when nothing happens, at least as long as GitBook asks, and at most ten of
      // its longest waits (an absurd Retry-After would overflow setTimeout, which fires at once).
      this.intervalMs = Math.min(this.options.maxIntervalMs, this.intervalMs * 2);
      waitMs = Math.min(Math.max(retryAfter, this.intervalMs), 10 * this.options.maxIntervalMs);
    }
    this.timer = setTimeout(() => void this.turn(), waitMs);
  }

  /** The events not seen before, newest first, across as many pages as it takes. */
  private async newEvents(rest: RestClient, marking: boolean): Promise<IntegrationEvent[]> {
    const fresh: IntegrationEvent[] = [];
    let page: string | undefined;
    for (let pages = 0; pages < this.options.maxPagesPerPoll; pages += 1) {
      const answer = await listIntegrationEvents(rest, this.integrationName, {
        limit: this.options.pageSize,
        ...(page ? { page } : {}),
      });
      let metSeen = false;
      for (const event of answer.items) {
        if (this.seen.has(event.id)) {
          metSeen = true;
          break;
        }
        fresh.push(event);
      }
      // Marking needs one page only: it only says where "new" starts.
      if (metSeen || marking || !answer.next?.page) break;
      page = answer.next.page;
    }
    for (const event of fresh) this.remember(event.id);
    return fresh;
  }

  private remember(id: string): void {
    this.seen.add(id);
    if (this.seen.size > REMEMBERED_IDS) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
  }
}

function retryAfterMs(error: unknown): number | undefined {
  if (!(error instanceof GatewayError) || error.code !== 'RATE_LIMITED') return undefined;
  const seconds = error.extensions.retryAfter;
  return typeof seconds === 'number' ? seconds * 1000 : 0;
}

export class LiveEvents {
  private readonly pollers = new Map<string, Poller>();
  private readonly perCaller = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly upstream: Upstream,
    readonly options: LiveEventsOptions = DEFAULT_LIVE_EVENTS,
    private readonly sharing?: PollerSharing,
    /** Told the subscriptions and pollers held after each change (the gateway's gauges). */
    private readonly onChange?: (counts: { subscriptions: number; pollers: number }) => void,
  ) {}

  private report(): void {
    this.onChange?.({ subscriptions: this.total, pollers: this.pollers.size });
  }

  /** REST polls this replica made (its pollers' turns as leader), for tests. */
  readonly stats = { restPolls: 0 };

  /** Pollers running now, for tests and metrics. */
  get pollerCount(): number {
    return this.pollers.size;
  }

  /** Subscriptions held now. */
  get subscriptionCount(): number {
    return this.total;
  }

  /**
   * A subscription to the new events of `integrationName`, polled with the
   * caller's token. Refused (RATE_LIMITED) past the per-caller or total limit.
   */
  subscribe(request: Request, integrationName: string): AsyncIterableIterator<LiveEvent> {
    // Yoga answers 406 to a subscription it cannot stream, without ending it: refused
    // here instead, before a poller would start for a client that never reads it.
    const accept = request.headers.get('accept') ?? '';
    if (!/text\/event-stream|multipart\/mixed/i.test(accept)) {
      throw new GraphQLError(
        'Subscriptions stream their events: send Accept: text/event-stream (GraphQL over SSE) or multipart/mixed.',
        { extensions: { code: 'BAD_REQUEST' } },
      );
    }
    const authorization = request.headers.get('authorization') ?? '';
    const caller = callerHash(request) ?? '';
    const held = this.perCaller.get(caller) ?? 0;
    if (held >= this.options.maxPerCaller || this.total >= this.options.maxTotal) {
      throw new GatewayError(
        'RATE_LIMITED',
        held >= this.options.maxPerCaller
          ? `A caller may hold ${this.options.maxPerCaller} subscriptions at once: close one first.`
          : 'The gateway holds as many subscriptions as it may: try again later.',
        undefined,
        { retryAfter: Math.ceil(this.options.maxIntervalMs / 1000) },
      );
    }
    // Names the poller in Redis too: the token's hash, and a name checked against the spec's pattern.
    const key = `${caller}:${integrationName}`;
    let poller = this.pollers.get(key);
    const fresh = !poller;
    if (!poller) {
      poller = new Poller(
        this.upstream,
        authorization,
        key,
        integrationName,
        this.options,
        this.sharing,
        this.stats,
        (stopped) => {
          if (this.pollers.get(key) === stopped) this.pollers.delete(key);
          this.report();
        },
      );
      this.pollers.set(key, poller);
    }
    const owner = poller;
    this.perCaller.set(caller, held + 1);
    this.total += 1;
    this.report();
    const subscriber = new Subscriber((leaving) => {
      owner.subscribers.delete(leaving);
      this.total -= 1;
      this.report();
      const left = (this.perCaller.get(caller) ?? 1) - 1;
      if (left <= 0) this.perCaller.delete(caller);
      else this.perCaller.set(caller, left);
      if (owner.subscribers.size === 0) owner.stop();
    });
    owner.subscribers.add(subscriber);
    if (fresh) owner.start();
    return subscriber;
  }

  /** Ends every subscription (the gateway is shutting down). */
  close(): void {
    for (const poller of [...this.pollers.values()]) {
      for (const subscriber of [...poller.subscribers]) void subscriber.return();
      poller.stop();
    }
  }
}
