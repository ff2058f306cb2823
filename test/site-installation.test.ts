import type { Site } from '@gitbook/api';
import { contentInstallationSuite } from './helpers/content-installation-suite.js';
import { useHarness } from './helpers/harness.js';
import { allCaps, orNull } from './helpers/rest-fixtures.js';

/**
 * Integration.siteInstallations (GET /integrations/{name}/sites),
 * Installation.siteInstallations (GET …/installations/{id}/sites) and
 * Installation.siteInstallation (GET …/installations/{id}/sites/{siteId}),
 * with `extended=true` asked for only when a site is read beyond its id.
 */

const h = await useHarness();

contentInstallationSuite(h, {
  kind: 'site',
  type: 'Site',
  segment: 'sites',
  invalidId: '   ',
  contentSelection: `
    title type appliedType visibility published hostname basename icon proxy defaultLevel permissions
    siteSpaces createdAt lastScanAt
    urls { app location preview published login logout }
    features adaptiveContent ads gitSync styleguide
  `,
  expectedContent: (site: Site) => ({
    title: site.title,
    type: allCaps(site.type),
    appliedType: allCaps(site.appliedType),
    visibility: allCaps(site.visibility),
    published: site.published,
    hostname: orNull(site.hostname),
    basename: orNull(site.basename),
    icon: orNull(site.icon),
    proxy: orNull(site.proxy),
    defaultLevel: site.defaultLevel,
    permissions: site.permissions,
    siteSpaces: site.siteSpaces,
    createdAt: site.createdAt,
    lastScanAt: orNull(site.lastScanAt),
    urls: {
      app: site.urls.app,
      location: site.urls.location,
      preview: site.urls.preview,
      published: orNull(site.urls.published),
      login: orNull(site.urls.login),
      logout: orNull(site.urls.logout),
    },
    features: site.features,
    adaptiveContent: orNull(site.adaptiveContent),
    ads: orNull(site.ads),
    gitSync: orNull(site.gitSync),
    styleguide: orNull(site.styleguide),
  }),
});
