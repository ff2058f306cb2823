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

/**
 * A JSON literal as a value. Variables inside it are put in by reference, not
 * copied: their size, with each use counted, was checked before execution
 * (limits/input-size.ts), along with the depth and the finiteness of numbers.
 */
function literalToJson(ast: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return finite(Number(ast.value));
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

function finite(value: number): number {
  if (!Number.isFinite(value)) throw badUserInput('JSON numbers must be finite: 1e400 has no JSON form.');
  return value;
}

/** Deeper than any ContentKit tree or configuration; deep enough to exhaust the stack of whoever walks it. */
export const MAX_JSON_DEPTH = 64;

/** A variable's JSON value (already bounded by the body size): its depth and numbers checked. */
function checkJson(value: unknown, depth = 0): unknown {
  if (depth > MAX_JSON_DEPTH) throw badUserInput(`JSON values may nest at most ${MAX_JSON_DEPTH} levels deep.`);
  if (typeof value === 'number') finite(value);
  else if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) checkJson(inner, depth + 1);
  }
  return value;
}

builder.scalarType('JSON', {
  description: 'Any JSON value, passed through as GitBook sends or expects it (ContentKit elements, configurations).',
  serialize: (value) => value,
  parseValue: (value) => checkJson(value),
  parseLiteral: (ast, variables) => literalToJson(ast, variables),
});
