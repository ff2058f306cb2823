import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  buildSchema,
  type GraphQLField,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import lzString from 'lz-string';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../src/limits/index.js';
import { spec } from '../src/openapi/document.js';
import {
  DEMO_TOKEN,
  encodePageToken,
  POPULAR_INTEGRATION,
  type RecordedRequest,
  SEEDED_USERS,
} from '../src/simulator/index.js';
import { type GraphQLResponse, useHarness } from './helpers/harness.js';
import { bearer, restAll, restAnswer, TOKENS } from './helpers/rest-fixtures.js';
import { specViolations } from './helpers/spec-check.js';

/**
 * Property-based fuzzing of every argument and input field of the schema.
 * Whatever a client sends, the gateway answers without a 5xx or an unexpected
 * error, every error carries a contract code, and every REST request it sends
 * is one the OpenAPI document accepts (judged as the simulator judges it).
 * Runs are seeded, so a failure is reproducible, and fast-check shrinks it to
 * a small counterexample.
 */

const h = await useHarness();
const store = h.simulator.store;
const schema = buildSchema(readFileSync(new URL('../schema/schema.graphql', import.meta.url), 'utf8'));

const SEED = 20_250_630;
const RUNS = 150;
const FUZZ_TIMEOUT = 60_000;

// --- What the seed holds: values that reach past the argument checks ----------------------------

const slack = store.integrations.get(POPULAR_INTEGRATION);
if (!slack) throw new Error(`the seed has no ${POPULAR_INTEGRATION}`);
const demoOrganizations = new Set<string>(SEEDED_USERS.demo.organizations);
const anchor = [...slack.installations.values()].find(
  (installation) =>
    demoOrganizations.has(installation.organizationId) &&
    installation.content.space.size > 0 &&
    installation.content.site.size > 0,
);
if (!anchor) throw new Error('the seed has no slack installation on spaces and sites that demo sees');
const ORGANIZATION = anchor.organizationId;
const INSTALLATION = anchor.installation.id;
const SPACE = [...anchor.content.space.keys()][0] as string;
const SITE = [...anchor.content.site.keys()][0] as string;

const GATHER = /* GraphQL */ `
  query Gather($name: String!, $installationId: String!) {
    integrations(first: 5) { edges { cursor node { id } } }
    integration(name: $name) {
      id
      owner { id }
      events(first: 25) { edges { cursor node { id } } }
      installation(installationId: $installationId) {
        id
        spaceInstallations(first: 2) { edges { cursor node { id } } }
        siteInstallations(first: 2) { edges { cursor node { id } } }
      }
      installations(first: 3) { edges { cursor node { id } } }
    }
  }
`;
const gathered = await h.data(GATHER, { name: POPULAR_INTEGRATION, installationId: INSTALLATION });
h.resetCalls();

type Edge = { cursor: string; node: { id: string } };
const gatheredEdges: Edge[] = [
  ...gathered.integrations.edges,
  ...gathered.integration.events.edges,
  ...gathered.integration.installation.spaceInstallations.edges,
  ...gathered.integration.installation.siteInstallations.edges,
  ...gathered.integration.installations.edges,
];
const REAL_CURSORS = gatheredEdges.map((edge) => edge.cursor);
const REAL_IDS = [
  gathered.integration.id,
  gathered.integration.owner.id,
  gathered.integration.installation.id,
  ...gatheredEdges.map((edge) => edge.node.id),
];

const first = <T>(values: Iterable<T>, count: number): T[] => [...values].slice(0, count);

/** Values the seed holds, by argument or input field name, so that some runs reach REST. */
const KNOWN: Record<string, readonly unknown[]> = {
  name: [POPULAR_INTEGRATION, ...first(store.integrations.keys(), 8), 'northwind-sso', 'globex-metrics'],
  integrationName: [
    POPULAR_INTEGRATION,
    'kudos',
    'mermaid',
    'github-files',
    'northwind-sso',
    ...first(store.integrations.keys(), 5),
  ],
  installationId: [INSTALLATION, ...first(slack.installations.keys(), 3)],
  eventId: first(
    slack.events.map((event) => event.event.id),
    3,
  ),
  spaceId: [SPACE, ...first(store.spaces.keys(), 2)],
  siteId: [SITE, ...first(store.sites.keys(), 2)],
  organizationId: [ORGANIZATION, ...first(store.organizations.keys(), 3)],
  owner: [ORGANIZATION, ...first(store.organizations.keys(), 2)],
  componentId: ['kudos-counter', 'mermaid', 'configure', 'github-code-block'],
  search: ['slack', 'a', ''],
  externalId: ['x', ''],
  blockDomain: ['github.com', 'example.com'],
  tunnelUrl: ['https://example.com/tunnel', 'http://localhost:8787'],
  url: ['https://example.com'],
  after: REAL_CURSORS,
  id: REAL_IDS,
  ids: [REAL_IDS],
  'ids[]': REAL_IDS,
  props: [{ initial: 3 }, {}, { content: 'graph LR\n A --> B' }],
  context: [
    { type: 'document', theme: 'light', spaceId: SPACE, editable: true },
    { type: 'configuration_account', theme: 'dark', organizationId: ORGANIZATION },
  ],
  action: [{ action: 'kudos.add' }, { action: '@link.unfurl', url: 'https://github.com/a/b' }],
  state: [{ count: 1 }],
  task: [{ type: 'sync' }, {}],
  configuration: [{}, { channel: '#general' }],
  schedule: [0, 86_400, 86_401, -1],
  title: ['Fuzzed'],
  description: ['An integration the fuzzer publishes.'],
  script: ['export default {}'],
  icon: [Buffer.from('icon').toString('base64')],
  previewImages: [[], [Buffer.from('image').toString('base64')]],
  'previewImages[]': [Buffer.from('image').toString('base64')],
  label: ['Docs'],
  configurations: [{}, { account: { properties: {} } }],
  secrets: [{}, { token: 'secret' }],
  contentSecurityPolicy: [{}],
  externalIds: [[], ['ext-1']],
  'externalIds[]': ['ext-1'],
  scopes: [[], ['SPACE_CONTENT_READ']],
};

// --- Arbitraries -------------------------------------------------------------------------------

/**
 * A long string, shown by its recipe in counterexamples (fast-check prints
 * values with `toStringMethod`) and sent spelled out (`toJSON`).
 */
class Repeated {
  constructor(
    readonly unit: string,
    readonly length: number,
  ) {}
  get value(): string {
    return this.unit.repeat(Math.ceil(this.length / this.unit.length)).slice(0, this.length);
  }
  [fc.toStringMethod](): string {
    return `${JSON.stringify(this.unit)} repeated to ${this.length} UTF-16 units`;
  }
  toJSON(): string {
    return this.value;
  }
}

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const unit = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...'abcXYZ0189-_.'.split('')) },
  {
    weight: 5,
    arbitrary: fc.constantFrom(
      '/',
      '\\',
      '%',
      '?',
      '#',
      '&',
      '=',
      '+',
      ' ',
      '..',
      '%2F',
      '%2e',
      '%25',
      '\u0000',
      '\n',
      '\t',
      '"',
      "'",
      '<',
      ':',
      '@',
      ';',
      ',',
      '~',
    ),
  },
  { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: loneSurrogate },
);
const shortString = fc.string({ unit, maxLength: 40 });
const longString = fc
  .tuple(fc.string({ unit, minLength: 1, maxLength: 6 }), fc.integer({ min: 101, max: 20_000 }))
  .map(([seed, length]) => new Repeated(seed, length));
