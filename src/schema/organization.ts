import type {
  InstalledIntegration as InstalledIntegrationShape,
  InstalledIntegrationTarget as InstalledIntegrationTargetShape,
  Organization,
} from '@gitbook/api';
import type { Context } from '../context.js';
import { badUserInput } from '../errors.js';
import {
  getOrganizationById,
  getOrganizationIntegrationStatus,
  listOrganizationIntegrations,
  listOrganizationIntegrationsStatus,
  listSiteIntegrationScripts,
  listSiteIntegrations,
} from '../upstream/organizations.js';
import { builder } from './builder.js';
import {
  connectionType,
  type PageArgs,
  pageArgs,
  resolvePageConnection,
  resolveUnpaginatedConnection,
} from './connection.js';
import { BY_KEY, FROM_KEY, ONE_REST_CALL, ONE_REST_CALL_FROM_KEY } from './fan-out.js';
import { checkEntityId, checkId, checkIntegrationName } from './identifiers.js';
import {
  IntegrationConnection,
  type IntegrationFilters,
  IntegrationRef,
  integrationFilterArgs,
  integrationFilterQuery,
  integrationOf,
} from './integration.js';
import { defineNode, type Known, restProperty, withRest } from './node.js';
import { componentSchema, operationDescription, operationParameter, property, propertyDescription } from './spec.js';
import { restEnum, specFields, specObjectType, specPropertyType } from './spec-types.js';

export const InstallationStatus = restEnum(
  'InstallationStatus',
  'IntegrationInstallationStatus',
  'The state of an installation of an integration.',
);

const OrganizationUrls = specPropertyType('OrganizationUrls', 'Organization', 'urls');

/**
 * Organizations are loaded by their fields, not by the links to them (every
 * link is `OrganizationNode.known`): the contract has
 * `organization(organizationId:)` make no call by itself, and an
 * organization's lists need only its id, so they run beside the lookup.
 */
export const OrganizationNode = defineNode<Organization>({
  name: 'Organization',
  description: 'A GitBook organization: it owns integrations and installs them on itself, its spaces and its sites.',
  key: ['entityId'],
  load: ([organizationId = ''], context: Context) => getOrganizationById(context.rest, organizationId),
});
export const OrganizationRef = OrganizationNode.ref;

/** An organization from an answer that holds it whole (an integration's owner). */
export const organizationOf = (organization: Organization) => OrganizationNode.known([organization.id], organization);

builder.objectFields(OrganizationRef, (t) => ({
  organizationId: t.string({
    description: property('Organization', 'id').description,
    extensions: FROM_KEY,
    resolve: (source) => source.key[0] ?? '',
  }),
  ...specFields(
    t,
    'Organization',
    componentSchema('Organization'),
    [
      'title',
      'createdAt',
      'emailDomains',
      'hostname',
      'type',
      'useCase',
      'communityType',
      'defaultRole',
      'defaultContent',
      'sso',
      'ai',
      'inviteLinks',
      'auditLogs',
      'plan',
      'billing',
      'mergeRules',
      'urls',
      'trial',
      'customHostname',
      'blocked',
      'permissions',
    ],
    {
      types: { urls: OrganizationUrls },
      descriptions: {
        createdAt: 'When the organization was created.',
        emailDomains: 'Email domains whose users can join the organization.',
        type: 'Whether the organization is a business or a community.',
        useCase: 'What the organization said it uses GitBook for.',
        communityType: 'For a community organization, what kind of community it is.',
        mergeRules: 'The rules that apply when change requests are merged in its spaces.',
        trial: 'The state of the trial of the organization, if any.',
      },
      fetched: true,
      read: restProperty,
    },
  ),
}));

builder.objectField(IntegrationRef, 'owner', (t) =>
  t.field({
    type: OrganizationRef,
    nullable: true,
    description: 'The organization that owns and publishes the integration.',
    resolve: (integration, _args, context) => withRest(integration, context, (rest) => organizationOf(rest.owner)),
  }),
);

builder.queryField('organization', (t) =>
  t.field({
    type: OrganizationRef,
    nullable: true,
    extensions: BY_KEY,
    description: 'An organization by its id. Costs no REST call by itself: its fields make the calls they need.',
    args: { organizationId: t.arg.string({ required: true, description: property('Organization', 'id').description }) },
    resolve: (_root, args) => OrganizationNode.known([checkEntityId(args.organizationId, 'organizationId')]),
  }),
);

const InstalledIntegrationTargetType = restEnum(
  'InstalledIntegrationTargetType',
  operationParameter('listOrganizationIntegrationsStatus', 'target').schema,
  'What an integration is installed on: the organization, one of its spaces or one of its sites.',
);

const InstalledIntegrationTarget = builder.objectRef<InstalledIntegrationTargetShape>('InstalledIntegrationTarget');
InstalledIntegrationTarget.implement({
  description: propertyDescription('InstalledIntegration', 'target'),
  fields: (t) => ({
    type: t.field({
      type: InstalledIntegrationTargetType,
      description: 'Whether the integration is installed on the organization, a space or a site.',
      resolve: (target) => target.type,
    }),
    organizationId: t.string({
      nullable: true,
      description: 'The organization, when the target is an organization.',
      resolve: (target) => ('organizationId' in target ? target.organizationId : null),
    }),
    spaceId: t.string({
      nullable: true,
      description: 'The space, when the target is a space.',
      resolve: (target) => ('spaceId' in target ? target.spaceId : null),
    }),
    siteId: t.string({
      nullable: true,
      description: 'The site, when the target is a site.',
      resolve: (target) => ('siteId' in target ? target.siteId : null),
    }),
  }),
});

