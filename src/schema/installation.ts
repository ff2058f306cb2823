import type { IntegrationInstallation } from '@gitbook/api';
import type { Context } from '../context.js';
import {
  createIntegrationInstallationToken,
  getIntegrationInstallationById,
  installIntegration,
  listIntegrationInstallations,
  uninstallIntegration,
  updateIntegrationInstallation,
} from '../upstream/installations.js';
import { listOrganizationInstallations } from '../upstream/organizations.js';
import { builder, type Types } from './builder.js';
import { connectionType, pageArgs, resolvePageConnection } from './connection.js';
import { BY_KEY, BY_KEY_FROM_KEY, FROM_KEY, ONE_REST_CALL_FROM_KEY } from './fan-out.js';
import { encodeGlobalId, nodeKey } from './global-id.js';
import { checkEntityId, checkId, checkIntegrationName } from './identifiers.js';
import { IntegrationNode, IntegrationRef, integrationOf } from './integration.js';
import { checkRestBody, defineMutation, deleted } from './mutation.js';
import { defineNode, type Known, restProperty, withRest } from './node.js';
import { InstallationStatus, OrganizationNode, OrganizationRef } from './organization.js';
import { componentSchema, operationDescription, operationParameter, operationWithRoute, restRoute } from './spec.js';
import { restBody, restEnum, specFields, specInputFields, specPropertyType } from './spec-types.js';

/**
 * The installation of an integration on an organization. REST names it by
 * the integration and its own id, and its answer does not name the
 * integration: the key holds both.
 */
export const InstallationNode = defineNode<IntegrationInstallation>({
  name: 'Installation',
  description:
    'The installation of an integration on an organization, which its space and site installations hang off.',
  key: ['integrationName', 'id'],
  load: ([integrationName = '', installationId = ''], context: Context) =>
    getIntegrationInstallationById(context.rest, integrationName, installationId),
});
export const InstallationRef = InstallationNode.ref;

/** An installation from an answer that holds it whole; `integration` when the answer brought it too. */
export function installationOf(
  integrationName: string,
  installation: IntegrationInstallation,
  integration?: Known<unknown>,
): Known<IntegrationInstallation> {
  return InstallationNode.known(
    [integrationName, installation.id],
    installation,
    integration ? { integration } : undefined,
  );
}

const InstallationSpaceSelection = restEnum('InstallationSpaceSelection', 'IntegrationInstallationSpaceSelection');
const InstallationSiteSelection = restEnum('InstallationSiteSelection', 'IntegrationInstallationSiteSelection');
const InstallationUrls = specPropertyType('InstallationUrls', 'IntegrationInstallation', 'urls');
const InstallationNetwork = specPropertyType('InstallationNetwork', 'IntegrationInstallation', 'network');

builder.objectFields(InstallationRef, (t) => ({
  installationId: t.string({
    description: 'Identifier of the installation.',
    extensions: FROM_KEY,
    resolve: (source) => source.key[1] ?? '',
  }),
  integration: t.field({
    type: IntegrationRef,
    nullable: true,
    extensions: BY_KEY_FROM_KEY,
    description: 'The installed integration (null, with an error, if it cannot be fetched).',
    resolve: (source, _args, context, info) =>
      (source.related?.integration as Known<never> | undefined) ??
      IntegrationNode.link(info, context, [source.key[0] ?? '']),
  }),
  organization: t.field({
    type: OrganizationRef,
    nullable: true,
    extensions: BY_KEY,
    description: 'The organization the integration is installed on.',
    resolve: (source, _args, context) =>
      withRest(source, context, (rest) => OrganizationNode.known([rest.target.organization])),
  }),
  // The spec's `number`: a Float carries fractions and values past 2^31 without loss.
  spaceCount: t.float({
    description: 'How many spaces the installation manages.',
    resolve: (source, _args, context) => restProperty(source, 'spaces', context) as number,
  }),
  ...specFields(
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
      read: restProperty,
    },
  ),
}));

export const InstallationConnection = connectionType(InstallationRef, 'Installation', 'A page of installations.');

builder.objectFields(IntegrationRef, (t) => ({
  installations: t.field({
    type: InstallationConnection,
    nullable: true,
    extensions: ONE_REST_CALL_FROM_KEY,
    description: `The installations of this integration (${restRoute('listIntegrationInstallations')}).`,
    args: {
      ...pageArgs(t.arg),
      externalId: t.arg.string({
        description: operationParameter('listIntegrationInstallations', 'externalId').description,
      }),
    },
    resolve: (integration, args, context) => {
      const name = integration.key[0] ?? '';
      return resolvePageConnection(
        args,
        (page) =>
          listIntegrationInstallations(context.rest, name, { ...page, externalId: args.externalId ?? undefined }),
        (installation) => installationOf(name, installation),
      );
    },
  }),
  installation: t.field({
    type: InstallationRef,
    nullable: true,
    description: operationDescription('getIntegrationInstallationById'),
    extensions: ONE_REST_CALL_FROM_KEY,
    args: { installationId: t.arg.string({ required: true, description: 'Identifier of the installation.' }) },
    resolve: (integration, args, context, info) =>
      InstallationNode.link(
        info,
        context,
        [integration.key[0] ?? '', checkId(args.installationId, 'installationId')],
        'always',
      ),
  }),
}));

