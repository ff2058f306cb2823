import type {
  InstalledIntegration,
  Integration,
  IntegrationInstallation,
  Organization,
  SiteIntegrationScript,
} from '@gitbook/api';
import { type RestClient, restPath } from './client.js';
import { primeInstallations } from './installations.js';
import { type ListIntegrationsQuery, primeIntegrations } from './integrations.js';
import type { Page, ParamOf, ResultOf } from './types.js';

/** An integration's `owner` is the organization object its own lookup returns. */
export function primeOrganization(rest: RestClient, organization: Organization | undefined): void {
  if (organization?.id) rest.prime(restPath`/orgs/${organization.id}`, undefined, organization);
}

/** GET /orgs/{organizationId} */
export function getOrganizationById(rest: RestClient, organizationId: string): Promise<Organization> {
  return rest.get<Organization>('getOrganizationById', 'object', restPath`/orgs/${organizationId}`);
}

/** GET /orgs/{organizationId}/integrations */
export async function listOrganizationIntegrations(
  rest: RestClient,
  organizationId: string,
  query: ListIntegrationsQuery,
): Promise<Page<Integration>> {
  const page = await rest.get<Page<Integration>>(
    'listOrganizationIntegrations',
    'page',
    restPath`/orgs/${organizationId}/integrations`,
    query,
  );
  primeIntegrations(rest, page.items);
  return page;
}

/** GET /orgs/{organizationId}/integrations/{integrationName}/installation_status */
export function getOrganizationIntegrationStatus(
  rest: RestClient,
  organizationId: string,
  integrationName: string,
): Promise<ResultOf<'getOrganizationIntegrationStatus'>> {
  return rest.get(
    'getOrganizationIntegrationStatus',
    'object',
    restPath`/orgs/${organizationId}/integrations/${integrationName}/installation_status`,
  );
}

export interface OrganizationInstallation {
  installation: IntegrationInstallation;
  integration: Integration;
}

/** GET /orgs/{organizationId}/installations */
export async function listOrganizationInstallations(
  rest: RestClient,
  organizationId: string,
  query: ParamOf<'listOrganizationInstallations', 1>,
): Promise<Page<OrganizationInstallation>> {
  const page = await rest.get<Page<OrganizationInstallation>>(
    'listOrganizationInstallations',
    'page',
    restPath`/orgs/${organizationId}/installations`,
    query,
  );
  primeIntegrations(
    rest,
    page.items.map((item) => item.integration),
  );
  for (const item of page.items) primeInstallations(rest, item.integration.name, [item.installation]);
  return page;
}

/** GET /orgs/{organizationId}/integrations/installations-status */
export async function listOrganizationIntegrationsStatus(
  rest: RestClient,
  organizationId: string,
  query: ParamOf<'listOrganizationIntegrationsStatus', 1>,
): Promise<Page<InstalledIntegration>> {
  const page = await rest.get<Page<InstalledIntegration>>(
    'listOrganizationIntegrationsStatus',
    'page',
    restPath`/orgs/${organizationId}/integrations/installations-status`,
    query,
  );
  primeIntegrations(
    rest,
    page.items.map((item) => item.integration),
  );
  return page;
}

/** GET /orgs/{organizationId}/sites/{siteId}/integration-scripts */
export function listSiteIntegrationScripts(
  rest: RestClient,
  organizationId: string,
  siteId: string,
): Promise<SiteIntegrationScript[]> {
  return rest.get(
    'listSiteIntegrationScripts',
    'array',
    restPath`/orgs/${organizationId}/sites/${siteId}/integration-scripts`,
  );
}

/** GET /orgs/{organizationId}/sites/{siteId}/integrations (not paginated by the API) */
export async function listSiteIntegrations(
  rest: RestClient,
  organizationId: string,
  siteId: string,
  query: ParamOf<'listSiteIntegrations', 2>,
): Promise<Page<Integration>> {
  const page = await rest.get<Page<Integration>>(
    'listSiteIntegrations',
    'page',
    restPath`/orgs/${organizationId}/sites/${siteId}/integrations`,
    query,
  );
  primeIntegrations(rest, page.items);
  return page;
}
