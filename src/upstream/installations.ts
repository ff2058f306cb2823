import type { APITemporaryToken, IntegrationInstallation, UpdateIntegrationInstallation } from '@gitbook/api';
import { type RestClient, restPath } from './client.js';
import type { Page, ParamOf } from './types.js';

export function primeInstallations(
  rest: RestClient,
  integrationName: string,
  installations: readonly IntegrationInstallation[],
): void {
  rest.primeLater(() => {
    for (const installation of installations) {
      rest.prime(restPath`/integrations/${integrationName}/installations/${installation.id}`, undefined, installation);
    }
  });
}

/** GET /integrations/{integrationName}/installations */
export async function listIntegrationInstallations(
  rest: RestClient,
  integrationName: string,
  query: ParamOf<'listIntegrationInstallations', 1>,
): Promise<Page<IntegrationInstallation>> {
  const page = await rest.get<Page<IntegrationInstallation>>(
    'listIntegrationInstallations',
    'page',
    restPath`/integrations/${integrationName}/installations`,
    query,
  );
  primeInstallations(rest, integrationName, page.items);
  return page;
}

/** GET /integrations/{integrationName}/installations/{installationId} */
export function getIntegrationInstallationById(
  rest: RestClient,
  integrationName: string,
  installationId: string,
): Promise<IntegrationInstallation> {
  return rest.get(
    'getIntegrationInstallationById',
    'object',
    restPath`/integrations/${integrationName}/installations/${installationId}`,
  );
}

/** POST /integrations/{integrationName}/installations: installs on an organization. */
export async function installIntegration(
  rest: RestClient,
  integrationName: string,
  organizationId: string,
): Promise<IntegrationInstallation> {
  const installation = await rest.send<IntegrationInstallation>(
    'installIntegration',
    'POST',
    restPath`/integrations/${integrationName}/installations`,
    { body: { organization: organizationId }, shape: 'object' },
  );
  primeInstallations(rest, integrationName, [installation]);
  return installation;
}

/** PATCH /integrations/{integrationName}/installations/{installationId} */
export async function updateIntegrationInstallation(
  rest: RestClient,
  integrationName: string,
  installationId: string,
  body: UpdateIntegrationInstallation,
): Promise<IntegrationInstallation> {
  const installation = await rest.send<IntegrationInstallation>(
    'updateIntegrationInstallation',
    'PATCH',
    restPath`/integrations/${integrationName}/installations/${installationId}`,
    { body, shape: 'object' },
  );
  primeInstallations(rest, integrationName, [installation]);
  return installation;
}

/** DELETE /integrations/{integrationName}/installations/{installationId}: false when there was none. */
export function uninstallIntegration(
  rest: RestClient,
  integrationName: string,
  installationId: string,
): Promise<boolean> {
  return rest.delete(
    'uninstallIntegration',
    restPath`/integrations/${integrationName}/installations/${installationId}`,
  );
}

/** POST /integrations/{integrationName}/installations/{installationId}/tokens */
export function createIntegrationInstallationToken(
  rest: RestClient,
  integrationName: string,
  installationId: string,
): Promise<APITemporaryToken> {
  return rest.send(
    'createIntegrationInstallationToken',
    'POST',
    restPath`/integrations/${integrationName}/installations/${installationId}/tokens`,
    { shape: 'object' },
  );
}
