import { define, type JsonSchema as FakerSchema, generateSync } from 'json-schema-faker';
import { type JsonSchema, lookupPointer, spec } from '../../../src/openapi/document.js';

/**
 * REST answers generated from the official OpenAPI document with
 * json-schema-faker, seeded, in the variants the spec-answers test serves:
 *
 * - `required`: only the properties the document requires;
 * - `all`: every property;
 * - `oneOf`: every property, and each `oneOf`/`anyOf` branch in turn: the
 *   caller keeps one `Coverage` per route, and each answer takes a branch not
 *   taken yet, or else the one leading to the most branches not taken yet;
 * - `future` and `future-int`: every property, every enum value replaced by
 *   `future-<value>`, an unknown property added to every object, every number
 *   at the document's limits: its maximum (`future`) or minimum (`future-int`)
 *   when it has both, otherwise a fraction beyond 2^32 (`future`; integers get
 *   an integer beyond 2^33) or 2^53 - 1 (`future-int`).
 *
 * json-schema-faker does the generating (patterns, formats, required-only,
 * arrays, maps); what it cannot be told is which composition branch to take,
 * so a copy of the document is prepared for it first:
 *
 * - `allOf`s are merged, and every `oneOf`/`anyOf` becomes an `x-choose`
 *   keyword that a json-schema-faker extension (`define('choose')`) answers by
 *   picking one branch and generating it with json-schema-faker itself; a
 *   branch that can lead back to its own `oneOf` is avoided past two levels of
 *   nesting, so recursive schemas (ContentKit elements, plain objects) stay
 *   finite and valid;
 * - maps (an `additionalProperties` schema) get one entry at least, so what
 *   their values may be is served too;
 * - `PlainObject` gets `type: object`, the one correction validation.ts makes
 *   to the document, and an enum lists only the values of its own type
 *   (BillingCreditsBundle puts numbers in a string enum: they never validate);
 * - for the future variants, the changes above are made to the schemas
 *   (`const` values and extra properties), so they are generated, not patched.
 */

export type Variant = 'required' | 'all' | 'oneOf' | 'future' | 'future-int';
export const VARIANTS: readonly Variant[] = ['required', 'all', 'oneOf', 'future', 'future-int'];

export const isFuture = (variant: Variant) => variant === 'future' || variant === 'future-int';

/** The key of the property added to every object the document leaves open. */
export const UNKNOWN_PROPERTY = 'futureProperty';
/** The key of the property added to every object the document closes (`additionalProperties: false`). */
export const UNKNOWN_PROPERTY_ON_CLOSED_OBJECT = 'futurePropertyOnClosedObject';
export const UNKNOWN_PROPERTY_VALUE = 'a value no version of the document describes';
/** Replaced enum values are this prefix and the value they replace. */
export const FUTURE_ENUM_PREFIX = 'future-';

/** The numbers the future variants serve where the document gives no bound. */
export const FUTURE_NUMBERS = {
  future: { number: 4_294_967_296.5, integer: 8_589_934_593 },
  'future-int': { number: Number.MAX_SAFE_INTEGER, integer: Number.MAX_SAFE_INTEGER },
} as const;

/** How many items every generated array has (a page: as many as its `limit` allows). */
export const ARRAY_ITEMS = 2;

/**
 * oneOf branches no valid answer can take: every value of the branch also
 * matches another branch, and a oneOf accepts a value only when exactly one
 * does. They are never served (answers must be valid); the spec-answers test
 * checks that each is still a defect of the document, so this list shrinks
 * when the document is fixed.
 */
export const UNSERVABLE_BRANCHES: Readonly<
  Record<string, { branches: readonly number[]; overlaps: number; reason: string }>
> = {
  '#/components/schemas/UIRenderEvent/allOf/0/oneOf': {
    branches: [0, 1],
    overlaps: 2,
    reason:
      'SpaceEvent and SiteEvent extend InstallationEvent (allOf), so each of their values is an InstallationEvent too',
  },
};

