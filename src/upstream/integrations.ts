import type { Integration, PublishIntegration } from '@gitbook/api';
import { type RestClient, restPath } from './client.js';
import { primeOrganization } from './organizations.js';
import type { Page, ParamOf } from './types.js';

export type ListIntegrationsQuery = ParamOf<'listIntegrations', 0>;

/**
 * A listed integration is the very object its lookup returns: record it so a
 * later lookup in the same request costs no call.
 */
export function primeIntegrations(rest: RestClient, integrations: readonly Integration[]): void {
  rest.primeLater(() => {
    for (const integration of integrations) {
      rest.prime(restPath`/integrations/${integration.name}`, undefined, integration);
      primeOrganization(rest, integration.owner);
    }
  });
}

/** GET /integrations */
export async function listIntegrations(rest: RestClient, query: ListIntegrationsQuery): Promise<Page<Integration>> {
  const page = await rest.get<Page<Integration>>('listIntegrations', 'page', '/integrations', query);
  primeIntegrations(rest, page.items);
  return page;
}

/** GET /integrations/{integrationName} */
export async function getIntegrationByName(rest: RestClient, integrationName: string): Promise<Integration> {
  const integration = await rest.get<Integration>(
    'getIntegrationByName',
    'object',
    restPath`/integrations/${integrationName}`,
  );
  primeOrganization(rest, integration.owner);
  return integration;
}

/** POST /integrations/{integrationName}: publishes a new version, or the first. */
export async function publishIntegration(
  rest: RestClient,
  integrationName: string,
  body: PublishIntegration,
): Promise<Integration> {
  const integration = await rest.send<Integration>(
    'publishIntegration',
    'POST',
    restPath`/integrations/${integrationName}`,
    {
      body,
      shape: 'object',
    },
  );
  primeIntegrations(rest, [integration]);
  return integration;
}

/** DELETE /integrations/{integrationName}: false when there was no such integration. */
export function unpublishIntegration(rest: RestClient, integrationName: string): Promise<boolean> {
  return rest.delete('unpublishIntegration', restPath`/integrations/${integrationName}`);
}

/** PUT /integrations/{integrationName}/dev */
export async function setIntegrationDevelopmentMode(
  rest: RestClient,
  integrationName: string,
  body: ParamOf<'setIntegrationDevelopmentMode', 1>,
): Promise<void> {
  await rest.send('setIntegrationDevelopmentMode', 'PUT', restPath`/integrations/${integrationName}/dev`, { body });
}

/** DELETE /integrations/{integrationName}/dev */
export async function disableIntegrationDevelopmentMode(rest: RestClient, integrationName: string): Promise<void> {
  await rest.send('disableIntegrationDevelopmentMode', 'DELETE', restPath`/integrations/${integrationName}/dev`);
}

/** POST /integrations/{integrationName}/tasks */
export async function queueIntegrationTask(
  rest: RestClient,
  integrationName: string,
  body: ParamOf<'queueIntegrationTask', 1>,
): Promise<void> {
  await rest.send('queueIntegrationTask', 'POST', restPath`/integrations/${integrationName}/tasks`, { body });
}
