import {
  type DocumentNode,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  getArgumentValues,
  getNamedType,
  getOperationAST,
  getVariableValues,
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

/** Whether a selection set reads nothing but these fields (and __typename) of `type`. */
function selectsOnly(
  walk: Walk,
  selectionSet: SelectionSetNode,
  type: GraphQLNamedType,
  allowed: readonly string[],
): boolean {
  return objectTypes(walk.schema, type).every((objectType) =>
    fieldsOf(walk, selectionSet, objectType).every(
      (node) => node.name.value === '__typename' || allowed.includes(node.name.value),
    ),
  );
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
    // A cursor in the middle of a REST page may need that page and the next.
    if (cost.restCalls === 1 && args.after != null) total += 1;
    if (!node.selectionSet) continue;
    const childType = getNamedType(field.type);
    if (cost.freeWhenOnly && !selectsOnly(walk, node.selectionSet, childType, cost.freeWhenOnly)) total += 1;
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
 * The most REST calls the operation could make, or undefined when its
 * variables do not fit their types (execution refuses them, before any call).
 */
export function maxRestCalls(
  schema: GraphQLSchema,
  document: DocumentNode,
  rawVariables: Record<string, unknown>,
  operationName?: string | null,
): number | undefined {
  const operation = getOperationAST(document, operationName);
  if (!operation) return 0;
  const rootType =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (!rootType) return 0;
  // The estimate depends on the document and the variables alone, and Yoga's
  // parse cache hands the same document to every request with the same text:
  // clients repeating an operation with the same variables pay for it once.
  const variablesKey = operation.variableDefinitions?.length ? keyOf(rawVariables) : '';
  let byVariables = estimates.get(operation);
  const cached = variablesKey === undefined ? undefined : byVariables?.get(variablesKey);
  if (cached !== undefined) return cached;
  // Defaults applied and values coerced exactly as execution will see them.
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables);
  if (coerced.errors) return undefined;
  const fragments: Walk['fragments'] = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  const estimate = objectCost(
    { schema, fragments, variables: coerced.coerced },
    operation.selectionSet,
    rootType,
    DEFAULT_PAGE_SIZE,
  );
  // Bounded: variables are the caller's to vary without end, and to make long.
  if (variablesKey !== undefined && variablesKey.length <= MAX_VARIABLES_KEY) {
    if (!byVariables) estimates.set(operation, (byVariables = new Map()));
    if (byVariables.size >= ESTIMATES_PER_OPERATION) byVariables.clear();
    byVariables.set(variablesKey, estimate);
  }
  return estimate;
}

/** The variables as a cache key; undefined when they cannot be one (nested too deep to stringify). */
function keyOf(variables: Record<string, unknown>): string | undefined {
  try {
    return JSON.stringify(variables);
  } catch {
    return undefined;
  }
}

const ESTIMATES_PER_OPERATION = 64;
const MAX_VARIABLES_KEY = 8_192;
const estimates = new WeakMap<OperationDefinitionNode, Map<string, number>>();
