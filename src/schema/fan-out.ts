import {
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  getArgumentValues,
  getNamedType,
} from 'graphql';
import { DEFAULT_PAGE_SIZE } from './page-size.js';
import { collectFields, objectTypes, selectsOnly, subSelections, type Walk } from './selection.js';

/**
 * An upper bound of the REST calls an operation can make, computed from the
 * document and its variables before anything runs, so a query that would fan
 * out past the limit costs nothing upstream. Each field says what it costs in
 * its extensions; a connection multiplies what is below its `edges`/`nodes`
 * by its `first`, and `nodes(ids:)` by the number of ids.
 */

export interface RestCost {
  /** REST calls this field makes for each parent object. */
  restCalls?: number | 'perId';
  /**
   * The field reads the REST object of its parent: one call, shared by its
   * siblings, when the parent was reached without it (see `targetUnloaded`).
   */
  readsParent?: boolean;
  /** The field returns an object known only by its id (an organization by id): reading it costs a call. */
  targetUnloaded?: boolean;
  /**
   * A link answered from the ids at hand when only these fields of its target
   * are selected; otherwise it costs one lookup per parent object (an upper
   * bound: a lookup a list primed is free).
   */
  freeWhenOnly?: readonly string[];
}

/** Field extensions for a field that makes one REST call per parent object. */
export const ONE_REST_CALL = { restCost: { restCalls: 1 } satisfies RestCost };

/** Field extensions for a field that reads its parent's REST object. */
export const READS_PARENT = { restCost: { readsParent: true } satisfies RestCost };

/** Field extensions for a link to an object known only by its id. */
export const TARGET_UNLOADED = { restCost: { targetUnloaded: true } satisfies RestCost };

/** Field extensions for a link that costs a lookup unless only these fields of its target are read. */
export function lookupUnlessOnly(...fields: string[]) {
  return { restCost: { freeWhenOnly: fields } satisfies RestCost };
}

function costOf(field: GraphQLField<unknown, unknown>): RestCost {
  return (field.extensions as { restCost?: RestCost } | undefined)?.restCost ?? {};
}

function selectionCost(
  walk: Walk,
  selectionSets: readonly (SelectionSetNode | undefined)[],
  type: GraphQLNamedType,
  pageSize: number,
  loaded: boolean,
): number {
  // An interface (Node) could be any of its types: count the most expensive.
  let most = 0;
  for (const objectType of objectTypes(walk.schema, type)) {
    most = Math.max(most, objectCost(walk, selectionSets, objectType, pageSize, loaded));
  }
  return most;
}

/**
 * What the fields selected on objects of `type` cost, per object. Fields are
 * merged by response key as graphql-js runs them: a field asked for twice
 * runs once, with the union of its sub-selections.
 * `loaded`: whether the objects came with their REST data (false: known by id only).
 */
function objectCost(
  walk: Walk,
  selectionSets: readonly (SelectionSetNode | undefined)[],
  type: GraphQLObjectType,
  pageSize: number,
  loaded = true,
): number {
  let total = 0;
  let readsParent = false;
  for (const nodes of collectFields(walk, type, selectionSets).values()) {
    const node = nodes[0] as FieldNode;
    const field = type.getFields()[node.name.value];
    if (!field) continue;
    const cost = costOf(field);
    const args = getArgumentValues(field, node, walk.variables as Record<string, unknown>);
    if (cost.readsParent) readsParent = true;
    const ids = Array.isArray(args.ids) ? args.ids.length : 1;
    total += cost.restCalls === 'perId' ? ids : (cost.restCalls ?? 0);
    // A cursor in the middle of a REST page may need that page and the next.
    if (cost.restCalls === 1 && args.after != null) total += 1;
    const below = subSelections(nodes);
    if (!below.some(Boolean)) continue;
    const childType = getNamedType(field.type);
    if (cost.freeWhenOnly && !selectsOnly(walk, childType, below, cost.freeWhenOnly)) total += 1;
    // Below a connection, edges/nodes hold `first` items; below nodes(ids:), one per id.
    const isConnection = childType.name.endsWith('Connection') && 'first' in args;
    const childPageSize = isConnection ? ((args.first as number | null | undefined) ?? DEFAULT_PAGE_SIZE) : pageSize;
    const multiplier =
      type.name.endsWith('Connection') && (node.name.value === 'edges' || node.name.value === 'nodes')
        ? pageSize
        : cost.restCalls === 'perId'
          ? ids
          : 1;
    total += multiplier * selectionCost(walk, below, childType, childPageSize, !cost.targetUnloaded);
  }
  return total + (readsParent && !loaded ? 1 : 0);
}

/**
 * The most REST calls the operation could make, its variables coerced as
 * execution will see them. Throws `SelectionBudgetExceeded` when the
 * operation is too large to walk within the walk's budget.
 */
export function maxRestCalls(walk: Walk, operation: OperationDefinitionNode): number {
  const { schema } = walk;
  const rootType =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (!rootType) return 0;
  return objectCost(walk, [operation.selectionSet], rootType, DEFAULT_PAGE_SIZE);
}
