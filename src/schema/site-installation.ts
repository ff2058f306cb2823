import type { IntegrationSiteInstallation } from '@gitbook/api';
import {
  getIntegrationSiteInstallation,
  installIntegrationOnSite,
  uninstallIntegrationFromSite,
  updateIntegrationSiteInstallation,
  listIntegrationInstallationSites,
  listIntegrationSiteInstallations,
} from '../upstream/site-installations.js';
import { defineContentInstallation } from './content-installation.js';
import { checkId } from './validation.js';

export const {
  Ref: SiteInstallationRef,
  ContentRef: SiteRef,
  Connection: SiteInstallationConnection,
} = defineContentInstallation({
  content: 'Site',
  restSchema: 'IntegrationSiteInstallation',
  contentOf: (item) => (item as IntegrationSiteInstallation).site,
  checkContentId: checkId,
  upstream: {
    listForIntegration: (context, integrationName, query) =>
      listIntegrationSiteInstallations(context.rest, integrationName, query),
    listForInstallation: (context, integrationName, installationId, query) =>
      listIntegrationInstallationSites(context.rest, integrationName, installationId, query),
    get: (context, integrationName, installationId, siteId, extended) =>
      getIntegrationSiteInstallation(context.rest, integrationName, installationId, siteId, extended),
    install: (context, integrationName, installationId, siteId, extended) =>
      installIntegrationOnSite(context.rest, integrationName, installationId, siteId, extended),
    update: (context, integrationName, installationId, siteId, body, extended) =>
      updateIntegrationSiteInstallation(context.rest, integrationName, installationId, siteId, body, extended),
    uninstall: (context, integrationName, installationId, siteId) =>
      uninstallIntegrationFromSite(context.rest, integrationName, installationId, siteId),
  },
  operations: {
    listForIntegration: 'listIntegrationSiteInstallations',
    listForInstallation: 'listIntegrationInstallationSites',
    get: 'getIntegrationSiteInstallation',
    install: 'installIntegrationOnSite',
    update: 'updateIntegrationSiteInstallation',
    uninstall: 'uninstallIntegrationFromSite',
  },
  contentProperties: [
    'title',
    'type',
    'appliedType',
    'visibility',
    'published',
    'hostname',
    'basename',
    'icon',
    'proxy',
    'defaultLevel',
    'permissions',
    'siteSpaces',
    'createdAt',
    'lastScanAt',
    'urls',
    'features',
    'adaptiveContent',
    'ads',
    'gitSync',
    'styleguide',
  ],
  contentTypes: { siteSpaces: 'Int' },
  contentDescriptions: {
    icon: 'The icon (favicon) of the site, if customised.',
    proxy: 'The proxy the site is served through, if any.',
    siteSpaces: 'How many spaces the site publishes.',
    gitSync: 'The state of the Git Sync of the site, if it is synchronised.',
    createdAt: 'When the site was created.',
    adaptiveContent: 'The adaptive content settings of the site.',
    ads: 'The ads settings of the site.',
  },
});
