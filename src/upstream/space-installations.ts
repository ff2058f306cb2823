import type { IntegrationSpaceInstallation, UpdateIntegrationSpaceInstallation } from '@gitbook/api';
import { type RestClient, restPath } from './client.js';
import {
  contentInstallationPath,
  extendedQuery,
  primeContentInstallations,
  sendContentInstallation,
} from './content-installations.js';
import type { Page, ParamOf } from './types.js';

/** GET /integrations/{integrationName}/spaces */
export async function listIntegrationSpaceInstallations(
  rest: RestClient,
  integrationName: string,
  query: ParamOf<'listIntegrationSpaceInstallations', 1>,
): Promise<Page<IntegrationSpaceInstallation>> {
  const page = await rest.get<Page<IntegrationSpaceInstallation>>('page', restPath`/integrations/${integrationName}/spaces`, query);
  primeContentInstallations(rest, 'spaces', page.items, query.extended === true);
  return page;
}

/** GET /integrations/{integrationName}/installations/{installationId}/spaces */
export async function listIntegrationInstallationSpaces(
  rest: RestClient,
  integrationName: string,
  installationId: string,
  query: ParamOf<'listIntegrationInstallationSpaces', 2>,
): Promise<Page<IntegrationSpaceInstallation>> {
  const page = await rest.get<Page<IntegrationSpaceInstallation>>('page', restPath`/integrations/${integrationName}/installations/${installationId}/spaces`,
    query,
  );
  primeContentInstallations(rest, 'spaces', page.items, query.extended === true);
  return page;
}

/** GET /integrations/{integrationName}/installations/{installationId}/spaces/{spaceId} */
export async function getIntegrationSpaceInstallation(
  rest: RestClient,
  integrationName: string,
  installationId: string,
  spaceId: string,
  extended: boolean,
): Promise<IntegrationSpaceInstallation> {
  const path = contentInstallationPath('spaces', integrationName, installationId, spaceId);
  const item = await rest.get<IntegrationSpaceInstallation>('object', path, extendedQuery(extended));
  if (extended) primeContentInstallations(rest, 'spaces', [item], false);
  return item;
}

/** POST /integrations/{integrationName}/installations/{installationId}/spaces */
export function installIntegrationOnSpace(
  rest: RestClient,
  integrationName: string,
  installationId: string,
  spaceId: string,
  extended: boolean,
): Promise<IntegrationSpaceInstallation> {
  const path = restPath`/integrations/${integrationName}/installations/${installationId}/spaces`;
  return sendContentInstallation(rest, 'spaces', 'POST', path, { space: spaceId }, extended);
}

/** PATCH /integrations/{integrationName}/installations/{installationId}/spaces/{spaceId} */
export function updateIntegrationSpaceInstallation(
  rest: RestClient,
  integrationName: string,
  installationId: string,
  spaceId: string,
  body: UpdateIntegrationSpaceInstallation,
  extended: boolean,
): Promise<IntegrationSpaceInstallation> {
  const path = contentInstallationPath('spaces', integrationName, installationId, spaceId);
  return sendContentInstallation(rest, 'spaces', 'PATCH', path, body, extended);
}

/** DELETE /integrations/{integrationName}/installations/{installationId}/spaces/{spaceId} */
export function uninstallIntegrationFromSpace(
  rest: RestClient,
  integrationName: string,
  installationId: string,
  spaceId: string,
): Promise<boolean> {
  return rest.delete(contentInstallationPath('spaces', integrationName, installationId, spaceId));
}
