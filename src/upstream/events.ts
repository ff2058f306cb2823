import type { IntegrationEvent } from '@gitbook/api';
import { type RestClient, restPath } from './client.js';
import type { Page, ParamOf, ResultOf } from './types.js';

/** GET /integrations/{integrationName}/events */
export function listIntegrationEvents(
  rest: RestClient,
  integrationName: string,
  query: ParamOf<'listIntegrationEvents', 1>,
): Promise<Page<IntegrationEvent>> {
  return rest.get('listIntegrationEvents', 'page', restPath`/integrations/${integrationName}/events`, query);
}

/** GET /integrations/{integrationName}/events/{eventId}: the event and its trace. */
export function getIntegrationEvent(
  rest: RestClient,
  integrationName: string,
  eventId: string,
): Promise<ResultOf<'getIntegrationEvent'>> {
  return rest.get('getIntegrationEvent', 'object', restPath`/integrations/${integrationName}/events/${eventId}`);
}
