import {
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  GraphQLError,
  GraphQLIncludeDirective,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  GraphQLSkipDirective,
  getDirectiveValues,
  type InlineFragmentNode,
  isAbstractType,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from 'graphql';

/**
 * The one walker over query documents: which fields a selection applies to
 * an object type, through fragments and `@skip`/`@include`, merged by
 * response key as graphql-js executes them. The fan-out estimate and the
 * resolvers' lookahead both ask it.
 *
 * A named fragment is followed at most once per selection being collected,
 * as graphql-js does: `{ ...F ...F ...F }` costs what `{ ...F }` costs, so
 * fragments spreading fragments cannot multiply the work. What is left
 * (distinct fields nested under distinct fields) is bounded by a budget of
 * selections visited, shared by the whole walk.
 */

/** What a walk reads the document with, and what it may still spend. */
export interface Walk {
  schema: GraphQLSchema;
  fragments: Readonly<Record<string, FragmentDefinitionNode | undefined>>;
  variables: Readonly<Record<string, unknown>>;
  /** Selections the walk may still visit; past zero it throws `SelectionBudgetExceeded`. */
  budget: SelectionBudget;
}

export interface SelectionBudget {
  left: number;
  readonly limit: number;
}

/** The walk visited more selections than its budget allows: the query is refused as too complex. */
export class SelectionBudgetExceeded extends GraphQLError {
  constructor(readonly limit: number) {
    super(
      `This operation selects more than ${limit} fields once its fragments are expanded. Ask for fewer fields or nested lists.`,
      { extensions: { code: 'QUERY_TOO_COMPLEX', selectionLimit: limit, http: { status: 400, spec: true } } },
    );
  }
}

/** How many selections one walk may visit before it stops: far above any page's query. */
export const DEFAULT_SELECTION_BUDGET = 10_000;

export function selectionBudget(limit = DEFAULT_SELECTION_BUDGET): SelectionBudget {
  return { left: limit, limit };
}

/** False for a selection that `@skip(if: true)` or `@include(if: false)` leaves out. */
export function included(
  variables: Readonly<Record<string, unknown>>,
  node: FieldNode | InlineFragmentNode | FragmentSpreadNode,
): boolean {
  if (!node.directives?.length) return true;
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

function applies(schema: GraphQLSchema, condition: string | undefined, type: GraphQLObjectType): boolean {
  if (!condition || condition === type.name) return true;
  const conditionType = schema.getType(condition);
  return conditionType !== undefined && isAbstractType(conditionType) && schema.isSubType(conditionType, type);
}

/**
 * The fields these selection sets select on `type`, by response key (alias or
 * name), each with every node that asks for it.
 */
export function collectFields(
  walk: Walk,
  type: GraphQLObjectType,
  selectionSets: readonly (SelectionSetNode | undefined)[],
): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const visitedFragments = new Set<string>();
  const visit = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      walk.budget.left -= 1;
      if (walk.budget.left < 0) throw new SelectionBudgetExceeded(walk.budget.limit);
      if (!included(walk.variables, selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const nodes = fields.get(key);
        if (nodes) nodes.push(selection);
        else fields.set(key, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(walk.schema, selection.typeCondition?.name.value, type)) visit(selection.selectionSet);
      } else {
        const name = selection.name.value;
        if (visitedFragments.has(name)) continue;
        visitedFragments.add(name);
        const fragment = walk.fragments[name];
        if (fragment && applies(walk.schema, fragment.typeCondition.name.value, type)) visit(fragment.selectionSet);
      }
    }
  };
  for (const selectionSet of selectionSets) if (selectionSet) visit(selectionSet);
  return fields;
}

/** The selection sets below these nodes of one field. */
export function subSelections(nodes: readonly FieldNode[]): (SelectionSetNode | undefined)[] {
  return nodes.map((node) => node.selectionSet);
}

/** The object types a field of this type can hold: itself, or every possible type of an interface. */
export function objectTypes(schema: GraphQLSchema, type: GraphQLNamedType): readonly GraphQLObjectType[] {
  if (isObjectType(type)) return [type];
  if (isAbstractType(type)) return schema.getPossibleTypes(type);
  return [];
}

/**
 * Whether these selection sets read nothing but `allowed` fields (and
 * `__typename`) of any object type `type` may hold.
 */
export function selectsOnly(
  walk: Walk,
  type: GraphQLNamedType,
  selectionSets: readonly (SelectionSetNode | undefined)[],
  allowed: readonly string[],
): boolean {
  return objectTypes(walk.schema, type).every((objectType) => {
    for (const nodes of collectFields(walk, objectType, selectionSets).values()) {
      const name = nodes[0]?.name.value ?? '';
      if (name !== '__typename' && !allowed.includes(name)) return false;
    }
    return true;
  });
}
