import type { Context } from '../context.js';
import type { Integration, IntegrationInstallation } from '@gitbook/api';
import type { GraphQLResolveInfo } from 'graphql';
import {
  createIntegrationInstallationToken,
  getIntegrationInstallationById,
  installIntegration,
  listIntegrationInstallations,
  uninstallIntegration,
  updateIntegrationInstallation,
} from '../upstream/installations.js';
import { listOrganizationInstallations } from '../upstream/organizations.js';
import { builder } from './builder.js';
import { lookupUnlessOnly, ONE_REST_CALL, TARGET_UNLOADED } from './fan-out.js';
import { connectionType, pageArgs, resolvePageConnection } from './connection.js';
import { encodeGlobalId, keyParts, nodeKey } from './global-id.js';
import { checkRestBody, deleted, write } from './mutation.js';
import { BELOW_INTEGRATION, IntegrationRef, integrationLink } from './integration.js';
import { selectsOnly } from './lookahead.js';
import { loadEach, registerNode } from './node.js';
import { InstallationStatus, OrganizationRef } from './organization.js';
import { componentSchema, operationDescription, operationParameter } from './spec.js';
import { restBody, restEnum, specFields, specInputFields, specPropertyType } from './spec-types.js';
import { checkEntityId, checkId, checkIntegrationName } from './identifiers.js';

type Types = typeof builder.$inferSchemaTypes;

/** REST's installation does not name its integration; the graph keeps it beside. */
export type InstallationSource = IntegrationInstallation & {
  integrationName: string;
  /** The integration itself, when the REST answer brought it (an organization's installations do). */
  integration?: Integration;
};

/**
 * The REST answer itself, named: it was parsed for this request alone, and
 * copying its properties for every item of a list (held while the items'
 * own lists are fetched) cost more CPU and memory than the rest of the item.
 */
export function installationSource(
  integrationName: string,
  installation: IntegrationInstallation,
  integration?: Integration,
): InstallationSource {
  const source = installation as InstallationSource;
  source.integrationName = integrationName;
  if (integration !== undefined) source.integration = integration;
  return source;
}

export function installationKey(integrationName: string, installationId: string): string {
  return nodeKey(integrationName, installationId);
}

/**
 * A link to an installation known by its identifiers. When the query reads
 * nothing but its ids, those are answered from the identifiers at hand.
 */
export function installationLink(
  info: GraphQLResolveInfo,
  integrationName: string,
  installationId: string,
): InstallationSource | string {
  return selectsOnly(info, ['id', 'installationId'])
    ? ({ id: installationId, integrationName } as InstallationSource)
    : installationKey(integrationName, installationId);
}

const InstallationSpaceSelection = restEnum('InstallationSpaceSelection', 'IntegrationInstallationSpaceSelection');
const InstallationSiteSelection = restEnum('InstallationSiteSelection', 'IntegrationInstallationSiteSelection');
const InstallationUrls = specPropertyType('InstallationUrls', 'IntegrationInstallation', 'urls');
const InstallationNetwork = specPropertyType('InstallationNetwork', 'IntegrationInstallation', 'network');

const fetchInstallation = (key: string, context: Context) => {
  const [integrationName = '', installationId = ''] = keyParts(key);
  return getIntegrationInstallationById(context.rest, integrationName, installationId).then((installation) =>
    installationSource(integrationName, installation),
  );
};

export const InstallationRef = builder.loadableNodeRef('Installation', {
  id: { resolve: (installation: InstallationSource) => installationKey(installation.integrationName, installation.id) },
  ...loadEach(fetchInstallation),
});

registerNode(InstallationRef, fetchInstallation);

