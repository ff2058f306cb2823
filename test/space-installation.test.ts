import type { Space } from '@gitbook/api';
import { contentInstallationSuite } from './helpers/content-installation-suite.js';
import { useHarness } from './helpers/harness.js';
import { allCaps, orNull } from './helpers/rest-fixtures.js';

/**
 * Integration.spaceInstallations (GET /integrations/{name}/spaces),
 * Installation.spaceInstallations (GET …/installations/{id}/spaces) and
 * Installation.spaceInstallation (GET …/installations/{id}/spaces/{spaceId}),
 * with `extended=true` asked for only when a space is read beyond its id.
 */

const h = await useHarness();
const enumOrNull = (value: string | undefined) => (value === undefined ? null : allCaps(value));

contentInstallationSuite(h, {
  kind: 'space',
  type: 'Space',
  segment: 'spaces',
  invalidId: 'not/a space',
  contentSelection: `
    title emoji visibility createdAt updatedAt deletedAt editMode type
    urls { app location public published icon }
    organization parent language revision defaultLevel
    comments changeRequests changeRequestsOpen changeRequestsDraft
    gitSync visitorAuth mergeRules permissions
  `,
  expectedContent: (space: Space) => ({
    title: space.title,
    emoji: space.emoji,
    visibility: allCaps(space.visibility),
    createdAt: space.createdAt,
    updatedAt: space.updatedAt,
    deletedAt: orNull(space.deletedAt),
    editMode: enumOrNull(space.editMode),
    type: enumOrNull(space.type),
    urls: {
      app: space.urls.app,
      location: space.urls.location,
      public: orNull(space.urls.public),
      published: orNull(space.urls.published),
      icon: orNull(space.urls.icon),
    },
    organization: space.organization,
    parent: orNull(space.parent),
    language: enumOrNull(space.language),
    revision: space.revision,
    defaultLevel: space.defaultLevel,
    comments: space.comments,
    changeRequests: space.changeRequests,
    changeRequestsOpen: space.changeRequestsOpen,
    changeRequestsDraft: space.changeRequestsDraft,
    gitSync: orNull(space.gitSync),
    visitorAuth: orNull(space.visitorAuth),
    mergeRules: space.mergeRules,
    permissions: space.permissions,
  }),
});