/** A branch that can lead back to its own oneOf is not taken once that oneOf is this deep in itself. */
const MAX_SELF_NESTING = 2;

type Schema = Record<string, unknown>;
type Flavor = 'plain' | 'future' | 'future-int' | 'future-allowed' | 'future-int-allowed';

const ANNOTATIONS = new Set([
  'description',
  'title',
  'discriminator',
  'example',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$comment',
]);
const COMPONENTS = '#/components/schemas/';
/** Where the schema being generated sits among the prepared components. */
const ROOT = '__answer';

const isObject = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// --- The prepared copy of the document ------------------------------------------------------------

/** How many branches each oneOf has, as the prepared documents met them. */
const siteBranches = new Map<string, number>();

interface Choice {
  site: string;
  branches: Schema[];
}

class PreparedDocument {
  readonly schemas: Record<string, Schema> = {};
  private readonly inProgress = new Set<string>();

  constructor(readonly flavor: Flavor) {}

  /** The prepared component, prepared on first use. */
  component(name: string): Schema {
    const done = this.schemas[name];
    if (done) return done;
    if (this.inProgress.has(name)) throw new Error(`${name} includes itself through allOf`);
    this.inProgress.add(name);
    const raw = (spec.components.schemas as Record<string, Schema>)[name];
    if (!raw) throw new Error(`no component schema ${name}`);
    const fixed = name === 'PlainObject' ? { ...raw, type: 'object' } : raw;
    const prepared = this.prepare(fixed, `${COMPONENTS}${name}`);
    this.inProgress.delete(name);
    this.schemas[name] = prepared;
    return prepared;
  }

  /** A `$ref` kept as one (its component prepared), so recursive schemas stay references. */
  private reference(ref: string): Schema {
    if (!ref.startsWith(COMPONENTS)) throw new Error(`unsupported $ref ${ref}`);
    const name = ref.slice(COMPONENTS.length);
    if (!this.inProgress.has(name)) this.component(name);
    return { $ref: ref };
  }

  /** The prepared schema a reference or schema stands for (for merging). */
  resolved(schema: Schema): Schema {
    return typeof schema.$ref === 'string' ? this.component(schema.$ref.slice(COMPONENTS.length)) : schema;
  }

  prepare(raw: unknown, pointer: string): Schema {
    if (!isObject(raw)) throw new Error(`not a schema at ${pointer}`);
    if (typeof raw.$ref === 'string') return this.reference(raw.$ref);
    let node: Schema = {};
    for (const [key, value] of Object.entries(raw)) {
      if (ANNOTATIONS.has(key)) continue;
      switch (key) {
        case 'properties':
          node.properties = Object.fromEntries(
            Object.entries(value as Record<string, unknown>).map(([name, inner]) => [
              name,
              this.prepare(inner, `${pointer}/properties/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`),
            ]),
          );
          break;
        case 'items':
        case 'not':
          node[key] = this.prepare(value, `${pointer}/${key}`);
          break;
        case 'additionalProperties':
          node[key] = isObject(value) ? this.prepare(value, `${pointer}/${key}`) : value;
          break;
        case 'allOf':
        case 'oneOf':
        case 'anyOf':
          break;
        default:
          node[key] = value;
      }
    }
    for (const keyword of ['oneOf', 'anyOf'] as const) {
      const branches = raw[keyword];
      if (!Array.isArray(branches)) continue;
      if (node['x-choose']) throw new Error(`both oneOf and anyOf at ${pointer}`);
      const choice: Choice = {
        site: `${pointer}/${keyword}`,
        branches: branches.map((branch, index) => this.prepare(branch, `${pointer}/${keyword}/${index}`)),
      };
      node['x-choose'] = choice;
      siteBranches.set(choice.site, choice.branches.length);
    }
    if (Array.isArray(raw.allOf)) {
      node = raw.allOf.reduce<Schema>(
        (merged, part, index) => this.merge(merged, this.resolved(this.prepare(part, `${pointer}/allOf/${index}`))),
        node,
      );
    }
    return this.adjust(node, pointer);
  }

