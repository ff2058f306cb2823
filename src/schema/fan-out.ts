import {
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  getArgumentValues,
  getNamedType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE } from './page-size.js';
import { collectFields, objectTypes, subSelections, type Walk } from './selection.js';

/**
 * An upper bound of the REST calls an operation can make, computed from the
 * document and its variables before anything runs, so a query that would fan
 * out past the limit costs nothing upstream. Each field says what it costs in
 * its extensions; a connection multiplies what is below its `edges`/`nodes`
 * by its `first`, and `nodes(ids:)` by the number of ids.
 */

export interface RestCost {
  /** REST calls this field makes for each parent object (`perId`: one per id of `nodes(ids:)`). */
  restCalls?: number | 'perId';
  /**
   * Answered from the parent's key alone (its id, the lists REST names by
   * it): reading it needs no REST object of the parent.
   */
  fromKey?: boolean;
  /**
   * The field returns an object known only by its key: reading more than
   * its key costs one lookup per parent object (an upper bound: a lookup a
   * list primed is free).
   */
  byKey?: boolean;
}

/** Field extensions for a field that makes one REST call per parent object. */
export const ONE_REST_CALL = { restCost: { restCalls: 1 } satisfies RestCost };

/** Field extensions for a field answered from the parent's key. */
export const FROM_KEY = { restCost: { fromKey: true } satisfies RestCost };

/** Field extensions for a field that calls REST with the parent's key alone (a list below an integration). */
export const ONE_REST_CALL_FROM_KEY = { restCost: { restCalls: 1, fromKey: true } satisfies RestCost };

/** Field extensions for a link to an object known by its key. */
export const BY_KEY = { restCost: { byKey: true } satisfies RestCost };

/** Field extensions for a link, itself answered from the parent's key, to an object known by its key. */
export const BY_KEY_FROM_KEY = { restCost: { byKey: true, fromKey: true } satisfies RestCost };

export function costOf(field: GraphQLField<unknown, unknown> | undefined): RestCost {
  return (field?.extensions as { restCost?: RestCost } | undefined)?.restCost ?? {};
}

/**
 * Whether these selection sets read nothing of `type` but what its key
 * answers: then an object known by key needs no lookup.
 */
export function readsOnlyKey(
  walk: Walk,
  type: GraphQLObjectType,
  selectionSets: readonly (SelectionSetNode | undefined)[],
): boolean {
  const fields = type.getFields();
  for (const nodes of collectFields(walk, type, selectionSets).values()) {
    const name = nodes[0]?.name.value ?? '';
    if (name !== '__typename' && !costOf(fields[name]).fromKey) return false;
  }
  return true;
}

function selectionCost(
  walk: Walk,
  selectionSets: readonly (SelectionSetNode | undefined)[],
  type: GraphQLNamedType,
  pageSize: number,
): number {
  // An interface (Node) could be any of its types: count the most expensive.
  let most = 0;
  for (const objectType of objectTypes(walk.schema, type)) {
    most = Math.max(most, objectCost(walk, selectionSets, objectType, pageSize));
  }
  return most;
}

/**
 * What the fields selected on objects of `type` cost, per object. Fields are
 * merged by response key as graphql-js runs them: a field asked for twice
 * runs once, with the union of its sub-selections.
 */
function objectCost(
  walk: Walk,
  selectionSets: readonly (SelectionSetNode | undefined)[],
  type: GraphQLObjectType,
  pageSize: number,
): number {
  let total = 0;
  for (const nodes of collectFields(walk, type, selectionSets).values()) {
    const node = nodes[0] as FieldNode;
    const field = type.getFields()[node.name.value];
    if (!field) continue;
    const cost = costOf(field);
    const args = getArgumentValues(field, node, walk.variables as Record<string, unknown>);
    const ids = Array.isArray(args.ids) ? args.ids.length : 1;
    total += cost.restCalls === 'perId' ? ids : (cost.restCalls ?? 0);
    // A cursor in the middle of a REST page may need that page and the next.
    if (cost.restCalls === 1 && args.after != null) total += 1;
    const below = subSelections(nodes);
    if (!below.some(Boolean)) continue;
    const childType = getNamedType(field.type);
    if (
      cost.byKey &&
      !objectTypes(walk.schema, childType).every((objectType) => readsOnlyKey(walk, objectType, below))
    ) {
      total += 1;
    }
    // Below a connection, edges/nodes hold `first` items; below nodes(ids:), one per id.
    // A connection field takes `first` whether or not the query gives it (absent: the default page).
    const isConnection = childType.name.endsWith('Connection') && field.args.some((arg) => arg.name === 'first');
    const childPageSize = isConnection ? ((args.first as number | null | undefined) ?? DEFAULT_PAGE_SIZE) : pageSize;
    const multiplier =
      type.name.endsWith('Connection') && (node.name.value === 'edges' || node.name.value === 'nodes')
        ? pageSize
        : cost.restCalls === 'perId'
          ? ids
          : 1;
    total += multiplier * selectionCost(walk, below, childType, childPageSize);
  }
  return total;
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
