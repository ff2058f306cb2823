import { type GraphQLNamedType, type GraphQLObjectType, getNamedType, isEnumType, isObjectType } from 'graphql';
import { describeErrors, validatorAt } from '../../../src/openapi/validation.js';
import { MAX_WARNINGS } from '../../../src/warnings.js';
import type { GraphQLResponse } from '../harness.js';
import { FUTURE_ENUM_PREFIX, isFuture, UNKNOWN_PROPERTY_ON_CLOSED_OBJECT, type Variant } from './generator.js';
import { routeById } from './routes.js';
import type { Exchange } from './stub.js';

/**
 * What the spec-answers test expects of one GraphQL response, given the REST
 * answers the stub served for it. Each check returns sentences naming what is
 * wrong (empty when all is well).
 */

type Path = (string | number)[];

export interface Leaf {
  path: Path;
  /** The named GraphQL type of the field. */
  type: GraphQLNamedType;
  /** `Parent.field`. */
  field: string;
  value: unknown;
}

/** Every scalar and enum value of the response data, with its field's type (no aliases are used). */
export function leaves(root: GraphQLObjectType, data: unknown): Leaf[] {
  const found: Leaf[] = [];
  const walk = (value: unknown, type: GraphQLObjectType, path: Path): void => {
    if (value === null || typeof value !== 'object') return;
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if (key === '__typename') continue;
      const field = type.getFields()[key];
      if (!field) continue;
      const named = getNamedType(field.type);
      const visit = (item: unknown, at: Path): void => {
        if (Array.isArray(item)) {
          for (const [index, element] of item.entries()) visit(element, [...at, index]);
        } else if (isObjectType(named)) walk(item, named, at);
        else found.push({ path: at, type: named, field: `${type.name}.${key}`, value: item });
      };
      visit(inner, [...path, key]);
    }
  };
  walk(data, root, []);
  return found;
}

function collect(value: unknown, numbers: Set<number>, strings: Set<string>): void {
  if (typeof value === 'number') numbers.add(value);
  else if (typeof value === 'string') strings.add(value);
  else if (Array.isArray(value) || (value !== null && typeof value === 'object')) {
    for (const item of Object.values(value)) collect(item, numbers, strings);
  }
}

/** Numbers and strings of every answer served. */
export function servedValues(exchanges: readonly Exchange[]): { numbers: Set<number>; strings: Set<string> } {
  const numbers = new Set<number>();
  const strings = new Set<string>();
  for (const exchange of exchanges) collect(exchange.answer, numbers, strings);
  return { numbers, strings };
}

const MASKED = (error: NonNullable<GraphQLResponse['errors']>[number]) =>
  error.extensions?.code === 'INTERNAL_SERVER_ERROR' || error.message === 'Unexpected error.';

const show = (value: unknown) => JSON.stringify(value);

/** No error at all; masked ones are named as such, with what was masked when it is known (by path). */
export function errorProblems(response: GraphQLResponse, causes: ReadonlyMap<string, string> = new Map()): string[] {
  return (response.errors ?? []).map((error) => {
    const path = show(error.path ?? []);
    const cause = MASKED(error) && causes.has(path) ? ` (masked: ${causes.get(path)})` : '';
    return `${MASKED(error) ? 'MASKED error' : 'error'} at ${path}: ${error.message} (${show(error.extensions?.code)})${cause}`;
  });
}

/** Whether an answer holds something the document forbids (a replaced enum value, a property on a closed object). */
export function holdsForbiddenChange(value: unknown): boolean {
  if (typeof value === 'string') return value.startsWith(FUTURE_ENUM_PREFIX);
  if (Array.isArray(value)) return value.some(holdsForbiddenChange);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(
      ([key, inner]) => key === UNKNOWN_PROPERTY_ON_CLOSED_OBJECT || holdsForbiddenChange(inner),
    );
  }
  return false;
}

/** Ajv's verdict on an answer, against what the variant expects of it; a sentence when they differ. */
export function validityProblem(variant: Variant, operationId: string, answer: unknown): string | undefined {
  const route = routeById(operationId);
  if (!route.bodyPointer) {
    return answer === undefined ? undefined : `${operationId} documents no body, yet one was served`;
  }
  const validate = validatorAt(route.bodyPointer);
  const valid = validate(answer);
  const expected = !isFuture(variant) || !holdsForbiddenChange(answer);
  if (valid === expected) return undefined;
  return expected
    ? `${operationId}: the ${variant} answer should be valid: ${describeErrors(validate.errors, 'answer')}`
    : `${operationId}: the ${variant} answer changes what the document forbids, yet it validates`;
}

/** The served answers' problems (they should never have any: that would be the test's own bug). */
export function servedAnswerProblems(variant: Variant, exchanges: readonly Exchange[]): string[] {
  const problems: string[] = [];
  for (const exchange of exchanges) {
    if (!exchange.operationId) problems.push(`the stub has no route for ${exchange.method} ${exchange.path}`);
    else if (exchange.status >= 300) {
      problems.push(
        `the stub answered ${exchange.status} to ${exchange.method} ${exchange.path}: ${show(exchange.answer)}`,
      );
    } else {
      const problem = validityProblem(variant, exchange.operationId, exchange.answer);
      if (problem) problems.push(`${exchange.method} ${exchange.path}: ${problem}`);
    }
  }
  return problems;
}

const ALL_PROPERTIES: readonly Variant[] = ['all', 'oneOf', 'future', 'future-int'];

