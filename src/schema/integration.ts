import type { Context } from '../context.js';
import type { ArgBuilder } from '@pothos/core';
import type { Integration, PublishIntegration } from '@gitbook/api';
import type { GraphQLResolveInfo } from 'graphql';
import { badUserInput } from '../errors.js';
import {
  disableIntegrationDevelopmentMode,
  getIntegrationByName,
  listIntegrations,
  type ListIntegrationsQuery,
  publishIntegration,
  queueIntegrationTask,
  setIntegrationDevelopmentMode,
  unpublishIntegration,
} from '../upstream/integrations.js';
import { builder } from './builder.js';
import { ONE_REST_CALL } from './fan-out.js';
import { connectionType, pageArgs, type PageArgs, resolvePageConnection } from './connection.js';
import { encodeGlobalId, nodeKey } from './global-id.js';
import { selectsAny, selectsOnly } from './lookahead.js';
import { checkRestBody, deleted, write } from './mutation.js';
import { loadEach, registerNode } from './node.js';
import {
  componentSchema,
  deref,
  operationDescription,
  operationParameter,
  property,
  propertyDescription,
  requestBodyProperty,
  requestBodySchema,
} from './spec.js';
import {
  restBody,
  restEnum,
  specFields,
  specInputFields,
  specInputType,
  specObjectType,
  specPropertyType,
} from './spec-types.js';
import { checkEntityId, checkId, checkIntegrationName } from './identifiers.js';

type Types = typeof builder.$inferSchemaTypes;

export const IntegrationTarget = restEnum('IntegrationTarget', 'IntegrationTarget');
export const IntegrationScope = restEnum('IntegrationScope', 'IntegrationScope', 'A permission an integration asks for.');
export const IntegrationCategory = restEnum(
  'IntegrationCategory',
  'IntegrationCategory',
  'A marketplace category an integration is listed in.',
);
const IntegrationVisibility = restEnum('IntegrationVisibility', 'IntegrationVisibility', 'Who can see and install an integration.');

const IntegrationBlock = specPropertyType('IntegrationBlock', 'Integration', 'blocks', {
  description: 'A custom block an integration adds to the editor.',
  descriptions: { markdown: 'How the block is written in Markdown (as a code block), if it can be.' },
});
const IntegrationContentSource = specPropertyType('IntegrationContentSource', 'Integration', 'contentSources', {
  description: 'A content source an integration provides to generate pages.',
});
const IntegrationExternalLink = specPropertyType('IntegrationExternalLink', 'Integration', 'externalLinks', {
  description: 'An external link configured by the developer of the integration.',
  descriptions: { url: 'Where the link points.', label: 'The text of the link.' },
});
const IntegrationConfigurations = specObjectType('IntegrationConfigurations', componentSchema('IntegrationConfigurations'), {
  description: 'The configuration schemas (or ContentKit components) an integration asks for, per level.',
  descriptions: {
    account: 'What an organization configures when it installs the integration.',
    space: 'What is configured for each space the integration is installed on.',
    site: 'What is configured for each site the integration is installed on.',
  },
});
const IntegrationUrls = specPropertyType('IntegrationUrls', 'Integration', 'urls');
const IntegrationPermissions = specPropertyType('IntegrationPermissions', 'Integration', 'permissions', {
  descriptions: { admin: 'True when the caller can administer the integration (its owner organization).' },
});

const fetchIntegration = (name: string, context: Context) => getIntegrationByName(context.rest, name);

export const IntegrationRef = builder.loadableNodeRef('Integration', {
  id: { resolve: (integration: Integration) => nodeKey(integration.name) },
  ...loadEach(fetchIntegration),
});

registerNode(IntegrationRef, fetchIntegration);

IntegrationRef.implement({
  description: 'An integration published on GitBook: an app that extends spaces, sites and organizations.',
  fields: (t) => ({
    ...(specFields(t, 'Integration', componentSchema('Integration'), [
      'name',
      'title',
      'description',
      'summary',
      'previewImages',
      'target',
      'verified',
      'visibility',
      'scopes',
      'categories',
      'blocks',
      'contentSources',
      'configurations',
      'externalLinks',
      'urls',
      'permissions',
      'contentSecurityPolicy',
    ], {
      types: {
        target: IntegrationTarget,
        visibility: IntegrationVisibility,
        scopes: IntegrationScope,
        categories: IntegrationCategory,
        blocks: IntegrationBlock,
        contentSources: IntegrationContentSource,
        configurations: IntegrationConfigurations,
        externalLinks: IntegrationExternalLink,
        urls: IntegrationUrls,
        permissions: IntegrationPermissions,
      },
      descriptions: {
        visibility: 'Who can see and install the integration.',
        configurations: 'The configuration the integration asks for at each level.',
        contentSources: 'Content sources the integration provides to generate pages.',
      },
    }) as {}),
    // The spec's `number`: a Float carries fractions and values past 2^31 without loss.
    version: t.float({
      description: 'Version of the integration, incremented at each publication.',
      resolve: (integration) => integration.version,
    }),
  }),
});