const SPECIAL_STRINGS = [
  '',
  ' ',
  '.',
  '..',
  '...',
  '/',
  '../',
  '../..',
  '%',
  '%2F',
  '%2E%2E',
  '%%',
  '%zz',
  '?',
  '#',
  'a?limit=5000',
  'a#b',
  'a&limit=5000',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  '0',
  '-1',
  'a'.repeat(100),
  'a'.repeat(101),
  '\u0000',
  '\uFEFF',
  '\u202E',
  '😀',
  'é',
  'ﬁ',
  '\uD800',
  '\uDC00x',
  'slack/../globex-metrics',
  'slack%2F..%2Fglobex-metrics',
];
const base64Junk = fc
  .tuple(shortString, fc.constantFrom('base64', 'base64url') as fc.Arbitrary<BufferEncoding>, fc.boolean())
  .map(([text, encoding, pad]) => Buffer.from(text).toString(encoding) + (pad ? '==' : ''));
const nastyString: fc.Arbitrary<string | Repeated> = fc.oneof(
  { weight: 5, arbitrary: shortString },
  // What identifiers look like, so that some runs get past the argument checks.
  { weight: 2, arbitrary: fc.stringMatching(/^[a-zA-Z0-9_-]{1,30}$/) },
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
  { weight: 1, arbitrary: longString },
  { weight: 1, arbitrary: base64Junk },
);

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const tryEncode = (part: string) => {
  try {
    return encodeURIComponent(part);
  } catch {
    return part;
  }
};
const NODE_TYPES = [
  'Integration',
  'Organization',
  'Installation',
  'IntegrationEvent',
  'SpaceInstallation',
  'SiteInstallation',
];
const KEY_PARTS = [
  POPULAR_INTEGRATION,
  INSTALLATION,
  SPACE,
  SITE,
  ORGANIZATION,
  'northwind-sso',
  '..',
  '.',
  '',
  '%',
  '%2F',
];

/** Global IDs: junk, forged `Type:key` of every shape, real ones and real ones altered. */
const globalId: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 2, arbitrary: nastyString },
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...NODE_TYPES) }, { weight: 1, arbitrary: shortString }),
        fc.array(fc.oneof(fc.constantFrom(...KEY_PARTS), shortString), { maxLength: 4 }),
        fc.boolean(),
        fc.boolean(),
      )
      .map(([type, parts, encode, pad]) => {
        const id = base64url(`${type}:${parts.map((part) => (encode ? tryEncode(part) : part)).join('/')}`);
        return pad ? `${id}=` : id;
      }),
  },
  { weight: 2, arbitrary: fc.constantFrom(...REAL_IDS) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...REAL_IDS), fc.nat(), shortString)
      .map(([id, at, insert]) => id.slice(0, at % (id.length + 1)) + insert + id.slice((at % (id.length + 1)) + 1)),
  },
);

/** `after`: junk, forged cursors `[page, index]` with every kind of page and index, real ones and altered ones. */
const pageToken = fc.oneof(
  fc.constant(null),
  fc.nat({ max: 200 }).map(encodePageToken),
  fc.constantFrom(encodePageToken(2 ** 31), encodePageToken(Number.MAX_SAFE_INTEGER), '', 'eyJvZmZzZXQiOi0xfQ'),
  shortString,
  fc.integer(),
  fc.boolean(),
);
const cursorIndex = fc.oneof(
  fc.integer({ min: -3, max: 1_005 }),
  fc.integer(),
  fc.constantFrom(1.5, 1e21, Number.MAX_SAFE_INTEGER, 2 ** 53, '1', null, -1),
);
const forgedCursor = fc.tuple(pageToken, cursorIndex).map(([page, index]) => base64url(JSON.stringify([page, index])));
const cursor: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: forgedCursor },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((value) => base64url(JSON.stringify(value) ?? 'null')) },
  { weight: 2, arbitrary: nastyString },
  { weight: 2, arbitrary: fc.constantFrom(...REAL_CURSORS) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...REAL_CURSORS), fc.nat(), fc.string({ unit, maxLength: 2 }))
      .map(
        ([real, at, insert]) =>
          real.slice(0, at % (real.length + 1)) + insert + real.slice((at % (real.length + 1)) + 1),
      ),
  },
);

const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const int: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -2, max: 1_002 }) },
  { weight: 2, arbitrary: int32 },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 2 ** 31 - 1, -(2 ** 31)) },
);

const specialKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '',
  'type',
  'action',
  'componentId',
  'props',
  'state',
  'spaceId',
  'organizationId',
  '$ref',
  'integration',
  'installation',
);
const jsonLeaf = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  nastyString,
);
const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    jsonLeaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(specialKey, shortString), tie('value'), { maxKeys: 5 }),
  ),
})).value;

/**
 * Values of an input type that GraphQL accepts, so that the run reaches the
 * gateway's own checks and REST: any string, any 32-bit integer, valid enum
 * names, nulls and absences where nullable. `name` is the argument or input
 * field the value goes to; seeded values for it are mixed in.
 */
function arbitraryOf(type: GraphQLInputType, name: string): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return nonNullValue(type.ofType, name);
  return fc.oneof(
    { weight: 4, arbitrary: nonNullValue(type, name) },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 2, arbitrary: fc.constant(undefined) },
  );
}

function nonNullValue(type: GraphQLInputType, name: string): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return nonNullValue(type.ofType, name);
  if (isListType(type)) {
    const item = arbitraryOf(type.ofType, `${name}[]`);
    const known = KNOWN[name];
    return fc.oneof(
      { weight: 6, arbitrary: fc.array(item, { maxLength: 4 }) },
      // A single value: GraphQL makes it a list of one.
      { weight: 1, arbitrary: item },
      ...(known && known.length > 0 ? [{ weight: 3, arbitrary: fc.constantFrom(...known) }] : []),
    );
  }
  if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((value) => value.name));
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    return fc.record(Object.fromEntries(fields.map((field) => [field.name, arbitraryOf(field.type, field.name)])));
  }
  const known = KNOWN[name];
  const withKnown = (arbitrary: fc.Arbitrary<unknown>) =>
    known && known.length > 0
      ? fc.oneof({ weight: 3, arbitrary }, { weight: 2, arbitrary: fc.constantFrom(...known) })
      : arbitrary;
  switch (type.name) {
    case 'String':
      return withKnown(name === 'after' ? cursor : nastyString);
    case 'ID':
      return withKnown(globalId);
    case 'Int':
      return withKnown(int);
    case 'Boolean':
      return fc.boolean();
    case 'JSON':
      // JSON! refuses null.
      return withKnown(jsonValue.filter((value) => value !== null));
    default:
      return fc.oneof(nastyString, jsonValue);
  }
}

