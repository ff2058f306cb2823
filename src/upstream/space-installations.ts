import type { IntegrationSpaceInstallation } from '@gitbook/api';
import { contentInstallationOperations } from './content-installations.js';

/** The space installation operations; the shared logic is in content-installations.ts. */
const spaces = contentInstallationOperations<IntegrationSpaceInstallation>('spaces', (spaceId) => ({ space: spaceId }));

/** GET /integrations/{integrationName}/spaces */
export const listIntegrationSpaceInstallations = spaces.listForIntegration;

/** GET /integrations/{integrationName}/installations/{installationId}/spaces */
export const listIntegrationInstallationSpaces = spaces.listForInstallation;

/** GET /integrations/{integrationName}/installations/{installationId}/spaces/{spaceId} */
export const getIntegrationSpaceInstallation = spaces.get;

/** POST /integrations/{integrationName}/installations/{installationId}/spaces, body `{ space }` */
export const installIntegrationOnSpace = spaces.install;

/** PATCH /integrations/{integrationName}/installations/{installationId}/spaces/{spaceId} */
export const updateIntegrationSpaceInstallation = spaces.update;

/** DELETE /integrations/{integrationName}/installations/{installationId}/spaces/{spaceId} */
export const uninstallIntegrationFromSpace = spaces.uninstall;
