/**
 * What changed between two versions of GitBook's OpenAPI document, in the part
 * of it the gateway depends on. Pure: two parsed documents in, a list of
 * changes out, so it is tested on hand-made documents and run on real ones.
 *
 * Component schemas are compared once each, by name, and `$ref`s are not
 * followed during a comparison: a change to `Integration` is reported once
 * as `Integration.…`, not once per operation returning it.
 */

type Json = Record<string, unknown>;

export interface SpecDocument {
  paths?: Record<string, Json | undefined>;
  components?: Record<string, Record<string, unknown> | undefined>;
}

/** What the gateway calls: the Integrations API, plus the two operations it needs from elsewhere. */
export const GATEWAY_SCOPE = {
  tag: 'integrations',
  operationIds: ['installIntegrationOnSpace', 'getOrganizationById'],
} as const;

export type ChangeKind = 'operation' | 'parameter' | 'property' | 'enum' | 'branch' | 'status' | 'schema';

export interface Change {
  kind: ChangeKind;
  /** `+` only in the newer document, `-` only in the pinned one, `~` in both but different. */
  sign: '+' | '-' | '~';
  /** `Schema.property.path`, `operationId request.path`, or a JSON pointer to a shared component. */
  location: string;
  detail: string;
}

export interface SpecDiff {
  changes: Change[];
  /** In-scope operations and reachable component schemas, pinned and latest: what was compared. */
  scope: { operations: [number, number]; schemas: [number, number] };
}

interface Operation {
  operationId: string;
  method: string;
  path: string;
  tags: string[];
  object: Json;
  /** Path-item parameters apply to every operation under the path. */
  pathParameters: unknown[];
}

interface Comparison {
  pinned: SpecDocument;
  latest: SpecDocument;
  changes: Change[];
  /** Shared components (`#/components/parameters/…`) already compared through another operation. */
  comparedShared: Set<string>;
}

type SchemaChangeKind = 'property' | 'parameter';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const JSON_MEDIA_TYPE = 'application/json';
// What bounds an input: the gateway validates arguments and bodies against these before calling REST.
const CONSTRAINTS = [
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'default',
  'deprecated',
];
const MAX_LISTED = 4;

export function diffSpecs(pinned: SpecDocument, latest: SpecDocument): SpecDiff {
  const comparison: Comparison = { pinned, latest, changes: [], comparedShared: new Set() };
  const pinnedOperations = operationsOf(pinned);
  const latestOperations = operationsOf(latest);
  for (const pair of pairOperations(pinnedOperations, latestOperations)) compareOperation(comparison, pair);

  const pinnedInScope = pinnedOperations.filter(inScope);
  const latestInScope = latestOperations.filter(inScope);
  const pinnedSchemas = reachableSchemas(pinned, pinnedInScope);
  const latestSchemas = reachableSchemas(latest, latestInScope);
  compareComponentSchemas(comparison, pinnedSchemas, latestSchemas);

  return {
    changes: comparison.changes,
    scope: {
      operations: [pinnedInScope.length, latestInScope.length],
      schemas: [pinnedSchemas.size, latestSchemas.size],
    },
  };
}

export function inScope(operation: Pick<Operation, 'operationId' | 'tags'>): boolean {
  return (
    operation.tags.includes(GATEWAY_SCOPE.tag) ||
    (GATEWAY_SCOPE.operationIds as readonly string[]).includes(operation.operationId)
  );
}

// ---- documents ------------------------------------------------------------

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const asObject = (value: unknown): Json => (isObject(value) ? value : {});
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const unescapeSegment = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');
const refOf = (value: unknown): string | undefined =>
  isObject(value) && typeof value.$ref === 'string' ? value.$ref : undefined;

/** `#/components/schemas/Integration` → `Integration`. */
export function refName(ref: string): string {
  return unescapeSegment(ref.slice(ref.lastIndexOf('/') + 1));
}

function lookup(document: SpecDocument, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = document;
  for (const segment of ref.slice(2).split('/')) node = isObject(node) ? node[unescapeSegment(segment)] : undefined;
  return node;
}

