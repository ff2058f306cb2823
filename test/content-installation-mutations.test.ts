import type { IntegrationSiteInstallation, IntegrationSpaceInstallation } from '@gitbook/api';
import { describe, expect, it } from 'vitest';
import { type InstallationRecord, POPULAR_INTEGRATION, SEEDED_USERS } from '../src/simulator/index.js';
import { configurationStatus } from '../src/simulator/model.js';
import { useHarness } from './helpers/harness.js';
import { allCaps, errorSummary, rest, restAll, TOKENS } from './helpers/rest-fixtures.js';
import { expectedWrite } from './helpers/write-fixtures.js';

const h = await useHarness({ resetStateBeforeEach: true });
const store = h.simulator.store;

const SLACK = POPULAR_INTEGRATION;
const DEMO_ORGS = SEEDED_USERS.demo.organizations;

type Item = IntegrationSpaceInstallation | IntegrationSiteInstallation;

/**
 * Space and site installations have the same three writes; each kind runs the
 * same behaviours with its own names. The install bodies differ as the spec
 * says: `{space}` for spaces, `{siteId}` for sites.
 */
interface Kind {
  kind: 'space' | 'site';
  Kind: 'Space' | 'Site';
  segment: 'spaces' | 'sites';
  installBody: (id: string) => Record<string, string>;
  /** The ids of every space/site of an organization. */
  contentOf: (orgId: string) => string[];
  /** A configuration slack accepts at this level. */
  configuration: Record<string, unknown>;
}

const KINDS: Kind[] = [
  {
    kind: 'space',
    Kind: 'Space',
    segment: 'spaces',
    installBody: (id) => ({ space: id }),
    contentOf: (orgId) => store.spacesOf(orgId).map((space) => space.id),
    configuration: { channel: '#docs-updates', notify_content_update: false },
  },
  {
    kind: 'site',
    Kind: 'Site',
    segment: 'sites',
    installBody: (id) => ({ siteId: id }),
    contentOf: (orgId) => store.sitesOf(orgId).map((site) => site.site.id),
    configuration: { banner: 'Ask us in #help' },
  },
];

const slackInstallations = (): InstallationRecord[] => {
  const record = store.integrations.get(SLACK);
  if (!record) throw new Error('no slack in the store');
  return [...record.installations.values()].filter((inst) => DEMO_ORGS.includes(inst.organizationId));
};

/** A slack installation of an organization of demo and one of its spaces/sites slack is not on yet. */
function free(k: Kind): { installationId: string; contentId: string; orgId: string } {
  for (const inst of slackInstallations()) {
    const contentId = k.contentOf(inst.organizationId).find((id) => !inst.content[k.kind].has(id));
    if (contentId) return { installationId: inst.installation.id, contentId, orgId: inst.organizationId };
  }
  throw new Error(`every ${k.kind} of demo's organizations has slack`);
}

/** A slack installation of an organization of demo and one of the spaces/sites it is on. */
function installed(k: Kind): { installationId: string; contentId: string; orgId: string } {
  for (const inst of slackInstallations()) {
    const [contentId] = inst.content[k.kind].keys();
    if (contentId) return { installationId: inst.installation.id, contentId, orgId: inst.organizationId };
  }
  throw new Error(`slack is on no ${k.kind} of demo's organizations`);
}

/** A space/site of another organization than `orgId`. */
function foreign(k: Kind, orgId: string): string {
  const other = DEMO_ORGS.find((id) => id !== orgId && k.contentOf(id).length > 0);
  const contentId = other ? k.contentOf(other)[0] : undefined;
  if (!contentId) throw new Error(`no ${k.kind} outside ${orgId}`);
  return contentId;
}

