import type { IntegrationSiteInstallation } from '@gitbook/api';
import { contentInstallationOperations } from './content-installations.js';

/** The site installation operations; the shared logic is in content-installations.ts. */
const sites = contentInstallationOperations<IntegrationSiteInstallation>('sites', (siteId) => ({ siteId }));

/** GET /integrations/{integrationName}/sites */
export const listIntegrationSiteInstallations = sites.listForIntegration;

/** GET /integrations/{integrationName}/installations/{installationId}/sites */
export const listIntegrationInstallationSites = sites.listForInstallation;

/** GET /integrations/{integrationName}/installations/{installationId}/sites/{siteId} */
export const getIntegrationSiteInstallation = sites.get;

/** POST /integrations/{integrationName}/installations/{installationId}/sites, body `{ siteId }` */
export const installIntegrationOnSite = sites.install;

/** PATCH /integrations/{integrationName}/installations/{installationId}/sites/{siteId} */
export const updateIntegrationSiteInstallation = sites.update;

/** DELETE /integrations/{integrationName}/installations/{installationId}/sites/{siteId} */
export const uninstallIntegrationFromSite = sites.uninstall;
