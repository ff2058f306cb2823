import type { ContentInstallationKind } from './kind.js';
import { defineContentInstallationLinks } from './links.js';
import { defineContentInstallationMutations } from './mutations.js';
import { defineContentInstallationNode } from './node.js';

export type { ContentInstallationKind } from './kind.js';

/** One kind of content installation: its node and content object, the lists that reach it, its mutations. */
export function defineContentInstallation(kind: ContentInstallationKind) {
  const node = defineContentInstallationNode(kind);
  const { Connection } = defineContentInstallationLinks(kind, node);
  defineContentInstallationMutations(kind, node);
  return { Ref: node.Ref, ContentRef: node.ContentRef, Connection };
}