/** Follows `$ref`s (a parameter, a response) to the object they name; a dangling one resolves to `{}`. */
function resolve(document: SpecDocument, value: unknown): Json {
  let current = value;
  for (let hops = 0, ref = refOf(current); hops < 20 && ref; hops++, ref = refOf(current))
    current = lookup(document, ref);
  return asObject(current);
}

function operationsOf(document: SpecDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const object = item?.[method];
      if (!isObject(object)) continue;
      operations.push({
        operationId: typeof object.operationId === 'string' ? object.operationId : `${method.toUpperCase()} ${path}`,
        method,
        path,
        tags: asArray(object.tags).filter((tag): tag is string => typeof tag === 'string'),
        object,
        pathParameters: asArray(item?.parameters),
      });
    }
  }
  return operations;
}

interface OperationPair {
  pinned?: Operation;
  latest?: Operation;
}

/**
 * By operationId first, since the gateway's REST functions are named after them; an
 * unmatched one is then matched by method and path, so a rename reads as a rename.
 */
function pairOperations(pinned: Operation[], latest: Operation[]): OperationPair[] {
  const unmatched = new Set(latest);
  const pairs: OperationPair[] = [];
  const take = (operation: Operation | undefined) => {
    if (operation) unmatched.delete(operation);
    return operation;
  };
  const pinnedLeft: Operation[] = [];
  for (const operation of pinned) {
    const match = take([...unmatched].find((candidate) => candidate.operationId === operation.operationId));
    if (match) pairs.push({ pinned: operation, latest: match });
    else pinnedLeft.push(operation);
  }
  for (const operation of pinnedLeft) {
    const match = take(
      [...unmatched].find((candidate) => candidate.method === operation.method && candidate.path === operation.path),
    );
    pairs.push({ pinned: operation, latest: match });
  }
  for (const operation of unmatched) pairs.push({ latest: operation });
  // An operation that enters or leaves the scope (a tag changed) is still compared.
  return pairs.filter(({ pinned, latest }) => (pinned && inScope(pinned)) || (latest && inScope(latest)));
}

/** Component schemas an operation can reach, through parameters, bodies, responses and other schemas. */
function reachableSchemas(document: SpecDocument, operations: Operation[]): Set<string> {
  const schemas = new Set<string>();
  const visitedRefs = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (!isObject(node)) return;
    const ref = refOf(node);
    if (ref && !visitedRefs.has(ref)) {
      visitedRefs.add(ref);
      const [, , section, name] = ref.split('/');
      if (section === 'schemas' && name && lookup(document, `#/components/schemas/${name}`) !== undefined) {
        schemas.add(unescapeSegment(name));
      }
      walk(lookup(document, ref));
    }
    // Examples are data: a `$ref` key inside one names nothing.
    for (const [key, value] of Object.entries(node)) if (!['$ref', 'example', 'examples'].includes(key)) walk(value);
  };
  for (const operation of operations) walk([operation.object, operation.pathParameters]);
  return schemas;
}

// ---- operations -------------------------------------------------------------

function emit(comparison: Comparison, kind: ChangeKind, sign: Change['sign'], location: string, detail: string) {
  comparison.changes.push({ kind, sign, location, detail });
}

function describeOperation(operation: Operation): string {
  const tags = operation.tags.length ? ` [${operation.tags.join(', ')}]` : '';
  return `${operation.method.toUpperCase()} ${operation.path}${tags}`;
}

function compareOperation(comparison: Comparison, { pinned, latest }: OperationPair) {
  if (!pinned || !latest) {
    const operation = pinned ?? (latest as Operation);
    emit(comparison, 'operation', pinned ? '-' : '+', operation.operationId, describeOperation(operation));
    return;
  }
  const at = pinned.operationId;
  const changed = (what: string, before: string, after: string) => {
    if (before !== after) emit(comparison, 'operation', '~', at, `${what} ${before} → ${after}`);
  };
  changed('operationId', pinned.operationId, latest.operationId);
  changed('method', pinned.method.toUpperCase(), latest.method.toUpperCase());
  changed('path', pinned.path, latest.path);
  changed('tags', pinned.tags.join(', ') || '(none)', latest.tags.join(', ') || '(none)');
  changed('deprecated', String(pinned.object.deprecated ?? false), String(latest.object.deprecated ?? false));
  compareParameters(comparison, at, pinned, latest);
  compareRequestBody(comparison, at, pinned.object.requestBody, latest.object.requestBody);
  compareResponses(comparison, at, asObject(pinned.object.responses), asObject(latest.object.responses));
}