for (const k of KINDS) {
  const { kind, Kind, segment } = k;
  const idField = `${kind}Id`;
  const payloadField = `${kind}Installation`;
  const listPath = (installationId: string) => `/integrations/${SLACK}/installations/${installationId}/${segment}`;
  const itemPath = (installationId: string, contentId: string) => `${listPath(installationId)}/${contentId}`;
  const FIELDS = `${idField} status configuration externalIds urls { location } installation { installationId }`;
  const expectedItem = (item: Item, contentId: string) => ({
    [idField]: contentId,
    status: allCaps(item.status),
    configuration: item.configuration,
    externalIds: item.externalIds,
    urls: { location: item.urls.location },
    installation: { installationId: item.installation },
  });
  const READ = `query ($installationId: String!, $contentId: String!) {
    integration(name: "${SLACK}") {
      installation(installationId: $installationId) {
        ${payloadField}(${idField}: $contentId) { id ${FIELDS} }
        ${kind}Installations(first: 1000) { totalCount nodes { ${idField} } }
      }
    }
  }`;
  const INSTALL = `mutation ($installationId: String!, $contentId: String!) {
    installIntegrationOn${Kind}(input: { integrationName: "${SLACK}", installationId: $installationId, ${idField}: $contentId }) {
      ${payloadField} { id ${FIELDS} }
    }
  }`;
  const UPDATE = `mutation ($input: Update${Kind}InstallationInput!) {
    update${Kind}Installation(input: $input) { ${payloadField} { ${FIELDS} } }
  }`;
  const UNINSTALL = `mutation ($installationId: String!, $contentId: String!) {
    uninstallIntegrationFrom${Kind}(input: { integrationName: "${SLACK}", installationId: $installationId, ${idField}: $contentId }) {
      deleted${Kind}InstallationId
    }
  }`;

  describe(`installIntegrationOn${Kind}`, () => {
    it(`sends POST …/${segment} with ${JSON.stringify(k.installBody('<id>'))}; a later query finds the new ${kind} installation`, async () => {
      const { installationId, contentId } = free(k);
      const before = await restAll<Item>(h, listPath(installationId));

      const data = await h.data(INSTALL, { installationId, contentId });
      expect(h.calls()).toEqual([
        expectedWrite('POST', listPath(installationId), { status: 201, body: k.installBody(contentId) }),
      ]);
      const item = await rest<Item>(h, itemPath(installationId, contentId));
      const created = data[`installIntegrationOn${Kind}`][payloadField];
      expect(created).toEqual({ id: expect.any(String), ...expectedItem(item, contentId) });

      // Read after write.
      h.resetCalls();
      const later = await h.data(READ, { installationId, contentId });
      const installation = later.integration.installation;
      expect(installation[payloadField]).toEqual(created);
      expect(installation[`${kind}Installations`].totalCount).toBe(before.length + 1);
      expect(installation[`${kind}Installations`].nodes).toContainEqual({ [idField]: contentId });
    });

    it(`selecting ${kind} { title } sends extended=true on the POST itself and makes no other call`, async () => {
      const { installationId, contentId } = free(k);
      const data = await h.data(
        `mutation ($installationId: String!, $contentId: String!) {
        installIntegrationOn${Kind}(input: { integrationName: "${SLACK}", installationId: $installationId, ${idField}: $contentId }) {
          ${payloadField} { ${idField} ${kind} { id title } }
        }
      }`,
        { installationId, contentId },
      );
      expect(h.calls()).toEqual([
        expectedWrite('POST', listPath(installationId), {
          status: 201,
          query: { extended: 'true' },
          body: k.installBody(contentId),
        }),
      ]);
      const extended = await rest<any>(h, itemPath(installationId, contentId), { extended: true });
      expect(data[`installIntegrationOn${Kind}`][payloadField]).toEqual({
        [idField]: contentId,
        [kind]: { id: contentId, title: extended[kind].title },
      });
      expect(typeof extended[kind].title).toBe('string');
    });

    it(`selecting only ${kind} { id } asks for no extended form`, async () => {
      const { installationId, contentId } = free(k);
      const data = await h.data(
        `mutation ($installationId: String!, $contentId: String!) {
        installIntegrationOn${Kind}(input: { integrationName: "${SLACK}", installationId: $installationId, ${idField}: $contentId }) {
          ${payloadField} { ${kind} { id } }
        }
      }`,
        { installationId, contentId },
      );
      expect(h.calls()).toEqual([
        expectedWrite('POST', listPath(installationId), { status: 201, body: k.installBody(contentId) }),
      ]);
      expect(data[`installIntegrationOn${Kind}`][payloadField]).toEqual({ [kind]: { id: contentId } });
    });

    it(`installing on the same ${kind} twice: CONFLICT with status 409, sent once`, async () => {
      const { installationId, contentId } = installed(k);
      const response = await h.graphql(INSTALL, { installationId, contentId });
      expect(response.data).toEqual({ [`installIntegrationOn${Kind}`]: null });
      expect(errorSummary(response)).toEqual([
        { path: [`installIntegrationOn${Kind}`], code: 'CONFLICT', status: 409 },
      ]);
      expect(h.calls()).toEqual([
        expectedWrite('POST', listPath(installationId), { status: 409, body: k.installBody(contentId) }),
      ]);
    });

    it(`a ${kind} of another organization: BAD_USER_INPUT with status 400, sent once, and nothing is installed`, async () => {
      const { installationId, orgId } = free(k);
      const contentId = foreign(k, orgId);
      const before = await restAll<Item>(h, listPath(installationId));
      const response = await h.graphql(INSTALL, { installationId, contentId });
      expect(errorSummary(response)).toEqual([
        { path: [`installIntegrationOn${Kind}`], code: 'BAD_USER_INPUT', status: 400 },
      ]);
      expect(h.calls()).toEqual([
        expectedWrite('POST', listPath(installationId), { status: 400, body: k.installBody(contentId) }),
      ]);
      expect(await restAll<Item>(h, listPath(installationId))).toEqual(before);
    });

    it(`forwards the caller’s Authorization: an installation the caller cannot see is NOT_FOUND (404), sent once`, async () => {
      const { installationId, contentId } = free(k);
      const response = await h.graphql(INSTALL, { installationId, contentId }, { token: TOKENS.bob });
      expect(errorSummary(response)).toEqual([
        { path: [`installIntegrationOn${Kind}`], code: 'NOT_FOUND', status: 404 },
      ]);
      expect(h.calls()).toEqual([
        expectedWrite('POST', listPath(installationId), {
          status: 404,
          body: k.installBody(contentId),
          token: TOKENS.bob,
        }),
      ]);
    });
  });

  describe(`update${Kind}Installation`, () => {
    it(`sends PATCH …/${segment}/{${idField}} with {externalIds, configuration}; a later query shows the change`, async () => {
      const { installationId, contentId } = installed(k);
      const input = {
        integrationName: SLACK,
        installationId,
        [idField]: contentId,
        externalIds: ['C0001', 'C0002'],
        configuration: k.configuration,
      };
      const data = await h.data(UPDATE, { input });
      expect(h.calls()).toEqual([
        expectedWrite('PATCH', itemPath(installationId, contentId), {
          status: 200,
          body: { externalIds: ['C0001', 'C0002'], configuration: k.configuration },
        }),
      ]);
      const item = await rest<Item>(h, itemPath(installationId, contentId));
      expect(item).toMatchObject({ externalIds: ['C0001', 'C0002'], configuration: k.configuration });
      expect(data[`update${Kind}Installation`][payloadField]).toEqual(expectedItem(item, contentId));

      h.resetCalls();
      const later = await h.data(READ, { installationId, contentId });
      const { id: _id, ...fields } = later.integration.installation[payloadField];
      expect(fields).toEqual(data[`update${Kind}Installation`][payloadField]);
    });

    it('sends only the fields the input sets (null counts as unset)', async () => {
      const { installationId, contentId } = installed(k);
      const before = await rest<Item>(h, itemPath(installationId, contentId));
      const data = await h.data(UPDATE, {
        input: {
          integrationName: SLACK,
          installationId,
          [idField]: contentId,
          externalIds: ['only'],
          configuration: null,
        },
      });
      expect(h.calls()).toEqual([
        expectedWrite('PATCH', itemPath(installationId, contentId), { status: 200, body: { externalIds: ['only'] } }),
      ]);
      expect(data[`update${Kind}Installation`][payloadField]).toMatchObject({
        externalIds: ['only'],
        configuration: before.configuration,
      });
    });

    it(`selecting ${kind} { title } sends extended=true on the PATCH itself and makes no other call`, async () => {
      const { installationId, contentId } = installed(k);
      const data = await h.data(
        `mutation ($input: Update${Kind}InstallationInput!) {
        update${Kind}Installation(input: $input) { ${payloadField} { externalIds ${kind} { title } } }
      }`,
        { input: { integrationName: SLACK, installationId, [idField]: contentId, externalIds: ['e'] } },
      );
      expect(h.calls()).toEqual([
        expectedWrite('PATCH', itemPath(installationId, contentId), {
          status: 200,
          query: { extended: 'true' },
          body: { externalIds: ['e'] },
        }),
      ]);
      const extended = await rest<any>(h, itemPath(installationId, contentId), { extended: true });
      expect(data[`update${Kind}Installation`][payloadField]).toEqual({
        externalIds: ['e'],
        [kind]: { title: extended[kind].title },
      });
    });

    it('more than 5 externalIds are refused with BAD_USER_INPUT before any call', async () => {
      const { installationId, contentId } = installed(k);
      const response = await h.graphql(UPDATE, {
        input: {
          integrationName: SLACK,
          installationId,
          [idField]: contentId,
          externalIds: ['1', '2', '3', '4', '5', '6'],
        },
      });
      expect(response.data).toEqual({ [`update${Kind}Installation`]: null });
      expect(errorSummary(response)).toEqual([
        { path: [`update${Kind}Installation`], code: 'BAD_USER_INPUT', status: undefined },
      ]);
      expect(response.errors?.[0]?.message).toContain('externalIds');
      expect(h.calls()).toEqual([]);
    });

    it(`a ${kind} slack is not on: NOT_FOUND with status 404, sent once`, async () => {
      const { installationId, contentId } = free(k);
      const response = await h.graphql(UPDATE, {
        input: { integrationName: SLACK, installationId, [idField]: contentId, externalIds: [] },
      });
      expect(errorSummary(response)).toEqual([{ path: [`update${Kind}Installation`], code: 'NOT_FOUND', status: 404 }]);
      expect(h.calls()).toEqual([
        expectedWrite('PATCH', itemPath(installationId, contentId), { status: 404, body: { externalIds: [] } }),
      ]);
    });
  });

  describe(`uninstallIntegrationFrom${Kind}`, () => {
    it(`sends DELETE …/${segment}/{${idField}}; the deleted id is the one it had; a later query no longer finds it`, async () => {
      const { installationId, contentId } = installed(k);
      const before = await h.data(READ, { installationId, contentId });
      const globalId = before.integration.installation[payloadField].id;
      const count = before.integration.installation[`${kind}Installations`].totalCount;
      h.resetCalls();

      const data = await h.data(UNINSTALL, { installationId, contentId });
      expect(h.calls()).toEqual([expectedWrite('DELETE', itemPath(installationId, contentId), { status: 205 })]);
      expect(data).toEqual({ [`uninstallIntegrationFrom${Kind}`]: { [`deleted${Kind}InstallationId`]: globalId } });

      h.resetCalls();
      const later = await h.graphql(READ, { installationId, contentId });
      const installation = later.data?.integration.installation;
      expect(installation[payloadField]).toBeNull();
      expect(errorSummary(later)).toEqual([
        { path: ['integration', 'installation', payloadField], code: 'NOT_FOUND', status: 404 },
      ]);
      expect(installation[`${kind}Installations`].totalCount).toBe(count - 1);
      expect(installation[`${kind}Installations`].nodes).not.toContainEqual({ [idField]: contentId });
    });

    it(`a ${kind} slack is not on: NOT_FOUND, sent once`, async () => {
      const { installationId, contentId } = free(k);
      const response = await h.graphql(UNINSTALL, { installationId, contentId });
      expect(response.data).toEqual({ [`uninstallIntegrationFrom${Kind}`]: null });
      // REST answers 204 when there was nothing to delete.
      expect(errorSummary(response)).toEqual([
        { path: [`uninstallIntegrationFrom${Kind}`], code: 'NOT_FOUND', status: 204 },
      ]);
      expect(h.calls()).toEqual([expectedWrite('DELETE', itemPath(installationId, contentId), { status: 204 })]);
    });

    it(`an empty ${idField} is BAD_USER_INPUT with no REST call`, async () => {
      const { installationId } = installed(k);
      const response = await h.graphql(UNINSTALL, { installationId, contentId: '' });
      expect(errorSummary(response)).toEqual([
        { path: [`uninstallIntegrationFrom${Kind}`], code: 'BAD_USER_INPUT', status: undefined },
      ]);
      expect(h.calls()).toEqual([]);
    });
  });
}

