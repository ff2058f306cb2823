import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { createClient } from 'graphql-sse';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIVE_EVENTS, LiveEvents, MAX_UNREAD_EVENTS } from '../src/live-events.js';
import { RedisPollerSharing } from '../src/live-events-redis.js';
import { silentLogger } from '../src/observability/logging.js';
import { SharedRedis } from '../src/redis.js';
import { organizationId, POPULAR_INTEGRATION } from '../src/simulator/index.js';
import { createGateway, EXAMPLE_QUERY, type Gateway, type GatewayOptions } from '../src/yoga.js';
import { type RestCall, restCall, useHarness } from './helpers/harness.js';
import { listen } from './helpers/loopback.js';
import { startOwnRedis } from './helpers/redis.js';
import { TOKENS } from './helpers/rest-fixtures.js';
import { until } from './helpers/until.js';

/**
 * Subscription.integrationEvents over Server-Sent Events (GraphQL over SSE,
 * graphql-sse's client in distinct-connections mode), against a gateway
 * served over HTTP whose poller lists the simulator's events.
 */

const h = await useHarness({ resetStateBeforeEach: true });
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});
const gateways: Gateway[] = [];
// A client that closed its stream is noticed by the server a moment later: every poller of a
// test has stopped before the next test starts, so none of its calls lands in the next one's.
afterEach(async () => {
  await until(() => gateways.every((gateway) => gateway.liveEvents.pollerCount === 0), 'the pollers to stop');
});

// Fast polling, small pages: three pages' worth of events is 15.
const FAST = { minIntervalMs: 40, maxIntervalMs: 160, pageSize: 5, maxPerCaller: 3 };

async function served(options: Partial<GatewayOptions> = {}) {
  const gateway = createGateway({ upstream: h.upstream, liveEvents: FAST, ...options });
  gateways.push(gateway);
  const server = await listen(createServer(gateway));
  closers.push(async () => {
    gateway.liveEvents.close();
    await server.close();
  });
  return { gateway, url: `${server.url}/graphql` };
}

const SUBSCRIPTION = /* GraphQL */ `
  subscription Live($name: String!) { integrationEvents(integrationName: $name) { id eventId type installation { id } } }
`;

