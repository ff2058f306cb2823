import { brandWithType } from '@pothos/core';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context.js';
import { builder } from './builder.js';
import { ONE_REST_CALL } from './fan-out.js';
import { decodeGlobalId } from './global-id.js';

/**
 * `Query.node` and `Query.nodes`. Each node type registers how to load one of
 * its keys; a malformed ID fails its own slot only, so `nodes` still answers
 * every other ID.
 */

/**
 * How node types load by key. REST has no multi-get, so a batch would only
 * make each answer wait for the slowest: every key is fetched on its own and
 * as soon as it is asked for; the loader still makes a repeated key free.
 * A failed key becomes an Error in its slot, so it fails only its own field.
 */
export function loadEach<Key, Value>(fetch: (key: Key, context: Context) => Promise<Value>) {
  return {
    load: (keys: Key[], context: Context) =>
      Promise.all(
        keys.map((key) => {
          try {
            return fetch(key, context).catch((error: unknown) => error as Error);
          } catch (error) {
            // A key REST cannot even be asked for (fetch threw before calling).
            return error as Error;
          }
        }),
      ),
    loaderOptions: { batch: false },
  };
}

/** Loads one node of a type by its key, for `node`/`nodes`. */
export type NodeFetch = (key: string, context: Context, info: GraphQLResolveInfo) => Promise<unknown>;

const nodeFetches = new Map<string, NodeFetch>();

/**
 * Makes a node type refetchable by `node`/`nodes`. `fetch` loads one key
 * directly rather than through the type's DataLoader: the REST client
 * already makes each GET once per request, and a DataLoader round per id
 * cost `nodes(ids:)` a fifth of its CPU (measured on 100 ids). A type whose
 * lists prime its loader (cacheResolved) fetches through that loader.
 */
export function registerNode(ref: { name: string }, fetch: NodeFetch): void {
  nodeFetches.set(ref.name, fetch);
}

/** One node, or a rejection that fails its own slot of `nodes` only. */
function loadNode(globalId: string, context: Context, info: GraphQLResolveInfo): Promise<unknown> {
  try {
    const { typename, id } = decodeGlobalId(globalId);
    const fetch = nodeFetches.get(typename);
    if (!fetch) throw new Error(`No fetch registered for node type ${typename}`);
    return fetch(id, context, info).then((node) => {
      // Tells the Node interface which object type this is.
      brandWithType(node, typename as never);
      return node;
    });
  } catch (error) {
    return Promise.reject(error);
  }
}

builder.queryFields((t) => ({
  node: t.field({
    type: builder.nodeInterfaceRef(),
    nullable: true,
    extensions: ONE_REST_CALL,
    description: 'Fetches any object of this API by its global ID.',
    args: { id: t.arg.id({ required: true, description: 'The global ID, as any `id` field of this API returned it.' }) },
    resolve: (_root, args, context, info) => loadNode(args.id, context, info),
  }),
  nodes: t.field({
    type: [builder.nodeInterfaceRef()],
    nullable: { list: false, items: true },
    extensions: { restCost: { restCalls: 'perId' } },
    description: 'Fetches objects by their global IDs, concurrently; an unknown or malformed one is null with an error.',
    args: { ids: t.arg.idList({ required: true, description: 'Global IDs, as `id` fields of this API returned them.' }) },
    resolve: (_root, args, context, info) => args.ids.map((id) => loadNode(id, context, info)),
  }),
}));
