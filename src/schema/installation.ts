import type { IntegrationInstallation } from '@gitbook/api';
import {
  getIntegrationInstallationById,
  listIntegrationInstallations,
} from '../upstream/installations.js';
import { listOrganizationInstallations } from '../upstream/organizations.js';
import { builder } from './builder.js';
import { connectionType, pageArgs, resolvePageConnection } from './connection.js';
import { keyParts, nodeKey } from './global-id.js';
import { IntegrationRef } from './integration.js';
import { loadEach, registerNode } from './node.js';
import { InstallationStatus, OrganizationRef } from './organization.js';
import { componentSchema, operationDescription, operationParameter } from './spec.js';
import { restEnum, specFields, specPropertyType } from './spec-types.js';
import { checkId } from './validation.js';

/** REST's installation does not name its integration; the graph keeps it beside. */
export type InstallationSource = IntegrationInstallation & { integrationName: string };

export function installationSource(integrationName: string, installation: IntegrationInstallation): InstallationSource {
  return { ...installation, integrationName };
}

export function installationKey(integrationName: string, installationId: string): string {
  return nodeKey(integrationName, installationId);
}

const InstallationSpaceSelection = restEnum('InstallationSpaceSelection', 'IntegrationInstallationSpaceSelection');
const InstallationSiteSelection = restEnum('InstallationSiteSelection', 'IntegrationInstallationSiteSelection');
const InstallationUrls = specPropertyType('InstallationUrls', 'IntegrationInstallation', 'urls');

export const InstallationRef = builder.loadableNodeRef('Installation', {
  id: { resolve: (installation: InstallationSource) => installationKey(installation.integrationName, installation.id) },
  ...loadEach(async (key: string, context) => {
    const [integrationName = '', installationId = ''] = keyParts(key);
    return installationSource(
      integrationName,
      await getIntegrationInstallationById(context.rest, integrationName, installationId),
    );
  }),
});

registerNode(InstallationRef);

InstallationRef.implement({
  description: 'The installation of an integration on an organization, which its space and site installations hang off.',
  fields: (t) => ({
    installationId: t.string({
      description: 'Identifier of the installation.',
      resolve: (installation) => installation.id,
    }),
    integration: t.field({
      type: IntegrationRef,
      description: 'The installed integration.',
      resolve: (installation) => installation.integrationName,
    }),
    organization: t.field({
      type: OrganizationRef,
      description: 'The organization the integration is installed on.',
      resolve: (installation) => ({ organizationId: installation.target.organization }),
    }),
    spaceCount: t.int({
      description: 'How many spaces the installation manages.',
      resolve: (installation) => installation.spaces,
    }),
    ...(specFields(
      t,
      'Installation',
      componentSchema('IntegrationInstallation'),
      ['status', 'space_selection', 'site_selection', 'configuration', 'createdAt', 'updatedAt', 'urls', 'externalIds'],
      {
        types: {
          status: InstallationStatus,
          space_selection: InstallationSpaceSelection,
          site_selection: InstallationSiteSelection,
          urls: InstallationUrls,
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
    args: { installationId: t.arg.string({ required: true, description: 'Identifier of the installation.' }) },
    resolve: (integration, args) => installationKey(integration.name, checkId(args.installationId, 'installationId')),
  }),
}));

builder.objectField(OrganizationRef, 'installations', (t) =>
  t.field({
    type: InstallationConnection,
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
        (item) => installationSource(item.integration.name, item.installation),
      ),
  }),
);
