import type { IntegrationSiteInstallation } from '@gitbook/api';
import { siteInstallations } from '../upstream/content-installations.js';
import { defineContentInstallation } from './content-installation/index.js';

export const {
  Ref: SiteInstallationRef,
  ContentRef: SiteRef,
  Connection: SiteInstallationConnection,
} = defineContentInstallation({
  content: 'Site',
  restSchema: 'IntegrationSiteInstallation',
  contentOf: (item) => (item as IntegrationSiteInstallation).site,
  contentIdKind: 'id',
  upstream: siteInstallations,
  rest: 'sites',
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
