import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context.js';

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

/**
 * Work to do as `node`/`nodes` are about to load a key, given what the query
 * selects on it: a space installation whose space is read beyond its id is
 * loaded with `extended=true` in the first place, instead of twice. A
 * prefetch primes the type's loader with its promise, so it runs alongside
 * the loads of other ids rather than before them.
 */
export type NodePrefetch = (key: string, context: Context, info: GraphQLResolveInfo) => void;

export const nodePrefetches = new Map<string, NodePrefetch>();

export function prefetchNodes(
  ids: readonly ({ typename: string; id: string } | null | undefined)[],
  context: Context,
  info: GraphQLResolveInfo,
): void {
  for (const id of ids) {
    if (id) nodePrefetches.get(id.typename)?.(id.id, context, info);
  }
}
