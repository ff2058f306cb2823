import type { EnumRef, FieldMap, InputFieldMap, InputObjectRef, ObjectRef } from '@pothos/core';
import type { Context } from '../context.js';
import { builder, type Types } from './builder.js';
import { FROM_KEY } from './fan-out.js';
import { deref, describe, enumValues, type JsonSchema, propertiesOf, property, schemaDescription } from './spec.js';
import { UNKNOWN_MEMBER } from './unknown-values.js';

/**
 * GraphQL types derived from the OpenAPI document: REST enums become GraphQL
 * enums, and plain REST objects (urls, permissions, spaces, sites...) become
 * object types whose fields, nullability and descriptions come from the spec.
 */

/** `space:views:read` → `SPACE_VIEWS_READ`, `visitor-auth` → `VISITOR_AUTH`, `internalDocs` → `INTERNAL_DOCS`. */
export function enumValueName(value: string): string {
  return value
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^a-zA-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}

const enums = new Map<string, EnumRef<Types, string, string>>();

/**
 * The GraphQL enum for a REST enum, created once per name. Pothos maps each
 * value both ways, so resolvers and REST calls only ever see REST's spelling.
 */
export function restEnum(name: string, schema: string | JsonSchema, description?: string) {
  const existing = enums.get(name);
  if (existing) return existing;
  const resolved = typeof schema === 'string' ? schema : deref(schema);
  const ref = builder.enumType(name, {
    description: description ?? (typeof resolved === 'string' ? schemaDescription(resolved) : describe(resolved)),
    values: {
      ...Object.fromEntries(
        enumValues(resolved).map((value) => [enumValueName(value), { value, description: `REST value \`${value}\`.` }]),
      ),
      ...UNKNOWN_MEMBER,
    },
  }) as EnumRef<Types, string, string>;
  enums.set(name, ref);
  return ref;
}

function pascal(name: string): string {
  return name.replace(/(^|[_-])([a-z])/g, (_match, _sep, letter: string) => letter.toUpperCase());
}

