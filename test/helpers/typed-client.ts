import {
  ConfigureInstallationDocument,
  type ConfigureInstallationMutationVariables,
  InstallIntegrationDocument,
  type InstallIntegrationMutationVariables,
  InstallIntegrationOnSpaceDocument,
  type InstallIntegrationOnSpaceMutationVariables,
  IntegrationInstallationStatusDocument,
  type IntegrationInstallationStatusQueryVariables,
  IntegrationPageDocument,
  type IntegrationPageQueryVariables,
  MarketplaceDocument,
  type MarketplaceQueryVariables,
  OrganizationIntegrationsDocument,
  type OrganizationIntegrationsQueryVariables,
  RenderComponentActionDocument,
  type RenderComponentActionMutationVariables,
  RenderComponentDocument,
  type RenderComponentQueryVariables,
  UninstallIntegrationDocument,
  type UninstallIntegrationMutationVariables,
} from '../../packages/client/src/index.js';
import { POPULAR_INTEGRATION, SEEDED_USERS, type SimulatorStore } from '../../src/simulator/index.js';

/**
 * What the tests of the typed client and of persisted operations share:
 * gateways on a real loopback socket, and variables for every canonical
 * operation of schema/operations that make it succeed against the seeded
 * simulator (read from its store, so they follow the seed).
 */

/** A global ID as the gateway builds it: base64url of `Type:part/part`, parts percent-encoded. */
export const globalId = (type: string, ...parts: string[]): string =>
  Buffer.from(`${type}:${parts.map(encodeURIComponent).join('/')}`, 'utf8').toString('base64url');

export const SLACK = POPULAR_INTEGRATION;
/** An integration with a hand-written ContentKit UI (`kudos-counter`) that is not installed everywhere. */
export const KUDOS = 'kudos';
export const DEMO_ORGS: readonly string[] = SEEDED_USERS.demo.organizations;

/** The state the canonical operations' variables come from, read from the store as it is now. */
export function canonicalFixtures(store: SimulatorStore) {
  const integration = (name: string) => {
    const record = store.integrations.get(name);
    if (!record) throw new Error(`no integration ${name} in the store`);
    return record;
  };
  const slack = integration(SLACK);

  // A slack installation of an organization of demo, with a space slack is not on yet.
  const slackInstallations = [...slack.installations.values()].filter((inst) =>
    DEMO_ORGS.includes(inst.organizationId),
  );
  const withFreeSpace = slackInstallations
    .map((inst) => ({
      inst,
      space: store.spacesOf(inst.organizationId).find((space) => !inst.content.space.has(space.id)),
    }))
    .find((candidate) => candidate.space !== undefined);
  if (!withFreeSpace?.space) throw new Error('slack is on every space of demo’s organizations');

  // An organization of demo kudos is not installed in.
  const kudosFreeOrg = DEMO_ORGS.find(
    (id) => store.organizations.has(id) && !store.installationIn(integration(KUDOS), id),
  );
  if (!kudosFreeOrg) throw new Error('kudos is installed in every organization of demo');

  // The organization of demo with the most installations: the organization page has something to list.
  const busiestOrg = [...DEMO_ORGS]
    .filter((id) => store.organizations.has(id))
    .sort((a, b) => store.installationsInOrganization(b).length - store.installationsInOrganization(a).length)[0];
  if (!busiestOrg || store.installationsInOrganization(busiestOrg).length === 0)
    throw new Error('demo’s organizations have no installations');

  const [someSpace] = store.spaces.values();
  if (!someSpace) throw new Error('no space in the store');

  return {
    slackInstallation: withFreeSpace.inst,
    freeSpaceId: withFreeSpace.space.id,
    kudosFreeOrg,
    busiestOrg,
    /** A ContentKit render of kudos' counter in a document. */
    render: {
      integrationName: KUDOS,
      componentId: 'kudos-counter',
      props: { initial: 3, message: 'Thanks!' },
      context: { type: 'document', theme: 'light', spaceId: someSpace.id, editable: true },
    },
  };
}

/**
 * Every canonical operation with variables it succeeds with for the demo user,
 * keyed by operation name. Mutations change the store: call this after a reset.
 */
export function canonicalOperations(store: SimulatorStore) {
  const f = canonicalFixtures(store);
  const installationId = f.slackInstallation.installation.id;
  return {
    Marketplace: {
      document: MarketplaceDocument,
      variables: { first: 3, category: 'ANALYTICS' } satisfies MarketplaceQueryVariables,
    },
    IntegrationPage: {
      document: IntegrationPageDocument,
      variables: { name: SLACK, installationsFirst: 3 } satisfies IntegrationPageQueryVariables,
    },
    OrganizationIntegrations: {
      document: OrganizationIntegrationsDocument,
      variables: { organizationId: f.busiestOrg, first: 5 } satisfies OrganizationIntegrationsQueryVariables,
    },
    IntegrationInstallationStatus: {
      document: IntegrationInstallationStatusDocument,
      variables: {
        organizationId: f.slackInstallation.organizationId,
        integrationName: SLACK,
      } satisfies IntegrationInstallationStatusQueryVariables,
    },
    InstallIntegration: {
      document: InstallIntegrationDocument,
      variables: {
        integrationName: KUDOS,
        organizationId: f.kudosFreeOrg,
      } satisfies InstallIntegrationMutationVariables,
    },
    ConfigureInstallation: {
      document: ConfigureInstallationDocument,
      variables: {
        integrationName: SLACK,
        installationId,
        configuration: { workspace: 'acme-docs', default_channel: '#docs' },
        spaceSelection: 'SELECTED',
        externalIds: ['T0001'],
      } satisfies ConfigureInstallationMutationVariables,
    },
    InstallIntegrationOnSpace: {
      document: InstallIntegrationOnSpaceDocument,
      variables: {
        integrationName: SLACK,
        installationId,
        spaceId: f.freeSpaceId,
      } satisfies InstallIntegrationOnSpaceMutationVariables,
    },
    UninstallIntegration: {
      document: UninstallIntegrationDocument,
      variables: { integrationName: SLACK, installationId } satisfies UninstallIntegrationMutationVariables,
    },
    RenderComponent: {
      document: RenderComponentDocument,
      variables: { ...f.render, state: { count: 1 } } satisfies RenderComponentQueryVariables,
    },
    RenderComponentAction: {
      document: RenderComponentActionDocument,
      variables: {
        ...f.render,
        state: { count: 3 },
        action: { action: 'kudos.add', amount: 2 },
      } satisfies RenderComponentActionMutationVariables,
    },
  };
}
