import type { IntegrationEvent } from '@gitbook/api';
import { type RestClient, restPath } from './client.js';
import type { Page, ParamOf, ResultOf } from './types.js';

type EventAnswer = ResultOf<'getIntegrationEvent'>;

/**
 * A listed event is the event its lookup answers, but without its trace: the
 * list primes the lookup with it, marked, so that a lookup for the event
 * costs nothing and one for its trace still asks GitBook.
 */
const LISTED = Symbol('listed without its trace');

const eventPath = (integrationName: string, eventId: string) =>
  restPath`/integrations/${integrationName}/events/${eventId}`;

/** GET /integrations/{integrationName}/events */
export async function listIntegrationEvents(
  rest: RestClient,
  integrationName: string,
  query: ParamOf<'listIntegrationEvents', 1>,
): Promise<Page<IntegrationEvent>> {
  const page = await rest.get<Page<IntegrationEvent>>(
    'listIntegrationEvents',
    'page',
    restPath`/integrations/${integrationName}/events`,
    query,
  );
  rest.primeLater(() => {
    for (const event of page.items)
      rest.prime(eventPath(integrationName, event.id), undefined, { event, [LISTED]: true });
  });
  return page;
}

/** GET /integrations/{integrationName}/events/{eventId}: the event (a list's will do). */
export function getIntegrationEvent(rest: RestClient, integrationName: string, eventId: string): Promise<EventAnswer> {
  return rest.get('getIntegrationEvent', 'object', eventPath(integrationName, eventId));
}

/** GET /integrations/{integrationName}/events/{eventId}: the event with its trace, which no list carries. */
export async function getIntegrationEventWithTrace(
  rest: RestClient,
  integrationName: string,
  eventId: string,
): Promise<EventAnswer> {
  const answer = await getIntegrationEvent(rest, integrationName, eventId);
  if (!(LISTED in answer)) return answer;
  return rest.reload('getIntegrationEvent', 'object', eventPath(integrationName, eventId));
}
