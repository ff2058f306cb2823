/**
 * Ajv validators compiled from the OpenAPI document, on first use, and the
 * one clear message worth showing for a failure.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { type JsonSchema, lookupPointer, type OpenApiDocument, spec } from './document.js';

const SPEC_ID = 'openapi.json';
let ajvInstance: Ajv2020 | undefined;
const validators = new Map<string, ValidateFunction>();

function ajv(): Ajv2020 {
  if (!ajvInstance) {
    // strict: false because the spec carries OpenAPI keywords (discriminator, example, x-*).
    ajvInstance = new Ajv2020({ strict: false, validateSchema: false, logger: false, allErrors: false });
    const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
    addFormats(ajvInstance);
    ajvInstance.addFormat(
      'emoji',
      (value: string) => /^[0-9a-f]{4,6}(-[0-9a-f]{4,6})*$/i.test(value) || /\p{Extended_Pictographic}/u.test(value),
    );
    ajvInstance.addFormat('icon', true);
    ajvInstance.addSchema(withSpecFixes(spec) as unknown as JsonSchema, SPEC_ID);
  }
  return ajvInstance;
}

/**
 * The one correction we make to the official document. `PlainObject` (ContentKit props) lacks
 * `type: object`, so every scalar value inside it matches both `PlainObject` and its own type in
 * the `oneOf`, and `{ "props": { "title": "x" } }` would be refused. The copy is shallow along the
 * path, leaving the shared, cached document untouched.
 */
function withSpecFixes(document: OpenApiDocument): OpenApiDocument {
  const schemas = document.components.schemas as Record<string, JsonSchema>;
  return {
    ...document,
    components: {
      ...document.components,
      schemas: { ...schemas, PlainObject: { ...schemas.PlainObject, type: 'object' } },
    },
  };
}

/** Inline schemas (parameters) point into the document with `#/...`; make that `openapi.json#/...`. */
export function rebase<T>(value: T): T {
  if (Array.isArray(value)) return value.map(rebase) as T;
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === '$ref' && typeof inner === 'string' && inner.startsWith('#/') ? SPEC_ID + inner : rebase(inner),
    ]),
  ) as T;
}

export function compiled(key: string, build: () => JsonSchema): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv().compile(build());
    validators.set(key, validate);
  }
  return validate;
}

/** A validator for the schema at a JSON pointer of the spec (`#/components/schemas/...`). */
export function validatorAt(pointer: string): ValidateFunction {
  const target = resolvePointerThroughRefs(pointer);
  return compiled(`ptr:${target}`, () => ({ $ref: SPEC_ID + target }));
}

/** Follow `$ref`s met along a pointer (e.g. a response that is `{ $ref: '#/components/responses/...' }`). */
function resolvePointerThroughRefs(pointer: string): string {
  const parts = pointer.slice(2).split('/');
  let base = '#';
  let node: unknown = spec;
  for (const part of parts) {
    const ref = (node as { $ref?: unknown } | undefined)?.$ref;
    if (typeof ref === 'string' && !(part in (node as object))) {
      base = ref;
      node = lookupPointer(ref);
    }
    base = `${base}/${part}`;
    node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node === undefined) throw new Error(`nothing at ${pointer}`);
  }
  return base;
}

/** The one error worth reporting: the deepest, preferring concrete keywords over oneOf/anyOf summaries. */
export function describeErrors(errors: ErrorObject[] | null | undefined, subject: string): string {
  const all = errors ?? [];
  const depth = (e: ErrorObject) =>
    e.instancePath.split('/').length + (e.keyword === 'required' || e.keyword === 'additionalProperties' ? 1 : 0);
  const best = [...all].sort((a, b) => {
    const summary = (e: ErrorObject) => (e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'if' ? 1 : 0);
    return depth(b) - depth(a) || summary(a) - summary(b);
  })[0];
  if (!best) return `${subject} is invalid`;
  const field = best.instancePath
    .slice(1)
    .split('/')
    .filter(Boolean)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
  const at = (name: string) => (field ? `${field}.${name}` : name);
  const params = best.params as Record<string, unknown>;
  switch (best.keyword) {
    case 'required':
      return `${subject}: missing required field "${at(String(params.missingProperty))}"`;
    case 'additionalProperties':
      return `${subject}: unknown field "${at(String(params.additionalProperty))}"`;
    case 'enum': {
      const allowed = params.allowedValues as unknown[];
      return `${subject}: ${field ? `field "${field}"` : 'value'} must be one of: ${allowed.join(', ')}`;
    }
    default:
      return `${subject}: ${field ? `field "${field}" ` : ''}${best.message ?? 'is invalid'}`;
  }
}