InstallationRef.implement({
  description: 'The installation of an integration on an organization, which its space and site installations hang off.',
  fields: (t) => ({
    installationId: t.string({
      description: 'Identifier of the installation.',
      resolve: (installation) => installation.id,
    }),
    integration: t.field({
      type: IntegrationRef,
      nullable: true,
      extensions: lookupUnlessOnly(...BELOW_INTEGRATION),
      description: 'The installed integration (null, with an error, if it cannot be fetched).',
      resolve: (installation, _args, _context, info) =>
        installation.integration ?? integrationLink(info, installation.integrationName),
    }),
    organization: t.field({
      type: OrganizationRef,
      nullable: true,
      extensions: TARGET_UNLOADED,
      description: 'The organization the integration is installed on.',
      resolve: (installation) => ({ organizationId: installation.target.organization }),
    }),
    spaceCount: t.float({
      description: 'How many spaces the installation manages.',
      resolve: (installation) => installation.spaces,
    }),
    ...(specFields(
      t,
      'Installation',
      componentSchema('IntegrationInstallation'),
      [
        'status',
        'space_selection',
        'site_selection',
        'configuration',
        'createdAt',
        'updatedAt',
        'urls',
        'externalIds',
        'network',
      ],
      {
        types: {
          status: InstallationStatus,
          space_selection: InstallationSpaceSelection,
          site_selection: InstallationSiteSelection,
          urls: InstallationUrls,
          network: InstallationNetwork,
        },
        descriptions: {
          status: 'The status of the installation.',
          createdAt: 'When the integration was installed.',
          updatedAt: 'When the installation was last changed.',
        },
      },
    ) as {}),
  }),
});

export const InstallationConnection = connectionType(InstallationRef, 'Installation', 'A page of installations.');

builder.objectFields(IntegrationRef, (t) => ({
  installations: t.field({
    type: InstallationConnection,
    nullable: true,
    extensions: ONE_REST_CALL,
    description: 'The installations of this integration (GET /integrations/{integrationName}/installations).',
    args: {
      ...pageArgs(t.arg),
      externalId: t.arg.string({
        description: operationParameter('listIntegrationInstallations', 'externalId').description,
      }),
    },
    resolve: (integration, args, context) =>
      resolvePageConnection(
        args,
        (page) =>
          listIntegrationInstallations(context.rest, integration.name, {
            ...page,
            externalId: args.externalId ?? undefined,
          }),
        (installation) => installationSource(integration.name, installation),
      ),
  }),
  installation: t.field({
    type: InstallationRef,
    nullable: true,
    description: operationDescription('getIntegrationInstallationById'),
    extensions: ONE_REST_CALL,
    args: { installationId: t.arg.string({ required: true, description: 'Identifier of the installation.' }) },
    resolve: (integration, args) => installationKey(integration.name, checkId(args.installationId, 'installationId')),
  }),
}));

builder.objectField(OrganizationRef, 'installations', (t) =>
  t.field({
    type: InstallationConnection,
    nullable: true,
    extensions: ONE_REST_CALL,
    description: "The organization's installations of integrations (GET /orgs/{organizationId}/installations).",
    args: {
      ...pageArgs(t.arg),
      search: t.arg.string({ description: operationParameter('listOrganizationInstallations', 'search').description }),
    },
    resolve: (organization, args, context) =>
      resolvePageConnection(
        args,
        (page) =>
          listOrganizationInstallations(context.rest, organization.organizationId, {
            ...page,
            search: args.search ?? undefined,
          }),
        (item) => installationSource(item.integration.name, item.installation, item.integration),
      ),
  }),
);

// --- Mutations ---------------------------------------------------------------------------------

const installationInputFields = (t: PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>) => ({
  integrationName: t.string({ required: true, description: 'Name of the integration.' }),
  installationId: t.string({ required: true, description: 'Identifier of the installation.' }),
});

function checkInstallationInput(input: { integrationName: string; installationId: string }) {
  return {
    name: checkIntegrationName(input.integrationName),
    installationId: checkId(input.installationId, 'installationId'),
  };
}

const installationPayload = (name: string, description: string) => ({
  name: `${name}Payload`,
  description,
  outputFields: (t: PothosSchemaTypes.ObjectFieldBuilder<Types, { installation: InstallationSource }>) => ({
    installation: t.field({
      type: InstallationRef,
      description: 'The installation, as it is after the change.',
      resolve: (payload) => payload.installation,
    }),
  }),
});