/** Integration fields that call REST with the integration's name alone. */
export const LISTS_BELOW_INTEGRATION = [
  'installations',
  'installation',
  'events',
  'event',
  'spaceInstallations',
  'siteInstallations',
];
/** Integration fields answered without its REST object. */
export const BELOW_INTEGRATION = ['id', 'name', ...LISTS_BELOW_INTEGRATION];

/**
 * A link to an integration known by name. When the query reads nothing but
 * its name, its id, or what hangs below it (calls that need only its name),
 * it is answered from the name at hand, with no lookup.
 */
export function integrationLink(info: GraphQLResolveInfo, name: string): Integration | string {
  return selectsOnly(info, BELOW_INTEGRATION) ? ({ name } as Integration) : name;
}

export const IntegrationConnection = connectionType(IntegrationRef, 'Integration', 'A page of integrations.');

const blockDomainSchema = operationParameter('listIntegrations', 'blockDomain').schema;
const blockDomainPattern = new RegExp(blockDomainSchema.pattern ?? '');

/** The filters GET /integrations and GET /orgs/{id}/integrations share. */
export function integrationFilterArgs(arg: ArgBuilder<Types>) {
  const describe = (name: string) => operationParameter('listIntegrations', name).description;
  return {
    search: arg.string({ description: describe('search') }),
    category: arg({ type: IntegrationCategory, description: describe('category') }),
    blockDomain: arg.string({ description: describe('blockDomain') }),
    hasBlocks: arg.boolean({ description: describe('blocks') }),
    hasContentSources: arg.boolean({ description: describe('contentSources') }),
    owner: arg.string({ description: `${describe('owner')} (an organizationId)` }),
    scope: arg({ type: IntegrationScope, description: describe('scope') }),
    target: arg({ type: IntegrationTarget, description: describe('target') }),
  };
}

export interface IntegrationFilters {
  search?: string | null;
  category?: string | null;
  blockDomain?: string | null;
  hasBlocks?: boolean | null;
  hasContentSources?: boolean | null;
  owner?: string | null;
  scope?: string | null;
  target?: string | null;
}

/** The REST query for the filters, refusing values REST would reject. */
export function integrationFilterQuery(args: IntegrationFilters): ListIntegrationsQuery {
  if (
    args.blockDomain != null &&
    (!blockDomainPattern.test(args.blockDomain) || args.blockDomain.length > (blockDomainSchema.maxLength ?? Infinity))
  ) {
    throw badUserInput(`blockDomain must match ${blockDomainPattern.source} and be at most ${blockDomainSchema.maxLength} characters.`);
  }
  if (args.owner != null) checkEntityId(args.owner, 'owner');
  return {
    search: args.search ?? undefined,
    category: (args.category ?? undefined) as ListIntegrationsQuery['category'],
    blockDomain: args.blockDomain ?? undefined,
    blocks: args.hasBlocks ?? undefined,
    contentSources: args.hasContentSources ?? undefined,
    owner: args.owner ?? undefined,
    scope: (args.scope ?? undefined) as ListIntegrationsQuery['scope'],
    target: (args.target ?? undefined) as ListIntegrationsQuery['target'],
  };
}

builder.queryFields((t) => ({
  integrations: t.field({
    type: IntegrationConnection,
    nullable: true,
    description: operationDescription('listIntegrations'),
    extensions: ONE_REST_CALL,
    args: { ...pageArgs(t.arg), ...integrationFilterArgs(t.arg) },
    resolve: (_root, args: PageArgs & IntegrationFilters, context) => {
      const filters = integrationFilterQuery(args);
      return resolvePageConnection(
        args,
        (page) => listIntegrations(context.rest, { ...filters, ...page }),
        (integration) => integration,
      );
    },
  }),
  integration: t.field({
    type: IntegrationRef,
    nullable: true,
    description: operationDescription('getIntegrationByName'),
    extensions: ONE_REST_CALL,
    args: { name: t.arg.string({ required: true, description: property('Integration', 'name').description }) },
    resolve: (_root, args, _context, info) => {
      const name = checkIntegrationName(args.name, 'name');
      // A query that reads only what hangs below the integration (its
      // installations, events...) needs no lookup of it: those calls name it
      // and answer NOT_FOUND themselves if it does not exist.
      return selectsOnly(info, BELOW_INTEGRATION) && selectsAny(info, LISTS_BELOW_INTEGRATION)
        ? ({ name } as Integration)
        : name;
    },
  }),
}));


