import type { IntegrationInstallation } from '@gitbook/api';
import { describe, expect, it } from 'vitest';
import { organizationId, POPULAR_INTEGRATION, SEEDED_USERS } from '../src/simulator/index.js';
import { useHarness } from './helpers/harness.js';
import { errorSummary, expectedGet, rest, restAll, TOKENS } from './helpers/rest-fixtures.js';
import { expectedInstallation, expectedWrite, INSTALLATION_FIELDS } from './helpers/write-fixtures.js';

const h = await useHarness({ resetStateBeforeEach: true });
const store = h.simulator.store;

const SLACK = POPULAR_INTEGRATION;
const KUDOS = 'kudos';
const NORTHWIND = organizationId('northwind');
const DEMO_ORGS = SEEDED_USERS.demo.organizations;

const record = (name: string) => {
  const found = store.integrations.get(name);
  if (!found) throw new Error(`no integration ${name} in the store`);
  return found;
};

/** An organization demo belongs to where `name` is not installed (state is reset before each test). */
function freeOrganization(name: string): string {
  const org = DEMO_ORGS.find((id) => store.organizations.has(id) && !store.installationIn(record(name), id));
  if (!org) throw new Error(`${name} is installed in every organization of demo`);
  return org;
}

/** A slack installation in an organization demo belongs to. */
function demoSlackInstallation(): string {
  const inst = [...record(SLACK).installations.values()].find((candidate) =>
    DEMO_ORGS.includes(candidate.organizationId),
  );
  if (!inst) throw new Error('no slack installation in an organization of demo');
  return inst.installation.id;
}

function northwindSlackInstallation(): string {
  const inst = store.installationIn(record(SLACK), NORTHWIND);
  if (!inst) throw new Error('slack is not installed in Northwind');
  return inst.installation.id;
}

const installationPath = (name: string, id: string) => `/integrations/${name}/installations/${id}`;

const INSTALL = /* GraphQL */ `
  ${INSTALLATION_FIELDS}
  mutation Install($input: InstallIntegrationInput!) {
    installIntegration(input: $input) { installation { id ...InstallationFields } }
  }
`;
const UPDATE = /* GraphQL */ `
  ${INSTALLATION_FIELDS}
  mutation Update($input: UpdateInstallationInput!) {
    updateInstallation(input: $input) { installation { ...InstallationFields } }
  }
`;
const READ_INSTALLATION = /* GraphQL */ `
  ${INSTALLATION_FIELDS}
  query ReadInstallation($name: String!, $id: String!) {
    integration(name: $name) { installation(installationId: $id) { ...InstallationFields } }
  }
`;

