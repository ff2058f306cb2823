import {
  type DocumentNode,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  getOperationAST,
  isAbstractType,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE } from './page-size.js';
import { included } from './lookahead.js';

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
}

/** Field extensions for a field that makes one REST call per parent object. */
export const ONE_REST_CALL = { restCost: { restCalls: 1 } satisfies RestCost };

/** Field extensions for a field that reads its parent's REST object. */
export const READS_PARENT = { restCost: { readsParent: true } satisfies RestCost };

/** Field extensions for a link to an object known only by its id. */
export const TARGET_UNLOADED = { restCost: { targetUnloaded: true } satisfies RestCost };

function costOf(field: GraphQLField<unknown, unknown>): RestCost {
  return (field.extensions as { restCost?: RestCost } | undefined)?.restCost ?? {};
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, { typeCondition: { name: { value: string } }; selectionSet: SelectionSetNode }>;
  variables: Record<string, unknown>;
}

/** The fields of a selection set that apply to `type`, through fragments and honouring @skip/@include. */
function fieldsOf(walk: Walk, selectionSet: SelectionSetNode, type: GraphQLObjectType): FieldNode[] {
  const fields: FieldNode[] = [];
  const applies = (condition: string | undefined) => {
    if (!condition || condition === type.name) return true;
    const conditionType = walk.schema.getType(condition);
    return conditionType !== undefined && isAbstractType(conditionType) && walk.schema.isSubType(conditionType, type);
  };
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (!included(walk.variables, selection)) continue;
      if (selection.kind === Kind.FIELD) fields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition?.name.value)) visit(selection.selectionSet);
      } else {
        const fragment = walk.fragments[selection.name.value];
        if (fragment && applies(fragment.typeCondition.name.value)) visit(fragment.selectionSet);
      }
    }
  };
  visit(selectionSet);
  return fields;
}

/** The object types a field of this type can hold: itself, or every possible type of an interface. */
function objectTypes(schema: GraphQLSchema, type: GraphQLNamedType): readonly GraphQLObjectType[] {
  if (isObjectType(type)) return [type];
  if (isAbstractType(type)) return schema.getPossibleTypes(type);
  return [];
}

function selectionCost(
  walk: Walk,
  selectionSet: SelectionSetNode,
  type: GraphQLNamedType,
  pageSize: number,
  loaded: boolean,
): number {
  // An interface (Node) could be any of its types: count the most expensive.
  return Math.max(
    0,
    ...objectTypes(walk.schema, type).map((objectType) => objectCost(walk, selectionSet, objectType, pageSize, loaded)),
  );
}

/** `loaded`: whether the objects came with their REST data (false: known by id only). */
function objectCost(
  walk: Walk,
  selectionSet: SelectionSetNode,
  type: GraphQLObjectType,
  pageSize: number,
  loaded = true,
): number {
  let total = 0;
  let readsParent = false;
  for (const node of fieldsOf(walk, selectionSet, type)) {
    const field = type.getFields()[node.name.value];
    if (!field) continue;
    const cost = costOf(field);
    const args = getArgumentValues(field, node, walk.variables);
    if (cost.readsParent) readsParent = true;
    const ids = Array.isArray(args.ids) ? args.ids.length : 1;
    total += cost.restCalls === 'perId' ? ids : (cost.restCalls ?? 0);
    if (!node.selectionSet) continue;
    const childType = getNamedType(field.type);
    // Below a connection, edges/nodes hold `first` items; below nodes(ids:), one per id.
    const isConnection = childType.name.endsWith('Connection') && 'first' in args;
    const childPageSize = isConnection ? ((args.first as number | null | undefined) ?? DEFAULT_PAGE_SIZE) : pageSize;
    const multiplier =
      type.name.endsWith('Connection') && (node.name.value === 'edges' || node.name.value === 'nodes')
        ? pageSize
        : cost.restCalls === 'perId'
          ? ids
          : 1;
    total += multiplier * selectionCost(walk, node.selectionSet, childType, childPageSize, !cost.targetUnloaded);
  }
  return total + (readsParent && !loaded ? 1 : 0);
}

/**
 * The most REST calls the operation could make. Variables are taken as
 * given (coerced by the caller); an operation that cannot be found costs 0
 * (validation reports it).
 */
export function maxRestCalls(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  operationName?: string | null,
): number {
  const operation = getOperationAST(document, operationName);
  if (!operation) return 0;
  const rootType =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (!rootType) return 0;
  const fragments: Walk['fragments'] = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  try {
    return objectCost({ schema, fragments, variables }, operation.selectionSet, rootType, DEFAULT_PAGE_SIZE);
  } catch {
    // Arguments that cannot be read (a missing variable): execution reports them, before any call.
    return 0;
  }
}