// --- Mutations ---------------------------------------------------------------------------------

const IntegrationRuntime = restEnum(
  'IntegrationRuntime',
  property('PublishIntegration', 'runtime'),
  'The runtime version an integration runs on.',
);

/** REST body properties of PublishIntegration, in the order the input shows them (`organization` is `organizationId`). */
const publishProperties = [
  'title',
  'description',
  'script',
  'scopes',
  'runtime',
  'icon',
  'summary',
  'previewImages',
  'visibility',
  'target',
  'categories',
  'blocks',
  'contentSources',
  'externalLinks',
  'configurations',
  'secrets',
  'contentSecurityPolicy',
] as const;

const IntegrationBlockInput = specInputType('IntegrationBlockInput', deref(property('Integration', 'blocks')).items ?? {}, {
  description: 'A custom block the integration adds to the editor.',
  descriptions: { markdown: 'How the block is written in Markdown: `{ codeblock, body }`.' },
});
const IntegrationContentSourceInput = specInputType(
  'IntegrationContentSourceInput',
  componentSchema('IntegrationContentSource'),
  {
    description: 'A content source the integration provides to generate pages.',
    descriptions: { configuration: 'The ContentKit component that configures the source: `{ componentId }`.' },
  },
);
const IntegrationExternalLinkInput = specInputType(
  'IntegrationExternalLinkInput',
  deref(property('Integration', 'externalLinks')).items ?? {},
  { description: 'An external link shown with the integration.', descriptions: { url: 'Where the link points.', label: 'The text of the link.' } },
);

/**
 * The payload of a change to development mode. REST answers it with no body,
 * so the integration is read after the write: if that read fails, only
 * `integration` is null (with its error), and the payload still says the
 * change was made.
 */
function developmentModePayload(name: string, description: string, options: { tunnelUrl: boolean }) {
  return {
    name: `${name}Payload`,
    description,
    outputFields: (t: PothosSchemaTypes.ObjectFieldBuilder<Types, { integrationName: string; tunnelUrl?: string }>) => ({
      ...(options.tunnelUrl
        ? {
            tunnelUrl: t.string({
              description: 'Where the events of the integration are now sent.',
              resolve: (payload) => payload.tunnelUrl ?? '',
            }),
          }
        : {}),
      integrationName: t.string({
        description: 'The integration whose development mode was changed: the change is made.',
        resolve: (payload) => payload.integrationName,
      }),
      integration: t.field({
        type: IntegrationRef,
        nullable: true,
        extensions: ONE_REST_CALL,
        description: 'The integration, read after the change (null, with an error, if that read fails).',
        resolve: (payload) => payload.integrationName,
      }),
    }),
  };
}

builder.relayMutationField(
  'publishIntegration',
  {
    description: 'Input of publishIntegration: the integration and its REST publication fields.',
    inputFields: (t) => ({
      integrationName: t.string({ required: true, description: 'Name of the integration.' }),
      organizationId: t.string({
        required: true,
        description: propertyDescription('PublishIntegration', 'organization'),
      }),
      ...(specInputFields(t, 'PublishIntegration', componentSchema('PublishIntegration'), publishProperties, {
        types: {
          runtime: IntegrationRuntime,
          visibility: IntegrationVisibility,
          target: IntegrationTarget,
          scopes: IntegrationScope,
          categories: IntegrationCategory,
          blocks: IntegrationBlockInput,
          contentSources: IntegrationContentSourceInput,
          externalLinks: IntegrationExternalLinkInput,
        },
        descriptions: {
          previewImages: 'Images showcasing the integration, base64 encoded (at most 3).',
          configurations: 'The configuration the integration asks for: `{ account, space, site }` schemas or components.',
          visibility: 'Who can see and install the integration.',
          contentSources: 'Content sources the integration provides.',
        },
      }) as {}),
    }),
  },
  {
    nullable: true,
    extensions: ONE_REST_CALL,
    description: 'Publishes an integration, or a new version of it, under an organization (POST /integrations/{integrationName}).',
    resolve: async (_root, { input }, context) => {
      const name = checkIntegrationName(input.integrationName);
      const body = {
        organization: checkId(input.organizationId, 'organizationId'),
        ...restBody(input as Record<string, unknown>, publishProperties),
      } as PublishIntegration;
      checkRestBody('publishIntegration', body, { organization: 'organizationId' });
      return { integration: await write(context, () => publishIntegration(context.rest, name, body)) };
    },
  },
  {
    name: 'PublishIntegrationPayload',
    description: 'The integration as published.',
    outputFields: (t) => ({
      integration: t.field({
        type: IntegrationRef,
        description: 'The integration as GitBook answered the publication.',
        resolve: (payload) => payload.integration,
      }),
    }),
  },
);