describe('installIntegration', () => {
  it('sends POST …/installations with {organization}; the payload is the new installation, read from the answer', async () => {
    const org = freeOrganization(KUDOS);
    const data = await h.data(INSTALL, { input: { integrationName: KUDOS, organizationId: org } });
    expect(h.calls()).toEqual([
      expectedWrite('POST', `/integrations/${KUDOS}/installations`, { status: 201, body: { organization: org } }),
    ]);
    const created = store.installationIn(record(KUDOS), org);
    expect(created).toBeDefined();
    const installation = await rest<IntegrationInstallation>(h, installationPath(KUDOS, created!.installation.id));
    const { id, ...fields } = data.installIntegration.installation;
    expect(fields).toEqual(expectedInstallation(installation));

    // Read after write: the installation is listed, found by its global ID, and its status is the organization's.
    h.resetCalls();
    const later = await h.data(
      `query ($id: ID!) {
      integration(name: "${KUDOS}") { installations(first: 1000) { nodes { id installationId } } }
      node(id: $id) { ... on Installation { installationId } }
      organization(organizationId: "${org}") { integrationInstallationStatus(integrationName: "${KUDOS}") }
    }`,
      { id },
    );
    expect(later.integration.installations.nodes).toContainEqual({ id, installationId: installation.id });
    expect(later.node).toEqual({ installationId: installation.id });
    expect(later.organization.integrationInstallationStatus).toBe(fields.status);
  });

  it('installing twice: the second is CONFLICT with status 409, sent once, and there is still one installation', async () => {
    const org = freeOrganization(KUDOS);
    await h.data(INSTALL, { input: { integrationName: KUDOS, organizationId: org } });
    h.resetCalls();

    const response = await h.graphql(INSTALL, { input: { integrationName: KUDOS, organizationId: org } });
    expect(response.data).toEqual({ installIntegration: null });
    expect(errorSummary(response)).toEqual([{ path: ['installIntegration'], code: 'CONFLICT', status: 409 }]);
    expect(h.calls()).toEqual([
      expectedWrite('POST', `/integrations/${KUDOS}/installations`, { status: 409, body: { organization: org } }),
    ]);

    h.resetCalls();
    const later = await h.data(
      `{ integration(name: "${KUDOS}") { installations(first: 1000) { nodes { organization { organizationId } } } } }`,
    );
    const inOrg = later.integration.installations.nodes.filter(
      (node: { organization: { organizationId: string } }) => node.organization.organizationId === org,
    );
    expect(inOrg).toHaveLength(1);
  });

  it('forwards the caller’s Authorization: an organization the caller is not a member of is FORBIDDEN (403), sent once', async () => {
    const org = freeOrganization(KUDOS);
    const response = await h.graphql(
      INSTALL,
      { input: { integrationName: KUDOS, organizationId: org } },
      { token: TOKENS.alice },
    );
    expect(errorSummary(response)).toEqual([{ path: ['installIntegration'], code: 'FORBIDDEN', status: 403 }]);
    expect(h.calls()).toEqual([
      expectedWrite('POST', `/integrations/${KUDOS}/installations`, {
        status: 403,
        body: { organization: org },
        token: TOKENS.alice,
      }),
    ]);
    expect(store.installationIn(record(KUDOS), org)).toBeUndefined();
  });

  it('an organizationId that is no id is BAD_USER_INPUT with no REST call', async () => {
    for (const organizationId of ['', 'not an id', '../orgs']) {
      const response = await h.graphql(INSTALL, { input: { integrationName: KUDOS, organizationId } });
      expect(errorSummary(response), organizationId).toEqual([
        { path: ['installIntegration'], code: 'BAD_USER_INPUT', status: undefined },
      ]);
    }
    expect(h.calls()).toEqual([]);
  });
});