/**
 * Where a change inside a parameter, body or response is reported: at the shared
 * component when both versions point at the same one (and then only once), else
 * under the operation.
 */
function sharedLocation(comparison: Comparison, pinned: unknown, latest: unknown, inline: string) {
  const ref = refOf(pinned);
  if (!ref || ref !== refOf(latest)) return { location: inline, alreadyCompared: false };
  const alreadyCompared = comparison.comparedShared.has(ref);
  comparison.comparedShared.add(ref);
  return { location: ref, alreadyCompared };
}

function parametersOf(document: SpecDocument, operation: Operation): Map<string, { raw: unknown; parameter: Json }> {
  const parameters = new Map<string, { raw: unknown; parameter: Json }>();
  // Operation-level parameters come last: they override the path item's of the same name.
  for (const raw of [...operation.pathParameters, ...asArray(operation.object.parameters)]) {
    const parameter = resolve(document, raw);
    parameters.set(`${String(parameter.in)}.${String(parameter.name)}`, { raw, parameter });
  }
  return parameters;
}

const requiredLabel = (required: unknown) => (required === true ? 'required' : 'optional');
const describeParameter = (parameter: Json) =>
  `${requiredLabel(parameter.required)} ${describeType(asObject(parameter.schema))}`;

function compareParameters(comparison: Comparison, at: string, pinned: Operation, latest: Operation) {
  const before = parametersOf(comparison.pinned, pinned);
  const after = parametersOf(comparison.latest, latest);
  for (const [key, { parameter }] of after) {
    if (!before.has(key)) emit(comparison, 'parameter', '+', `${at} ${key}`, describeParameter(parameter));
  }
  for (const [key, { raw, parameter }] of before) {
    const counterpart = after.get(key);
    if (!counterpart) {
      emit(comparison, 'parameter', '-', `${at} ${key}`, describeParameter(parameter));
      continue;
    }
    const { location, alreadyCompared } = sharedLocation(comparison, raw, counterpart.raw, `${at} ${key}`);
    if (!alreadyCompared) compareParameter(comparison, location, parameter, counterpart.parameter);
  }
}

function compareParameter(comparison: Comparison, at: string, pinned: Json, latest: Json) {
  if (Boolean(pinned.required) !== Boolean(latest.required)) {
    emit(comparison, 'parameter', '~', at, `${requiredLabel(pinned.required)} → ${requiredLabel(latest.required)}`);
  }
  if (Boolean(pinned.deprecated) !== Boolean(latest.deprecated)) {
    emit(comparison, 'parameter', '~', at, `deprecated ${Boolean(pinned.deprecated)} → ${Boolean(latest.deprecated)}`);
  }
  compareSchema(comparison, at, asObject(pinned.schema), asObject(latest.schema), 'parameter');
}

function compareRequestBody(comparison: Comparison, at: string, pinnedRaw: unknown, latestRaw: unknown) {
  if (pinnedRaw === undefined && latestRaw === undefined) return;
  if (pinnedRaw === undefined || latestRaw === undefined) {
    emit(comparison, 'operation', '~', at, `request body ${pinnedRaw === undefined ? 'added' : 'removed'}`);
    return;
  }
  const { location, alreadyCompared } = sharedLocation(comparison, pinnedRaw, latestRaw, `${at} request`);
  if (alreadyCompared) return;
  const pinned = resolve(comparison.pinned, pinnedRaw);
  const latest = resolve(comparison.latest, latestRaw);
  if (Boolean(pinned.required) !== Boolean(latest.required)) {
    const change = `${requiredLabel(pinned.required)} → ${requiredLabel(latest.required)}`;
    emit(comparison, 'operation', '~', at, `request body ${change}`);
  }
  compareContent(comparison, location, asObject(pinned.content), asObject(latest.content), (mediaType, sign) =>
    emit(comparison, 'operation', '~', at, `request media type ${mediaType} ${sign === '+' ? 'added' : 'removed'}`),
  );
}

