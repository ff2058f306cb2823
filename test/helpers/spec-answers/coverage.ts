import { escapePointer, lookupPointer } from '../../../src/openapi/document.js';
import { validatorAt } from '../../../src/openapi/validation.js';

/**
 * Which `oneOf`/`anyOf` branches a schema can reach, and which ones served
 * answers actually took. A branch counts as served when the value at that
 * place validates against it (Ajv, on the official document), so this
 * measures what was sent, not what the generator meant to send.
 */

type Schema = Record<string, unknown>;
const isObject = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A site is the pointer of a oneOf/anyOf (`…/oneOf`); a branch is `<site>|<index>`. */
export const branchKey = (site: string, index: number) => `${site}|${index}`;

function children(schema: Schema, pointer: string): [Schema, string][] {
  const found: [Schema, string][] = [];
  for (const keyword of ['allOf', 'oneOf', 'anyOf'] as const) {
    const parts = schema[keyword];
    if (!Array.isArray(parts)) continue;
    for (const [index, part] of parts.entries()) found.push([part as Schema, `${pointer}/${keyword}/${index}`]);
  }
  for (const keyword of ['items', 'additionalProperties', 'not'] as const) {
    if (isObject(schema[keyword])) found.push([schema[keyword] as Schema, `${pointer}/${keyword}`]);
  }
  if (isObject(schema.properties)) {
    for (const [name, inner] of Object.entries(schema.properties)) {
      found.push([inner as Schema, `${pointer}/properties/${escapePointer(name)}`]);
    }
  }
  return found;
}

/** Every oneOf/anyOf the schema at `pointer` can reach, with its number of branches. */
export function reachableSites(pointer: string): Map<string, number> {
  const sites = new Map<string, number>();
  const seen = new Set<string>();
  const visit = (schema: Schema, at: string): void => {
    if (typeof schema.$ref === 'string') {
      if (seen.has(schema.$ref)) return;
      seen.add(schema.$ref);
      visit(lookupPointer(schema.$ref) as Schema, schema.$ref);
      return;
    }
    for (const keyword of ['oneOf', 'anyOf'] as const) {
      const branches = schema[keyword];
      if (Array.isArray(branches)) sites.set(`${at}/${keyword}`, branches.length);
    }
    for (const [child, childPointer] of children(schema, at)) visit(child, childPointer);
  };
  visit(lookupPointer(pointer) as Schema, pointer);
  return sites;
}

/** The branches a value takes, walking it along the schema at `pointer`. */
export function servedBranches(value: unknown, pointer: string, into = new Set<string>()): Set<string> {
  const walk = (current: unknown, schema: Schema, at: string, depth: number): void => {
    if (depth > 200) throw new Error(`servedBranches: too deep at ${at}`);
    if (typeof schema.$ref === 'string') {
      walk(current, lookupPointer(schema.$ref) as Schema, schema.$ref, depth + 1);
      return;
    }
    if (Array.isArray(schema.allOf)) {
      for (const [index, part] of schema.allOf.entries()) {
        walk(current, part as Schema, `${at}/allOf/${index}`, depth + 1);
      }
    }
    for (const keyword of ['oneOf', 'anyOf'] as const) {
      const branches = schema[keyword];
      if (!Array.isArray(branches)) continue;
      for (const [index, branch] of branches.entries()) {
        const branchPointer = `${at}/${keyword}/${index}`;
        if (!validatorAt(branchPointer)(current)) continue;
        into.add(branchKey(`${at}/${keyword}`, index));
        walk(current, branch as Schema, branchPointer, depth + 1);
      }
    }
    if (Array.isArray(current) && isObject(schema.items)) {
      for (const item of current) walk(item, schema.items as Schema, `${at}/items`, depth + 1);
    }
    if (isObject(current)) {
      const properties = isObject(schema.properties) ? schema.properties : {};
      for (const [name, inner] of Object.entries(current)) {
        if (isObject(properties[name]))
          walk(inner, properties[name] as Schema, `${at}/properties/${escapePointer(name)}`, depth + 1);
        else if (isObject(schema.additionalProperties))
          walk(inner, schema.additionalProperties, `${at}/additionalProperties`, depth + 1);
      }
    }
  };
  walk(value, lookupPointer(pointer) as Schema, pointer, 0);
  return into;
}
