import {
  findOperation,
  type JsonSchema,
  lookupPointer,
  type ParameterObject,
  resolveRef,
  spec,
} from '../openapi/document.js';

export type { JsonSchema };

/**
 * GitBook's official OpenAPI document, read once at start-up. The schema takes
 * its descriptions and enum values from here so it cannot drift from the REST
 * API it fronts, and a property that does not exist fails the build.
 */

const schemas = spec.components.schemas as Record<string, JsonSchema>;

/** A named component schema; throws (at schema build time) on a name the spec lacks. */
export function componentSchema(name: string): JsonSchema {
  const schema = schemas[name];
  if (!schema) throw new Error(`The OpenAPI document has no schema named ${name}`);
  return schema;
}

/** Follows `$ref`s to the schema they name. */
export function deref(schema: JsonSchema): JsonSchema {
  return resolveRef<JsonSchema>(schema as JsonSchema | { $ref: string });
}

/** The properties of an object schema, merging `allOf` parts. */
export function propertiesOf(schema: JsonSchema): { properties: Record<string, JsonSchema>; required: Set<string> } {
  const resolved = deref(schema);
  const properties: Record<string, JsonSchema> = { ...resolved.properties };
  const required = new Set(resolved.required ?? []);
  for (const part of resolved.allOf ?? []) {
    const merged = propertiesOf(part);
    Object.assign(properties, merged.properties);
    for (const name of merged.required) required.add(name);
  }
  return { properties, required };
}

/** The schema of `Schema.prop.sub...`, e.g. `property('Integration', 'urls')`. */
export function property(schemaName: string, ...path: string[]): JsonSchema {
  let schema: JsonSchema = componentSchema(schemaName);
  for (const name of path) {
    const next = propertiesOf(schema).properties[name];
    if (!next) throw new Error(`The OpenAPI schema ${schemaName} has no property ${path.join('.')}`);
    schema = next;
  }
  return schema;
}

/** The description a property carries, on itself or on the schema it references. */
export function describe(schema: JsonSchema): string | undefined {
  if (schema.description) return schema.description.trim();
  if (schema.$ref) return describe(lookupPointer(schema.$ref) as JsonSchema);
  return undefined;
}

export function propertyDescription(schemaName: string, ...path: string[]): string | undefined {
  return describe(property(schemaName, ...path));
}

export function schemaDescription(schemaName: string): string | undefined {
  return describe(componentSchema(schemaName));
}

/** The string values of an enum schema (a component name or an inline schema). */
export function enumValues(schema: string | JsonSchema): string[] {
  const resolved = deref(typeof schema === 'string' ? componentSchema(schema) : schema);
  const values = (resolved.enum ?? resolved.items?.enum ?? deref(resolved.items ?? {}).enum)?.filter(
    (value): value is string => typeof value === 'string',
  );
  if (!values?.length) throw new Error(`Not a string enum schema: ${JSON.stringify(schema).slice(0, 80)}`);
  return values;
}

/** What the REST operation does, for the description of the field that calls it. */
export function operationDescription(operationId: string): string {
  const { operation } = findOperation(operationId);
  return (operation.description || operation.summary || '').trim();
}

/** The REST call an operation makes, as descriptions name it: `PATCH /integrations/{integrationName}`. */
export function restRoute(operationId: string): string {
  const { method, path } = findOperation(operationId);
  return `${method.toUpperCase()} ${path}`;
}

/** What the REST operation does, then the call it makes: a mutation's description. */
export function operationWithRoute(operationId: string): string {
  return `${operationDescription(operationId)} (${restRoute(operationId)})`;
}

/** The description and schema of one parameter of an operation. */
export function operationParameter(operationId: string, name: string): { description?: string; schema: JsonSchema } {
  for (const parameter of findOperation(operationId).operation.parameters ?? []) {
    const resolved = resolveRef<ParameterObject>(parameter);
    if (resolved.name === name) {
      return { description: resolved.description?.trim(), schema: (resolved.schema ?? {}) as JsonSchema };
    }
  }
  throw new Error(`Operation ${operationId} has no parameter ${name}`);
}

/** The JSON body schema an operation takes. */
export function requestBodySchema(operationId: string): JsonSchema {
  const { requestBody } = findOperation(operationId).operation;
  const content = requestBody && resolveRef(requestBody).content;
  const schema = (content?.['application/json'] as { schema?: JsonSchema } | undefined)?.schema;
  if (!schema) throw new Error(`Operation ${operationId} takes no JSON body`);
  return schema;
}

/** One property of an operation's JSON body schema. */
export function requestBodyProperty(operationId: string, name: string): JsonSchema {
  const schema = propertiesOf(requestBodySchema(operationId)).properties[name];
  if (!schema) throw new Error(`Operation ${operationId} has no body property ${name}`);
  return schema;
}
