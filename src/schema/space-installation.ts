import type { IntegrationSpaceInstallation } from '@gitbook/api';
import {
  getIntegrationSpaceInstallation,
  installIntegrationOnSpace,
  uninstallIntegrationFromSpace,
  updateIntegrationSpaceInstallation,
  listIntegrationInstallationSpaces,
  listIntegrationSpaceInstallations,
} from '../upstream/space-installations.js';
import { defineContentInstallation } from './content-installation.js';
import { checkEntityId } from './validation.js';

export const {
  Ref: SpaceInstallationRef,
  ContentRef: SpaceRef,
  Connection: SpaceInstallationConnection,
} = defineContentInstallation({
  content: 'Space',
  restSchema: 'IntegrationSpaceInstallation',
  contentOf: (item) => (item as IntegrationSpaceInstallation).space,
  checkContentId: checkEntityId,
  upstream: {
    listForIntegration: (context, integrationName, query) =>
      listIntegrationSpaceInstallations(context.rest, integrationName, query),
    listForInstallation: (context, integrationName, installationId, query) =>
      listIntegrationInstallationSpaces(context.rest, integrationName, installationId, query),
    get: (context, integrationName, installationId, spaceId, extended) =>
      getIntegrationSpaceInstallation(context.rest, integrationName, installationId, spaceId, extended),
    install: (context, integrationName, installationId, spaceId, extended) =>
      installIntegrationOnSpace(context.rest, integrationName, installationId, spaceId, extended),
    update: (context, integrationName, installationId, spaceId, body, extended) =>
      updateIntegrationSpaceInstallation(context.rest, integrationName, installationId, spaceId, body, extended),
    uninstall: (context, integrationName, installationId, spaceId) =>
      uninstallIntegrationFromSpace(context.rest, integrationName, installationId, spaceId),
  },
  operations: {
    listForIntegration: 'listIntegrationSpaceInstallations',
    listForInstallation: 'listIntegrationInstallationSpaces',
    get: 'getIntegrationSpaceInstallation',
    install: 'installIntegrationOnSpace',
    update: 'updateIntegrationSpaceInstallation',
    uninstall: 'uninstallIntegrationFromSpace',
  },
  contentProperties: [
    'title',
    'emoji',
    'visibility',
    'createdAt',
    'updatedAt',
    'deletedAt',
    'editMode',
    'type',
    'urls',
    'organization',
    'parent',
    'language',
    'revision',
    'defaultLevel',
    'comments',
    'changeRequests',
    'changeRequestsOpen',
    'changeRequestsDraft',
    'gitSync',
    'visitorAuth',
    'mergeRules',
    'permissions',
  ],
  contentTypes: { comments: 'Int', changeRequests: 'Int', changeRequestsOpen: 'Int', changeRequestsDraft: 'Int' },
  contentDescriptions: {
    createdAt: 'When the space was created.',
    updatedAt: 'When the space was last updated.',
    deletedAt: 'When the space was deleted, if it was.',
    mergeRules: 'The rules that apply when change requests are merged in the space.',
    language: 'The language of the content of the space.',
    gitSync: 'The state of the Git Sync of the space, if it is synchronised.',
    visitorAuth: 'How visitors authenticate to read the space, if they must.',
  },
});
