import { brandWithType } from '@pothos/core';
import type DataLoader from 'dataloader';
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
      Promise.all(keys.map((key) => fetch(key, context).catch((error: unknown) => error as Error))),
    loaderOptions: { batch: false },
  };
}

interface LoadableNode {
  name: string;
  getDataloader: (context: Context) => DataLoader<string, unknown>;
}

interface NodeLoader {
  ref: LoadableNode;
  /**
   * Work to do first, given what the query selects: a space installation whose
   * space is read beyond its id is loaded with `extended=true` at once. It
   * primes the loader that `load` then reads, so no call is made twice.
   */
  prefetch?: (key: string, context: Context, info: GraphQLResolveInfo) => void;
}

const nodeLoaders = new Map<string, NodeLoader>();

/** Makes a node type refetchable by `node`/`nodes`, through its per-request loader. */
export function registerNode(ref: LoadableNode, prefetch?: NodeLoader['prefetch']): void {
  nodeLoaders.set(ref.name, { ref, prefetch });
}

async function loadNode(globalId: string, context: Context, info: GraphQLResolveInfo): Promise<unknown> {
  const { typename, id } = decodeGlobalId(globalId);
  const loader = nodeLoaders.get(typename);
  if (!loader) throw new Error(`No loader registered for node type ${typename}`);
  loader.prefetch?.(id, context, info);
  const node = await loader.ref.getDataloader(context).load(id);
  // Tells the Node interface which object type this is.
  brandWithType(node, typename as never);
  return node;
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