function compareResponses(comparison: Comparison, at: string, pinned: Json, latest: Json) {
  for (const status of Object.keys(latest)) {
    if (status in pinned) continue;
    emit(comparison, 'status', '+', `${at} response ${status}`, responseSummary(comparison.latest, latest[status]));
  }
  for (const [status, pinnedRaw] of Object.entries(pinned)) {
    if (!(status in latest)) {
      emit(comparison, 'status', '-', `${at} response ${status}`, responseSummary(comparison.pinned, pinnedRaw));
      continue;
    }
    const inline = `${at} response ${status}`;
    const { location, alreadyCompared } = sharedLocation(comparison, pinnedRaw, latest[status], inline);
    if (alreadyCompared) continue;
    const before = asObject(resolve(comparison.pinned, pinnedRaw).content);
    const after = asObject(resolve(comparison.latest, latest[status]).content);
    compareContent(comparison, location, before, after, (mediaType, sign) =>
      emit(comparison, 'status', sign, `${location} ${mediaType}`, 'media type'),
    );
  }
}

function responseSummary(document: SpecDocument, raw: unknown): string {
  const response = resolve(document, raw);
  const schema = asObject(asObject(asObject(response.content)[JSON_MEDIA_TYPE]).schema);
  const body = Object.keys(schema).length ? ` (${describeType(schema)})` : '';
  return `${typeof response.description === 'string' ? response.description : ''}${body}`.trim() || 'no body';
}

/** Bodies by media type; JSON is the usual one, so only the others are named in the location. */
function compareContent(
  comparison: Comparison,
  at: string,
  pinned: Json,
  latest: Json,
  mediaTypeChanged: (mediaType: string, sign: '+' | '-') => void,
) {
  for (const mediaType of Object.keys(latest)) if (!(mediaType in pinned)) mediaTypeChanged(mediaType, '+');
  for (const [mediaType, media] of Object.entries(pinned)) {
    if (!(mediaType in latest)) {
      mediaTypeChanged(mediaType, '-');
      continue;
    }
    const location = mediaType === JSON_MEDIA_TYPE ? at : `${at} ${mediaType}`;
    const schemaOf = (value: unknown) => asObject(asObject(value).schema);
    compareSchema(comparison, location, schemaOf(media), schemaOf(latest[mediaType]), 'property');
  }
}

// ---- schemas ----------------------------------------------------------------

function compareComponentSchemas(comparison: Comparison, pinnedNames: Set<string>, latestNames: Set<string>) {
  const pinnedSchemas = asObject(comparison.pinned.components?.schemas);
  const latestSchemas = asObject(comparison.latest.components?.schemas);
  for (const name of [...new Set([...pinnedNames, ...latestNames])].sort()) {
    const before = pinnedSchemas[name];
    const after = latestSchemas[name];
    // A schema that exists in both but is reachable in one only is compared anyway:
    // the reference that made it (un)reachable is reported where it changed.
    if (before !== undefined && after !== undefined) {
      compareSchema(comparison, name, asObject(before), asObject(after), 'property');
    } else if (after !== undefined) emit(comparison, 'schema', '+', name, describeType(asObject(after)));
    else if (before !== undefined) emit(comparison, 'schema', '-', name, describeType(asObject(before)));
  }
}

/**
 * allOf of inline objects is one object (`List` & `{ items }`): its inline branches are
 * merged so their properties read as `Schema.items`, and its `$ref` branches kept apart.
 */
