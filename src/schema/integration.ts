import type { ArgBuilder } from '@pothos/core';
import type { Integration } from '@gitbook/api';
import { badUserInput } from '../errors.js';
import { getIntegrationByName, listIntegrations, type ListIntegrationsQuery } from '../upstream/integrations.js';
import { builder } from './builder.js';
import { connectionType, pageArgs, type PageArgs, resolvePageConnection } from './connection.js';
import { nodeKey } from './global-id.js';
import { loadEach, registerNode } from './node.js';
import { componentSchema, operationDescription, operationParameter, property } from './spec.js';
import { restEnum, specFields, specObjectType, specPropertyType } from './spec-types.js';
import { checkEntityId, checkIntegrationName } from './validation.js';

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

export const IntegrationRef = builder.loadableNodeRef('Integration', {
  id: { resolve: (integration: Integration) => nodeKey(integration.name) },
  ...loadEach((name: string, context) => getIntegrationByName(context.rest, name)),
});

registerNode(IntegrationRef);

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
    version: t.int({
      description: 'Version of the integration, incremented at each publication.',
      resolve: (integration) => integration.version,
    }),
  }),
});

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
    description: operationDescription('listIntegrations'),
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
    args: { name: t.arg.string({ required: true, description: property('Integration', 'name').description }) },
    resolve: (_root, args) => checkIntegrationName(args.name, 'name'),
  }),
}));