  /** The merge of two prepared schemas (allOf parts, or a oneOf's siblings and its branch). */
  merge(a: Schema, b: Schema): Schema {
    const merged: Schema = { ...a };
    for (const [key, value] of Object.entries(b)) {
      const existing = merged[key];
      if (existing === undefined) {
        merged[key] = value;
        continue;
      }
      switch (key) {
        case 'properties': {
          const properties = { ...(existing as Record<string, Schema>) };
          for (const [name, schema] of Object.entries(value as Record<string, Schema>)) {
            const other = properties[name];
            properties[name] = other ? this.merge(this.resolved(other), this.resolved(schema)) : schema;
          }
          merged.properties = properties;
          break;
        }
        case 'required':
          merged.required = [...new Set([...(existing as string[]), ...(value as string[])])];
          break;
        case 'type':
          // The branch's type wins; the validator says whether that was right.
          merged.type = value;
          break;
        case 'x-choose':
          throw new Error(`cannot merge two oneOfs (${(existing as Choice).site}, ${(value as Choice).site})`);
        default:
          merged[key] = value;
      }
    }
    return merged;
  }

  /** What every flavor changes (maps get an entry), and what the future ones change. */
  private adjust(node: Schema, pointer: string): Schema {
    // An enum value of another type than the schema's (BillingCreditsBundle lists numbers
    // in a string enum) can never be valid: only the values of its type are served.
    if (Array.isArray(node.enum) && typeof node.type === 'string') {
      const type = node.type;
      const values = (node.enum as unknown[]).filter((value) =>
        type === 'integer'
          ? Number.isInteger(value)
          : type === 'number'
            ? typeof value === 'number'
            : typeof value === type,
      );
      if (values.length > 0) node.enum = values;
    }
    const isMap =
      isObject(node.additionalProperties) && Object.keys((node.properties as Schema | undefined) ?? {}).length === 0;
    if (isMap) node.minProperties = Math.max(1, Number(node.minProperties ?? 0));
    if (this.flavor === 'plain') return node;
    const allowedOnly = this.flavor.endsWith('-allowed');
    const run = this.flavor.startsWith('future-int') ? 'future-int' : 'future';
    if (Array.isArray(node.enum)) {
      if (!allowedOnly) {
        const [first] = node.enum as unknown[];
        delete node.enum;
        node.type = 'string';
        node.const = `${FUTURE_ENUM_PREFIX}${String(first)}`;
      }
      return node;
    }
    if (node.type === 'number' || node.type === 'integer') {
      node.const = futureNumber(node, run, pointer);
      return node;
    }
    const isObjectSchema =
      node.type === 'object' || isObject(node.properties) || node.additionalProperties !== undefined;
    if (isObjectSchema) {
      const closed = node.additionalProperties === false;
      if (closed && allowedOnly) return node;
      const key = closed ? UNKNOWN_PROPERTY_ON_CLOSED_OBJECT : UNKNOWN_PROPERTY;
      const value = isObject(node.additionalProperties)
        ? node.additionalProperties
        : { type: 'string', const: UNKNOWN_PROPERTY_VALUE };
      node.properties = { ...(node.properties as Record<string, Schema> | undefined), [key]: value };
      node.required = [...new Set([...((node.required as string[] | undefined) ?? []), key])];
    }
    return node;
  }
}

