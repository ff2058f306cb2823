/**
 * The official OpenAPI document drives routing and validation, so that the simulator accepts
 * exactly what GitBook documents: routes, path and query parameters (unknown ones are refused),
 * request bodies, and (when asked) our own responses. Validators are compiled on first use and
 * cached; the route table is built once at import.
 */
import {
  escapePointer,
  type JsonSchema,
  lookupPointer,
  type ParameterObject,
  resolveRef,
  spec,
} from '../openapi/document.js';
import { GATEWAY_OPERATIONS, type OperationId } from '../openapi/scope.js';
import { compiled, describeErrors, rebase, validatorAt } from '../openapi/validation.js';
import { badRequest } from './errors.js';

/** The operations the simulator implements: the gateway's scope. */
export const SIMULATED_OPERATIONS = GATEWAY_OPERATIONS;
export type { OperationId };

type QueryType = 'string' | 'number' | 'integer' | 'boolean';

export interface Operation {
  id: OperationId;
  method: string;
  /** The spec's path template, e.g. `/integrations/{integrationName}`. */
  path: string;
  /** JSON pointer to the operation object in the spec. */
  pointer: string;
  pathParameters: ParameterObject[];
  queryParameters: Map<string, { parameter: ParameterObject; type: QueryType }>;
  /** Undefined when the operation takes no body. */
  body: { required: boolean; pointer: string } | undefined;
}

// --- Routing ----------------------------------------------------------------------------------

interface RouteNode {
  literals: Map<string, RouteNode>;
  param: { name: string; node: RouteNode } | undefined;
  operations: Map<string, Operation>;
}

const newNode = (): RouteNode => ({ literals: new Map(), param: undefined, operations: new Map() });
const routes = newNode();
const operationsById = new Map<OperationId, Operation>();

function schemaType(schema: JsonSchema): QueryType {
  const resolved = resolveRef(schema) as JsonSchema;
  const type = resolved.type;
  if (type === 'number' || type === 'integer' || type === 'boolean' || type === 'string') return type;
  throw new Error(`unsupported query parameter schema ${JSON.stringify(schema)}`);
}

for (const [path, item] of Object.entries(spec.paths)) {
  for (const [method, raw] of Object.entries(item)) {
    const id = raw?.operationId as OperationId | undefined;
    if (!id || !(SIMULATED_OPERATIONS as readonly string[]).includes(id)) continue;
    const pointer = `#/paths/${escapePointer(path)}/${method}`;
    const parameters = (raw.parameters ?? []).map((p) => resolveRef<ParameterObject>(p));
    const requestBody = raw.requestBody && resolveRef(raw.requestBody);
    const operation: Operation = {
      id,
      method: method.toUpperCase(),
      path,
      pointer,
      pathParameters: parameters.filter((p) => p.in === 'path'),
      queryParameters: new Map(
        parameters.filter((p) => p.in === 'query').map((p) => [p.name, { parameter: p, type: schemaType(p.schema) }]),
      ),
      body: requestBody?.content?.['application/json']
        ? {
            required: requestBody.required === true,
            pointer: `${pointer}/requestBody/content/application~1json/schema`,
          }
        : undefined,
    };
    operationsById.set(id, operation);
    let node = routes;
    for (const segment of path.split('/').slice(1)) {
      const param = /^\{(.+)\}$/.exec(segment)?.[1];
      if (param) {
        node.param ??= { name: param, node: newNode() };
        node = node.param.node;
      } else {
        let next = node.literals.get(segment);
        if (!next) {
          next = newNode();
          node.literals.set(segment, next);
        }
        node = next;
      }
    }
    node.operations.set(operation.method, operation);
  }
}

for (const id of SIMULATED_OPERATIONS)
  if (!operationsById.has(id)) throw new Error(`operation ${id} is missing from the spec`);

export function getOperation(id: OperationId): Operation {
  const operation = operationsById.get(id);
  if (!operation) throw new Error(`unknown operation ${id}`);
  return operation;
}

