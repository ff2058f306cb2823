import type { IntegrationEvent, IntegrationEventTrace, IntegrationInstallation } from '@gitbook/api';
import { describe, expect, it } from 'vitest';
import { POPULAR_INTEGRATION } from '../src/simulator/index.js';
import { useHarness } from './helpers/harness.js';
import { allCaps, errorSummary, expectedGet, orNull, rest, TOKENS } from './helpers/rest-fixtures.js';

const h = await useHarness();

const SLACK = POPULAR_INTEGRATION;
const EVENTS = `/integrations/${SLACK}/events`;

type Page<T> = { items: T[]; count: number; next?: { page: string } };
type EventAnswer = { event: IntegrationEvent; trace?: IntegrationEventTrace };

const EVENT_FIELDS = /* GraphQL */ `
  fragment EventFields on IntegrationEvent {
    eventId
    integrationId
    integration { name }
    createdAt
    status
    type
    payload
  }
`;

function expectedEvent(event: IntegrationEvent) {
  return {
    eventId: event.id,
    integrationId: event.integrationId,
    integration: { name: SLACK },
    createdAt: event.createdAt,
    status: allCaps(event.status),
    type: event.payload.type,
    payload: event.payload,
  };
}

function expectedTrace(trace: IntegrationEventTrace | undefined) {
  if (!trace) return null;
  return {
    logs: trace.logs.map((log) => ({
      message: orNull(log.message),
      timestamp: orNull(log.timestamp),
      level: log.level === undefined ? null : allCaps(log.level),
    })),
  };
}

describe('Integration.events', () => {
  it('lists GET /integrations/{name}/events with every field, in one call for the events', async () => {
    const data = await h.data(`${EVENT_FIELDS} {
      integration(name: "${SLACK}") { events { totalCount pageInfo { hasNextPage } nodes { id ...EventFields } } }
    }`);
    // The list names the integration: no lookup of it (`integration { name }` is that name).
    expect(h.calls()).toEqual([expectedGet(EVENTS, { limit: '20' })]);
    const page = await rest<Page<IntegrationEvent>>(h, EVENTS, { limit: 20 });
    expect(data.integration.events).toEqual({
      totalCount: page.count,
      pageInfo: { hasNextPage: page.next !== undefined },
      nodes: page.items.map((event) => ({ id: expect.any(String), ...expectedEvent(event) })),
    });
    expect(new Set(page.items.map((event) => event.status)).size).toBe(2);
    expect(new Set(page.items.map((event) => event.payload.type)).size).toBeGreaterThan(1);
  });

  it('pushes first down as limit and counts every event', async () => {
    const data = await h.data(
      `${EVENT_FIELDS} { integration(name: "${SLACK}") { events(first: 1000) { totalCount nodes { ...EventFields } } } }`,
    );
    expect(h.calls()).toEqual([expectedGet(EVENTS, { limit: '1000' })]);
    const page = await rest<Page<IntegrationEvent>>(h, EVENTS, { limit: 1000 });
    expect(page.count).toBe(page.items.length);
    expect(data.integration.events).toEqual({ totalCount: page.count, nodes: page.items.map(expectedEvent) });
  });

  it('shows the caller only the events REST shows them', async () => {
    const data = await h.data(
      `{ integration(name: "${SLACK}") { events(first: 100) { totalCount nodes { eventId } } } }`,
      {},
      { token: TOKENS.alice },
    );
    expect(h.calls()).toEqual([expectedGet(EVENTS, { limit: '100' }, { token: TOKENS.alice })]);
    const mine = await rest<Page<IntegrationEvent>>(h, EVENTS, { limit: 100 }, TOKENS.alice);
    const all = await rest<Page<IntegrationEvent>>(h, EVENTS, { limit: 1 });
    expect(mine.count).toBeLessThan(all.count);
    expect(data.integration.events).toEqual({
      totalCount: mine.count,
      nodes: mine.items.map((event) => ({ eventId: event.id })),
    });
  });

  it('reads each event’s installation with one lookup per distinct installation', async () => {
    const data = await h.data(`{
      integration(name: "${SLACK}") { events(first: 10) { nodes { eventId installation { installationId status } } } }
    }`);
    const page = await rest<Page<IntegrationEvent>>(h, EVENTS, { limit: 10 });
    const installationIds = [...new Set(page.items.map((event) => event.installationId as string))];
    const calls = h.calls();
    expect(calls.slice(0, 1)).toEqual([expectedGet(EVENTS, { limit: '10' })]);
    expect(
      calls
        .slice(1)
        .map((call) => call.path)
        .sort(),
    ).toEqual(installationIds.map((id) => `/integrations/${SLACK}/installations/${id}`).sort());
    const statuses = new Map<string, string>();
    for (const id of installationIds) {
      statuses.set(id, (await rest<IntegrationInstallation>(h, `/integrations/${SLACK}/installations/${id}`)).status);
    }
    expect(data.integration.events.nodes).toEqual(
      page.items.map((event) => ({
        eventId: event.id,
        installation: {
          installationId: event.installationId,
          status: allCaps(statuses.get(event.installationId as string) ?? ''),
        },
      })),
    );
  });
});