builder.relayMutationField(
  'installIntegration',
  {
    description: 'Input of installIntegration.',
    inputFields: (t) => ({
      integrationName: t.string({ required: true, description: 'Name of the integration.' }),
      organizationId: t.string({ required: true, description: 'The organization to install the integration on.' }),
    }),
  },
  {
    nullable: true,
    extensions: ONE_REST_CALL,
    description: `${operationDescription('installIntegration')} (POST /integrations/{integrationName}/installations)`,
    resolve: async (_root, { input }, context) => {
      const name = checkIntegrationName(input.integrationName);
      const organizationId = checkEntityId(input.organizationId, 'organizationId');
      const installation = await write(context, () => installIntegration(context.rest, name, organizationId));
      return { installation: installationSource(name, installation) };
    },
  },
  installationPayload('InstallIntegration', 'The new installation.'),
);

/** REST body properties of UpdateIntegrationInstallation. */
const updateInstallationProperties = ['externalIds', 'configuration', 'space_selection', 'site_selection'] as const;

builder.relayMutationField(
  'updateInstallation',
  {
    description: 'Input of updateInstallation: the fields to change; absent ones are left as they are.',
    inputFields: (t) => ({
      ...installationInputFields(t),
      ...(specInputFields(t, 'UpdateInstallation', componentSchema('UpdateIntegrationInstallation'), updateInstallationProperties, {
        types: { space_selection: InstallationSpaceSelection, site_selection: InstallationSiteSelection },
        descriptions: { configuration: 'The new account-level configuration of the integration.' },
      }) as {}),
    }),
  },
  {
    nullable: true,
    extensions: ONE_REST_CALL,
    description: `${operationDescription('updateIntegrationInstallation')} (PATCH /integrations/{integrationName}/installations/{installationId})`,
    resolve: async (_root, { input }, context) => {
      const { name, installationId } = checkInstallationInput(input);
      const body = restBody(input as Record<string, unknown>, updateInstallationProperties);
      checkRestBody('updateIntegrationInstallation', body, { space_selection: 'spaceSelection', site_selection: 'siteSelection' });
      const installation = await write(context, () =>
        updateIntegrationInstallation(context.rest, name, installationId, body),
      );
      return { installation: installationSource(name, installation) };
    },
  },
  installationPayload('UpdateInstallation', 'The updated installation.'),
);

builder.relayMutationField(
  'uninstallIntegration',
  { description: 'Input of uninstallIntegration.', inputFields: installationInputFields },
  {
    nullable: true,
    extensions: ONE_REST_CALL,
    description:
      'Uninstalls an integration from an organization, with its space and site installations (DELETE /integrations/{integrationName}/installations/{installationId}).',
    resolve: async (_root, { input }, context) => {
      const { name, installationId } = checkInstallationInput(input);
      deleted(
        await write(context, () => uninstallIntegration(context.rest, name, installationId)),
        `Installation "${installationId}" of "${name}"`,
      );
      return { deletedInstallationId: encodeGlobalId('Installation', installationKey(name, installationId)) };
    },
  },
  {
    name: 'UninstallIntegrationPayload',
    description: 'What was uninstalled.',
    outputFields: (t) => ({
      deletedInstallationId: t.id({
        description: 'The global ID the removed installation had: drop it from client caches.',
        resolve: (payload) => payload.deletedInstallationId,
      }),
    }),
  },
);

builder.relayMutationField(
  'createInstallationToken',
  { description: 'Input of createInstallationToken.', inputFields: installationInputFields },
  {
    nullable: true,
    extensions: ONE_REST_CALL,
    description: `${operationDescription('createIntegrationInstallationToken')} (POST /integrations/{integrationName}/installations/{installationId}/tokens)`,
    resolve: async (_root, { input }, context) => {
      const { name, installationId } = checkInstallationInput(input);
      const { token } = await write(context, () => createIntegrationInstallationToken(context.rest, name, installationId));
      return { token };
    },
  },
  {
    name: 'CreateInstallationTokenPayload',
    description: 'A temporary token of the installation.',
    outputFields: (t) => ({
      token: t.string({
        description: 'Temporary access token to authenticate with the API as the installation.',
        resolve: (payload) => payload.token,
      }),
    }),
  },
);
