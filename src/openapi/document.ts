/**
 * GitBook's official OpenAPI document (from `@gitbook/api`), loaded once and
 * shared: the simulator routes and validates with it, and the gateway takes
 * its descriptions, enums and input limits from it.
 */
import { createRequire } from 'node:module';

/** The parts of a JSON Schema (OpenAPI 3.1 dialect) the gateway and the simulator read. */
export interface JsonSchema {
  [keyword: string]: unknown;
  $ref?: string;
  type?: string | string[];
  format?: string;
  description?: string;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
}

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface OperationObject {
  operationId: string;
  summary?: string;
  description?: string;
  parameters?: (ParameterObject | { $ref: string })[];
  requestBody?: { required?: boolean; content?: Record<string, unknown> } | { $ref: string };
  responses: Record<string, { $ref?: string; content?: Record<string, unknown> }>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components: Record<string, Record<string, unknown>>;
}

export const spec = createRequire(import.meta.url)('@gitbook/api/spec/openapi.json') as OpenApiDocument;

export const escapePointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

export function lookupPointer(ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`);
  let node: unknown = spec;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Record<string, unknown> | undefined)?.[key];
  }
  if (node === undefined) throw new Error(`dangling $ref ${ref}`);
  return node;
}

export function resolveRef<T>(value: T | { $ref: string }): T {
  let current: unknown = value;
  for (let depth = 0; depth < 10 && current && typeof current === 'object' && '$ref' in current; depth++) {
    current = lookupPointer((current as { $ref: string }).$ref);
  }
  return current as T;
}

export interface LocatedOperation {
  path: string;
  method: string;
  /** JSON pointer to the operation object. */
  pointer: string;
  operation: OperationObject;
}

const operations = new Map<string, LocatedOperation>();
for (const [path, item] of Object.entries(spec.paths)) {
  for (const [method, operation] of Object.entries(item)) {
    if (operation?.operationId) {
      operations.set(operation.operationId, {
        path,
        method,
        pointer: `#/paths/${escapePointer(path)}/${method}`,
        operation,
      });
    }
  }
}

export function findOperation(operationId: string): LocatedOperation {
  const found = operations.get(operationId);
  if (!found) throw new Error(`The OpenAPI document has no operation ${operationId}`);
  return found;
}