builder.relayMutationField(
  'unpublishIntegration',
  {
    description: 'Input of unpublishIntegration.',
    inputFields: (t) => ({ integrationName: t.string({ required: true, description: 'Name of the integration.' }) }),
  },
  {
    nullable: true,
    extensions: ONE_REST_CALL,
    description:
      'Unpublishes an integration, deleting it and every installation of it (DELETE /integrations/{integrationName}).',
    resolve: async (_root, { input }, context) => {
      const name = checkIntegrationName(input.integrationName);
      deleted(await write(context, () => unpublishIntegration(context.rest, name)), `Integration "${name}"`);
      return { deletedIntegrationId: encodeGlobalId('Integration', nodeKey(name)) };
    },
  },
  {
    name: 'UnpublishIntegrationPayload',
    description: 'What was unpublished.',
    outputFields: (t) => ({
      deletedIntegrationId: t.id({
        description: 'The global ID the unpublished integration had: drop it from client caches.',
        resolve: (payload) => payload.deletedIntegrationId,
      }),
    }),
  },
);

builder.relayMutationField(
  'setIntegrationDevelopmentMode',
  {
    description: 'Input of setIntegrationDevelopmentMode.',
    inputFields: (t) => ({
      integrationName: t.string({ required: true, description: 'Name of the integration.' }),
      ...(specInputFields(t, 'SetIntegrationDevelopmentMode', requestBodySchema('setIntegrationDevelopmentMode'), [
        'tunnelUrl',
        'all',
      ]) as {}),
    }),
  },
  {
    nullable: true,
    extensions: ONE_REST_CALL,
    description: 'Routes the events of an integration to a development tunnel (PUT /integrations/{integrationName}/dev).',
    resolve: async (_root, { input }, context) => {
      const name = checkIntegrationName(input.integrationName);
      const body = restBody(input as Record<string, unknown>, ['tunnelUrl', 'all']) as { tunnelUrl: string; all?: boolean };
      checkRestBody('setIntegrationDevelopmentMode', body);
      await write(context, () => setIntegrationDevelopmentMode(context.rest, name, body));
      return { integrationName: name, tunnelUrl: body.tunnelUrl };
    },
  },
  developmentModePayload('SetIntegrationDevelopmentMode', 'The integration now in development mode.', { tunnelUrl: true }),
);

builder.relayMutationField(
  'disableIntegrationDevelopmentMode',
  {
    description: 'Input of disableIntegrationDevelopmentMode.',
    inputFields: (t) => ({ integrationName: t.string({ required: true, description: 'Name of the integration.' }) }),
  },
  {
    nullable: true,
    extensions: ONE_REST_CALL,
    description:
      'Stops routing the events of an integration to its development tunnel (DELETE /integrations/{integrationName}/dev).',
    resolve: async (_root, { input }, context) => {
      const name = checkIntegrationName(input.integrationName);
      await write(context, () => disableIntegrationDevelopmentMode(context.rest, name));
      return { integrationName: name };
    },
  },
  developmentModePayload('DisableIntegrationDevelopmentMode', 'The integration, out of development mode.', {
    tunnelUrl: false,
  }),
);

builder.relayMutationField(
  'queueIntegrationTask',
  {
    description: 'Input of queueIntegrationTask.',
    inputFields: (t) => ({
      integrationName: t.string({ required: true, description: 'Name of the integration.' }),
      task: t.field({ type: 'JSON', required: true, description: 'Payload for the integration task (a JSON object).' }),
      schedule: t.int({
        description: `Seconds to wait before running the task, ${requestBodyProperty('queueIntegrationTask', 'schedule').minimum} to ${requestBodyProperty('queueIntegrationTask', 'schedule').maximum}; 0 by default.`,
      }),
    }),
  },
  {
    nullable: true,
    extensions: ONE_REST_CALL,
    description: 'Queues a task for an integration to run, now or after a delay (POST /integrations/{integrationName}/tasks).',
    resolve: async (_root, { input }, context) => {
      const name = checkIntegrationName(input.integrationName);
      const body = restBody(input as Record<string, unknown>, ['task', 'schedule']) as { task: object; schedule?: number };
      checkRestBody('queueIntegrationTask', body);
      await write(context, () => queueIntegrationTask(context.rest, name, body));
      return { queued: true };
    },
  },
  {
    name: 'QueueIntegrationTaskPayload',
    description: 'The queued task.',
    outputFields: (t) => ({
      queued: t.boolean({ description: 'True: GitBook accepted the task.', resolve: (payload) => payload.queued }),
    }),
  },
);
