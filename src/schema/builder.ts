import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import RelayPlugin from '@pothos/plugin-relay';
import type { Context } from '../context.js';
import { decodeGlobalId, encodeGlobalId } from './global-id.js';
import { prefetchNodes } from './node-loading.js';

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
  plugins: [RelayPlugin, DataloaderPlugin],
  // A field is null only where REST may leave it out, and says so.
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
    nodesOnConnection: true,
    idFieldOptions: { description: 'Opaque global ID: `Query.node` refetches this object from it.' },
    cursorFieldOptions: { description: 'Pass it as `after` to continue with the item after this one.' },
    encodeGlobalID: (typename, id) => encodeGlobalId(typename, String(id)),
    decodeGlobalID: (globalId) => decodeGlobalId(globalId),
    nodeTypeOptions: { description: 'An object with a globally unique ID that `Query.node` refetches.' },
    pageInfoTypeOptions: { description: 'Where a page of a connection sits in the whole list.' },
    nodeQueryOptions: {
      description: 'Fetches any object of this API by its global ID.',
      resolve: (_root, { id }, context, info, resolveNode) => {
        prefetchNodes([id], context, info);
        return resolveNode(id);
      },
    },
    nodesQueryOptions: {
      description: 'Fetches objects by their global IDs, concurrently; unknown ones are null with an error.',
      resolve: (_root, { ids }, context, info, resolveNodes) => {
        prefetchNodes(ids, context, info);
        return resolveNodes(ids);
      },
    },
  },
});

builder.queryType({ description: "GitBook's Integrations API, as a graph." });