/** Values GraphQL refuses for a type: null where it is required, other types, unknown enum names. */
function wrongValueOf(type: GraphQLInputType): fc.Arbitrary<unknown> {
  const others = fc.constantFrom<unknown>(1.5, true, 'x', [], {}, [null], 2 ** 31, -(2 ** 31) - 1, 1e21);
  if (isNonNullType(type)) return fc.oneof(fc.constantFrom(null, undefined), wrongValueOf(type.ofType));
  if (isListType(type))
    return fc.oneof(wrongValueOf(type.ofType), fc.array(wrongValueOf(type.ofType), { minLength: 1, maxLength: 2 }));
  if (isEnumType(type)) {
    const names = type.getValues().map((value) => value.name);
    const restValues = type
      .getValues()
      .map((value) => /REST value `([^`]+)`/.exec(value.description ?? '')?.[1])
      .filter((value): value is string => value !== undefined && !names.includes(value));
    return fc.oneof(
      fc.constantFrom(
        ...names.map((value) => value.toLowerCase()).filter((value) => !names.includes(value)),
        ...restValues,
      ),
      shortString.filter((value) => !names.includes(value)),
      others,
    );
  }
  if (isInputObjectType(type)) return fc.constantFrom<unknown>('x', 1, [], true);
  switch (type.name) {
    case 'String':
    case 'ID':
      return fc.constantFrom<unknown>(1.5, true, {}, [[]], { a: 1 });
    case 'Int':
      return fc.constantFrom<unknown>(1.5, -0.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1e21, '1', true, {});
    case 'Boolean':
      return fc.constantFrom<unknown>('true', 1, 0, 'false', {});
    default:
      return others;
  }
}

/** A well-typed record with one of its fields replaced by a value GraphQL refuses. */
function corruptOne(
  record: fc.Arbitrary<Record<string, unknown>>,
  fields: readonly { name: string; type: GraphQLInputType }[],
): fc.Arbitrary<Record<string, unknown>> {
  if (fields.length === 0) return record;
  return fc
    .tuple(record, fc.constantFrom(...fields))
    .chain(([value, field]) => wrongValueOf(field.type).map((wrong) => ({ ...value, [field.name]: wrong })));
}

const token = fc.oneof(
  { weight: 8, arbitrary: fc.constant<string | null>(DEMO_TOKEN) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<string | null>(TOKENS.alice, TOKENS.frank, TOKENS.carol, null, 'not-a-token'),
  },
);

// --- Running one operation and what must hold of it ------------------------------------------------

interface Outcome {
  status: number;
  body: GraphQLResponse | undefined;
  text: string;
  requests: RecordedRequest[];
}

/** Waits for REST calls still under way (a field that failed early does not wait for its siblings). */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 200 && h.simulator.requests.some((request) => request.endedAt === 0); turn += 1) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

async function send(query: string, variables: Record<string, unknown>, sentToken: string | null): Promise<Outcome> {
  await settle();
  h.simulator.clearRequests();
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (sentToken !== null) headers.authorization = bearer(sentToken);
  const response = await h.gateway.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  await settle();
  let body: GraphQLResponse | undefined;
  try {
    body = JSON.parse(text) as GraphQLResponse;
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text, requests: [...h.simulator.requests] };
}

const CONTRACT_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'CONFLICT',
  'PRECONDITION_FAILED',
  'RATE_LIMITED',
  'UPSTREAM_ERROR',
  'UPSTREAM_UNAVAILABLE',
  'QUERY_TOO_COMPLEX',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
]);
const isContractCode = (code: unknown) =>
  typeof code === 'string' && (CONTRACT_CODES.has(code) || code.startsWith('PERSISTED_QUERY_'));

const shorten = (text: string, max = 1_500) =>
  text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;

/**
 * What every answer must be, whatever was sent: no 5xx; JSON with `data` or
 * `errors`; every error with a contract code (never an unexpected error, and
 * no upstream failure: the simulator is healthy, so one means the gateway
 * sent what it could not take); every REST status an error names was
 * answered to a recorded request; every REST request valid by the spec and
 * sent with the caller's Authorization.
 */
function problemsOf(outcome: Outcome, sentToken: string | null): string[] {
  const problems: string[] = [];
  if (outcome.status >= 500) problems.push(`the gateway answered HTTP ${outcome.status}`);
  const body = outcome.body;
  if (!body || typeof body !== 'object' || (!('data' in body) && !('errors' in body))) {
    problems.push('the answer is not a GraphQL response');
    return problems;
  }
  const answered = new Set(outcome.requests.map((request) => request.status));
  for (const error of body.errors ?? []) {
    const code = error.extensions?.code;
    const status = error.extensions?.status;
    const where = `error ${JSON.stringify(error.message.slice(0, 200))} at ${JSON.stringify(error.path ?? null)}`;
    if (outcome.status === 413 && code === 'BAD_REQUEST') continue; // the documented body limit
    if (!isContractCode(code)) problems.push(`${where} has code ${String(code)}, not one of the contract`);
    if (code === 'UPSTREAM_ERROR' || code === 'UPSTREAM_UNAVAILABLE') {
      problems.push(`${where} is ${String(code)} (status ${String(status)}) although the upstream is healthy`);
    }
    if (typeof status === 'number' && !answered.has(status)) {
      problems.push(
        `${where} carries REST status ${status}, which the simulator answered to none of the requests it received`,
      );
    }
  }
  problems.push(
    ...specViolations(outcome.requests).map((violation) => `sent a request the spec refuses: ${violation}`),
  );
  const authorization = sentToken === null ? undefined : bearer(sentToken);
  for (const request of outcome.requests) {
    if (request.authorization !== authorization) {
      problems.push(
        `${request.method} ${request.path} carried Authorization ${String(request.authorization)}, not ${String(authorization)}`,
      );
    }
  }
  return problems;
}

function report(query: string, variables: unknown, outcome: Outcome, problems: string[]): string {
  return [
    ...problems.map((problem) => `- ${problem}`),
    `--- operation ---\n${query.trim()}`,
    `--- variables ---\n${shorten(JSON.stringify(variables))}`,
    `--- HTTP ${outcome.status} ---\n${shorten(outcome.text)}`,
    `--- REST calls ---\n${outcome.requests.map((r) => shorten(`${r.method} ${r.path}${r.search ? `?${r.search}` : ''} → ${r.status}`, 300)).join('\n') || '(none)'}`,
  ].join('\n');
}

/** Fails the run, with a readable report, when an invariant does not hold. */
function expectHealthy(query: string, variables: unknown, outcome: Outcome, sentToken: string | null): void {
  const problems = problemsOf(outcome, sentToken);
  if (problems.length > 0) throw new Error(report(query, variables, outcome, problems));
}

/** A write the simulator applied leaves the seeded state behind: restore it for the next run. */
function restoreAfterWrites(outcome: Outcome): void {
  if (outcome.requests.some((request) => request.method !== 'GET' && request.status >= 200 && request.status < 400)) {
    h.simulator.reset();
  }
}

// --- The operations: every field that takes arguments, reached from the root --------------------

/** How to reach an object of each type that has fields with arguments, from the root. */
const ANCHORS: Record<string, (inner: string) => string> = {
  Query: (inner) => inner,
  Mutation: (inner) => inner,
  Integration: (inner) => `integration(name: "${POPULAR_INTEGRATION}") { ${inner} }`,
  Installation: (inner) =>
    `integration(name: "${POPULAR_INTEGRATION}") { installation(installationId: "${INSTALLATION}") { ${inner} } }`,
  Organization: (inner) => `organization(organizationId: "${ORGANIZATION}") { ${inner} }`,
  OrganizationSite: (inner) =>
    `organization(organizationId: "${ORGANIZATION}") { site(siteId: "${SITE}") { ${inner} } }`,
};

function leafFields(type: GraphQLObjectType | GraphQLInterfaceType): string[] {
  return Object.values(type.getFields())
    .filter((field) => field.args.length === 0 && isLeafType(getNamedType(field.type)))
    .map((field) => field.name);
}

/** A selection that reads the leaves of what a field returns, and one level of the objects it links. */
function selectionOf(type: GraphQLOutputType, depth = 0): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (isInterfaceType(named)) return `{ __typename ${leafFields(named).join(' ')} }`;
  if (!isObjectType(named)) return '{ __typename }';
  if (named.name.endsWith('Connection')) {
    const node = named.getFields().nodes?.type as GraphQLOutputType;
    return `{ totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node ${selectionOf(node, 1)} } }`;
  }
  const parts = ['__typename', ...leafFields(named)];
  if (depth === 0) {
    for (const field of Object.values(named.getFields())) {
      if (field.args.length === 0 && !isLeafType(getNamedType(field.type)))
        parts.push(`${field.name} ${selectionOf(field.type, 1)}`);
    }
  }
  return `{ ${parts.join(' ')} }`;
}

interface FieldGroup {
  parent: string;
  field: GraphQLField<unknown, unknown>;
  operation: string;
}

/** The field, reached from its anchor, with each argument a variable of the argument's own type. */
function operationFor(parent: string, field: GraphQLField<unknown, unknown>): string {
  const declarations = field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const args = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const kind = parent === 'Mutation' ? 'mutation' : 'query';
  const wrap = ANCHORS[parent];
  if (!wrap) throw new Error(`no anchor reaches ${parent}`);
  return `${kind} Fuzz${declarations ? `(${declarations})` : ''} { ${wrap(`${field.name}(${args}) ${selectionOf(field.type)}`)} }`;
}

/**
 * Every field with arguments of every object type; each type needs an anchor, so none is left
 * out. Subscriptions stream and never end by themselves: their argument is checked over SSE in
 * live-events.test.ts ("refuses an integrationName…").
 */
const FIELD_GROUPS: FieldGroup[] = Object.values(schema.getTypeMap())
  .filter(
    (type): type is GraphQLObjectType =>
      isObjectType(type) && !type.name.startsWith('__') && type !== schema.getSubscriptionType(),
  )
  .flatMap((type) =>
    Object.values(type.getFields())
      .filter((field) => field.args.length > 0)
      .map((field) => ({
        parent: type.name,
        field,
        operation: ANCHORS[type.name] ? operationFor(type.name, field) : '',
      })),
  );

/**
 * The variables of a field's arguments: well typed, or (one run in five) with
 * one argument, or one field of an input argument, refused by GraphQL, or an
 * input with a field its type lacks.
 */
function variablesArbitrary(field: GraphQLField<unknown, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const record = fc.record(Object.fromEntries(field.args.map((arg) => [arg.name, arbitraryOf(arg.type, arg.name)])));
  const inputArgs = field.args.filter((arg) => isInputObjectType(getNamedType(arg.type)));
  const intoInput = inputArgs.map((arg) => {
    const type = getNamedType(arg.type) as GraphQLInputObjectType;
    const fields = Object.values(type.getFields());
    const inner = fc.record(Object.fromEntries(fields.map((f) => [f.name, arbitraryOf(f.type, f.name)])));
    return fc.oneof(
      fc.tuple(record, corruptOne(inner, fields)).map(([value, input]) => ({ ...value, [arg.name]: input })),
      fc
        .tuple(record, inner, shortString, jsonValue)
        .map(([value, input, key, extra]) => ({ ...value, [arg.name]: { ...input, [`x${key}`]: extra } })),
    );
  });
  return fc.oneof(
    { weight: 8, arbitrary: record },
    { weight: 1, arbitrary: corruptOne(record, field.args) },
    ...intoInput.map((arbitrary) => ({ weight: 1, arbitrary })),
  );
}

/** A seeded value for each required argument or input field. */
function baseOf(fields: readonly { name: string; type: GraphQLInputType }[]): Record<string, unknown> {
  return Object.fromEntries(
    fields
      .filter((field) => isNonNullType(field.type))
      .map((field) => {
        const known = KNOWN[field.name];
        if (!known || known.length === 0) throw new Error(`no seeded value for the required ${field.name}`);
        return [field.name, known[0]];
      }),
  );
}

/**
 * Valid arguments (or a valid `input`) with one of them fuzzed: each
 * argument's checks are reached alone, not only behind another's refusal.
 */
function oneAtATime(field: GraphQLField<unknown, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const [only] = field.args;
  const input = field.args.length === 1 && only ? getNamedType(only.type) : undefined;
  if (only && input && isInputObjectType(input)) {
    const fields = Object.values(input.getFields());
    const base = baseOf(fields);
    return fc.oneof(
      ...fields.map((inner) =>
        arbitraryOf(inner.type, inner.name).map((value) => ({ [only.name]: { ...base, [inner.name]: value } })),
      ),
    );
  }
  const base = baseOf(field.args);
  return fc.oneof(
    ...field.args.map((arg) => arbitraryOf(arg.type, arg.name).map((value) => ({ ...base, [arg.name]: value }))),
  );
}

describe('every argument of every field, fuzzed', () => {
  it('covers every type whose fields take arguments', () => {
    const unanchored = [
      ...new Set(FIELD_GROUPS.filter((group) => !ANCHORS[group.parent]).map((group) => group.parent)),
    ];
    expect(unanchored).toEqual([]);
    expect(FIELD_GROUPS.map((group) => `${group.parent}.${group.field.name}`)).toEqual(
      expect.arrayContaining([
        'Query.node',
        'Query.integrations',
        'Mutation.publishIntegration',
        'Installation.siteInstallation',
      ]),
    );
  });

  it.each(FIELD_GROUPS.map((group) => [`${group.parent}.${group.field.name}`, group] as const))(
    '%s: no 5xx, contract codes only, and only requests the spec accepts',
    async (_name, group) => {
      await fc.assert(
        fc.asyncProperty(variablesArbitrary(group.field), token, async (variables, sentToken) => {
          const outcome = await send(group.operation, variables, sentToken);
          restoreAfterWrites(outcome);
          expectHealthy(group.operation, variables, outcome, sentToken);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    },
    FUZZ_TIMEOUT,
  );

  it.each(FIELD_GROUPS.map((group) => [`${group.parent}.${group.field.name}`, group] as const))(
    '%s, one argument or input field at a time: the same holds',
    async (_name, group) => {
      await fc.assert(
        fc.asyncProperty(oneAtATime(group.field), async (variables) => {
          const outcome = await send(group.operation, variables, DEMO_TOKEN);
          restoreAfterWrites(outcome);
          expectHealthy(group.operation, variables, outcome, DEMO_TOKEN);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    },
    FUZZ_TIMEOUT,
  );
});

// --- Targeted properties -----------------------------------------------------------------------

const DOCUMENT_CONTEXT = KNOWN.context?.[0];
/** The spec's `integrationName` path parameter. */
const integrationNameSchema = (
  spec.components.parameters as Record<string, { schema: { pattern: string; maxLength: number } }>
).integrationName?.schema;
if (!integrationNameSchema) throw new Error('the spec has no integrationName parameter');
const INTEGRATION_NAME = new RegExp(integrationNameSchema.pattern);

/** Any unicode (lone surrogates included), names that look valid, and the edge cases of the pattern. */
const anyName = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit, maxLength: 120 }) },
  { weight: 3, arbitrary: fc.stringMatching(/^[a-zA-Z0-9._-]{1,110}$/) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      '.',
      '..',
      '...',
      'a'.repeat(100),
      'a'.repeat(101),
      'slack',
      'SLACK',
      'slack/',
      ' slack',
      'slack ',
      'sl%61ck',
      'slack%2F..',
      'northwind-sso',
      'é',
      '\uD800',
      'a\uDC00',
    ),
  },
);

/** Where an integration name goes, and the REST route it must then take. */
const NAME_SINKS = [
  {
    name: 'Query.integration(name)',
    operation: `query ($v: String!) { integration(name: $v) { name } }`,
    path: ['integration'],
    route: (encoded: string) => `/integrations/${encoded}`,
  },
  {
    name: 'Organization.integrationInstallationStatus(integrationName)',
    operation: `query ($v: String!) { organization(organizationId: "${ORGANIZATION}") { integrationInstallationStatus(integrationName: $v) } }`,
    path: ['organization', 'integrationInstallationStatus'],
    route: (encoded: string) => `/orgs/${ORGANIZATION}/integrations/${encoded}/installation_status`,
  },
  {
    name: 'Query.integrationUI(integrationName)',
    operation: `query ($v: String!, $context: JSON!) { integrationUI(integrationName: $v, componentId: "kudos-counter", props: {}, context: $context) { type } }`,
    path: ['integrationUI'],
    route: (encoded: string) => `/integrations/${encoded}/render`,
  },
  {
    name: 'Mutation.disableIntegrationDevelopmentMode(input.integrationName)',
    operation: `mutation ($v: String!) { disableIntegrationDevelopmentMode(input: { integrationName: $v }) { integration { name } } }`,
    path: ['disableIntegrationDevelopmentMode'],
    route: (encoded: string) => `/integrations/${encoded}/dev`,
  },
];

/** An error the gateway raised itself, before any call: BAD_USER_INPUT without a REST status. */
const refusedAt = (body: GraphQLResponse | undefined, path: (string | number)[]) =>
  (body?.errors ?? []).some(
    (error) =>
      error.extensions?.code === 'BAD_USER_INPUT' &&
      error.extensions?.status === undefined &&
      JSON.stringify(error.path) === JSON.stringify(path),
  );

describe('integrationName: any unicode', () => {
  it.each(NAME_SINKS)(
    '$name: refused with BAD_USER_INPUT and no call, or sent percent-encoded and matching the spec',
    async (sink) => {
      await fc.assert(
        fc.asyncProperty(anyName, async (name) => {
          const variables = { v: name, context: DOCUMENT_CONTEXT };
          const outcome = await send(sink.operation, variables, DEMO_TOKEN);
          restoreAfterWrites(outcome);
          expectHealthy(sink.operation, variables, outcome, DEMO_TOKEN);
          const valid = INTEGRATION_NAME.test(name) && name.length <= integrationNameSchema.maxLength;
          // `.` and `..` match the pattern but cannot travel as a path segment: refusing them is right too.
          const routable = valid && name !== '.' && name !== '..';
          const refused = refusedAt(outcome.body, sink.path);
          const problems: string[] = [];
          if (!valid && !refused) problems.push('a name outside the spec was not refused with BAD_USER_INPUT');
          if (routable && refused) problems.push('a name the spec accepts was refused');
          if (refused && outcome.requests.length > 0) problems.push('a refused name still cost REST calls');
          if (!refused) {
            const [call] = outcome.requests;
            if (call?.path !== sink.route(encodeURIComponent(name))) {
              problems.push(`expected the first call to be ${sink.route(encodeURIComponent(name))}`);
            }
          }
          if (problems.length > 0) throw new Error(report(sink.operation, variables, outcome, problems));
        }),
        { seed: SEED, numRuns: 250 },
      );
    },
    FUZZ_TIMEOUT,
  );
});

/** The connections, reached from their anchors, with what their list call is. */
const CONNECTIONS = FIELD_GROUPS.filter(
  (group) => group.field.args.some((arg) => arg.name === 'first') && ANCHORS[group.parent],
).map((group) => ({
  name: `${group.parent}.${group.field.name}`,
  path: [...anchorPath(group.parent), group.field.name],
  /** The connection with these arguments; `$first` and `$after` are declared when used. */
  operation: (args: string) => {
    const declared = [args.includes('$first') && '$first: Int', args.includes('$after') && '$after: String'].filter(
      Boolean,
    );
    const inner = `${group.field.name}(${args}) { totalCount edges { cursor node { __typename } } }`;
    return `query (${declared.join(', ')}) { ${(ANCHORS[group.parent] as (inner: string) => string)(inner)} }`;
  },
}));

function anchorPath(parent: string): string[] {
  const path: Record<string, string[]> = {
    Query: [],
    Integration: ['integration'],
    Installation: ['integration', 'installation'],
    Organization: ['organization'],
    OrganizationSite: ['organization', 'site'],
  };
  return path[parent] ?? [];
}

/** The REST operation a connection lists with, learnt from one valid run. */
async function listOperationOf(connection: (typeof CONNECTIONS)[number]): Promise<string> {
  const anchorOnly = await send(`query { ${anchorQuery(connection.name)} }`, {}, DEMO_TOKEN);
  const listed = await send(connection.operation('first: $first'), { first: 2 }, DEMO_TOKEN);
  const known = new Set(anchorOnly.requests.map((request) => request.operationId));
  const operations = [...new Set(listed.requests.map((request) => request.operationId).filter((id) => !known.has(id)))];
  if (operations.length !== 1 || !operations[0]) {
    throw new Error(`${connection.name}: expected one list operation, saw ${JSON.stringify(operations)}`);
  }
  return operations[0];
}

function anchorQuery(connectionName: string): string {
  const [parent = ''] = connectionName.split('.');
  return (ANCHORS[parent] as (inner: string) => string)('__typename');
}

const ANY_FIRST = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -3, max: 1_003 }) },
  { weight: 3, arbitrary: int32 },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 1_000, 1_001, -1, 2 ** 31 - 1, -(2 ** 31)) },
  // Not a GraphQL Int at all.
  { weight: 1, arbitrary: fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1e21) },
);

describe('first: any integer', () => {
  it('reaches every connection of the schema', () => {
    expect(CONNECTIONS.length).toBe(
      FIELD_GROUPS.filter((group) => group.field.args.some((arg) => arg.name === 'first')).length,
    );
    expect(CONNECTIONS.length).toBeGreaterThanOrEqual(10);
  });

  it.each(CONNECTIONS)(
    '$name: 1..1000 is pushed down as limit, anything else is BAD_USER_INPUT with no list call',
    async (connection) => {
      const listOperation = await listOperationOf(connection);
      const operation = connection.operation('first: $first');
      await fc.assert(
        fc.asyncProperty(ANY_FIRST, async (first) => {
          const outcome = await send(operation, { first }, DEMO_TOKEN);
          expectHealthy(operation, { first }, outcome, DEMO_TOKEN);
          const lists = outcome.requests.filter((request) => request.operationId === listOperation);
          const problems: string[] = [];
          if (first >= 1 && first <= 1_000) {
            if (outcome.body?.errors?.length) problems.push('a valid `first` got errors');
            if (lists.length !== 1) problems.push(`expected one ${listOperation} call, saw ${lists.length}`);
            const limit = lists[0]?.query.limit;
            if (limit !== undefined && limit !== String(first)) problems.push(`limit ${limit} is not first ${first}`);
          } else {
            const codes = (outcome.body?.errors ?? []).map((error) => error.extensions?.code);
            if (codes.length !== 1 || codes[0] !== 'BAD_USER_INPUT')
              problems.push(`expected one BAD_USER_INPUT, got ${JSON.stringify(codes)}`);
            if (Number.isInteger(first) && Math.abs(first) < 2 ** 31 && !refusedAt(outcome.body, connection.path)) {
              problems.push(`expected the refusal at ${JSON.stringify(connection.path)}`);
            }
            if (lists.length > 0)
              problems.push(`a refused \`first\` still made ${lists.length} ${listOperation} call(s)`);
          }
          if (problems.length > 0) throw new Error(report(operation, { first }, outcome, problems));
        }),
        { seed: SEED, numRuns: 60 },
      );
    },
    FUZZ_TIMEOUT,
  );
});

