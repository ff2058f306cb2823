import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context.js';
import { builder } from './builder.js';
import { FROM_KEY, ONE_REST_CALL } from './fan-out.js';
import { decodeGlobalId, keyParts, nodeKey } from './global-id.js';
import type { IdentifierKind } from './identifiers.js';
import { needsRestObject } from './lookahead.js';

/**
 * One shape for every object of the graph that REST identifies: `Known`,
 * its key (the REST path parameters that name it) and, perhaps, its REST
 * object, loaded or brought along by the answer that named it. A field that
 * needs only the key (its id, its lists) reads the key; any other field reads
 * the REST object. Each node type is declared once with `defineNode`, which
 * gives its Pothos ref, its `node(id:)` support and its link helper.
 */
export class Known<Rest = unknown> {
  constructor(
    readonly type: KnownType<Rest>,
    readonly key: readonly string[],
    readonly rest?: Rest,
    /** Objects it came with, by field (an organization's installation arrives with its integration). */
    readonly related?: Readonly<Record<string, Known<unknown>>>,
  ) {}

  /** Tells the Node interface which object type this is. */
  get __typename(): string {
    return this.type.name;
  }
}

export interface KnownType<Rest> {
  readonly name: string;
  /** The REST object of a key, read through the request's REST client (and its one cache). */
  load(key: readonly string[], context: Context, info?: GraphQLResolveInfo): Promise<Rest>;
}

/**
 * What `read` makes of the REST object of a known object: synchronously when
 * the object is at hand (a list's or a write's answer brought it, the usual
 * case: a promise per field of every listed item would make the executor
 * wait on each), after loading it otherwise (once per request, whoever asks).
 */
export function withRest<Rest, T>(source: Known<Rest>, context: Context, read: (rest: Rest) => T): T | Promise<T> {
  const rest = source.rest;
  return rest ? read(rest) : Promise.resolve(source.type.load(source.key, context)).then(read);
}

/** One property of the REST object, as `withRest` reads it. */
export function restProperty<Rest>(source: Known<Rest>, restName: string, context: Context): unknown {
  return withRest(source, context, (rest) => (rest as unknown as Record<string, unknown>)[restName]);
}

export interface NodeOptions<Rest> {
  name: string;
  description: string;
  /** The REST identifiers its key holds, in REST path order: a global ID's parts are checked as arguments are. */
  key: readonly IdentifierKind[];
  load: KnownType<Rest>['load'];
}

const nodeTypes = new Map<string, { key: readonly IdentifierKind[]; type: KnownType<unknown> }>();

/** A node type: its Pothos ref, and how other fields name (`known`) or link (`link`) one of it. */
export function defineNode<Rest>(options: NodeOptions<Rest>) {
  const type: KnownType<Rest> = { name: options.name, load: options.load };
  const ref = builder.objectRef<Known<Rest>>(options.name);
  builder.node(ref, {
    description: options.description,
    id: { resolve: (source) => nodeKey(...source.key), extensions: FROM_KEY },
    fields: () => ({}),
  });
  nodeTypes.set(options.name, { key: options.key, type: type as KnownType<unknown> });

  const known = (key: readonly string[], rest?: Rest, related?: Known['related']) =>
    new Known(type, key, rest, related);

  return {
    ref,
    known,
    /**
     * A link to one known by its key, loaded first when it must be: `needed` (a key GitBook gave), when the selection reads more
     * than the key; `unlessListed` (a key from the caller), also when nothing
     * selected calls REST with the key, since only a lookup would tell it
     * does not exist; `always` (a lookup by the caller's id), whatever is
     * selected, so a missing one is null with NOT_FOUND.
     */
    link(
      info: GraphQLResolveInfo,
      context: Context,
      key: readonly string[],
      lookup: 'needed' | 'unlessListed' | 'always' = 'needed',
    ): Known<Rest> | Promise<Known<Rest>> {
      if (lookup !== 'always' && !needsRestObject(info, lookup === 'unlessListed')) return known(key);
      return options.load(key, context, info).then((rest) => known(key, rest));
    },
  };
}

/** One node by its global ID, loaded; a rejection fails its own slot of `nodes` only. */
function loadNode(globalId: string, context: Context, info: GraphQLResolveInfo): Promise<Known> {
  try {
    const { typename, id } = decodeGlobalId(globalId, (name) => nodeTypes.get(name)?.key);
    // decodeGlobalId refuses a type nodeTypes does not hold.
    const node = nodeTypes.get(typename) as { type: KnownType<unknown> };
    const key = keyParts(id);
    return node.type.load(key, context, info).then((rest) => new Known(node.type, key, rest));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** A failure as a field's value: GraphQL executors make it null with that error. */
function asErrorValue(error: unknown): Known {
  return (error instanceof Error ? error : new Error(String(error))) as unknown as Known;
}

builder.queryFields((t) => ({
  node: t.field({
    type: builder.nodeInterfaceRef(),
    nullable: true,
    extensions: ONE_REST_CALL,
    description: 'Fetches any object of this API by its global ID.',
    args: {
      id: t.arg.id({ required: true, description: 'The global ID, as any `id` field of this API returned it.' }),
    },
    resolve: (_root, args, context, info) => loadNode(args.id, context, info),
  }),
  nodes: t.field({
    type: [builder.nodeInterfaceRef()],
    nullable: { list: false, items: true },
    extensions: { restCost: { restCalls: 'perId' } },
    description:
      'Fetches objects by their global IDs, concurrently; an unknown or malformed one is null with an error.',
    args: {
      ids: t.arg.idList({ required: true, description: 'Global IDs, as `id` fields of this API returned them.' }),
    },
    // A slot that fails holds its error as a value, which every executor
    // turns into null with the error at that slot; a rejected promise in the
    // last slot is dropped by graphql-jit, shortening the list.
    resolve: (_root, args, context, info) => args.ids.map((id) => loadNode(id, context, info).catch(asErrorValue)),
  }),
}));
