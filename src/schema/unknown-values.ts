import {
  defaultFieldResolver,
  type GraphQLEnumType,
  GraphQLError,
  type GraphQLField,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isObjectType,
  responsePathAsArray,
} from 'graphql';
import type { Context } from '../context.js';

/**
 * Answers newer than the pinned spec. GitBook's API adds enum values before
 * `@gitbook/api` is bumped here, and GraphQL cannot serialize a value its
 * enum lacks: the field would fail, and with it every non-null parent up to
 * the page. So every REST enum has an `UNKNOWN` member: a value the enum
 * does not know is served as `UNKNOWN`, typed for clients (codegen's unions
 * include it), and the value the API sent goes into `extensions.warnings`
 * with its path, so it is not lost.
 */

/** The internal value of every REST enum's `UNKNOWN` member: nothing REST sends can equal it. */
export const UNKNOWN_VALUE: unique symbol = Symbol('UNKNOWN');

export const UNKNOWN_MEMBER = {
  UNKNOWN: {
    // Pothos types enum values as strings; graphql-js takes any value.
    value: UNKNOWN_VALUE as unknown as string,
    description:
      'A value GitBook’s API sent that this gateway does not know yet (newer than its copy of the API description). ' +
      'The value itself is in the response’s `extensions.warnings`. It cannot be sent as an argument.',
  },
};

function isRestEnum(type: unknown): type is GraphQLEnumType {
  return isEnumType(type) && type.getValue('UNKNOWN')?.value === UNKNOWN_VALUE;
}

/** Refuses `UNKNOWN` as input: it names no value REST could be sent. */
function refuseUnknownInput(type: GraphQLEnumType): void {
  const refusal = () =>
    new GraphQLError(`${type.name}.UNKNOWN stands for values newer than this gateway: it cannot be sent.`);
  const parseValue = type.parseValue.bind(type);
  const parseLiteral = type.parseLiteral.bind(type);
  type.parseValue = (value) => {
    const parsed = parseValue(value);
    if (parsed === UNKNOWN_VALUE) throw refusal();
    return parsed;
  };
  type.parseLiteral = (node, variables) => {
    const parsed = parseLiteral(node, variables);
    if (parsed === UNKNOWN_VALUE) throw refusal();
    return parsed;
  };
}

/** Wraps a field returning a REST enum (or a list of them) so an unknown value becomes UNKNOWN. */
function tolerateUnknown(field: GraphQLField<unknown, Context>, type: GraphQLEnumType): void {
  const known = new Set(type.getValues().map((value) => value.value));
  const resolve = field.resolve ?? defaultFieldResolver;
  const served = (value: unknown, context: Context, info: GraphQLResolveInfo, index?: number): unknown => {
    if (value === null || value === undefined || known.has(value)) return value;
    const path = responsePathAsArray(info.path);
    if (index !== undefined) path.push(index);
    context.warnings.add({
      code: 'UNKNOWN_ENUM_VALUE',
      message:
        `GitBook API sent ${JSON.stringify(value)} for ${info.parentType.name}.${info.fieldName}, ` +
        `a value ${type.name} does not know yet: it is served as UNKNOWN.`,
      path,
      enum: type.name,
      value,
    });
    return UNKNOWN_VALUE;
  };
  const normalized = (value: unknown, context: Context, info: GraphQLResolveInfo) =>
    Array.isArray(value)
      ? value.map((item, index) => served(item, context, info, index))
      : served(value, context, info);
  field.resolve = (source, args, context, info) => {
    const value = resolve(source, args, context, info);
    return value instanceof Promise
      ? value.then((settled) => normalized(settled, context, info))
      : normalized(value, context, info);
  };
}

/** Applies both to every REST enum of the schema and every field that returns one. */
export function tolerateUnknownEnumValues(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (isRestEnum(type)) refuseUnknownInput(type);
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      if (isRestEnum(named)) tolerateUnknown(field as GraphQLField<unknown, Context>, named);
    }
  }
  return schema;
}