const AFTER_CONNECTIONS = CONNECTIONS.filter((connection) =>
  [
    'Query.integrations',
    'Integration.events',
    'Organization.installations',
    'Installation.spaceInstallations',
  ].includes(connection.name),
);

describe('after: any string', () => {
  it.each(AFTER_CONNECTIONS)(
    '$name: BAD_USER_INPUT with no list call, or a page request the spec accepts',
    async (connection) => {
      const listOperation = await listOperationOf(connection);
      const operation = connection.operation('first: 3, after: $after');
      await fc.assert(
        fc.asyncProperty(fc.oneof(cursor, nastyString), async (after) => {
          const variables = { after };
          const outcome = await send(operation, variables, DEMO_TOKEN);
          expectHealthy(operation, variables, outcome, DEMO_TOKEN);
          const lists = outcome.requests.filter((request) => request.operationId === listOperation);
          const errors = outcome.body?.errors ?? [];
          const problems: string[] = [];
          if (lists.length === 0) {
            if (!refusedAt(outcome.body, connection.path))
              problems.push('no list call, yet no BAD_USER_INPUT at the connection');
          } else if (lists.every((request) => request.status === 200)) {
            const edges = getPath(outcome.body?.data, connection.path)?.edges;
            if (errors.length > 0) problems.push('the page was read, yet the answer has errors');
            if (!Array.isArray(edges) || edges.length > 3) problems.push('expected at most 3 edges');
          } else if (
            !errors.some((error) => error.extensions?.code === 'BAD_USER_INPUT' && error.extensions?.status === 400)
          ) {
            problems.push('REST refused the page, yet the error is not BAD_USER_INPUT with status 400');
          }
          if (problems.length > 0) throw new Error(report(operation, variables, outcome, problems));
        }),
        { seed: SEED, numRuns: 150 },
      );
    },
    FUZZ_TIMEOUT,
  );

  it('a real cursor continues with exactly the items after its edge', async () => {
    const names = (await restAll<{ name: string }>(h, '/integrations')).map((integration) => integration.name);
    h.resetCalls();
    const all = await h.data(`query { integrations(first: ${names.length}) { edges { cursor node { name } } } }`);
    const edges: { cursor: string; node: { name: string } }[] = all.integrations.edges;
    expect(edges.map((edge) => edge.node.name)).toEqual(names);
    const operation = `query ($after: String, $first: Int) { integrations(first: $first, after: $after) { nodes { name } } }`;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: edges.length - 1 }), fc.integer({ min: 1, max: 7 }), async (index, first) => {
        const variables = { after: edges[index]?.cursor, first };
        const outcome = await send(operation, variables, DEMO_TOKEN);
        expectHealthy(operation, variables, outcome, DEMO_TOKEN);
        const got = (outcome.body?.data?.integrations?.nodes ?? []).map((node: { name: string }) => node.name);
        const expected = names.slice(index + 1, index + 1 + first);
        if (JSON.stringify(got) !== JSON.stringify(expected)) {
          throw new Error(
            report(operation, variables, outcome, [`expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`]),
          );
        }
      }),
      { seed: SEED, numRuns: 40 },
    );
  });
});

