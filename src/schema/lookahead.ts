import {
  type FieldNode,
  type FragmentSpreadNode,
  type GraphQLField,
  type InlineFragmentNode,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type SelectionSetNode,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  getDirectiveValues,
  getNamedType,
  isAbstractType,
  isObjectType,
  Kind,
} from 'graphql';

/**
 * Looks ahead into the selection of the field being resolved, so a resolver
 * can ask REST for exactly what the query will read (e.g. `extended=true`
 * only when a space or site is selected beyond its id).
 */

function fragmentApplies(info: GraphQLResolveInfo, condition: string | undefined, type: GraphQLObjectType): boolean {
  if (!condition || condition === type.name) return true;
  const conditionType = info.schema.getType(condition);
  return conditionType !== undefined && isAbstractType(conditionType) && info.schema.isSubType(conditionType, type);
}

/** False for a selection that `@skip(if: true)` or `@include(if: false)` leaves out. */
export function included(
  variables: Record<string, unknown>,
  node: FieldNode | InlineFragmentNode | FragmentSpreadNode,
): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

/** The fields selected on `type` by these selection sets, through fragments that apply to it. */
function fieldsOn(
  info: GraphQLResolveInfo,
  selectionSets: readonly (SelectionSetNode | undefined)[],
  type: GraphQLObjectType,
): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const visit = (selectionSet: SelectionSetNode | undefined) => {
    for (const selection of selectionSet?.selections ?? []) {
      if (!included(info.variableValues, selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        fields.set(name, [...(fields.get(name) ?? []), selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (fragmentApplies(info, selection.typeCondition?.name.value, type)) visit(selection.selectionSet);
      } else {
        const fragment = info.fragments[selection.name.value];
        if (fragment && fragmentApplies(info, fragment.typeCondition.name.value, type)) visit(fragment.selectionSet);
      }
    }
  };
  selectionSets.forEach(visit);
  return fields;
}

function objectType(info: GraphQLResolveInfo, type: GraphQLNamedType | string): GraphQLObjectType {
  const named = typeof type === 'string' ? info.schema.getType(type) : type;
  if (!named || !isObjectType(named)) throw new Error(`lookahead: ${String(type)} is not an object type`);
  return named;
}

/**
 * True when, below the current field and along `path` (field names, e.g.
 * `['edges', 'node']`), objects of type `parentType` select `field` with
 * anything more than its `id`.
 */
export function selectsBeyondId(
  info: GraphQLResolveInfo,
  path: readonly string[],
  parentType: string,
  field: string,
): boolean {
  let nodes: readonly FieldNode[] = info.fieldNodes;
  let type: GraphQLNamedType = getNamedType(info.returnType);
  for (const step of [...path, field]) {
    const current: GraphQLObjectType = isObjectType(type) ? type : objectType(info, parentType);
    nodes = fieldsOn(info, nodes.map((node) => node.selectionSet), current).get(step) ?? [];
    const definition: GraphQLField<unknown, unknown> | undefined = current.getFields()[step];
    if (nodes.length === 0 || !definition) return false;
    type = getNamedType(definition.type);
  }
  const selected = fieldsOn(info, nodes.map((node) => node.selectionSet), objectType(info, type));
  return [...selected.keys()].some((name) => name !== 'id' && name !== '__typename');
}

/**
 * True when the current field selects nothing but these fields of its object
 * type: a link whose target is only identified (`installation { id }`) can be
 * answered from the ids at hand, without fetching the target.
 */
export function selectsOnly(info: GraphQLResolveInfo, allowed: readonly string[]): boolean {
  const type = getNamedType(info.returnType);
  if (!isObjectType(type)) return false;
  const selected = fieldsOn(info, info.fieldNodes.map((node) => node.selectionSet), type);
  return [...selected.keys()].every((name) => name === '__typename' || allowed.includes(name));
}

/** True when the current field selects at least one of these fields of its object type. */
export function selectsAny(info: GraphQLResolveInfo, names: readonly string[]): boolean {
  const type = getNamedType(info.returnType);
  if (!isObjectType(type)) return false;
  const selected = fieldsOn(info, info.fieldNodes.map((node) => node.selectionSet), type);
  return names.some((name) => selected.has(name));
}
