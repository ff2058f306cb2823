import type { Integration } from '@gitbook/api';
import { type RestClient, restPath } from './client.js';
import { primeOrganization } from './organizations.js';
import type { Page, ParamOf } from './types.js';

export type ListIntegrationsQuery = ParamOf<'listIntegrations', 0>;

/**
 * A listed integration is the very object its lookup returns: record it so a
 * later lookup in the same request costs no call.
 */
export function primeIntegrations(rest: RestClient, integrations: readonly Integration[]): void {
  for (const integration of integrations) {
    rest.prime(restPath`/integrations/${integration.name}`, undefined, integration);
    primeOrganization(rest, integration.owner);
  }
}

/** GET /integrations */
export async function listIntegrations(rest: RestClient, query: ListIntegrationsQuery): Promise<Page<Integration>> {
  const page = await rest.get<Page<Integration>>('/integrations', query);
  primeIntegrations(rest, page.items);
  return page;
}

/** GET /integrations/{integrationName} */
export async function getIntegrationByName(rest: RestClient, integrationName: string): Promise<Integration> {
  const integration = await rest.get<Integration>(restPath`/integrations/${integrationName}`);
  primeOrganization(rest, integration.owner);
  return integration;
}
