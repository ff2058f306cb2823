import type { IntegrationSpaceInstallation } from '@gitbook/api';
import { spaceInstallations } from '../upstream/content-installations.js';
import { defineContentInstallation } from './content-installation/index.js';

export const {
  Ref: SpaceInstallationRef,
  ContentRef: SpaceRef,
  Connection: SpaceInstallationConnection,
} = defineContentInstallation({
  content: 'Space',
  restSchema: 'IntegrationSpaceInstallation',
  contentOf: (item) => (item as IntegrationSpaceInstallation).space,
  contentIdKind: 'entityId',
  upstream: spaceInstallations,
  rest: 'spaces',
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
