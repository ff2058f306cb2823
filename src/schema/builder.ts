import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import type { Context } from '../context.js';
import { encodeGlobalId } from './global-id.js';

/**
 * The one Pothos builder. Domain files under src/schema/ add their types,
 * fields and mutations to it; index.ts turns it into the schema.
 */
export const builder = new SchemaBuilder<{
  Context: Context;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
  };
  // Every connection also reports REST's `count`.
  Connection: { totalCount?: number | null };
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  DefaultFieldNullability: false;
}>({
  plugins: [RelayPlugin],
  // A field is null only where REST may leave it out, and says so.
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    mutationInputArgOptions: { description: 'What to change: the REST identifiers and body fields.' },
    cursorType: 'String',
    idFieldOptions: { description: 'Opaque global ID: `Query.node` refetches this object from it.' },
    cursorFieldOptions: { description: 'Pass it as `after` to continue with the item after this one.' },
    nodeFieldOptions: { nullable: false, description: 'The item.' },
    edgesFieldOptions: { nullable: false, description: 'The items of this page, each with its cursor.' },
    nodesOnConnection: { description: 'The items of this page, when their cursors are not needed.' },
    pageInfoFieldOptions: { description: 'Where this page sits in the whole list.' },
    hasNextPageFieldOptions: { description: 'True when more items follow this page.' },
    hasPreviousPageFieldOptions: { description: 'True when items come before this page (it was asked with `after`).' },
    startCursorFieldOptions: { description: 'The cursor of the first item of this page.' },
    endCursorFieldOptions: {
      description: 'The cursor of the last item of this page: pass it as `after` for the next page.',
    },
    encodeGlobalID: (typename, id) => encodeGlobalId(typename, String(id)),
    nodeTypeOptions: { description: 'An object with a globally unique ID that `Query.node` refetches.' },
    pageInfoTypeOptions: { description: 'Where a page of a connection sits in the whole list.' },
    // node and nodes are ours (node.ts): a malformed ID must fail its own slot only.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
  },
});

builder.queryType({ description: "GitBook's Integrations API, as a graph." });

/** The builder's types, for the helpers that take Pothos field and argument builders. */
export type Types = typeof builder.$inferSchemaTypes;
