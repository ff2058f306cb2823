/**
 * The gateway's scope: the REST operations tagged `integrations` in the
 * official document, plus `installIntegrationOnSpace` and
 * `getOrganizationById`, by their operationIds. The simulator implements
 * these; the gateway's REST client names every call after one of them (in
 * spans, metrics and logs).
 */
export const GATEWAY_OPERATIONS = [
  'listIntegrations',
  'getIntegrationByName',
  'publishIntegration',
  'unpublishIntegration',
  'listIntegrationInstallations',
  'installIntegration',
  'listIntegrationEvents',
  'getIntegrationEvent',
  'listIntegrationSpaceInstallations',
  'listIntegrationSiteInstallations',
  'setIntegrationDevelopmentMode',
  'disableIntegrationDevelopmentMode',
  'renderIntegrationUIWithGet',
  'renderIntegrationUIWithPost',
  'queueIntegrationTask',
  'getIntegrationInstallationById',
  'updateIntegrationInstallation',
  'uninstallIntegration',
  'createIntegrationInstallationToken',
  'listIntegrationInstallationSpaces',
  'installIntegrationOnSpace',
  'getIntegrationSpaceInstallation',
  'updateIntegrationSpaceInstallation',
  'uninstallIntegrationFromSpace',
  'listIntegrationInstallationSites',
  'installIntegrationOnSite',
  'getIntegrationSiteInstallation',
  'updateIntegrationSiteInstallation',
  'uninstallIntegrationFromSite',
  'getOrganizationById',
  'listOrganizationIntegrations',
  'getOrganizationIntegrationStatus',
  'listOrganizationInstallations',
  'listOrganizationIntegrationsStatus',
  'listSiteIntegrationScripts',
  'listSiteIntegrations',
] as const;

export type OperationId = (typeof GATEWAY_OPERATIONS)[number];
