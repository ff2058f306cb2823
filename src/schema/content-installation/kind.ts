import type { IntegrationSiteInstallation, IntegrationSpaceInstallation, Site, Space } from '@gitbook/api';
import type { GraphQLResolveInfo } from 'graphql';
import {
  CONTENT_INSTALLATION_OPERATIONS,
  type ContentInstallationOperations,
  type ContentKind,
} from '../../upstream/content-installations.js';
import type { IdentifierKind } from '../identifiers.js';
import { selectsBeyondId } from '../lookahead.js';

/**
 * Space installations and site installations are the same thing on two
 * kinds of content, and REST mirrors them route for route. A `ContentKind`
 * says which: names, REST operations and the one identifier that differs.
 * The parts of the schema built from it are in this folder: the content
 * object (content.ts), the node (node.ts), the lists and lookups that reach
 * it (links.ts) and its mutations (mutations.ts).
 */

export type ContentInstallationItem = IntegrationSpaceInstallation | IntegrationSiteInstallation;

export interface ContentInstallationKind {
  /** `Space` or `Site`: the GraphQL and OpenAPI name of the content. */
  content: 'Space' | 'Site';
  /** The REST path segment of the kind. */
  rest: ContentKind;
  /** The REST schema of the installation. */
  restSchema: 'IntegrationSpaceInstallation' | 'IntegrationSiteInstallation';
  /** The content of an installation: its id, or (extended) the object itself. */
  contentOf: (item: ContentInstallationItem) => string | Space | Site;
  /** The identifier kind of the content's id (spaces: EntityId; sites: free-form). */
  contentIdKind: IdentifierKind;
  /** The kind's REST operations (upstream/content-installations.ts). */
  upstream: ContentInstallationOperations;
  /** Properties of the content to expose, and descriptions for those the spec leaves bare. */
  contentProperties: string[];
  contentDescriptions: Record<string, string>;
}

/** The names a kind gives the schema's types and fields. */
export function namesOf(kind: ContentInstallationKind) {
  const lower = kind.content.toLowerCase() as 'space' | 'site';
  return {
    lower,
    typeName: `${kind.content}Installation`,
    idField: `${lower}Id`,
    operations: CONTENT_INSTALLATION_OPERATIONS[kind.rest],
  };
}

/** Whether the query reads the content beyond its id, below `path` from the current field. */
export function wantsExtended(kind: ContentInstallationKind, info: GraphQLResolveInfo, path: string[]): boolean {
  const { typeName, lower } = namesOf(kind);
  return selectsBeyondId(info, path, typeName, lower);
}