function getPath(data: unknown, path: (string | number)[]): any {
  return path.reduce<any>((value, key) => (value == null ? undefined : value[key]), data);
}

/** Whether a global ID is in the form the API itself hands out (so a refetch must give it back). */
function isCanonical(id: string): boolean {
  const raw = Buffer.from(id, 'base64url').toString('utf8');
  if (Buffer.from(raw, 'utf8').toString('base64url') !== id) return false;
  const separator = raw.indexOf(':');
  if (separator < 0) return false;
  const key = raw.slice(separator + 1);
  try {
    return key.split('/').map(decodeURIComponent).map(encodeURIComponent).join('/') === key;
  } catch {
    return false;
  }
}

describe('node(id) and nodes(ids): any string', () => {
  const NODE = `query ($id: ID!) { node(id: $id) { __typename id } }`;
  const NODES = `query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`;

  it('node(id) never answers 5xx; a refused ID costs no call; a fetched node has the ID it was asked by', async () => {
    await fc.assert(
      fc.asyncProperty(globalId, token, async (id, sentToken) => {
        const variables = { id };
        const outcome = await send(NODE, variables, sentToken);
        expectHealthy(NODE, variables, outcome, sentToken);
        const problems: string[] = [];
        if (refusedAt(outcome.body, ['node']) && outcome.requests.length > 0)
          problems.push('a refused ID still cost REST calls');
        const node = outcome.body?.data?.node as { id: string } | null | undefined;
        if (node && typeof id === 'string' && isCanonical(id) && node.id !== id) {
          problems.push(`node(id: ${JSON.stringify(id)}) answered an object whose id is ${JSON.stringify(node.id)}`);
        }
        if (problems.length > 0) throw new Error(report(NODE, variables, outcome, problems));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('nodes(ids) answers one slot per ID, each failing alone', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(globalId, { maxLength: 8 }), async (ids) => {
        const variables = { ids };
        const outcome = await send(NODES, variables, DEMO_TOKEN);
        expectHealthy(NODES, variables, outcome, DEMO_TOKEN);
        const problems: string[] = [];
        const data = outcome.body?.data;
        if (data) {
          const slots = data.nodes as unknown[];
          if (!Array.isArray(slots) || slots.length !== ids.length) problems.push(`expected ${ids.length} slots`);
          for (const error of outcome.body?.errors ?? []) {
            const [field, index] = error.path ?? [];
            if (field !== 'nodes' || typeof index !== 'number' || slots[index] !== null) {
              problems.push(`error at ${JSON.stringify(error.path)} is not on a null slot of nodes`);
            }
          }
        }
        if (problems.length > 0) throw new Error(report(NODES, variables, outcome, problems));
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});

// --- What the fuzzing found, as plain examples -------------------------------------------------

/** The body of a GraphQL request, with `variablesJson` spliced in as is (deep values overflow JSON.stringify). */
async function sendRaw(query: string, variablesJson: string): Promise<Outcome> {
  await settle();
  h.simulator.clearRequests();
  const response = await h.gateway.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: bearer(DEMO_TOKEN) },
    body: `{"query":${JSON.stringify(query)},"variables":${variablesJson}}`,
  });
  const text = await response.text();
  await settle();
  return {
    status: response.status,
    body: JSON.parse(text) as GraphQLResponse,
    text,
    requests: [...h.simulator.requests],
  };
}

/** A string LZ-string cannot shrink, the same at every run. */
function incompressible(length: number): string {
  let state = 0x2545f491;
  let text = '';
  while (text.length < length) {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0;
    text += (state >>> 0).toString(36);
  }
  return text.slice(0, length);
}

const codesOf = (outcome: Outcome) => (outcome.body?.errors ?? []).map((error) => error.extensions?.code);

describe('what the fuzzing found, as plain examples', () => {
  const LONE_SURROGATE = 'zq\uD800';
  it.each([
    {
      name: 'Integration.installation(installationId)',
      operation: `query ($v: String!) { integration(name: "${POPULAR_INTEGRATION}") { installation(installationId: $v) { installationId } } }`,
    },
    {
      name: 'Integration.event(eventId)',
      operation: `query ($v: String!) { integration(name: "${POPULAR_INTEGRATION}") { event(eventId: $v) { eventId } } }`,
    },
    {
      name: 'Installation.siteInstallation(siteId)',
      operation: `query ($v: String!) { ${ANCHORS.Installation?.('siteInstallation(siteId: $v) { siteId }')} }`,
    },
    {
      name: 'Organization.site(siteId)',
      operation: `query ($v: String!) { organization(organizationId: "${ORGANIZATION}") { site(siteId: $v) { integrationScripts { script } } } }`,
    },
    {
      name: 'Mutation.uninstallIntegration(input.installationId)',
      operation: `mutation ($v: String!) { uninstallIntegration(input: { integrationName: "${POPULAR_INTEGRATION}", installationId: $v }) { deletedInstallationId } }`,
    },
    {
      name: 'Mutation.updateSiteInstallation(input.siteId)',
      operation: `mutation ($v: String!) { updateSiteInstallation(input: { integrationName: "${POPULAR_INTEGRATION}", installationId: "${INSTALLATION}", siteId: $v }) { siteInstallation { siteId } } }`,
    },
  ])(
    '$name: an identifier with a lone surrogate (no UTF-8 form) is BAD_USER_INPUT, not an unexpected error',
    async ({ operation }) => {
      const outcome = await send(operation, { v: LONE_SURROGATE }, DEMO_TOKEN);
      expect(codesOf(outcome)).toEqual(['BAD_USER_INPUT']);
      // Not sent, not even with the surrogate replaced (U+FFFD) or dropped.
      expect(outcome.requests.filter((request) => `${request.path}?${request.search}`.includes('zq'))).toEqual([]);
      expect(problemsOf(outcome, DEMO_TOKEN)).toEqual([]);
    },
  );

  it.each([
    {
      name: 'Query.integrations(search)',
      operation: `query ($v: String) { integrations(first: 1, search: $v) { totalCount } }`,
      value: 'a'.repeat(20_000),
    },
    {
      name: 'Query.integrations(owner)',
      operation: `query ($v: String) { integrations(first: 1, owner: $v) { totalCount } }`,
      value: 'a'.repeat(20_000),
    },
    {
      name: 'Integration.installation(installationId)',
      operation: `query ($v: String!) { integration(name: "${POPULAR_INTEGRATION}") { installation(installationId: $v) { installationId } } }`,
      value: 'é'.repeat(3_000),
    },
    {
      name: 'Organization.installedIntegrations(siteId)',
      operation: `query ($v: String) { organization(organizationId: "${ORGANIZATION}") { installedIntegrations(target: SITE, siteId: $v) { totalCount } } }`,
      value: '/'.repeat(6_000),
    },
    {
      name: 'Query.integrationUI(props)',
      operation: `query ($v: JSON!, $context: JSON!) { integrationUI(integrationName: "kudos", componentId: "kudos-counter", props: $v, context: $context) { type } }`,
      value: { message: incompressible(24_000) },
    },
  ])(
    '$name: a value too long for a REST URL is refused before any call, or sent; never an upstream error',
    async ({ operation, value }) => {
      const variables = { v: value, context: DOCUMENT_CONTEXT };
      const outcome = await send(operation, variables, DEMO_TOKEN);
      expect(problemsOf(outcome, DEMO_TOKEN)).toEqual([]);
      expect(codesOf(outcome).filter((code) => code !== 'BAD_USER_INPUT' && code !== 'NOT_FOUND')).toEqual([]);
    },
  );

  const nested = (depth: number, leaf: string) => '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
  it.each([
    {
      name: 'Query.integrationUI(props) 3,000 objects deep',
      operation: `query ($v: JSON!, $context: JSON!) { integrationUI(integrationName: "kudos", componentId: "kudos-counter", props: $v, context: $context) { type } }`,
      depth: 3_000,
    },
    {
      name: 'Mutation.queueIntegrationTask(input.task) 12,000 objects deep',
      operation: `mutation ($v: JSON!) { queueIntegrationTask(input: { integrationName: "${POPULAR_INTEGRATION}", task: $v }) { queued } }`,
      depth: 12_000,
    },
  ])('$name: deeply nested JSON is BAD_USER_INPUT or sent, never an unexpected error', async ({ operation, depth }) => {
    const outcome = await sendRaw(
      operation,
      `{"v":${nested(depth, '1')},"context":${JSON.stringify(DOCUMENT_CONTEXT)}}`,
    );
    expect(outcome.status).toBeLessThan(500);
    expect(codesOf(outcome).filter((code) => !isContractCode(code))).toEqual([]);
    expect(specViolations(outcome.requests)).toEqual([]);
  });

  it('a JSON argument written as an object literal carries the values of the variables inside it', async () => {
    const operation = `query ($initial: Int, $context: JSON!) {
      integrationUI(integrationName: "kudos", componentId: "kudos-counter", props: { initial: $initial, message: "hi" }, context: $context) { state }
    }`;
    const outcome = await send(operation, { initial: 7, context: DOCUMENT_CONTEXT }, DEMO_TOKEN);
    const sent = outcome.requests.map((request) =>
      JSON.parse(lzString.decompressFromEncodedURIComponent(request.query.request ?? '') ?? 'null'),
    );
    expect(sent).toEqual([
      { componentId: 'kudos-counter', props: { initial: 7, message: 'hi' }, context: DOCUMENT_CONTEXT },
    ]);
    const direct = await restAnswer(h, '/integrations/kudos/render', {
      request: lzString.compressToEncodedURIComponent(JSON.stringify(sent[0])),
    });
    expect(outcome.body).toEqual({ data: { integrationUI: { state: direct.body.state } } });
  });

  it('nodes(ids) keeps a null slot for a malformed last ID', async () => {
    const valid = gathered.integration.id as string;
    const outcome = await send(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [valid, 'Og'] }, DEMO_TOKEN);
    expect(outcome.body?.data).toEqual({ nodes: [{ id: valid }, null] });
    expect((outcome.body?.errors ?? []).map((error) => [error.path, error.extensions?.code])).toEqual([
      [['nodes', 1], 'BAD_USER_INPUT'],
    ]);
  });

  it.each(['valueOf', 'constructor', '__proto__', 'toString'])(
    'the simulator answers 404 for a component named %s (an Object.prototype member), not a 500',
    async (componentId) => {
      const operation = `query ($c: String!, $context: JSON!) { integrationUI(integrationName: "${POPULAR_INTEGRATION}", componentId: $c, props: {}, context: $context) { type } }`;
      const outcome = await send(operation, { c: componentId, context: DOCUMENT_CONTEXT }, DEMO_TOKEN);
      expect(outcome.requests.map((request) => [request.operationId, request.status])).toEqual([
        ['renderIntegrationUIWithGet', 404],
      ]);
      expect((outcome.body?.errors ?? []).map((error) => [error.extensions?.code, error.extensions?.status])).toEqual([
        ['NOT_FOUND', 404],
      ]);
    },
  );
});

// --- Hostile shapes: repeated fragment spreads, repeated variables inside JSON literals -----------

describe('repeated fragment spreads: any tree of named fragments answers as its flattened query', () => {
  const LEAVES = ['id', 'name', 'title', 'verified', '__typename'] as const;
  const tree = fc.record({
    spreads: fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 6 }),
    leaves: fc.subarray([...LEAVES], { minLength: 1 }),
    inline: fc.boolean(),
  });

  it(
    'with each fragment spread up to 30 times per level, over up to six levels: the same data and REST calls as the leaves alone',
    async () => {
      const flat = await send(
        `query { integration(name: "${POPULAR_INTEGRATION}") { ${LEAVES.join(' ')} } }`,
        {},
        DEMO_TOKEN,
      );
      const flatData = flat.body?.data?.integration as Record<string, unknown>;
      await fc.assert(
        fc.asyncProperty(tree, async ({ spreads, leaves, inline }) => {
          const levels = spreads.length;
          const fragments = spreads.map((count, level) => {
            const spread = inline ? `... on Integration { ...F${level + 1} }` : `...F${level + 1}`;
            return `fragment F${level} on Integration { ${Array.from({ length: count }, () => spread).join(' ')} }`;
          });
          const query = `query { integration(name: "${POPULAR_INTEGRATION}") { ...F0 } }\n${fragments.join('\n')}\nfragment F${levels} on Integration { ${leaves.join(' ')} }`;
          const outcome = await send(query, {}, DEMO_TOKEN);
          expectHealthy(query, {}, outcome, DEMO_TOKEN);
          const expected = Object.fromEntries(leaves.map((leaf) => [leaf, flatData[leaf]]));
          const problems: string[] = [];
          if (JSON.stringify(outcome.body) !== JSON.stringify({ data: { integration: expected } }))
            problems.push('not the flattened answer');
          const calls = outcome.requests.map((request) => `${request.method} ${request.path}`);
          const needsLookup = leaves.some((leaf) => leaf === 'title' || leaf === 'verified');
          const expectedCalls =
            needsLookup || leaves.every((leaf) => leaf === '__typename')
              ? [`GET /integrations/${POPULAR_INTEGRATION}`]
              : [];
          // A link that reads only its key may or may not be looked up; what it reads beyond it must be.
          if (needsLookup && JSON.stringify(calls) !== JSON.stringify(expectedCalls))
            problems.push(`calls ${JSON.stringify(calls)}`);
          if (calls.length > 1) problems.push(`more than one call: ${JSON.stringify(calls)}`);
          if (problems.length > 0) throw new Error(report(query, {}, outcome, problems));
        }),
        { seed: SEED, numRuns: 60 },
      );
    },
    FUZZ_TIMEOUT,
  );
});

describe('repeated variables inside JSON literals: the expanded value is what is measured', () => {
  const budget = DEFAULT_LIMITS.maxInputBytes;
  const shape = fc.record({
    value: fc.oneof(
      fc.string({ maxLength: 12_000 }).map((text) => text.replace(/[^ -~]/g, 'x')),
      fc.array(fc.integer({ min: -1_000, max: 1_000 }), { maxLength: 400 }),
      fc.dictionary(
        fc.string({ minLength: 1, maxLength: 8 }).map((key) => key.replace(/[^a-z]/gi, 'k')),
        fc.string({ maxLength: 200 }),
        { maxKeys: 30 },
      ),
    ),
    uses: fc.integer({ min: 1, max: 1_500 }),
  });

  it(
    'queueIntegrationTask(task: { a: [$v ×uses] }): clearly over the budget is refused with no call; clearly under it is sent, expanded',
    async () => {
      await fc.assert(
        fc.asyncProperty(shape, async ({ value, uses }) => {
          const query = `mutation($v: JSON) { queueIntegrationTask(input: { integrationName: "kudos", task: { a: [${Array.from({ length: uses }, () => '$v').join(' ')}] } }) { queued } }`;
          const variables = { v: value };
          const expanded = JSON.stringify({ a: Array.from({ length: uses }, () => value) });
          const values = uses * (typeof value === 'string' ? 1 : 1 + Object.keys(value).length);
          const outcome = await send(query, variables, DEMO_TOKEN);
          restoreAfterWrites(outcome);
          expectHealthy(query, { v: `(${JSON.stringify(value).length} chars)` }, outcome, DEMO_TOKEN);
          const problems: string[] = [];
          const refused = codesOf(outcome).includes('BAD_USER_INPUT');
          const over = expanded.length > budget * 1.1 || values > DEFAULT_LIMITS.maxInputValues * 1.1;
          const under = expanded.length < budget * 0.9 && values < DEFAULT_LIMITS.maxInputValues * 0.9;
          if (over && !refused) problems.push(`${expanded.length} bytes, ${values} values expanded, yet not refused`);
          if (refused && outcome.requests.length > 0) problems.push('refused, yet REST was called');
          if (under && refused) problems.push(`${expanded.length} bytes expanded, within the budget, yet refused`);
          if (!refused) {
            const sent = outcome.requests.map((request) => JSON.stringify(request.body));
            if (sent.length !== 1 || sent[0] !== JSON.stringify({ task: JSON.parse(expanded) }))
              problems.push('the task sent is not the expanded value');
          }
          if (problems.length > 0) throw new Error(report(query.slice(0, 300), { uses }, outcome, problems));
        }),
        { seed: SEED, numRuns: 80 },
      );
    },
    FUZZ_TIMEOUT,
  );
});