describe('updateInstallation', () => {
  it('sends PATCH with space_selection/site_selection in REST spelling, externalIds and configuration', async () => {
    const id = demoSlackInstallation();
    const inst = record(SLACK).installations.get(id)!;
    const input = {
      integrationName: SLACK,
      installationId: id,
      externalIds: ['T0001', 'T0002'],
      configuration: { workspace: 'acme-docs', default_channel: '#docs' },
      spaceSelection: 'ALL',
      siteSelection: 'SELECTED',
    };
    const data = await h.data(UPDATE, { input });
    expect(h.calls()).toEqual([
      expectedWrite('PATCH', installationPath(SLACK, id), {
        status: 200,
        body: {
          externalIds: ['T0001', 'T0002'],
          configuration: { workspace: 'acme-docs', default_channel: '#docs' },
          space_selection: 'all',
          site_selection: 'selected',
        },
      }),
    ]);
    const installation = await rest<IntegrationInstallation>(h, installationPath(SLACK, id));
    expect(installation).toMatchObject({
      externalIds: input.externalIds,
      configuration: input.configuration,
      space_selection: 'all',
    });
    expect(data.updateInstallation.installation).toEqual(expectedInstallation(installation));

    // Read after write: a later query, and the effect of "all spaces" on the installation's space list.
    h.resetCalls();
    const later = await h.data(
      `${INSTALLATION_FIELDS} query ($id: String!) {
      integration(name: "${SLACK}") { installation(installationId: $id) { ...InstallationFields spaceInstallations { totalCount } } }
    }`,
      { id },
    );
    const { spaceInstallations, ...fields } = later.integration.installation;
    expect(fields).toEqual(data.updateInstallation.installation);
    expect(fields).toMatchObject({ spaceSelection: 'ALL', siteSelection: 'SELECTED', externalIds: input.externalIds });
    expect(spaceInstallations.totalCount).toBe(store.spacesOf(inst.organizationId).length);
  });

  it('sends only the fields the input sets (null counts as unset)', async () => {
    const id = demoSlackInstallation();
    const before = await rest<IntegrationInstallation>(h, installationPath(SLACK, id));
    const data = await h.data(UPDATE, {
      input: {
        integrationName: SLACK,
        installationId: id,
        siteSelection: 'ALL',
        externalIds: null,
        configuration: null,
      },
    });
    expect(h.calls()).toEqual([
      expectedWrite('PATCH', installationPath(SLACK, id), { status: 200, body: { site_selection: 'all' } }),
    ]);
    expect(data.updateInstallation.installation).toMatchObject({
      siteSelection: 'ALL',
      externalIds: before.externalIds,
      configuration: before.configuration,
    });
  });

  it('a payload field that needs a GET issues it after the PATCH, and sees the change', async () => {
    const id = demoSlackInstallation();
    const inst = record(SLACK).installations.get(id)!;
    const data = await h.data(
      `mutation ($id: String!) {
      updateInstallation(input: { integrationName: "${SLACK}", installationId: $id, spaceSelection: ALL }) {
        installation { spaceSelection spaceInstallations(first: 1) { totalCount } }
      }
    }`,
      { id },
    );
    expect(data.updateInstallation.installation).toEqual({
      spaceSelection: 'ALL',
      spaceInstallations: { totalCount: store.spacesOf(inst.organizationId).length },
    });
    expect(h.calls()).toEqual([
      expectedWrite('PATCH', installationPath(SLACK, id), { status: 200, body: { space_selection: 'all' } }),
      expectedGet(`${installationPath(SLACK, id)}/spaces`, { limit: '1' }),
    ]);
  });

  it('more than 5 externalIds are refused with BAD_USER_INPUT before any call', async () => {
    const id = demoSlackInstallation();
    const before = await rest<IntegrationInstallation>(h, installationPath(SLACK, id));
    const response = await h.graphql(UPDATE, {
      input: { integrationName: SLACK, installationId: id, externalIds: ['a', 'b', 'c', 'd', 'e', 'f'] },
    });
    expect(response.data).toEqual({ updateInstallation: null });
    expect(errorSummary(response)).toEqual([
      { path: ['updateInstallation'], code: 'BAD_USER_INPUT', status: undefined },
    ]);
    expect(response.errors?.[0]?.message).toContain('externalIds');
    expect(h.calls()).toEqual([]);
    expect((await rest<IntegrationInstallation>(h, installationPath(SLACK, id))).externalIds).toEqual(
      before.externalIds,
    );
  });

  it('exactly 5 externalIds are sent', async () => {
    const id = demoSlackInstallation();
    const externalIds = ['a', 'b', 'c', 'd', 'e'];
    const data = await h.data(UPDATE, { input: { integrationName: SLACK, installationId: id, externalIds } });
    expect(h.calls()).toEqual([
      expectedWrite('PATCH', installationPath(SLACK, id), { status: 200, body: { externalIds } }),
    ]);
    expect(data.updateInstallation.installation.externalIds).toEqual(externalIds);
  });

  it('a configuration REST refuses is BAD_USER_INPUT with status 400, sent once, and nothing changes', async () => {
    const id = demoSlackInstallation();
    const before = await rest<IntegrationInstallation>(h, installationPath(SLACK, id));
    // slack's account schema declares `workspace` a string.
    const configuration = { workspace: 42 };
    const response = await h.graphql(UPDATE, { input: { integrationName: SLACK, installationId: id, configuration } });
    expect(errorSummary(response)).toEqual([{ path: ['updateInstallation'], code: 'BAD_USER_INPUT', status: 400 }]);
    expect(response.errors?.[0]?.message).toContain('workspace');
    expect(h.calls()).toEqual([
      expectedWrite('PATCH', installationPath(SLACK, id), { status: 400, body: { configuration } }),
    ]);

    h.resetCalls();
    const later = await h.data(READ_INSTALLATION, { name: SLACK, id });
    expect(later.integration.installation).toEqual(expectedInstallation(before));
  });

  it('an unknown installation is NOT_FOUND with status 404, sent once', async () => {
    const response = await h.graphql(UPDATE, {
      input: { integrationName: SLACK, installationId: 'no-such-installation', externalIds: [] },
    });
    expect(errorSummary(response)).toEqual([{ path: ['updateInstallation'], code: 'NOT_FOUND', status: 404 }]);
    expect(h.calls()).toEqual([
      expectedWrite('PATCH', installationPath(SLACK, 'no-such-installation'), {
        status: 404,
        body: { externalIds: [] },
      }),
    ]);
  });
});