export type RouteMatch =
  | { kind: 'found'; operation: Operation; rawParams: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

/**
 * Match a path (after `/v1`, still percent-encoded) against the spec's templates. Literal segments
 * win over parameters; a path that matches only under other methods is a 405.
 */
export function matchRoute(method: string, path: string): RouteMatch {
  const segments = path.split('/').slice(1);
  const ends: { node: RouteNode; params: Record<string, string> }[] = [];
  const walk = (node: RouteNode, index: number, params: Record<string, string>) => {
    if (index === segments.length) {
      if (node.operations.size > 0) ends.push({ node, params });
      return;
    }
    const segment = segments[index] as string;
    if (segment === '') return;
    const literal = node.literals.get(segment);
    if (literal) walk(literal, index + 1, params);
    if (node.param) walk(node.param.node, index + 1, { ...params, [node.param.name]: segment });
  };
  if (path.startsWith('/')) walk(routes, 0, {});
  for (const end of ends) {
    const operation = end.node.operations.get(method);
    if (operation) return { kind: 'found', operation, rawParams: end.params };
  }
  if (ends.length === 0) return { kind: 'not-found' };
  return { kind: 'method-not-allowed', allow: [...new Set(ends.flatMap((end) => [...end.node.operations.keys()]))] };
}

/** Decode and validate the path parameters; a bad one is a 400 naming it. */
export function parsePathParameters(operation: Operation, raw: Record<string, string>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    try {
      params[name] = decodeURIComponent(value);
    } catch {
      throw badRequest(`Invalid path parameter "${name}": malformed percent-encoding`);
    }
  }
  const validate = compiled(`path:${operation.id}`, () => ({
    type: 'object',
    properties: Object.fromEntries(operation.pathParameters.map((p) => [p.name, rebase(p.schema)])),
    required: operation.pathParameters.map((p) => p.name),
  }));
  if (!validate(params)) {
    const error = validate.errors?.[0];
    const name = error?.instancePath.slice(1) ?? '';
    throw badRequest(`Invalid path parameter "${name}": ${error?.message ?? 'invalid'} (got "${params[name] ?? ''}")`);
  }
  return params;
}

/**
 * Parse the raw query string against the operation's parameters: unknown and repeated parameters
 * are refused, numbers and booleans must be spelled as such, and the spec's constraints apply.
 */
export function parseQuery(operation: Operation, search: string): Record<string, string | number | boolean> {
  const query: Record<string, string | number | boolean> = {};
  for (const [name, value] of new URLSearchParams(search)) {
    const known = operation.queryParameters.get(name);
    if (!known) {
      const allowed = [...operation.queryParameters.keys()];
      throw badRequest(
        `Unknown query parameter "${name}" for ${operation.id}` +
          (allowed.length ? ` (allowed: ${allowed.join(', ')})` : ' (it takes none)'),
      );
    }
    if (name in query) throw badRequest(`Query parameter "${name}" is repeated`);
    query[name] = coerce(name, value, known.type);
  }
  const validate = compiled(`query:${operation.id}`, () => {
    const parameters = [...operation.queryParameters.values()].map((q) => q.parameter);
    return {
      type: 'object',
      properties: Object.fromEntries(parameters.map((p) => [p.name, rebase(p.schema)])),
      required: parameters.filter((p) => p.required).map((p) => p.name),
    };
  });
  if (!validate(query)) {
    const error = validate.errors?.[0];
    if (error?.keyword === 'required') {
      throw badRequest(`Missing required query parameter "${String(error.params.missingProperty)}"`);
    }
    const name = error?.instancePath.slice(1) ?? '';
    const detail =
      error?.keyword === 'enum'
        ? `must be one of: ${(error.params.allowedValues as unknown[]).join(', ')}`
        : error?.message;
    throw badRequest(`Invalid query parameter "${name}": ${detail ?? 'invalid'}`);
  }
  return query;
}