describe('IntegrationEvent.trace', () => {
  it('is what alone calls GET …/events/{eventId}: one more call per listed event', async () => {
    const data = await h.data(`{
      integration(name: "${SLACK}") { events(first: 3) { nodes { eventId status trace { logs { message timestamp level } } } } }
    }`);
    const page = await rest<Page<IntegrationEvent>>(h, EVENTS, { limit: 3 });
    const calls = h.calls();
    expect(calls.slice(0, 1)).toEqual([expectedGet(EVENTS, { limit: '3' })]);
    expect(calls.slice(1).sort((a, b) => a.path.localeCompare(b.path))).toEqual(
      page.items.map((event) => expectedGet(`${EVENTS}/${event.id}`)).sort((a, b) => a.path.localeCompare(b.path)),
    );
    const expected = [];
    for (const event of page.items) {
      const answer = await rest<EventAnswer>(h, `${EVENTS}/${event.id}`);
      expected.push({ eventId: event.id, status: allCaps(event.status), trace: expectedTrace(answer.trace) });
    }
    expect(data.integration.events.nodes).toEqual(expected);
    expect(expected.every((event) => (event.trace?.logs.length ?? 0) > 0)).toBe(true);
  });

  it('is not fetched when not selected, whatever else is', async () => {
    await h.data(`${EVENT_FIELDS} {
      integration(name: "${SLACK}") { events(first: 5) { edges { cursor node { id ...EventFields } } nodes { eventId } } }
    }`);
    expect(h.calls()).toEqual([expectedGet(EVENTS, { limit: '5' })]);
  });

  it('comes in ALL_CAPS levels, for every level REST logs', async () => {
    const page = await rest<Page<IntegrationEvent>>(h, EVENTS, { limit: 1000 });
    const traces = new Map<string, EventAnswer>();
    for (const event of page.items) traces.set(event.id, await rest<EventAnswer>(h, `${EVENTS}/${event.id}`));
    const levels = new Set([...traces.values()].flatMap((answer) => answer.trace?.logs.map((log) => log.level) ?? []));
    expect(levels.size).toBeGreaterThanOrEqual(3);
    // One event per level, looked up together.
    const picks = [
      ...new Set(
        [...levels].map((level) =>
          [...traces.values()].find((answer) => answer.trace?.logs.some((log) => log.level === level)),
        ),
      ),
    ];
    const aliases = picks.map(
      (answer, index) =>
        `e${index}: event(eventId: "${answer?.event.id}") { trace { logs { message timestamp level } } }`,
    );
    const data = await h.data(`{ integration(name: "${SLACK}") { ${aliases.join('\n')} } }`);
    picks.forEach((answer, index) => {
      expect(data.integration[`e${index}`]).toEqual({ trace: expectedTrace(answer?.trace) });
    });
    // One call per event, and no lookup of the integration.
    expect(
      h
        .calls()
        .map((call) => call.path)
        .sort(),
    ).toEqual(picks.map((answer) => `${EVENTS}/${answer?.event.id}`).sort());
  });
});