function flattenAllOf(schema: Json): { schema: Json; refs: string[] } {
  const { allOf, ...own } = schema;
  const merged: Json = { ...own, properties: { ...asObject(own.properties) }, required: [...asArray(own.required)] };
  const refs: string[] = [];
  for (const branch of asArray(allOf)) {
    const ref = refOf(branch);
    if (ref) {
      refs.push(refName(ref));
      continue;
    }
    const inner = flattenAllOf(asObject(branch));
    refs.push(...inner.refs);
    Object.assign(merged.properties as Json, asObject(inner.schema.properties));
    (merged.required as unknown[]).push(...asArray(inner.schema.required));
    for (const [key, value] of Object.entries(inner.schema)) if (!(key in merged)) merged[key] = value;
  }
  return { schema: merged, refs };
}

const COMBINATORS = ['oneOf', 'anyOf'] as const;

/** OpenAPI 3.0 spelled null `{ type: string, nullable: true, enum: [null] }`; 3.1 spells it `{ type: null }`. */
function normalizeNull(schema: Json): Json {
  if (!Array.isArray(schema.enum) || schema.enum.length !== 1 || schema.enum[0] !== null) return schema;
  const { enum: _values, nullable: _nullable, ...rest } = schema;
  return { ...rest, type: 'null' };
}

/** The types a schema declares itself, `null` included however it is spelled. */
function declaredTypes(schema: Json): string[] {
  const types = typeof schema.type === 'string' ? [schema.type] : asArray(schema.type).map(String);
  if (schema.nullable === true && types.length && !types.includes('null')) types.push('null');
  return types;
}

/** The union a schema is, when it is nothing more: no type of its own and no allOf base. */
function unionOf(raw: Json): { combinator: (typeof COMBINATORS)[number]; branches: Json[] } | undefined {
  const { schema, refs } = flattenAllOf(normalizeNull(raw));
  if (refOf(raw) || refs.length || declaredTypes(schema).length) return undefined;
  const combinator = COMBINATORS.find((name) => asArray(schema[name]).length);
  return combinator && { combinator, branches: asArray(schema[combinator]).map(asObject) };
}

/**
 * `integer`, `string<date-time> | null`, `Integration`, `MemberRole | null`: the type a
 * schema declares itself, what a type change is judged on (items are compared on their
 * own, and so are the branches of a union both versions have: `withBranches` false).
 */
export function typeLabel(raw: Json, withBranches = true): string {
  const ref = refOf(raw);
  if (ref) return refName(ref);
  const { schema, refs } = flattenAllOf(normalizeNull(raw));
  const types = declaredTypes(schema);
  if (types.length) {
    const format = typeof schema.format === 'string' ? `<${schema.format}>` : '';
    return types.map((type) => (type === 'null' ? type : `${type}${format}`)).join(' | ');
  }
  if (refs.length) return refs.join(' & ');
  const union = unionOf(raw);
  if (!union) return 'any';
  if (!withBranches) return union.combinator;
  if (union.branches.length > MAX_LISTED) return `${union.combinator}(${union.branches.length})`;
  return union.branches.map((branch) => typeLabel(branch)).join(' | ');
}

/** `ContentImportRun[]`, `oneOf(type="space" | type="site")`: a new or removed type, described a little further. */
export function describeType(raw: Json): string {
  const schema = normalizeNull(raw);
  if (!refOf(schema) && isObject(schema.items) && typeLabel(schema) === 'array') {
    const items = describeType(schema.items);
    return items.includes(' ') ? `(${items})[]` : `${items}[]`;
  }
  const union = unionOf(schema);
  // Named schemas and bare types read well as `A | number | null`; inline objects and enums need their keys.
  const plain = (branch: Json) => refOf(branch) || !(branch.properties || branch.enum || branch.allOf);
  if (!union || (union.branches.length <= MAX_LISTED && union.branches.every(plain))) return typeLabel(schema);
  const keys = [...keyedBranches(union.branches).keys()];
  const shown = keys.slice(0, MAX_LISTED).join(' | ');
  return `${union.combinator}(${keys.length > MAX_LISTED ? `${shown} | … ${keys.length} branches` : shown})`;
}