interface Received {
  data?: { integrationEvents: { eventId: string; type: string } } | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** A subscription through graphql-sse's client; `next()` waits for the next payload. */
function subscribe(
  url: string,
  token: string | null,
  name = POPULAR_INTEGRATION,
  query = SUBSCRIPTION,
  operationName?: string,
) {
  const client = createClient({
    url,
    singleConnection: false,
    retryAttempts: 0,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const iterator = client.iterate({ query, variables: { name }, operationName }) as AsyncIterableIterator<Received>;
  return {
    next: async (): Promise<Received | undefined> => {
      const step = await iterator.next();
      return step.done ? undefined : step.value;
    },
    /** The next `count` events' ids. */
    take: async (count: number): Promise<string[]> => {
      const ids: string[] = [];
      while (ids.length < count) {
        const step = await iterator.next();
        if (step.done) throw new Error(`the stream ended after ${ids.length} of ${count} events`);
        if (step.value.errors) throw new Error(JSON.stringify(step.value.errors));
        ids.push(step.value.data?.integrationEvents.eventId ?? '');
      }
      return ids;
    },
    close: async () => {
      await iterator.return?.();
      client.dispose();
    },
  };
}

const listCalls = (): RestCall[] =>
  h.simulator.requests.map(restCall).filter((call) => /^\/integrations\/[^/]+\/events$/.test(call.path));

/** Waits until the gateway's pollers have polled `count` times: what exists then is not new. */
const firstPollAnswered = (gateway: { liveEvents: { stats: { restPolls: number } } }, count = 1) =>
  until(() => gateway.liveEvents.stats.restPolls >= count, 'the first poll');

/** The ids of `count` new events of an installation in `org`, oldest first. */
function record(org: string, count: number, name = POPULAR_INTEGRATION): string[] {
  const integration = h.simulator.store.integrations.get(name);
  const installation = integration && h.simulator.store.installationIn(integration, org);
  if (!installation) throw new Error(`${name} is not installed in ${org}`);
  return h.simulator.recordEvents(name, count, installation.installation.id).map((event) => event.id);
}

const DEMO_ORG = organizationId('acme');

describe('Subscription.integrationEvents over SSE', () => {
  it('delivers each event made while subscribed once, oldest first, also three pages’ worth at once', async () => {
    const { url, gateway } = await served();
    const live = subscribe(url, TOKENS.demo);
    const first = live.next();
    await firstPollAnswered(gateway);
    const three = record(DEMO_ORG, 3);
    const firstEvent = await first;
    expect(firstEvent?.data?.integrationEvents).toMatchObject({ eventId: three[0], type: 'installation_setup' });
    expect(await live.take(2)).toEqual(three.slice(1));

    const fifteen = record(DEMO_ORG, 15);
    expect(await live.take(15)).toEqual(fifteen);
    // Nothing twice: the next event is the next one made.
    const one = record(DEMO_ORG, 1);
    expect(await live.take(1)).toEqual(one);
    // The 15 were read across pages of 5: a poll followed `page` tokens.
    expect(listCalls().some((call) => call.query.page !== undefined)).toBe(true);
    expect(
      listCalls().every((call) => call.query.limit === '5' && call.authorization === `Bearer ${TOKENS.demo}`),
    ).toBe(true);
    await live.close();
  });

  it('shares one poller between two subscribers of one token and integration, and stops polling when both leave', async () => {
    const { url, gateway } = await served();
    const a = subscribe(url, TOKENS.demo);
    const b = subscribe(url, TOKENS.demo);
    const firstA = a.next();
    const firstB = b.next();
    await until(() => gateway.liveEvents.subscriptionCount === 2, 'both subscriptions');
    expect(gateway.liveEvents.pollerCount).toBe(1);
    const gauges = async () => {
      const text = await (await fetch(url.replace(/\/graphql$/, '/metrics'))).text();
      return text.split('\n').filter((line) => /^(graphql_subscriptions_active|gitbook_event_pollers) /.test(line));
    };
    expect(await gauges()).toEqual(['graphql_subscriptions_active 2', 'gitbook_event_pollers 1']);
    await firstPollAnswered(gateway);
    const made = record(DEMO_ORG, 2);
    expect((await firstA)?.data?.integrationEvents.eventId).toBe(made[0]);
    expect((await firstB)?.data?.integrationEvents.eventId).toBe(made[0]);
    expect(await a.take(1)).toEqual([made[1]]);
    expect(await b.take(1)).toEqual([made[1]]);
    expect(gateway.liveEvents.pollerCount).toBe(1);
    // One poller: its polls never overlap.
    const calls = h.simulator.requests.filter((r) => r.path.endsWith('/events'));
    for (let index = 1; index < calls.length; index += 1) {
      expect(calls[index]!.startedAt).toBeGreaterThanOrEqual(calls[index - 1]!.endedAt);
    }

    await a.close();
    expect(gateway.liveEvents.pollerCount).toBe(1);
    await b.close();
    await until(() => gateway.liveEvents.pollerCount === 0, 'the poller to stop');
    expect(await gauges()).toEqual(['graphql_subscriptions_active 0', 'gitbook_event_pollers 0']);
    const callsWhenLeft = listCalls().length;
    // Four of the longest intervals: a poller still running would have polled.
    await new Promise((resolve) => setTimeout(resolve, 4 * FAST.maxIntervalMs));
    expect(listCalls()).toHaveLength(callsWhenLeft);
  });

  it('ends the stream with UNAUTHENTICATED when GitBook refuses the token, and stops polling', async () => {
    const { url, gateway } = await served();
    const live = subscribe(url, 'not-a-valid-token');
    const payload = await live.next();
    expect(payload?.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    expect(await live.next()).toBeUndefined();
    await until(() => gateway.liveEvents.pollerCount === 0, 'the poller to stop');
    expect(listCalls()).toHaveLength(1);
  });

  it('refuses a subscription without a token before any call', async () => {
    const { url } = await served();
    const live = subscribe(url, null);
    const payload = await live.next();
    expect(payload?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(listCalls()).toEqual([]);
    await live.close();
  });

  it('never hands a subscriber another token’s events', async () => {
    const { url, gateway } = await served();
    const northwind = organizationId('northwind');
    const globex = organizationId('globex');
    const alice = subscribe(url, TOKENS.alice);
    const bob = subscribe(url, TOKENS.bob);
    const aliceFirst = alice.next();
    const bobFirst = bob.next();
    await firstPollAnswered(gateway, 2);
    const forAlice = record(northwind, 2);
    const forBob = record(globex, 1);
    expect((await aliceFirst)?.data?.integrationEvents.eventId).toBe(forAlice[0]);
    expect(await alice.take(1)).toEqual([forAlice[1]]);
    expect((await bobFirst)?.data?.integrationEvents.eventId).toBe(forBob[0]);
    // Each poll went with its own subscriber's token.
    expect(new Set(listCalls().map((call) => call.authorization))).toEqual(
      new Set([`Bearer ${TOKENS.alice}`, `Bearer ${TOKENS.bob}`]),
    );
    await alice.close();
    await bob.close();
  });

  it('refuses an integrationName REST would refuse, and a client that cannot read a stream, before any call', async () => {
    const { url, gateway } = await served();
    for (const name of ['', 'has space', 'slash/inside', 'a'.repeat(101), 'é', '\u{1F600}']) {
      const live = subscribe(url, TOKENS.demo, name);
      const refused = await live.next();
      expect(refused?.errors?.[0]?.extensions?.code, name).toBe('BAD_USER_INPUT');
      await live.close();
    }
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKENS.demo}` },
      body: JSON.stringify({ query: SUBSCRIPTION, variables: { name: POPULAR_INTEGRATION } }),
    });
    const body = (await response.json()) as Received;
    expect(body.errors?.[0]?.message).toContain('Accept: text/event-stream');
    expect(listCalls()).toEqual([]);
    expect(gateway.liveEvents.pollerCount).toBe(0);
  });

  it('ends the stream with NOT_FOUND for an integration GitBook does not know, after one call', async () => {
    const { url, gateway } = await served();
    const live = subscribe(url, TOKENS.demo, 'no-such-integration');
    const payload = await live.next();
    expect(payload?.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    await until(() => gateway.liveEvents.pollerCount === 0, 'the poller to stop');
    expect(listCalls().map((call) => call.path)).toEqual(['/integrations/no-such-integration/events']);
  });

  it('ends a subscription whose reader leaves more than MAX_UNREAD_EVENTS unread, and forgets it', async () => {
    const live = new LiveEvents(h.upstream, {
      ...DEFAULT_LIVE_EVENTS,
      ...FAST,
      pageSize: 100,
      maxPagesPerPoll: 20,
      maxIntervalMs: 40,
    });
    const request = new Request('http://gateway.test/graphql', {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${TOKENS.demo}` },
    });
    const subscription = live.subscribe(request, POPULAR_INTEGRATION);
    await firstPollAnswered({ liveEvents: live });
    record(DEMO_ORG, MAX_UNREAD_EVENTS + 1);
    await until(() => live.subscriptionCount === 0, 'the subscription to end');
    expect(live.pollerCount).toBe(0);
    await expect(subscription.next()).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    live.close();
  });

  it('limits the subscriptions one caller holds', async () => {
    const { url, gateway } = await served();
    const held = [subscribe(url, TOKENS.demo), subscribe(url, TOKENS.demo), subscribe(url, TOKENS.demo)];
    const pending = held.map((live) => live.next());
    await firstPollAnswered(gateway);
    const extra = subscribe(url, TOKENS.demo);
    const refused = await extra.next();
    expect(refused?.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    await extra.close();
    record(DEMO_ORG, 1);
    await Promise.all(pending);
    for (const live of held) await live.close();
  });

  it('applies the fan-out rules to the selection of each event', async () => {
    const { url } = await served({
      limits: { ...(await import('../src/limits/index.js')).DEFAULT_LIMITS, maxRestCalls: 1 },
    });
    const live = subscribe(
      url,
      TOKENS.demo,
      POPULAR_INTEGRATION,
      /* GraphQL */ `subscription { integrationEvents(integrationName: "${POPULAR_INTEGRATION}") { integration { title } } }`,
    );
    const refused = await live.next();
    expect(refused?.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 1 });
    expect(listCalls()).toEqual([]);
    await live.close();
  });

  it('backs off while nothing happens: each wait doubles up to the longest, so an idle subscription costs few calls', async () => {
    const { url, gateway } = await served({ liveEvents: { ...FAST, minIntervalMs: 20, maxIntervalMs: 160 } });
    const live = subscribe(url, TOKENS.demo);
    void live.next();
    await firstPollAnswered(gateway);
    await until(() => listCalls().length >= 6, 'six polls');
    const calls = h.simulator.requests.filter((r) => r.path.endsWith('/events'));
    const gaps = calls.slice(1, 6).map((call, index) => call.startedAt - calls[index]!.endedAt);
    // Timers never fire early: each wait is at least what the schedule says (20, 40, 80, 160, 160 ms).
    for (const [index, planned] of [20, 40, 80, 160, 160].entries()) {
      expect(gaps[index]).toBeGreaterThanOrEqual(planned - 1);
    }
    await live.close();
  });

  it('waits out a 429’s Retry-After, then goes on delivering', async () => {
    const { url, gateway } = await served();
    const live = subscribe(url, TOKENS.demo);
    const first = live.next();
    await firstPollAnswered(gateway);
    // More 429s than the REST client retries: the poller itself gets RATE_LIMITED with retryAfter 1.
    h.simulator.injectFault({
      fault: { kind: 'rate-limit', retryAfterSeconds: 1 },
      match: { operationId: 'listIntegrationEvents' },
      times: 3,
    });
    await until(() => listCalls().filter((call) => call.status === 429).length === 3, 'the 429s');
    const limited = h.simulator.requests.filter((r) => r.path.endsWith('/events') && r.status === 429).at(-1)!;
    const made = record(DEMO_ORG, 1);
    expect((await first)?.data?.integrationEvents.eventId).toBe(made[0]);
    const next = h.simulator.requests.filter((r) => r.path.endsWith('/events') && r.startedAt > limited.endedAt)[0]!;
    expect(next.startedAt - limited.endedAt).toBeGreaterThanOrEqual(999);
    await live.close();
  });

  it('the simulator’s admin route records events, newest of all, and is not among the API requests', async () => {
    const admin = h.simulator.url.replace(/\/v1$/, '/__simulator/integrations');
    const post = (path: string, body: unknown) =>
      fetch(`${admin}/${path}`, { method: 'POST', body: JSON.stringify(body) }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as { events?: { id: string }[]; error?: string },
      }));
    const made = await post(`${POPULAR_INTEGRATION}/events`, { count: 3 });
    expect(made.status).toBe(201);
    expect(made.body.events).toHaveLength(3);
    const newest = h.simulator.store.integrations
      .get(POPULAR_INTEGRATION)
      ?.events.slice(0, 3)
      .map((e) => e.event.id);
    expect(newest).toEqual(made.body.events?.map((event) => event.id).reverse());
    expect((await post(`${POPULAR_INTEGRATION}/events`, { count: 0 })).status).toBe(400);
    expect((await post('no-such-integration/events', {})).status).toBe(404);
    const raw = (path: string, body: string) => fetch(`${admin}/${path}`, { method: 'POST', body });
    expect((await raw(`${POPULAR_INTEGRATION}/events`, '{"count": 5')).status).toBe(400);
    expect((await raw('%E0%A4%A/events', '{}')).status).toBe(400);
    expect(h.simulator.requests).toEqual([]);
  });

