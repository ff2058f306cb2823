import type { IntegrationSiteInstallation, UpdateIntegrationSiteInstallation } from '@gitbook/api';
import { type RestClient, restPath } from './client.js';
import {
  contentInstallationPath,
  extendedQuery,
  primeContentInstallations,
  sendContentInstallation,
} from './content-installations.js';
import type { Page, ParamOf } from './types.js';

/** GET /integrations/{integrationName}/sites */
export async function listIntegrationSiteInstallations(
  rest: RestClient,
  integrationName: string,
  query: ParamOf<'listIntegrationSiteInstallations', 1>,
): Promise<Page<IntegrationSiteInstallation>> {
  const page = await rest.get<Page<IntegrationSiteInstallation>>('page', restPath`/integrations/${integrationName}/sites`, query);
  primeContentInstallations(rest, 'sites', page.items, query.extended === true);
  return page;
}

/** GET /integrations/{integrationName}/installations/{installationId}/sites */
export async function listIntegrationInstallationSites(
  rest: RestClient,
  integrationName: string,
  installationId: string,
  query: ParamOf<'listIntegrationInstallationSites', 2>,
): Promise<Page<IntegrationSiteInstallation>> {
  const page = await rest.get<Page<IntegrationSiteInstallation>>('page', restPath`/integrations/${integrationName}/installations/${installationId}/sites`,
    query,
  );
  primeContentInstallations(rest, 'sites', page.items, query.extended === true);
  return page;
}

/** GET /integrations/{integrationName}/installations/{installationId}/sites/{siteId} */
export async function getIntegrationSiteInstallation(
  rest: RestClient,
  integrationName: string,
  installationId: string,
  siteId: string,
  extended: boolean,
): Promise<IntegrationSiteInstallation> {
  const path = contentInstallationPath('sites', integrationName, installationId, siteId);
  const item = await rest.get<IntegrationSiteInstallation>('object', path, extendedQuery(extended));
  if (extended) primeContentInstallations(rest, 'sites', [item], false);
  return item;
}

/** POST /integrations/{integrationName}/installations/{installationId}/sites */
export function installIntegrationOnSite(
  rest: RestClient,
  integrationName: string,
  installationId: string,
  siteId: string,
  extended: boolean,
): Promise<IntegrationSiteInstallation> {
  const path = restPath`/integrations/${integrationName}/installations/${installationId}/sites`;
  return sendContentInstallation(rest, 'sites', 'POST', path, { siteId }, extended);
}

/** PATCH /integrations/{integrationName}/installations/{installationId}/sites/{siteId} */
export function updateIntegrationSiteInstallation(
  rest: RestClient,
  integrationName: string,
  installationId: string,
  siteId: string,
  body: UpdateIntegrationSiteInstallation,
  extended: boolean,
): Promise<IntegrationSiteInstallation> {
  const path = contentInstallationPath('sites', integrationName, installationId, siteId);
  return sendContentInstallation(rest, 'sites', 'PATCH', path, body, extended);
}

/** DELETE /integrations/{integrationName}/installations/{installationId}/sites/{siteId} */
export function uninstallIntegrationFromSite(
  rest: RestClient,
  integrationName: string,
  installationId: string,
  siteId: string,
): Promise<boolean> {
  return rest.delete(contentInstallationPath('sites', integrationName, installationId, siteId));
}