describe('Integration.event(eventId)', () => {
  const LOOKUP = `${EVENT_FIELDS} query ($id: String!) {
    integration(name: "${SLACK}") { event(eventId: $id) { id ...EventFields installation { installationId } trace { logs { message timestamp level } } } }
  }`;

  it('reads GET …/events/{eventId} once, for the event and its trace together', async () => {
    const [listed] = (await rest<Page<IntegrationEvent>>(h, EVENTS, { limit: 1 })).items;
    const id = listed?.id as string;
    const data = await h.data(LOOKUP, { id });
    const answer = await rest<EventAnswer>(h, `${EVENTS}/${id}`);
    // `installation { installationId }` is answered from the event's own ids: no installation lookup.
    expect(h.calls()).toEqual([expectedGet(`${EVENTS}/${id}`)]);
    expect(data.integration.event).toEqual({
      id: expect.any(String),
      ...expectedEvent(answer.event),
      installation: { installationId: answer.event.installationId },
      trace: expectedTrace(answer.trace),
    });
  });

  it('makes that one call without trace too', async () => {
    const [listed] = (await rest<Page<IntegrationEvent>>(h, EVENTS, { limit: 1 })).items;
    const id = listed?.id as string;
    const data = await h.data(
      `${EVENT_FIELDS} query ($id: String!) { integration(name: "${SLACK}") { event(eventId: $id) { ...EventFields } } }`,
      { id },
    );
    expect(h.calls()).toEqual([expectedGet(`${EVENTS}/${id}`)]);
    expect(data.integration.event).toEqual(expectedEvent((await rest<EventAnswer>(h, `${EVENTS}/${id}`)).event));
  });

  it('costs no call for an event the same request listed, until its trace is read', async () => {
    const [listed] = (await rest<Page<IntegrationEvent>>(h, EVENTS, { limit: 1 })).items;
    const id = listed?.id as string;
    const NESTED = (selection: string) => `query ($id: String!) {
      integration(name: "${SLACK}") { events(first: 1) { nodes { integration { event(eventId: $id) { ${selection} } } } } }
    }`;
    const data = await h.data(NESTED('eventId status type'), { id });
    expect(data.integration.events.nodes[0].integration.event).toEqual({
      eventId: id,
      status: allCaps(listed?.status ?? ''),
      type: listed?.payload.type,
    });
    // No call for the event, and none for the item's `integration { event(…) }`: a link that
    // reads only what hangs below the integration needs no lookup of it.
    expect(h.calls()).toEqual([expectedGet(EVENTS, { limit: '1' })]);

    h.resetCalls();
    await h.data(NESTED('eventId trace { logs { level } }'), { id });
    expect(h.calls()).toEqual([expectedGet(EVENTS, { limit: '1' }), expectedGet(`${EVENTS}/${id}`)]);
  });

  it('refetches through node(id) with one call, trace included', async () => {
    const [listed] = (await rest<Page<IntegrationEvent>>(h, EVENTS, { limit: 1 })).items;
    const listData = await h.data(`{ integration(name: "${SLACK}") { events(first: 1) { nodes { id } } } }`);
    const globalId = listData.integration.events.nodes[0].id as string;
    h.resetCalls();
    const data = await h.data(
      `query ($id: ID!) {
        node(id: $id) { ... on IntegrationEvent { eventId integrationId createdAt status type payload trace { logs { level message timestamp } } } }
      }`,
      { id: globalId },
    );
    expect(h.calls()).toEqual([expectedGet(`${EVENTS}/${listed?.id}`)]);
    const answer = await rest<EventAnswer>(h, `${EVENTS}/${listed?.id}`);
    const { integration: _integration, ...fields } = expectedEvent(answer.event);
    expect(data.node).toEqual({ ...fields, trace: expectedTrace(answer.trace) });
  });

  it('answers null with NOT_FOUND (status 404) for an unknown event', async () => {
    const response = await h.graphql(
      `{ integration(name: "${SLACK}") { name event(eventId: "noSuchEvent") { eventId } } }`,
    );
    expect(response.data).toEqual({ integration: { name: SLACK, event: null } });
    expect(errorSummary(response)).toEqual([{ path: ['integration', 'event'], code: 'NOT_FOUND', status: 404 }]);
    expect(h.calls()).toEqual([expectedGet(`${EVENTS}/noSuchEvent`, {}, { status: 404 })]);
  });

  it('answers NOT_FOUND for an event REST hides from the caller', async () => {
    const all = await rest<Page<IntegrationEvent>>(h, EVENTS, { limit: 1000 });
    const mine = new Set(
      (await rest<Page<IntegrationEvent>>(h, EVENTS, { limit: 1000 }, TOKENS.alice)).items.map((e) => e.id),
    );
    const hidden = all.items.find((event) => !mine.has(event.id))?.id as string;
    const response = await h.graphql(
      `query ($id: String!) { integration(name: "${SLACK}") { event(eventId: $id) { eventId } } }`,
      { id: hidden },
      { token: TOKENS.alice },
    );
    expect(errorSummary(response)).toEqual([{ path: ['integration', 'event'], code: 'NOT_FOUND', status: 404 }]);
    expect(h.calls().at(-1)).toEqual(expectedGet(`${EVENTS}/${hidden}`, {}, { token: TOKENS.alice, status: 404 }));
  });

  it('refuses an empty eventId with BAD_USER_INPUT, before calling for it', async () => {
    const response = await h.graphql(`{ integration(name: "${SLACK}") { name event(eventId: "") { eventId } } }`);
    expect(response.data).toEqual({ integration: { name: SLACK, event: null } });
    expect(errorSummary(response)).toEqual([
      { path: ['integration', 'event'], code: 'BAD_USER_INPUT', status: undefined },
    ]);
    // `name` needs no lookup and the refused id no call: nothing reaches REST.
    expect(h.calls()).toEqual([]);
  });
});