describe('uninstallIntegration', () => {
  it('sends DELETE; deletedInstallationId is the id the installation had; it is gone from integration.installations', async () => {
    const id = demoSlackInstallation();
    const before = await h.data(
      `query ($id: String!) { integration(name: "${SLACK}") { installation(installationId: $id) { id } } }`,
      { id },
    );
    const globalId = before.integration.installation.id;
    h.resetCalls();

    const data = await h.data(
      `mutation ($id: String!) {
      uninstallIntegration(input: { integrationName: "${SLACK}", installationId: $id }) { deletedInstallationId }
    }`,
      { id },
    );
    expect(h.calls()).toEqual([expectedWrite('DELETE', installationPath(SLACK, id), { status: 205 })]);
    expect(data.uninstallIntegration).toEqual({ deletedInstallationId: globalId });

    // Read after write.
    h.resetCalls();
    const later = await h.graphql(
      `query ($id: String!) {
      integration(name: "${SLACK}") {
        installations(first: 1000) { totalCount nodes { installationId } }
        installation(installationId: $id) { installationId }
      }
    }`,
      { id },
    );
    const all = await restAll<IntegrationInstallation>(h, `/integrations/${SLACK}/installations`);
    expect(later.data?.integration.installations).toEqual({
      totalCount: all.length,
      nodes: all.map((installation) => ({ installationId: installation.id })),
    });
    expect(later.data?.integration.installations.nodes).not.toContainEqual({ installationId: id });
    expect(later.data?.integration.installation).toBeNull();
    expect(errorSummary(later)).toEqual([{ path: ['integration', 'installation'], code: 'NOT_FOUND', status: 404 }]);
  });

  it('an unknown installation is NOT_FOUND, sent once', async () => {
    const response = await h.graphql(`mutation {
      uninstallIntegration(input: { integrationName: "${SLACK}", installationId: "no-such-installation" }) { deletedInstallationId }
    }`);
    expect(response.data).toEqual({ uninstallIntegration: null });
    // REST answers 204 when there was nothing to delete.
    expect(errorSummary(response)).toEqual([{ path: ['uninstallIntegration'], code: 'NOT_FOUND', status: 204 }]);
    expect(h.calls()).toEqual([
      expectedWrite('DELETE', installationPath(SLACK, 'no-such-installation'), { status: 204 }),
    ]);
  });

  it('a refused uninstall is FORBIDDEN with status 403, sent once, and the installation stays', async () => {
    // demo sees Northwind's slack installation as a GitBook developer, but only Northwind's members may remove it.
    const id = northwindSlackInstallation();
    const response = await h.graphql(
      `mutation ($id: String!) {
      uninstallIntegration(input: { integrationName: "${SLACK}", installationId: $id }) { deletedInstallationId }
    }`,
      { id },
    );
    expect(errorSummary(response)).toEqual([{ path: ['uninstallIntegration'], code: 'FORBIDDEN', status: 403 }]);
    expect(h.calls()).toEqual([expectedWrite('DELETE', installationPath(SLACK, id), { status: 403 })]);
    h.resetCalls();
    const later = await h.data(
      `query ($id: String!) { integration(name: "${SLACK}") { installation(installationId: $id) { installationId } } }`,
      { id },
    );
    expect(later.integration.installation).toEqual({ installationId: id });
  });

  it('an empty installationId is BAD_USER_INPUT with no REST call', async () => {
    const response = await h.graphql(`mutation {
      uninstallIntegration(input: { integrationName: "${SLACK}", installationId: "" }) { deletedInstallationId }
    }`);
    expect(errorSummary(response)).toEqual([
      { path: ['uninstallIntegration'], code: 'BAD_USER_INPUT', status: undefined },
    ]);
    expect(h.calls()).toEqual([]);
  });
});