function compareSchema(comparison: Comparison, at: string, pinnedRaw: Json, latestRaw: Json, kind: SchemaChangeKind) {
  const pinned = normalizeNull(pinnedRaw);
  const latest = normalizeNull(latestRaw);
  const pinnedRef = refOf(pinned);
  const latestRef = refOf(latest);
  if (pinnedRef || latestRef) {
    // The named schema is compared on its own; here only which one is named matters.
    if (pinnedRef !== latestRef) emit(comparison, kind, '~', at, `type ${typeLabel(pinned)} → ${typeLabel(latest)}`);
    return;
  }
  const before = flattenAllOf(pinned);
  const after = flattenAllOf(latest);
  compareType(comparison, at, pinned, latest, kind);
  compareEnum(comparison, at, before.schema, after.schema);
  compareConstraints(comparison, at, before.schema, after.schema, kind);
  compareBranchSet(comparison, at, 'allOf', before.refs, after.refs);
  compareProperties(comparison, at, before.schema, after.schema, kind);
  compareNested(comparison, at, before.schema, after.schema, kind);
  for (const combinator of COMBINATORS) {
    const [pinnedBranches, latestBranches] = [before.schema[combinator], after.schema[combinator]];
    if (pinnedBranches && latestBranches) {
      compareBranches(comparison, at, combinator, asArray(pinnedBranches), asArray(latestBranches), kind);
    }
  }
}

function compareType(comparison: Comparison, at: string, pinned: Json, latest: Json, kind: SchemaChangeKind) {
  // Branches present on both sides are compared one by one; the label would only repeat them.
  const sameUnion = COMBINATORS.some((combinator) => pinned[combinator] && latest[combinator]);
  const before = typeLabel(pinned, !sameUnion);
  const after = typeLabel(latest, !sameUnion);
  if (before !== after) emit(comparison, kind, '~', at, `type ${before} → ${after}`);
}

const literal = (value: unknown) => JSON.stringify(value);
const orNone = (value: unknown) => (value === undefined ? '(none)' : literal(value));

function listed(values: unknown[]): string {
  const shown = values.slice(0, MAX_LISTED).map(literal).join(', ');
  return values.length > MAX_LISTED ? `${shown}, … (${values.length} values)` : shown;
}

function compareEnum(comparison: Comparison, at: string, pinned: Json, latest: Json) {
  const before = Array.isArray(pinned.enum) ? pinned.enum : 'const' in pinned ? [pinned.const] : undefined;
  const after = Array.isArray(latest.enum) ? latest.enum : 'const' in latest ? [latest.const] : undefined;
  if (!before && !after) return;
  if (!before || !after) {
    emit(
      comparison,
      'enum',
      '~',
      at,
      `enum ${before ? listed(before) : '(none)'} → ${after ? listed(after) : '(none)'}`,
    );
    return;
  }
  const beforeKeys = new Set(before.map(literal));
  const afterKeys = new Set(after.map(literal));
  for (const value of after) if (!beforeKeys.has(literal(value))) emit(comparison, 'enum', '+', at, literal(value));
  for (const value of before) if (!afterKeys.has(literal(value))) emit(comparison, 'enum', '-', at, literal(value));
}

function compareConstraints(comparison: Comparison, at: string, pinned: Json, latest: Json, kind: SchemaChangeKind) {
  for (const constraint of CONSTRAINTS) {
    const before = pinned[constraint];
    const after = latest[constraint];
    if (literal(before) !== literal(after)) {
      emit(comparison, kind, '~', at, `${constraint} ${orNone(before)} → ${orNone(after)}`);
    }
  }
  const before = pinned.additionalProperties;
  const after = latest.additionalProperties;
  if (!isObject(before) || !isObject(after)) {
    const label = (value: unknown) => (isObject(value) ? 'schema' : orNone(value));
    if (label(before) !== label(after)) {
      emit(comparison, kind, '~', at, `additionalProperties ${label(before)} → ${label(after)}`);
    }
  }
}