export function camel(name: string): string {
  return name.replace(/[_-]([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

export type FieldType =
  | string
  | InputObjectRef<Types, unknown>
  | EnumRef<Types, string, string>
  | ObjectRef<Types, unknown>;

/** The GraphQL type a REST property maps to, with `JSON` for unions and free-form objects. */
export function fieldTypeFor(schema: JsonSchema, enumName: string): { type: FieldType; list: boolean } {
  const resolved = deref(schema);
  const refName = schema.$ref?.slice(schema.$ref.lastIndexOf('/') + 1);
  const variants = (resolved.oneOf ?? resolved.anyOf)?.filter((variant) => deref(variant).type !== 'null');
  if (variants?.length === 1 && variants[0]?.$ref && deref(variants[0]).enum)
    return fieldTypeFor(variants[0], enumName);
  if (resolved.oneOf || resolved.anyOf) return { type: 'JSON', list: false };
  if (resolved.type === 'array' && resolved.items) {
    const item = fieldTypeFor(resolved.items, enumName);
    return item.list || item.type === 'JSON' ? { type: 'JSON', list: false } : { type: item.type, list: true };
  }
  if (resolved.enum) {
    const description = describe(schema) ?? `The values GitBook's API uses for ${refName ?? enumName}.`;
    return { type: restEnum(refName ?? enumName, resolved, description), list: false };
  }
  switch (resolved.type) {
    case 'string':
      return { type: resolved.format === 'date-time' ? 'DateTime' : 'String', list: false };
    case 'boolean':
      return { type: 'Boolean', list: false };
    case 'integer':
      return { type: 'Int', list: false };
    case 'number':
      return { type: 'Float', list: false };
    default:
      return { type: 'JSON', list: false };
  }
}

export interface SpecFieldOptions<Parent> {
  /** Types to use instead of the inferred ones (nested objects), by REST name. */
  types?: Record<string, FieldType>;
  /** Descriptions for properties the spec leaves undescribed, by REST name. */
  descriptions?: Record<string, string>;
  /**
   * The fields may need a REST call (`read` fetches what the parent lacks):
   * they are all nullable, so a failed call nulls only its own field.
   */
  fetched?: boolean;
  /** Reads a property from the parent; by default the parent is the REST object itself. */
  read?: (parent: Parent, restName: string, context: Context) => unknown;
  /** Properties answered from the parent's key (`read` is not called for them). */
  fromKey?: Record<string, (parent: Parent) => unknown>;
}

/**
 * Fields mirroring REST properties of `schema`: names camelCased, types,
 * nullability and descriptions from the spec.
 */
export function specFields<Parent>(
  t: PothosSchemaTypes.ObjectFieldBuilder<Types, Parent>,
  typeName: string,
  schema: JsonSchema,
  restNames: readonly string[],
  options: SpecFieldOptions<Parent> = {},
): FieldMap {
  const { properties, required } = propertiesOf(schema);
  const read = options.read ?? ((parent: Parent, restName: string) => (parent as Record<string, unknown>)[restName]);
  return Object.fromEntries(
    restNames.map((restName) => {
      const { type, description } = propertyField(typeName, properties, restName, options);
      const fromKey = options.fromKey?.[restName];
      return [
        camel(restName),
        t.field({
          // The type is the spec's, decided at run time: Pothos cannot check it statically.
          type: type as never,
          nullable: (options.fetched === true && !fromKey) || !required.has(restName),
          description,
          ...(fromKey ? { extensions: FROM_KEY } : {}),
          resolve: fromKey
            ? (parent) => fromKey(parent) as never
            : (parent, _args, context) => read(parent, restName, context) as never,
        }),
      ];
    }),
  );
}

/** The GraphQL type and description of one REST property, from the spec unless overridden. */
function propertyField(
  typeName: string,
  properties: Record<string, JsonSchema>,
  restName: string,
  options: { types?: Record<string, FieldType>; descriptions?: Record<string, string> },
): { type: FieldType | [FieldType]; description: string } {
  const propertySchema = properties[restName];
  if (!propertySchema) throw new Error(`${typeName}: the OpenAPI schema has no property ${restName}`);
  // Ours win: the spec's text is written for the REST object, ours for this field.
  const description = options.descriptions?.[restName] ?? describe(propertySchema);
  if (!description) throw new Error(`${typeName}.${restName}: the spec has no description; give one`);
  const override = options.types?.[restName];
  const isList = deref(propertySchema).type === 'array';
  // Inferring an enum defines it: only infer what is not overridden.
  const inferred = override ? undefined : fieldTypeFor(propertySchema, `${typeName}${pascal(restName)}`);
  const type = override ? (isList ? [override] : override) : inferred?.list ? [inferred.type] : inferred?.type;
  return { type: type as FieldType | [FieldType], description };
}

export interface SpecInputOptions {
  types?: Record<string, FieldType>;
  descriptions?: Record<string, string>;
  /** REST properties the input requires though the REST schema does not (or the reverse). */
  required?: Record<string, boolean>;
}

/**
 * Input fields mirroring REST body properties: camelCased names, types and
 * descriptions from the spec, required where the spec requires them.
 * `restBody` turns the input back into the REST body.
 */
export function specInputFields(
  t: PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>,
  typeName: string,
  schema: JsonSchema,
  restNames: readonly string[],
  options: SpecInputOptions = {},
): InputFieldMap {
  const { properties, required } = propertiesOf(schema);
  return Object.fromEntries(
    restNames.map((restName) => {
      const { type, description } = propertyField(typeName, properties, restName, options);
      return [
        camel(restName),
        t.field({ type: type as never, required: options.required?.[restName] ?? required.has(restName), description }),
      ];
    }),
  );
}

/** An input object type mirroring a REST object schema (a block, a link...). */
export function specInputType(name: string, schema: JsonSchema, options: SpecInputOptions & { description: string }) {
  const names = Object.keys(propertiesOf(schema).properties);
  return builder.inputType(name, {
    description: options.description,
    fields: (t) => specInputFields(t, name, schema, names, options),
  });
}

/** The REST body for an input whose fields `specInputFields` made; absent fields are left out. */
export function restBody(input: Record<string, unknown>, restNames: readonly string[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const restName of restNames) {
    const value = input[camel(restName)];
    if (value !== undefined && value !== null) body[restName] = value;
  }
  return body;
}

export interface SpecObjectOptions extends SpecFieldOptions<Record<string, unknown>> {
  /** The GraphQL description; defaults to the spec's. */
  description?: string;
  /** REST properties to expose; defaults to all but `object` and `internal_*`. */
  properties?: string[];
}

/**
 * An object type mirroring a REST object schema. Its parent value is the REST
 * object itself.
 */
export function specObjectType(name: string, schema: JsonSchema, options: SpecObjectOptions = {}) {
  const names =
    options.properties ??
    Object.keys(propertiesOf(schema).properties).filter((key) => key !== 'object' && !key.startsWith('internal_'));
  const ref = builder.objectRef<Record<string, unknown>>(name);
  ref.implement({
    description: options.description ?? describe(deref(schema)),
    fields: (t) => specFields(t, name, schema, names, options),
  });
  return ref;
}

/** `specObjectType` for a property of a component schema, e.g. `('IntegrationUrls', 'Integration', 'urls')`. */
export function specPropertyType(name: string, schemaName: string, path: string, options?: SpecObjectOptions) {
  const schema = deref(property(schemaName, path));
  // A list property describes its items.
  return specObjectType(name, schema.type === 'array' && schema.items ? schema.items : schema, options);
}
