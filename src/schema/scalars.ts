import { Kind, type ValueNode } from 'graphql';
import { badUserInput } from '../errors.js';
import { builder } from './builder.js';

// REST timestamps are ISO 8601 strings; they pass through untouched so a
// client sees exactly what GitBook sent.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(value: unknown): string {
  if (typeof value !== 'string' || !ISO_8601.test(value) || Number.isNaN(Date.parse(value))) {
    throw badUserInput('DateTime must be an ISO 8601 date-time string, such as 2026-01-31T12:00:00Z.');
  }
  return value;
}

builder.scalarType('DateTime', {
  description: 'A date-time in ISO 8601 form (RFC 3339), such as `2026-01-31T12:00:00.000Z`.',
  serialize: (value) => value,
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

function literalToJson(ast: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((value) => literalToJson(value, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((field) => [field.name.value, literalToJson(field.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
    case Kind.ENUM:
      return ast.value;
  }
}

/** Deeper than any ContentKit tree or configuration; deep enough to exhaust the stack of whoever walks it. */
const MAX_JSON_DEPTH = 64;

function checkDepth(value: unknown, depth = 0): unknown {
  if (depth > MAX_JSON_DEPTH) throw badUserInput(`JSON values may nest at most ${MAX_JSON_DEPTH} levels deep.`);
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) checkDepth(inner, depth + 1);
  }
  return value;
}

builder.scalarType('JSON', {
  description: 'Any JSON value, passed through as GitBook sends or expects it (ContentKit elements, configurations).',
  serialize: (value) => value,
  parseValue: (value) => checkDepth(value),
  parseLiteral: (ast, variables) => checkDepth(literalToJson(ast, variables)),
});