/** A number at the document's limits (see the header). */
function futureNumber(schema: Schema, run: 'future' | 'future-int', pointer: string): number {
  for (const unsupported of ['exclusiveMinimum', 'exclusiveMaximum', 'multipleOf']) {
    if (schema[unsupported] !== undefined)
      throw new Error(`${pointer}: ${unsupported} is not handled by the future variants yet`);
  }
  const minimum = schema.minimum as number | undefined;
  const maximum = schema.maximum as number | undefined;
  const unbounded = FUTURE_NUMBERS[run][schema.type === 'integer' ? 'integer' : 'number'];
  let value: number;
  if (run === 'future') value = maximum ?? unbounded;
  else if (minimum !== undefined && maximum !== undefined) value = minimum;
  else if (maximum !== undefined) value = -unbounded;
  else value = unbounded;
  if ((minimum !== undefined && value < minimum) || (maximum !== undefined && value > maximum)) {
    throw new Error(`${pointer}: ${value} is outside [${minimum}, ${maximum}]; choose another future number`);
  }
  return value;
}

const documents = new Map<Flavor, PreparedDocument>();
function prepared(flavor: Flavor): PreparedDocument {
  let document = documents.get(flavor);
  if (!document) {
    document = new PreparedDocument(flavor);
    documents.set(flavor, document);
  }
  return document;
}

// --- Which branches may be taken ------------------------------------------------------------------

/** The oneOf sites a prepared schema can reach (through references), for recursion control. */
function reachableSites(document: PreparedDocument, start: Schema): Set<string> {
  const sites = new Set<string>();
  const seen = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (!isObject(node)) return;
    if (typeof node.$ref === 'string') {
      if (seen.has(node.$ref)) return;
      seen.add(node.$ref);
      visit(document.resolved(node));
      return;
    }
    const choice = node['x-choose'] as Choice | undefined;
    if (choice) sites.add(choice.site);
    for (const value of Object.values(node)) if (typeof value === 'object') visit(value);
  };
  visit(start);
  return sites;
}

const branchReach = new Map<string, Set<string>[]>();
/** For each branch of a site, the sites it can lead to (itself included when it recurses). */
function reach(choice: Choice): Set<string>[] {
  let known = branchReach.get(choice.site);
  if (!known) {
    const document = prepared('plain');
    known = choice.branches.map((branch) => reachableSites(document, branch));
    branchReach.set(choice.site, known);
  }
  return known;
}

// --- Choosing branches ----------------------------------------------------------------------------

/** How often each branch of each oneOf was taken: a route's `oneOf` answers take the least taken. */
export class Coverage {
  readonly counts = new Map<string, number[]>();

  taken(site: string, branches: number): number[] {
    let counts = this.counts.get(site);
    if (!counts) {
      counts = new Array<number>(branches).fill(0);
      this.counts.set(site, counts);
    }
    return counts;
  }

  /** Branches of `site` not taken yet (the unservable ones aside). */
  untaken(site: string): number {
    const branches = siteBranches.get(site) ?? 0;
    const counts = this.counts.get(site);
    const unservable = UNSERVABLE_BRANCHES[site]?.branches ?? [];
    let untaken = 0;
    for (let index = 0; index < branches; index++) {
      if (!unservable.includes(index) && !(counts?.[index] ?? 0)) untaken++;
    }
    return untaken;
  }
}

export interface GenerateOptions {
  variant: Variant;
  /** Seeds json-schema-faker and the branch choices. */
  seed: string;
  /** For `oneOf` answers: branches are chosen least-taken-first, and counted here. */
  coverage?: Coverage;
  /** Branches the request decides (e.g. `extended=true` asks for the object form), by site. */
  pins?: Record<string, number>;
  /** Generate the future variant with only the changes the document allows (numbers, open objects). */
  allowedOnly?: boolean;
}

interface Generation {
  options: GenerateOptions;
  random: () => number;
  stack: string[];
}

let active: Generation | undefined;