builder.objectField(OrganizationRef, 'installations', (t) =>
  t.field({
    type: InstallationConnection,
    nullable: true,
    extensions: ONE_REST_CALL_FROM_KEY,
    description: `The organization's installations of integrations (${restRoute('listOrganizationInstallations')}).`,
    args: {
      ...pageArgs(t.arg),
      search: t.arg.string({ description: operationParameter('listOrganizationInstallations', 'search').description }),
    },
    resolve: (organization, args, context) =>
      resolvePageConnection(
        args,
        (page) =>
          listOrganizationInstallations(context.rest, organization.key[0] ?? '', {
            ...page,
            search: args.search ?? undefined,
          }),
        // The answer names each installation's integration, whole: it needs no lookup.
        (item) => installationOf(item.integration.name, item.installation, integrationOf(item.integration)),
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

const installationPayload = (description: string) => ({
  description,
  fields: (t: PothosSchemaTypes.ObjectFieldBuilder<Types, { installation: Known<IntegrationInstallation> }>) => ({
    installation: t.field({
      type: InstallationRef,
      description: 'The installation, as it is after the change.',
      resolve: (payload) => payload.installation,
    }),
  }),
});

defineMutation('installIntegration', {
  changes: { creates: 'Installation' },
  description: operationWithRoute('installIntegration'),
  input: {
    description: 'Input of installIntegration.',
    fields: (t) => ({
      integrationName: t.string({ required: true, description: 'Name of the integration.' }),
      organizationId: t.string({ required: true, description: 'The organization to install the integration on.' }),
    }),
  },
  payload: installationPayload('The new installation.'),
  write: async (input, context) => {
    const name = checkIntegrationName(input.integrationName);
    const organizationId = checkEntityId(input.organizationId, 'organizationId');
    return { installation: installationOf(name, await installIntegration(context.rest, name, organizationId)) };
  },
});

/** REST body properties of UpdateIntegrationInstallation. */
const updateInstallationProperties = ['externalIds', 'configuration', 'space_selection', 'site_selection'] as const;

defineMutation('updateInstallation', {
  description: operationWithRoute('updateIntegrationInstallation'),
  input: {
    description: 'Input of updateInstallation: the fields to change; absent ones are left as they are.',
    fields: (t) => ({
      ...installationInputFields(t),
      ...specInputFields(
        t,
        'UpdateInstallation',
        componentSchema('UpdateIntegrationInstallation'),
        updateInstallationProperties,
        {
          types: { space_selection: InstallationSpaceSelection, site_selection: InstallationSiteSelection },
          descriptions: { configuration: 'The new account-level configuration of the integration.' },
        },
      ),
    }),
  },
  payload: installationPayload('The updated installation.'),
  write: async (input, context) => {
    const { name, installationId } = checkInstallationInput(input);
    const body = restBody(input, updateInstallationProperties);
    checkRestBody('updateIntegrationInstallation', body, {
      space_selection: 'spaceSelection',
      site_selection: 'siteSelection',
    });
    return {
      installation: installationOf(name, await updateIntegrationInstallation(context.rest, name, installationId, body)),
    };
  },
});

defineMutation('uninstallIntegration', {
  description:
    'Uninstalls an integration from an organization, with its space and site installations ' +
    `(${restRoute('uninstallIntegration')}).`,
  input: { description: 'Input of uninstallIntegration.', fields: installationInputFields },
  payload: {
    description: 'What was uninstalled.',
    fields: (t: PothosSchemaTypes.ObjectFieldBuilder<Types, { deletedInstallationId: string }>) => ({
      deletedInstallationId: t.id({
        description: 'The global ID the removed installation had: drop it from client caches.',
        resolve: (payload) => payload.deletedInstallationId,
      }),
    }),
  },
  write: async (input, context) => {
    const { name, installationId } = checkInstallationInput(input);
    deleted(
      await uninstallIntegration(context.rest, name, installationId),
      `Installation "${installationId}" of "${name}"`,
    );
    return { deletedInstallationId: encodeGlobalId('Installation', nodeKey(name, installationId)) };
  },
});

defineMutation('createInstallationToken', {
  changes: false,
  description: operationWithRoute('createIntegrationInstallationToken'),
  input: { description: 'Input of createInstallationToken.', fields: installationInputFields },
  payload: {
    description: 'A temporary token of the installation.',
    fields: (t: PothosSchemaTypes.ObjectFieldBuilder<Types, { token: string }>) => ({
      token: t.string({
        description: 'Temporary access token to authenticate with the API as the installation.',
        resolve: (payload) => payload.token,
      }),
    }),
  },
  write: async (input, context) => {
    const { name, installationId } = checkInstallationInput(input);
    const { token } = await createIntegrationInstallationToken(context.rest, name, installationId);
    return { token };
  },
});