describe('createInstallationToken', () => {
  it('sends POST …/tokens with no body and returns the token REST created', async () => {
    const id = demoSlackInstallation();
    const inst = record(SLACK).installations.get(id)!;
    const before = inst.tokens.length;
    const data = await h.data(
      `mutation ($id: String!) {
      createInstallationToken(input: { integrationName: "${SLACK}", installationId: $id }) { token }
    }`,
      { id },
    );
    expect(h.calls()).toEqual([expectedWrite('POST', `${installationPath(SLACK, id)}/tokens`, { status: 200 })]);
    // The token is not readable later through the API; the simulator's state holds it.
    expect(inst.tokens).toHaveLength(before + 1);
    expect(data.createInstallationToken).toEqual({ token: inst.tokens.at(-1) });

    // Each call is a new write: a second one is sent again and gives another token.
    h.resetCalls();
    const again = await h.data(
      `mutation ($id: String!) {
      createInstallationToken(input: { integrationName: "${SLACK}", installationId: $id }) { token }
    }`,
      { id },
    );
    expect(h.calls()).toHaveLength(1);
    expect(again.createInstallationToken.token).not.toBe(data.createInstallationToken.token);
    expect(inst.tokens).toEqual([
      ...inst.tokens.slice(0, before),
      data.createInstallationToken.token,
      again.createInstallationToken.token,
    ]);
  });

  it('a refused token is FORBIDDEN with status 403, sent once with the caller’s token', async () => {
    // alice sees Northwind's slack installation, but only GitBook (slack's developer) may create its tokens.
    const id = northwindSlackInstallation();
    const response = await h.graphql(
      `mutation ($id: String!) {
      createInstallationToken(input: { integrationName: "${SLACK}", installationId: $id }) { token }
    }`,
      { id },
      { token: TOKENS.alice },
    );
    expect(response.data).toEqual({ createInstallationToken: null });
    expect(errorSummary(response)).toEqual([{ path: ['createInstallationToken'], code: 'FORBIDDEN', status: 403 }]);
    expect(h.calls()).toEqual([
      expectedWrite('POST', `${installationPath(SLACK, id)}/tokens`, { status: 403, token: TOKENS.alice }),
    ]);
  });

  it('an unknown installation is NOT_FOUND with status 404, sent once', async () => {
    const response = await h.graphql(`mutation {
      createInstallationToken(input: { integrationName: "${SLACK}", installationId: "no-such-installation" }) { token }
    }`);
    expect(errorSummary(response)).toEqual([{ path: ['createInstallationToken'], code: 'NOT_FOUND', status: 404 }]);
    expect(h.calls()).toEqual([
      expectedWrite('POST', `${installationPath(SLACK, 'no-such-installation')}/tokens`, { status: 404 }),
    ]);
  });
});

describe('mutation fields run in order, each reading what the previous ones wrote', () => {
  it('a list read in one payload is read again after the next write, never served from before it', async () => {
    const existing = demoSlackInstallation();
    const org = freeOrganization(SLACK);
    const count = (await restAll<IntegrationInstallation>(h, `/integrations/${SLACK}/installations`)).length;
    const LIST = `integration { installations(first: 1000) { totalCount } }`;
    const data = await h.data(
      `mutation ($existing: String!, $org: String!) {
      first: updateInstallation(input: { integrationName: "${SLACK}", installationId: $existing, externalIds: ["x"] }) {
        installation { externalIds ${LIST} }
      }
      install: installIntegration(input: { integrationName: "${SLACK}", organizationId: $org }) {
        installation { installationId ${LIST} }
      }
      last: updateInstallation(input: { integrationName: "${SLACK}", installationId: $existing, externalIds: ["y"] }) {
        installation { externalIds ${LIST} }
      }
    }`,
      { existing, org },
    );
    expect(data.first.installation).toEqual({
      externalIds: ['x'],
      integration: { installations: { totalCount: count } },
    });
    expect(data.install.installation.integration).toEqual({ installations: { totalCount: count + 1 } });
    expect(data.last.installation).toEqual({
      externalIds: ['y'],
      integration: { installations: { totalCount: count + 1 } },
    });

    // The same GET is sent again after each write, in document order: nothing read before a write is
    // reused. (`integration { installations }` needs no lookup of the integration: the list names it.)
    const list = expectedGet(`/integrations/${SLACK}/installations`, { limit: '1000' });
    expect(h.calls()).toEqual([
      expectedWrite('PATCH', installationPath(SLACK, existing), { status: 200, body: { externalIds: ['x'] } }),
      list,
      expectedWrite('POST', `/integrations/${SLACK}/installations`, { status: 201, body: { organization: org } }),
      list,
      expectedWrite('PATCH', installationPath(SLACK, existing), { status: 200, body: { externalIds: ['y'] } }),
      list,
    ]);
  });
});