const InstalledIntegration = builder.objectRef<InstalledIntegrationShape>('InstalledIntegration');
InstalledIntegration.implement({
  description: 'An integration installation, its current status, and the resource it targets.',
  fields: (t) => ({
    integration: t.field({
      type: IntegrationRef,
      nullable: true,
      description: 'The installed integration.',
      resolve: (item) => integrationOf(item.integration),
    }),
    status: t.field({
      type: InstallationStatus,
      description: 'The status of the installation.',
      resolve: (item) => item.status,
    }),
    target: t.field({
      type: InstalledIntegrationTarget,
      description: propertyDescription('InstalledIntegration', 'target'),
      resolve: (item) => item.target,
    }),
  }),
});

const InstalledIntegrationConnection = connectionType(
  InstalledIntegration,
  'InstalledIntegration',
  'A page of the integrations installed in an organization, with their status.',
);

const SiteIntegrationScript = specObjectType('SiteIntegrationScript', componentSchema('SiteIntegrationScript'), {
  description: 'A script an integration injects into the published pages of a site.',
});

interface OrganizationSiteSource {
  organizationId: string;
  siteId: string;
}

const OrganizationSite = builder.objectRef<OrganizationSiteSource>('OrganizationSite');
OrganizationSite.implement({
  description: "A site of an organization, seen from the integrations' side.",
  fields: (t) => ({
    siteId: t.string({ description: 'The unique id of the site.', resolve: (site) => site.siteId }),
    integrations: t.field({
      type: IntegrationConnection,
      nullable: true,
      description: operationDescription('listSiteIntegrations'),
      extensions: ONE_REST_CALL,
      args: {
        ...pageArgs(t.arg),
        search: t.arg.string({ description: operationParameter('listSiteIntegrations', 'search').description }),
      },
      // REST answers this list whole (no page or limit parameters): the
      // connection pages through that one answer.
      resolve: (site, args, context) =>
        resolveUnpaginatedConnection(
          args,
          () =>
            listSiteIntegrations(context.rest, site.organizationId, site.siteId, { search: args.search ?? undefined }),
          integrationOf,
        ),
    }),
    integrationScripts: t.field({
      type: [SiteIntegrationScript],
      nullable: { list: true, items: false },
      description: operationDescription('listSiteIntegrationScripts'),
      extensions: ONE_REST_CALL,
      resolve: async (site, _args, context) =>
        (await listSiteIntegrationScripts(context.rest, site.organizationId, site.siteId)) as unknown as Record<
          string,
          unknown
        >[],
    }),
  }),
});

/** The organization's id, the REST path parameter of every call its fields make. */
const organizationIdOf = (source: Known<Organization>) => source.key[0] ?? '';

builder.objectFields(OrganizationRef, (t) => ({
  integrations: t.field({
    type: IntegrationConnection,
    nullable: true,
    description: operationDescription('listOrganizationIntegrations'),
    extensions: ONE_REST_CALL_FROM_KEY,
    args: { ...pageArgs(t.arg), ...integrationFilterArgs(t.arg) },
    resolve: (source, args: PageArgs & IntegrationFilters, context) => {
      const filters = integrationFilterQuery(args);
      return resolvePageConnection(
        args,
        (page) => listOrganizationIntegrations(context.rest, organizationIdOf(source), { ...filters, ...page }),
        integrationOf,
      );
    },
  }),
  integrationInstallationStatus: t.field({
    type: InstallationStatus,
    nullable: true,
    description: operationDescription('getOrganizationIntegrationStatus'),
    extensions: ONE_REST_CALL_FROM_KEY,
    args: { integrationName: t.arg.string({ required: true, description: 'Name of the integration.' }) },
    resolve: async (source, args, context) => {
      const name = checkIntegrationName(args.integrationName);
      return (await getOrganizationIntegrationStatus(context.rest, organizationIdOf(source), name)).status;
    },
  }),
  installedIntegrations: t.field({
    type: InstalledIntegrationConnection,
    nullable: true,
    description: operationDescription('listOrganizationIntegrationsStatus'),
    extensions: ONE_REST_CALL_FROM_KEY,
    args: {
      ...pageArgs(t.arg),
      target: t.arg({
        type: InstalledIntegrationTargetType,
        description: operationParameter('listOrganizationIntegrationsStatus', 'target').description,
      }),
      siteId: t.arg.string({
        description: operationParameter('listOrganizationIntegrationsStatus', 'site').description,
      }),
      spaceId: t.arg.string({
        description: operationParameter('listOrganizationIntegrationsStatus', 'space').description,
      }),
    },
    resolve: (source, args, context) => {
      if (args.siteId != null && args.target !== 'site') throw badUserInput('siteId needs target: SITE.');
      if (args.spaceId != null && args.target !== 'space') throw badUserInput('spaceId needs target: SPACE.');
      const query = {
        target: (args.target ?? undefined) as 'organization' | 'space' | 'site' | undefined,
        site: args.siteId == null ? undefined : checkId(args.siteId, 'siteId'),
        space: args.spaceId == null ? undefined : checkEntityId(args.spaceId, 'spaceId'),
      };
      return resolvePageConnection(
        args,
        (page) => listOrganizationIntegrationsStatus(context.rest, organizationIdOf(source), { ...query, ...page }),
        (item) => item,
      );
    },
  }),
  site: t.field({
    type: OrganizationSite,
    nullable: true,
    extensions: FROM_KEY,
    description: "One of the organization's sites: the integrations enabled on it and the scripts they inject.",
    args: { siteId: t.arg.string({ required: true, description: 'The unique id of the site.' }) },
    resolve: (source, args) => ({ organizationId: organizationIdOf(source), siteId: checkId(args.siteId, 'siteId') }),
  }),
}));