/** mulberry32 over a string hash: the seeded randomness of branch choices. */
export function seededRandom(seed: string): () => number {
  let state = hash(seed);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function hash(text: string): number {
  let value = 2_166_136_261;
  for (let index = 0; index < text.length; index++) value = Math.imul(value ^ text.charCodeAt(index), 16_777_619);
  return value >>> 0;
}

function chooseBranch(generation: Generation, choice: Choice): number {
  const pinned = generation.options.pins?.[choice.site];
  if (pinned !== undefined) return pinned;
  const unservable = UNSERVABLE_BRANCHES[choice.site]?.branches ?? [];
  const all = choice.branches.map((_branch, index) => index).filter((index) => !unservable.includes(index));
  const nesting = generation.stack.filter((site) => site === choice.site).length;
  const reached = reach(choice);
  const finite = all.filter((index) => !reached[index]?.has(choice.site));
  let allowed = nesting >= MAX_SELF_NESTING && finite.length > 0 ? finite : all;
  const { variant, coverage } = generation.options;
  if (variant === 'oneOf' && coverage) {
    // The branch not taken yet, or else the one leading to the most branches not taken
    // yet; then the least taken; then the first.
    const counts = coverage.taken(choice.site, choice.branches.length);
    const score = (index: number) => {
      let untaken = (counts[index] ?? 0) === 0 ? 1_000 : 0;
      for (const site of reached[index] ?? []) if (site !== choice.site) untaken += coverage.untaken(site);
      return untaken;
    };
    const best =
      [...allowed].sort((a, b) => score(b) - score(a) || (counts[a] ?? 0) - (counts[b] ?? 0) || a - b)[0] ?? 0;
    counts[best] = (counts[best] ?? 0) + 1;
    return best;
  }
  // Every property: a branch that is a value rather than null, where there is one.
  if (variant !== 'required') {
    const document = prepared('plain');
    const values = allowed.filter((index) => document.resolved(choice.branches[index] as Schema).type !== 'null');
    if (values.length > 0) allowed = values;
  }
  return allowed[Math.floor(generation.random() * allowed.length)] ?? 0;
}

define('choose', (value, schema, context) => {
  const generation = active;
  if (!generation) throw new Error('x-choose met outside generate()');
  const choice = value as Choice;
  const index = chooseBranch(generation, choice);
  const { 'x-choose': _choice, ...rest } = schema as Schema;
  const document = documentFor(generation.options);
  const branch = choice.branches[index] as Schema;
  const meaningful = Object.keys(rest).some((key) => key !== 'type');
  const target =
    meaningful || (rest.type !== undefined && document.resolved(branch).type !== rest.type)
      ? document.merge(rest, document.resolved(branch))
      : branch;
  if (!context.proceed) throw new Error('json-schema-faker gave the extension no proceed()');
  generation.stack.push(choice.site);
  try {
    return context.proceed(target as FakerSchema);
  } finally {
    generation.stack.pop();
  }
});

function documentFor(options: GenerateOptions): PreparedDocument {
  if (!isFuture(options.variant)) return prepared('plain');
  return prepared(`${options.variant}${options.allowedOnly ? '-allowed' : ''}` as Flavor);
}

/** Formats json-schema-faker does not know, as the document's validator checks them. */
const FORMATS = {
  emoji: () => '1f600',
  icon: () => 'gear',
  byte: () => 'c3BlYy1hbnN3ZXJz',
  int32: () => '0',
};

/** A value for the schema at `pointer` (a response body schema) in the variant. */
export function generateAnswer(pointer: string, options: GenerateOptions): unknown {
  const document = documentFor(options);
  document.schemas[ROOT] = document.prepare(lookupPointer(pointer), pointer);
  const generation: Generation = { options, random: seededRandom(`${options.seed}/choices`), stack: [] };
  if (active) throw new Error('generateAnswer is not reentrant');
  active = generation;
  try {
    return generateSync({ $ref: `${COMPONENTS}${ROOT}`, components: { schemas: document.schemas } } as FakerSchema, {
      seed: hash(options.seed),
      maxDepth: 200,
      minItems: ARRAY_ITEMS,
      maxItems: ARRAY_ITEMS,
      formats: FORMATS,
      ...(options.variant === 'required'
        ? { optionalsProbability: 0, alwaysFakeOptionals: false }
        : { alwaysFakeOptionals: true }),
    });
  } finally {
    active = undefined;
  }
}

export type { JsonSchema };