/**
 * Numbers come back as sent: each Int or Float value of the response, and
 * each number inside a JSON value, is one the API sent; with every property
 * served, no Int or Float field is null.
 */
export function numberProblems(
  variant: Variant,
  found: readonly Leaf[],
  served: Set<number>,
  response: GraphQLResponse,
): string[] {
  const problems: string[] = [];
  // A field nulled by its own error is reported with the error already.
  const failed = new Set((response.errors ?? []).map((error) => show(error.path ?? [])));
  const numbersIn = (value: unknown, at: Path): void => {
    if (typeof value === 'number' && !served.has(value)) {
      problems.push(`${show(at)}: ${value} is not a number the API sent`);
    } else if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) numbersIn(item, [...at, index]);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) numbersIn(inner, [...at, key]);
    }
  };
  for (const leaf of found) {
    const numeric = leaf.type.name === 'Int' || leaf.type.name === 'Float';
    if (numeric && leaf.value === null && ALL_PROPERTIES.includes(variant) && !failed.has(show(leaf.path))) {
      problems.push(`${show(leaf.path)} (${leaf.field}: ${leaf.type.name}) is null though the API sent every property`);
    } else if (numeric || leaf.type.name === 'JSON') {
      numbersIn(leaf.value, leaf.path);
    }
  }
  return problems;
}

interface Warning {
  code?: unknown;
  path?: unknown;
  enum?: unknown;
  value?: unknown;
  message?: unknown;
}

/**
 * Enums. In the future variants every enum value the API sent is unknown:
 * each enum field answers UNKNOWN, with one warning per value in
 * `extensions.warnings` (its response path, the enum, the raw value); past
 * MAX_WARNINGS the rest are only counted, in `extensions.warningsOmitted`. In the
 * others, the values are the document's: none is UNKNOWN and there is no
 * warning.
 */
export function enumProblems(
  variant: Variant,
  found: readonly Leaf[],
  response: GraphQLResponse & { extensions?: Record<string, unknown> },
  servedStrings: Set<string>,
): string[] {
  const problems: string[] = [];
  const enumLeaves = found.filter((leaf) => isEnumType(leaf.type) && leaf.value !== null);
  const warnings = response.extensions?.warnings;
  if (!isFuture(variant)) {
    for (const leaf of enumLeaves) {
      if (leaf.value === 'UNKNOWN')
        problems.push(`${show(leaf.path)} (${leaf.field}) is UNKNOWN, though the API sent a value the document lists`);
    }
    if (warnings !== undefined && !(Array.isArray(warnings) && warnings.length === 0)) {
      problems.push(`extensions.warnings is ${show(warnings)}, though every enum value is one the document lists`);
    }
    return problems;
  }
  for (const leaf of enumLeaves) {
    if (leaf.value !== 'UNKNOWN') {
      problems.push(
        `${show(leaf.path)} (${leaf.field}) is ${show(leaf.value)}, not UNKNOWN, though the API sent an unknown value`,
      );
    }
  }
  if (enumLeaves.length === 0) return problems;
  if (!Array.isArray(warnings)) {
    problems.push(
      `extensions.warnings is ${show(warnings)}: expected one UNKNOWN_ENUM_VALUE warning per unknown value (${enumLeaves.length})`,
    );
    return problems;
  }
  const omitted = response.extensions?.warningsOmitted ?? 0;
  if (typeof omitted !== 'number') problems.push(`extensions.warningsOmitted is ${show(omitted)}`);
  const listed = (warnings as Warning[]).length;
  if (listed > MAX_WARNINGS) problems.push(`${listed} warnings listed, more than ${MAX_WARNINGS}`);
  if (listed + Number(omitted) !== enumLeaves.length) {
    problems.push(
      `${listed} warnings listed and ${show(omitted)} omitted, for ${enumLeaves.length} unknown values served`,
    );
  }
  const unmatched = [...(warnings as Warning[])];
  const unlisted: Leaf[] = [];
  for (const leaf of enumLeaves) {
    const index = unmatched.findIndex((warning) => show(warning.path) === show(leaf.path));
    if (index < 0) {
      unlisted.push(leaf);
      continue;
    }
    const [warning] = unmatched.splice(index, 1) as [Warning];
    const wrong: string[] = [];
    if (warning.code !== 'UNKNOWN_ENUM_VALUE') wrong.push(`code ${show(warning.code)}`);
    if (warning.enum !== leaf.type.name) wrong.push(`enum ${show(warning.enum)} (expected ${leaf.type.name})`);
    if (
      typeof warning.value !== 'string' ||
      !warning.value.startsWith(FUTURE_ENUM_PREFIX) ||
      !servedStrings.has(warning.value)
    ) {
      wrong.push(`value ${show(warning.value)} is not an unknown value the API sent`);
    }
    if (typeof warning.message !== 'string') wrong.push('no message');
    if (wrong.length > 0) problems.push(`the warning for ${show(leaf.path)}: ${wrong.join(', ')}`);
  }
  for (const extra of unmatched) problems.push(`a warning for no UNKNOWN field: ${show(extra)}`);
  // Only the overflow may go unlisted: with fewer than MAX_WARNINGS values, each has its warning.
  if (listed < MAX_WARNINGS)
    for (const leaf of unlisted) problems.push(`no warning for ${show(leaf.path)} (${leaf.field})`);
  return problems;
}
