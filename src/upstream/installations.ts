import type { IntegrationInstallation } from '@gitbook/api';
import { type RestClient, restPath } from './client.js';
import type { Page, ParamOf } from './types.js';

export function primeInstallations(
  rest: RestClient,
  integrationName: string,
  installations: readonly IntegrationInstallation[],
): void {
  for (const installation of installations) {
    rest.prime(restPath`/integrations/${integrationName}/installations/${installation.id}`, undefined, installation);
  }
}

/** GET /integrations/{integrationName}/installations */
export async function listIntegrationInstallations(
  rest: RestClient,
  integrationName: string,
  query: ParamOf<'listIntegrationInstallations', 1>,
): Promise<Page<IntegrationInstallation>> {
  const page = await rest.get<Page<IntegrationInstallation>>(restPath`/integrations/${integrationName}/installations`, query);
  primeInstallations(rest, integrationName, page.items);
  return page;
}

/** GET /integrations/{integrationName}/installations/{installationId} */
export function getIntegrationInstallationById(
  rest: RestClient,
  integrationName: string,
  installationId: string,
): Promise<IntegrationInstallation> {
  return rest.get(restPath`/integrations/${integrationName}/installations/${installationId}`);
}