describe('space installation writes in one document', () => {
  it('a status read before an update is read again after it, from the answer of the write', async () => {
    const space = KINDS[0]!;
    const { installationId, contentId } = free(space);
    // slack's space configuration requires a channel: a new space installation waits for it.
    const data = await h.data(
      `mutation ($installationId: String!, $spaceId: String!) {
      install: installIntegrationOnSpace(input: { integrationName: "${SLACK}", installationId: $installationId, spaceId: $spaceId }) {
        spaceInstallation { status installation { spaceInstallation(spaceId: $spaceId) { status configuration } } }
      }
      configure: updateSpaceInstallation(input: {
        integrationName: "${SLACK}", installationId: $installationId, spaceId: $spaceId, configuration: { channel: "#docs" }
      }) {
        spaceInstallation { status installation { spaceInstallation(spaceId: $spaceId) { status configuration } } }
      }
    }`,
      { installationId, spaceId: contentId },
    );
    const schema = store.integrations.get(SLACK)?.integration.configurations?.space;
    const pending = allCaps(configurationStatus(schema, {}));
    const after = await rest<IntegrationSpaceInstallation>(
      h,
      `/integrations/${SLACK}/installations/${installationId}/spaces/${contentId}`,
    );
    // The configuration changes the status, so a stale read would show.
    expect(allCaps(after.status)).not.toBe(pending);
    expect(data).toEqual({
      install: {
        spaceInstallation: {
          status: pending,
          installation: { spaceInstallation: { status: pending, configuration: {} } },
        },
      },
      configure: {
        spaceInstallation: {
          status: allCaps(after.status),
          installation: { spaceInstallation: { status: allCaps(after.status), configuration: { channel: '#docs' } } },
        },
      },
    });
    const path = `/integrations/${SLACK}/installations/${installationId}`;
    // Each read after a write is the write's own answer; the installation is
    // known by the key GitBook gave, so reading through it costs no GET of it.
    expect(h.calls()).toEqual([
      expectedWrite('POST', `${path}/spaces`, { status: 201, body: { space: contentId } }),
      expectedWrite('PATCH', `${path}/spaces/${contentId}`, {
        status: 200,
        body: { configuration: { channel: '#docs' } },
      }),
    ]);
  });
});
