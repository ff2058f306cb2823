import {
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  getNamedType,
  isObjectType,
} from 'graphql';
import { costOf, readsOnlyKey } from './fan-out.js';
import {
  collectFields,
  selectionBudget,
  subSelections,
  type Walk,
  selectsOnly as walkSelectsOnly,
} from './selection.js';

/**
 * Looks ahead into the selection of the field being resolved, so a resolver
 * can ask REST for exactly what the query will read (e.g. `extended=true`
 * only when a space or site is selected beyond its id). The questions go to
 * the document walker (selection.ts), and each answer is kept for the field
 * and the request's variables (which `@skip`/`@include` read): every item of
 * a list shares the field's `fieldNodes`, so a list of a thousand items asks
 * once, and a compiled operation, which keeps its `fieldNodes` from one
 * request to the next, asks once per request.
 */

const answers = new WeakMap<object, WeakMap<GraphQLResolveInfo['fieldNodes'], Map<string, boolean>>>();

function remembered(info: GraphQLResolveInfo, question: string, answer: (walk: Walk) => boolean): boolean {
  let byField = answers.get(info.variableValues);
  if (!byField) {
    byField = new WeakMap();
    answers.set(info.variableValues, byField);
  }
  let known = byField.get(info.fieldNodes);
  const cached = known?.get(question);
  if (cached !== undefined) return cached;
  const walk: Walk = {
    schema: info.schema,
    fragments: info.fragments,
    variables: info.variableValues,
    budget: selectionBudget(),
  };
  const value = answer(walk);
  if (!known) {
    known = new Map();
    byField.set(info.fieldNodes, known);
  }
  known.set(question, value);
  return value;
}

function objectType(info: GraphQLResolveInfo, type: GraphQLNamedType | string): GraphQLObjectType {
  const named = typeof type === 'string' ? info.schema.getType(type) : type;
  if (!named || !isObjectType(named)) throw new Error(`lookahead: ${String(type)} is not an object type`);
  return named;
}

/** The nodes of every response key that selects the field `name` (aliases included). */
function nodesNamed(fields: Map<string, FieldNode[]>, name: string): FieldNode[] {
  const found: FieldNode[] = [];
  for (const nodes of fields.values()) if (nodes[0]?.name.value === name) found.push(...nodes);
  return found;
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
  return remembered(info, `beyondId:${path.join('.')}:${parentType}.${field}`, (walk) => {
    let nodes: readonly FieldNode[] = info.fieldNodes;
    let type: GraphQLNamedType = getNamedType(info.returnType);
    for (const step of [...path, field]) {
      const current: GraphQLObjectType = isObjectType(type) ? type : objectType(info, parentType);
      nodes = nodesNamed(collectFields(walk, current, subSelections(nodes)), step);
      const definition: GraphQLField<unknown, unknown> | undefined = current.getFields()[step];
      if (nodes.length === 0 || !definition) return false;
      type = getNamedType(definition.type);
    }
    return !walkSelectsOnly(walk, objectType(info, type), subSelections(nodes), ['id']);
  });
}

/**
 * Whether the current field, returning an object known by its key, must
 * load that object: it selects a field its key does not answer. With
 * `proveExistence` (a key from the caller), also when nothing selected
 * calls REST with the key, since only a lookup would tell it does not exist.
 */
export function needsRestObject(info: GraphQLResolveInfo, proveExistence: boolean): boolean {
  return remembered(info, proveExistence ? 'rest+existence' : 'rest', (walk) => {
    const type = getNamedType(info.returnType);
    if (!isObjectType(type)) return true;
    const below = subSelections(info.fieldNodes);
    if (!readsOnlyKey(walk, type, below)) return true;
    if (!proveExistence) return false;
    const fields = type.getFields();
    for (const nodes of collectFields(walk, type, below).values()) {
      if (costOf(fields[nodes[0]?.name.value ?? '']).restCalls) return false;
    }
    return true;
  });
}