function coerce(name: string, value: string, type: QueryType): string | number | boolean {
  if (type === 'string') return value;
  if (type === 'boolean') {
    if (value === 'true' || value === 'false') return value === 'true';
    throw badRequest(`Invalid query parameter "${name}": must be true or false (got "${value}")`);
  }
  if (!/^-?\d+(\.\d+)?$/.test(value) || (type === 'integer' && value.includes('.'))) {
    throw badRequest(`Invalid query parameter "${name}": must be a ${type} (got "${value}")`);
  }
  return Number(value);
}

export function validateBody(operation: Operation, body: unknown): void {
  if (!operation.body) {
    if (body !== undefined) throw badRequest(`${operation.id} takes no request body`);
    return;
  }
  if (body === undefined) {
    if (operation.body.required) throw badRequest('Request body is required');
    return;
  }
  const validate = validatorAt(operation.body.pointer);
  if (!validate(body)) throw badRequest(describeErrors(validate.errors, 'Invalid request body'));
  const known = topLevelFields(operation);
  if (known && body && typeof body === 'object' && !Array.isArray(body)) {
    const unknown = Object.keys(body).find((key) => !known.has(key));
    if (unknown !== undefined) {
      throw badRequest(`Invalid request body: unknown field "${unknown}" (expected: ${[...known].join(', ')})`);
    }
  }
}

const topLevelFieldsCache = new Map<OperationId, ReadonlySet<string> | undefined>();

/**
 * Stricter than GitBook on purpose: none of these bodies forbids extra properties, so GitBook
 * would silently ignore a misspelled field (`spaceSelection` for `space_selection`). The
 * simulator refuses unknown top-level fields so that such a client bug fails its tests.
 */
function topLevelFields(operation: Operation): ReadonlySet<string> | undefined {
  if (!topLevelFieldsCache.has(operation.id)) {
    const schema = operation.body && (resolveRef(lookupPointer(operation.body.pointer) as JsonSchema) as JsonSchema);
    const properties = schema?.properties as Record<string, unknown> | undefined;
    topLevelFieldsCache.set(
      operation.id,
      properties && schema?.additionalProperties === undefined ? new Set(Object.keys(properties)) : undefined,
    );
  }
  return topLevelFieldsCache.get(operation.id);
}

/** Validate a value against a component schema (e.g. the decoded GET render request). */
export function validateComponent(name: string, value: unknown, subject: string): void {
  const validate = validatorAt(`#/components/schemas/${name}`);
  if (!validate(value)) throw badRequest(describeErrors(validate.errors, subject));
}

/**
 * Check one of our own answers against the spec. Statuses the operation does not document are
 * checked against the generic error shape (with `code` equal to the status); documented bodiless
 * statuses must have no body. Returns what is wrong, or undefined.
 */
export function checkResponse(operation: Operation | undefined, status: number, body: unknown): string | undefined {
  const raw = operation
    ? spec.paths[operation.path]?.[operation.method.toLowerCase()]?.responses[String(status)]
    : undefined;
  const documented = raw && resolveRef(raw);
  if (documented) {
    if (!documented.content?.['application/json']) {
      return body === undefined ? undefined : `status ${status} of ${operation?.id} has no body in the spec`;
    }
    if (body === undefined) return `status ${status} of ${operation?.id} needs a body`;
    const validate = validatorAt(`${operation?.pointer}/responses/${status}/content/application~1json/schema`);
    return validate(body) ? undefined : describeErrors(validate.errors, `${operation?.id} ${status}`);
  }
  if (status < 400) return `status ${status} is not a documented response of ${operation?.id}`;
  const validate = validatorAt('#/components/schemas/Error');
  if (!validate(body)) return describeErrors(validate.errors, `error ${status}`);
  const code = (body as { error: { code: number } }).error.code;
  return code === status ? undefined : `error body code ${code} differs from status ${status}`;
}