function compareProperties(comparison: Comparison, at: string, pinned: Json, latest: Json, kind: SchemaChangeKind) {
  const before = asObject(pinned.properties);
  const after = asObject(latest.properties);
  const beforeRequired = new Set(asArray(pinned.required));
  const afterRequired = new Set(asArray(latest.required));
  const requiredness = (name: string, required: Set<unknown>) => requiredLabel(required.has(name));
  const describe = (name: string, schema: unknown, required: Set<unknown>) =>
    `${requiredness(name, required)} ${describeType(asObject(schema))}`;
  for (const [name, schema] of Object.entries(after)) {
    if (!(name in before)) emit(comparison, kind, '+', `${at}.${name}`, describe(name, schema, afterRequired));
  }
  for (const [name, schema] of Object.entries(before)) {
    const location = `${at}.${name}`;
    if (!(name in after)) {
      emit(comparison, kind, '-', location, describe(name, schema, beforeRequired));
      continue;
    }
    if (beforeRequired.has(name) !== afterRequired.has(name)) {
      emit(
        comparison,
        kind,
        '~',
        location,
        `${requiredness(name, beforeRequired)} → ${requiredness(name, afterRequired)}`,
      );
    }
    compareSchema(comparison, location, asObject(schema), asObject(after[name]), kind);
  }
}

/** Array items as `path[]`, map values as `path{}`. */
function compareNested(comparison: Comparison, at: string, pinned: Json, latest: Json, kind: SchemaChangeKind) {
  if (isObject(pinned.items) && isObject(latest.items)) {
    compareSchema(comparison, `${at}[]`, pinned.items, latest.items, kind);
  }
  if (isObject(pinned.additionalProperties) && isObject(latest.additionalProperties)) {
    compareSchema(comparison, `${at}{}`, pinned.additionalProperties, latest.additionalProperties, kind);
  }
}

function compareBranchSet(comparison: Comparison, at: string, combinator: string, pinned: string[], latest: string[]) {
  for (const key of latest) if (!pinned.includes(key)) emit(comparison, 'branch', '+', at, `${combinator} ${key}`);
  for (const key of pinned) if (!latest.includes(key)) emit(comparison, 'branch', '-', at, `${combinator} ${key}`);
}

/**
 * A union's branches, each under a name that survives reordering: the schema it
 * names, its title, or the discriminating value an inline object carries.
 */
function keyedBranches(branches: unknown[]): Map<string, Json> {
  const keyed = new Map<string, Json>();
  branches.forEach((raw, index) => {
    const key = branchKey(asObject(raw)) ?? `${typeLabel(asObject(raw), false)} #${index + 1}`;
    keyed.set(keyed.has(key) ? `${key} #${index + 1}` : key, asObject(raw));
  });
  return keyed;
}

function branchKey(branch: Json): string | undefined {
  const ref = refOf(branch);
  if (ref) return refName(ref);
  if (typeof branch.title === 'string') return branch.title;
  if (branch.type === 'null') return 'null';
  const single = (schema: Json) =>
    Array.isArray(schema.enum) && schema.enum.length === 1
      ? schema.enum[0]
      : 'const' in schema
        ? schema.const
        : undefined;
  if (single(branch) !== undefined) return literal(single(branch));
  const flat = flattenAllOf(branch);
  for (const [name, property] of Object.entries(asObject(flat.schema.properties))) {
    const value = single(asObject(property));
    if (value !== undefined) return `${name}=${literal(value)}`;
  }
  return flat.refs.length ? `${flat.refs.join(' & ')} & {…}` : undefined;
}

function compareBranches(
  comparison: Comparison,
  at: string,
  combinator: (typeof COMBINATORS)[number],
  pinned: unknown[],
  latest: unknown[],
  kind: SchemaChangeKind,
) {
  const before = keyedBranches(pinned);
  const after = keyedBranches(latest);
  compareBranchSet(comparison, at, combinator, [...before.keys()], [...after.keys()]);
  for (const [key, branch] of before) {
    const counterpart = after.get(key);
    if (counterpart && !refOf(branch)) compareSchema(comparison, `${at}<${key}>`, branch, counterpart, kind);
  }
}