  it('runs GraphiQL’s example subscription as GraphiQL sends it (a GET asking for text/event-stream)', async () => {
    const { url, gateway } = await served();
    const abort = new AbortController();
    const response = await fetch(`${url}?query=${encodeURIComponent(EXAMPLE_QUERY)}&operationName=LiveEvents`, {
      signal: abort.signal,
      headers: { accept: 'text/event-stream', authorization: `Bearer ${TOKENS.demo}` },
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await firstPollAnswered(gateway);
    const made = record(DEMO_ORG, 1);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (!/event: next\ndata: .*\n/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    const data = /event: next\ndata: (.*)\n/.exec(text)?.[1] ?? '{}';
    const payload = JSON.parse(data) as { data?: { integrationEvents: Record<string, unknown> } };
    expect(payload.data?.integrationEvents).toMatchObject({ eventId: made[0], type: 'installation_setup' });
    expect(payload.data?.integrationEvents.installation).toMatchObject({ installationId: expect.any(String) });
    abort.abort();
  });
});

describe('with Redis, replicas share one poller per token and integration', () => {
  it('one replica polls for both; when it leaves, the other takes over from its last event', async () => {
    const redis = await startOwnRedis();
    closers.push(() => redis.close());
    const admin = redis.client();
    const replica = async () => {
      const shared = new SharedRedis({ url: redis.url, logger: silentLogger, keyPrefix: 'shared:' });
      await until(() => shared.ready, 'Redis');
      // A lease longer than the test: only a replica's leaving hands the polling over, never a stall.
      const sharing = new RedisPollerSharing(shared, 60_000);
      const replicaServed = await served({ liveEventsSharing: sharing });
      closers.push(async () => {
        sharing.close();
        await shared.close();
      });
      return replicaServed;
    };
    const [one, two] = [await replica(), await replica()];
    const caller = createHash('sha256').update(`Bearer ${TOKENS.demo}`).digest('hex');
    const channel = `shared:live:events:${caller}:${POPULAR_INTEGRATION}`;

    const a = subscribe(one.url, TOKENS.demo);
    const firstA = a.next();
    await firstPollAnswered(one.gateway);
    const b = subscribe(two.url, TOKENS.demo);
    const firstB = b.next();
    // Both replicas listen for what the leader publishes.
    await until(() => two.gateway.liveEvents.subscriptionCount === 1, 'the second subscription');
    await until(async () => {
      const [, listeners] = (await admin.pubsub('NUMSUB', channel)) as [string, number];
      return Number(listeners) === 2;
    }, 'both replicas to listen');
    const made = record(DEMO_ORG, 2);
    expect((await firstA)?.data?.integrationEvents.eventId).toBe(made[0]);
    expect((await firstB)?.data?.integrationEvents.eventId).toBe(made[0]);
    expect(await a.take(1)).toEqual([made[1]]);
    expect(await b.take(1)).toEqual([made[1]]);
    // The first replica leads: it alone polled GitBook.
    expect(one.gateway.liveEvents.stats.restPolls).toBeGreaterThan(0);
    expect(two.gateway.liveEvents.stats.restPolls).toBe(0);

    await a.close();
    await until(() => one.gateway.liveEvents.pollerCount === 0, 'the first replica to stop');
    const more = record(DEMO_ORG, 2);
    expect(await b.take(2)).toEqual(more);
    expect(two.gateway.liveEvents.stats.restPolls).toBeGreaterThan(0);
    await b.close();
  });
});
