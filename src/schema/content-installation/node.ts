import type { Context } from '../../context.js';
import { contentId } from '../../upstream/content-installations.js';
import { builder } from '../builder.js';
import { BY_KEY_FROM_KEY, FROM_KEY } from '../fan-out.js';
import { InstallationNode, InstallationRef } from '../installation.js';
import { IntegrationNode, IntegrationRef } from '../integration.js';
import { defineNode, type Known, restProperty, withRest } from '../node.js';
import { InstallationStatus } from '../organization.js';
import { componentSchema, propertiesOf } from '../spec.js';
import { specFields, specPropertyType } from '../spec-types.js';
import { defineContent } from './content.js';
import { type ContentInstallationItem, type ContentInstallationKind, namesOf, wantsExtended } from './kind.js';

/**
 * The installation of an integration on one space or site: a node whose key
 * is the REST path of its lookup (integration, installation, content id).
 */
export function defineContentInstallationNode(kind: ContentInstallationKind) {
  const { lower, typeName, idField } = namesOf(kind);
  const { ContentRef, contentOfInstallation } = defineContent(kind);

  const Node = defineNode<ContentInstallationItem>({
    name: typeName,
    description: `The installation of an integration on one ${lower}, with the configuration of the integration for that ${lower}.`,
    key: ['integrationName', 'id', kind.contentIdKind],
    // The extended form at once when the query reads the content.
    load: ([integrationName = '', installationId = '', id = ''], context: Context, info) =>
      kind.upstream.get(
        context.rest,
        integrationName,
        installationId,
        id,
        info ? wantsExtended(kind, info, []) : false,
      ),
  });

  /** A space or site installation from an answer that holds it whole (a list's, a write's). */
  const itemOf = (item: ContentInstallationItem): Known<ContentInstallationItem> =>
    Node.known([item.integration, item.installation, contentId(kind.contentOf(item))], item);

  const baseProperties = propertiesOf(componentSchema(kind.restSchema));
  builder.objectFields(Node.ref, (t) => ({
    [idField]: t.string({
      description: `The unique id of the ${lower}.`,
      extensions: FROM_KEY,
      resolve: (source) => source.key[2] ?? '',
    }),
    [lower]: t.field({
      type: ContentRef,
      nullable: true,
      description: baseProperties.properties[lower]?.description?.split('.')[0] ?? `The ${lower}.`,
      resolve: (source, _args, context) => withRest(source, context, (rest) => contentOfInstallation(source.key, rest)),
    }),
    integration: t.field({
      type: IntegrationRef,
      nullable: true,
      extensions: BY_KEY_FROM_KEY,
      description: 'The installed integration (null, with an error, if it cannot be fetched).',
      resolve: (source, _args, context, info) => IntegrationNode.link(info, context, [source.key[0] ?? '']),
    }),
    installation: t.field({
      type: InstallationRef,
      nullable: true,
      extensions: BY_KEY_FROM_KEY,
      description: `The organization-level installation this ${lower} installation belongs to.`,
      resolve: (source, _args, context, info) =>
        InstallationNode.link(info, context, [source.key[0] ?? '', source.key[1] ?? '']),
    }),
    ...specFields(t, typeName, componentSchema(kind.restSchema), ['status', 'configuration', 'externalIds', 'urls'], {
      types: {
        status: InstallationStatus,
        urls: specPropertyType(`${typeName}Urls`, kind.restSchema, 'urls'),
      },
      descriptions: { status: `The status of the installation on this ${lower}.` },
      read: restProperty,
    }),
  }));

  return { Node, Ref: Node.ref, ContentRef, itemOf };
}
