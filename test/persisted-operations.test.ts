import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type ASTNode,
  buildSchema,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  parse,
  print,
  validate,
  visit,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import * as generated from '../packages/client/src/generated/graphql.js';
import {
  ClientError,
  createClient,
  IntegrationPageDocument,
  MarketplaceDocument,
  TypedDocumentString,
} from '../packages/client/src/index.js';
import { loadConfig } from '../src/config.js';
import { loadManifest } from '../src/persisted-operations.js';
import { DEMO_TOKEN } from '../src/simulator/index.js';
import { type RestCall, useHarness } from './helpers/harness.js';
import { useServedGateways } from './helpers/loopback.js';
import { expectedGet, rest } from './helpers/rest-fixtures.js';
import { canonicalOperations, SLACK } from './helpers/typed-client.js';

/**
 * Persisted operations: a frontend built with the generated client sends only
 * the sha256 hash of an operation, and the gateway runs the manifest's text.
 * Gateways in each mode listen on a real socket; their REST calls go to the
 * simulator over HTTP.
 */

const h = await useHarness({ resetStateBeforeEach: true });
const store = h.simulator.store;
const serve = useServedGateways(h);

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MANIFEST_PATH = join(ROOT, 'packages/client/src/generated/persisted-documents.json');
const manifestFile = JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as Record<string, string>;
const manifest = loadManifest(MANIFEST_PATH);

const gateways = {
  required: await serve({ persistedOperations: { mode: 'required', manifest } }),
  allowed: await serve({ persistedOperations: { mode: 'allowed', manifest } }),
  off: await serve(),
};

interface Response {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/** A GraphQL-over-HTTP POST with the demo token. */
async function post(url: string, body: unknown): Promise<Response> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      authorization: `Bearer ${DEMO_TOKEN}`,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Response['body'] };
}

const persistedQuery = (sha256Hash: string) => ({ persistedQuery: { version: 1, sha256Hash } });

const hashOf = (document: { __meta__?: Record<string, unknown> }): string => {
  const hash = document.__meta__?.hash;
  if (typeof hash !== 'string') throw new Error('a generated document without a persisted hash');
  return hash;
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A hash of an operation no manifest has: well-formed, and the sha256 of a real operation. */
const UNKNOWN_HASH = `sha256:${sha256('query NotInTheManifest { integrations { totalCount } }')}`;

/** The refusal the persisted-operations plugin answers: HTTP 400, one error with a code and a message that says why. */
function expectRefused(response: Response, code: string) {
  expect(response.status).toBe(400);
  expect(response.body.data ?? null).toBeNull();
  expect(response.body.errors).toEqual([{ message: expect.stringMatching(/persisted/i), extensions: { code } }]);
}

/** REST calls in a stable order (a query's calls may run in parallel). */
const sortedCalls = (calls: RestCall[]) =>
  [...calls].sort((a, b) =>
    `${a.method} ${a.path} ${JSON.stringify(a.query)}`.localeCompare(
      `${b.method} ${b.path} ${JSON.stringify(b.query)}`,
    ),
  );

// --- The manifest, read as GraphQL ---------------------------------------------------------

const operationOf = (document: DocumentNode): OperationDefinitionNode => {
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1 || !operations[0]!.name)
    throw new Error(`expected one named operation in:\n${print(document)}`);
  return operations[0]!;
};

const manifestEntries = Object.entries(manifestFile).map(([key, text]) => ({
  key,
  hex: key.replace(/^sha256:/, ''),
  text,
  name: operationOf(parse(text)).name!.value,
}));

/**
 * A document printed in a form that ignores what codegen's normalization
 * changes (the order of selections, variables, arguments, input fields and
 * definitions), so a source operation and its manifest text compare equal.
 */
function canonical(document: DocumentNode): string {
  const byPrint = (a: ASTNode, b: ASTNode) => print(a).localeCompare(print(b));
  return print(
    visit(document, {
      SelectionSet: { leave: (node) => ({ ...node, selections: [...node.selections].sort(byPrint) }) },
      Field: { leave: (node) => ({ ...node, arguments: [...(node.arguments ?? [])].sort(byPrint) }) },
      ObjectValue: { leave: (node) => ({ ...node, fields: [...node.fields].sort(byPrint) }) },
      OperationDefinition: {
        leave: (node) => ({ ...node, variableDefinitions: [...(node.variableDefinitions ?? [])].sort(byPrint) }),
      },
      Document: { leave: (node) => ({ ...node, definitions: [...node.definitions].sort(byPrint) }) },
    }),
  );
}

/** Every operation of schema/operations, each with the fragments it uses, keyed by name. */
function sourceOperations(): Map<string, DocumentNode> {
  const dir = join(ROOT, 'schema/operations');
  const definitions = readdirSync(dir)
    .filter((file) => file.endsWith('.graphql'))
    .flatMap((file) => parse(readFileSync(join(dir, file), 'utf8')).definitions);
  const fragments = new Map(
    definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const withFragments = (root: DefinitionNode): DefinitionNode[] => {
    const used = new Map<string, FragmentDefinitionNode>();
    const collect = (node: ASTNode) =>
      visit(node, {
        FragmentSpread: (spread) => {
          const fragment = fragments.get(spread.name.value);
          if (!fragment) throw new Error(`fragment ${spread.name.value} is defined in no operation file`);
          if (!used.has(fragment.name.value)) {
            used.set(fragment.name.value, fragment);
            collect(fragment);
          }
        },
      });
    collect(root);
    return [root, ...used.values()];
  };
  return new Map(
    definitions
      .filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)
      .map((operation) => [operation.name!.value, { kind: Kind.DOCUMENT, definitions: withFragments(operation) }]),
  );
}

/** The generated typed documents of operations (fragments have no hash of their own). */
const generatedDocuments = Object.entries(generated as Record<string, unknown>).flatMap(([name, value]) =>
  value instanceof TypedDocumentString && value.__meta__?.hash !== undefined ? [[name, value] as const] : [],
);

// --- Running every manifest entry ---------------------------------------------------------

type OperationName = keyof ReturnType<typeof canonicalOperations>;

function variablesFor(name: string): Record<string, unknown> {
  const operations = canonicalOperations(store);
  if (!(name in operations)) throw new Error(`test/helpers/typed-client.ts has no variables for the operation ${name}`);
  return operations[name as OperationName].variables;
}

/**
 * Runs the manifest entry by hash on `gateway`, then, from the same seeded
 * state, its generated text on a gateway without persisted operations; both
 * must answer the same data with the same REST calls.
 */
async function expectRunsByHash(gateway: string, entry: (typeof manifestEntries)[number], sha256Hash: string) {
  h.simulator.reset();
  const variables = variablesFor(entry.name);
  const byHash = await post(gateway, { variables, extensions: persistedQuery(sha256Hash) });
  const hashCalls = h.calls();

  h.simulator.reset();
  const document = canonicalOperations(store)[entry.name as OperationName].document;
  const byText = await post(gateways.off, { query: document.toString(), variables });
  const textCalls = h.calls();

  expect(byHash.status).toBe(200);
  expect(byHash.body.errors).toBeUndefined();
  expect(byText.body.errors).toBeUndefined();
  expect(byHash.body).toEqual(byText.body);
  expect(hashCalls.length).toBeGreaterThan(0);
  expect(sortedCalls(hashCalls)).toEqual(sortedCalls(textCalls));
}

describe('PERSISTED_OPERATIONS=required', () => {
  it.each(manifestEntries)('runs $name by its hash, `sha256:<hex>` as codegen writes it', async (entry) => {
    await expectRunsByHash(gateways.required, entry, entry.key);
  });

  it.each(manifestEntries)('runs $name by its bare `<hex>` hash (Apollo-style clients)', async (entry) => {
    await expectRunsByHash(gateways.required, entry, entry.hex);
  });

  it('the persisted client sends only the hash and gets typed data', async () => {
    const bodies: Record<string, unknown>[] = [];
    const client = createClient({
      url: gateways.required,
      token: DEMO_TOKEN,
      persisted: true,
      fetch: (input, init) => {
        bodies.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
        return fetch(input, init);
      },
    });
    const data = await client.request(IntegrationPageDocument, { name: SLACK, installationsFirst: 2 });
    expect(bodies).toEqual([
      {
        variables: { name: SLACK, installationsFirst: 2 },
        extensions: persistedQuery(hashOf(IntegrationPageDocument)),
      },
    ]);
    const integration = await rest<{ title: string }>(h, `/integrations/${SLACK}`);
    const installations = await rest<{ count: number; items: { id: string }[] }>(
      h,
      `/integrations/${SLACK}/installations`,
      { limit: 2 },
    );
    expect(data.integration?.title).toBe(integration.title);
    expect(data.integration?.installations?.totalCount).toBe(installations.count);
    expect(data.integration?.installations?.nodes.map((node) => node.installationId)).toEqual(
      installations.items.map((item) => item.id),
    );
    expect(h.calls()).toEqual([
      expectedGet(`/integrations/${SLACK}`),
      expectedGet(`/integrations/${SLACK}/installations`, { limit: '2' }),
    ]);
  });

  it('runs a persisted query sent by GET (hash and variables in the URL)', async () => {
    const search = new URLSearchParams({
      variables: JSON.stringify({ first: 2 }),
      extensions: JSON.stringify(persistedQuery(hashOf(MarketplaceDocument))),
    });
    const response = await fetch(`${gateways.required}?${search}`, {
      headers: {
        accept: 'application/graphql-response+json',
        authorization: `Bearer ${DEMO_TOKEN}`,
        'x-graphql-csrf': '1',
      },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { integrations: { nodes: { name: string }[] } } };
    const page = await rest<{ items: { name: string }[] }>(h, '/integrations', { limit: 2 });
    expect(body.data.integrations!.nodes.map((node) => node.name)).toEqual(page.items.map((item) => item.name));
    expect(h.calls()).toEqual([expectedGet('/integrations', { limit: '2' })]);
  });

  it('refuses a query text with PERSISTED_QUERY_ONLY (HTTP 400) and makes no REST call', async () => {
    const response = await post(gateways.required, { query: MarketplaceDocument.toString(), variables: { first: 1 } });
    expectRefused(response, 'PERSISTED_QUERY_ONLY');
    expect(h.calls()).toEqual([]);
  });

  it('refuses the manifest’s own text sent as a query, and a query sent with a hash: no text runs', async () => {
    const [entry] = manifestEntries.filter((candidate) => candidate.name === 'Marketplace');
    expectRefused(
      await post(gateways.required, { query: entry!.text, variables: { first: 1 } }),
      'PERSISTED_QUERY_ONLY',
    );
    expectRefused(
      await post(gateways.required, {
        query: '{ integrations(first: 1) { totalCount } }',
        extensions: persistedQuery(entry!.key),
      }),
      'PERSISTED_QUERY_ONLY',
    );
    expect(h.calls()).toEqual([]);
  });

  it('the plain client’s query is refused: ClientError with code PERSISTED_QUERY_ONLY and status 400', async () => {
    const client = createClient({ url: gateways.required, token: DEMO_TOKEN });
    const error = await client.request(MarketplaceDocument, { first: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).codes).toEqual(['PERSISTED_QUERY_ONLY']);
    expect((error as ClientError).status).toBe(400);
    expect(h.calls()).toEqual([]);
  });

  it('refuses an unknown hash with PERSISTED_QUERY_NOT_FOUND (HTTP 400) and makes no REST call', async () => {
    expect(manifest.has(UNKNOWN_HASH.replace('sha256:', ''))).toBe(false);
    for (const sha256Hash of [UNKNOWN_HASH, UNKNOWN_HASH.replace('sha256:', '')]) {
      expectRefused(
        await post(gateways.required, { variables: {}, extensions: persistedQuery(sha256Hash) }),
        'PERSISTED_QUERY_NOT_FOUND',
      );
    }
    expect(h.calls()).toEqual([]);
  });

  it('a client built from other operations (a stale frontend) gets a ClientError with PERSISTED_QUERY_NOT_FOUND', async () => {
    const stale = new TypedDocumentString<{ integrations: { totalCount: number | null } }, Record<string, never>>(
      'query NotInTheManifest { integrations { totalCount } }',
      { hash: UNKNOWN_HASH },
    );
    const client = createClient({ url: gateways.required, token: DEMO_TOKEN, persisted: true });
    const error = await client.request(stale).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).codes).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect((error as ClientError).status).toBe(400);
    expect((error as ClientError).data ?? null).toBeNull();
    expect(h.calls()).toEqual([]);
  });

  it.each([
    ['an empty body', {}],
    ['only variables', { variables: { first: 1 } }],
    ['an empty persistedQuery', { extensions: { persistedQuery: {} } }],
  ])('refuses %s with PERSISTED_QUERY_ID_REQUIRED (HTTP 400)', async (_case, body) => {
    expectRefused(await post(gateways.required, body), 'PERSISTED_QUERY_ID_REQUIRED');
    expect(h.calls()).toEqual([]);
  });

  it('a persisted mutation sent by GET is refused (405) and not run', async () => {
    const { UninstallIntegration } = canonicalOperations(store);
    const search = new URLSearchParams({
      variables: JSON.stringify(UninstallIntegration.variables),
      extensions: JSON.stringify(persistedQuery(hashOf(UninstallIntegration.document))),
    });
    const response = await fetch(`${gateways.required}?${search}`, {
      headers: {
        accept: 'application/graphql-response+json',
        authorization: `Bearer ${DEMO_TOKEN}`,
        'x-graphql-csrf': '1',
      },
    });
    expect(response.status).toBe(405);
    await response.body?.cancel();
    expect(h.calls()).toEqual([]);
  });
});

describe('PERSISTED_OPERATIONS=allowed', () => {
  it.each(manifestEntries)('runs $name by its hash', async (entry) => {
    await expectRunsByHash(gateways.allowed, entry, entry.key);
  });

  it('the persisted client and a plain client both run, with the same data and the same REST calls', async () => {
    const persisted = createClient({ url: gateways.allowed, token: DEMO_TOKEN, persisted: true });
    const plain = createClient({ url: gateways.allowed, token: DEMO_TOKEN });
    const variables = { first: 3, category: 'ANALYTICS' } as const;

    const byHash = await persisted.request(MarketplaceDocument, variables);
    const hashCalls = h.calls();
    h.resetCalls();
    const byText = await plain.request(MarketplaceDocument, variables);
    expect(byHash).toEqual(byText);
    expect(hashCalls).toEqual([expectedGet('/integrations', { limit: '3', category: 'analytics' })]);
    expect(h.calls()).toEqual(hashCalls);
    const page = await rest<{ items: { name: string }[] }>(h, '/integrations', { limit: 3, category: 'analytics' });
    expect(byText.integrations!.nodes.map((node) => node.name)).toEqual(page.items.map((item) => item.name));
  });

  it('runs an ad-hoc query that is in no manifest (GraphiQL)', async () => {
    const response = await post(gateways.allowed, { query: `{ integration(name: "${SLACK}") { name } }` });
    expect(response).toEqual({ status: 200, body: { data: { integration: { name: SLACK } } } });
    expect(h.calls()).toEqual([expectedGet(`/integrations/${SLACK}`)]);
  });

  it('still refuses an unknown hash with PERSISTED_QUERY_NOT_FOUND', async () => {
    expectRefused(
      await post(gateways.allowed, { extensions: persistedQuery(UNKNOWN_HASH) }),
      'PERSISTED_QUERY_NOT_FOUND',
    );
    expect(h.calls()).toEqual([]);
  });
});

describe('persisted operations off (no persistedOperations option)', () => {
  it('a hash without a query is refused by GraphQL over HTTP: HTTP 400, no query to run, no REST call', async () => {
    const response = await post(gateways.off, {
      variables: { first: 1 },
      extensions: persistedQuery(hashOf(MarketplaceDocument)),
    });
    expect(response.status).toBe(400);
    expect(response.body.data ?? null).toBeNull();
    expect(response.body.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/query/i) })]);
    expect(h.calls()).toEqual([]);

    const client = createClient({ url: gateways.off, token: DEMO_TOKEN, persisted: true });
    const error = await client.request(MarketplaceDocument, { first: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).status).toBe(400);
  });

  it('query texts run', async () => {
    const client = createClient({ url: gateways.off, token: DEMO_TOKEN });
    const data = await client.request(MarketplaceDocument, { first: 2 });
    const page = await rest<{ items: { name: string }[]; count: number }>(h, '/integrations', { limit: 2 });
    expect(data.integrations!.totalCount).toBe(page.count);
    expect(data.integrations!.nodes.map((node) => node.name)).toEqual(page.items.map((item) => item.name));
    expect(h.calls()).toEqual([expectedGet('/integrations', { limit: '2' })]);
  });
});

describe('the persisted-documents manifest', () => {
  const schema = buildSchema(readFileSync(join(ROOT, 'schema/schema.graphql'), 'utf8'));

  it('is keyed by `sha256:<hex>`, the sha256 of each document’s text', () => {
    expect(manifestEntries.length).toBeGreaterThan(0);
    for (const { key, hex, text } of manifestEntries) {
      expect(key).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(sha256(text), key).toBe(hex);
    }
  });

  it('holds every operation of schema/operations, and nothing else', () => {
    const sources = sourceOperations();
    expect([...sources.keys()].sort()).toEqual(manifestEntries.map((entry) => entry.name).sort());
    for (const entry of manifestEntries) {
      expect(canonical(parse(entry.text)), entry.name).toBe(canonical(sources.get(entry.name)!));
    }
  });

  it('each entry is one named operation, valid against schema/schema.graphql', () => {
    for (const entry of manifestEntries) {
      expect(
        validate(schema, parse(entry.text)).map((error) => error.message),
        entry.name,
      ).toEqual([]);
    }
  });

  it('every generated document carries the hash of its manifest entry', () => {
    expect(generatedDocuments.map(([name]) => name).sort()).toEqual(
      manifestEntries.map((entry) => `${entry.name}Document`).sort(),
    );
    for (const [name, document] of generatedDocuments) {
      const text = manifestFile[hashOf(document)];
      expect(text, name).toBeDefined();
      expect(canonical(parse(text!)), name).toBe(canonical(parse(document.toString())));
    }
  });

  it('loadManifest reads it keyed by bare hex, whichever form the file uses', () => {
    expect(manifest.size).toBe(manifestEntries.length);
    for (const { hex, text } of manifestEntries) expect(manifest.get(hex)).toBe(text);

    const dir = mkdtempSync(join(tmpdir(), 'manifest-'));
    try {
      const bare = join(dir, 'bare.json');
      writeFileSync(
        bare,
        JSON.stringify(Object.fromEntries(manifestEntries.map(({ hex, text }) => [hex.toUpperCase(), text]))),
      );
      expect(loadManifest(bare)).toEqual(manifest);

      const broken = join(dir, 'broken.json');
      writeFileSync(broken, JSON.stringify({ [manifestEntries[0]!.key]: { query: manifestEntries[0]!.text } }));
      expect(() => loadManifest(broken)).toThrow(/not a string/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('loadConfig: PERSISTED_OPERATIONS and PERSISTED_OPERATIONS_MANIFEST', () => {
  it.each(['off', 'allowed', 'required'] as const)('PERSISTED_OPERATIONS=%s', (mode) => {
    expect(loadConfig({ PERSISTED_OPERATIONS: mode }).persistedOperations).toBe(mode);
    expect(loadConfig({ PERSISTED_OPERATIONS: ` ${mode} ` }).persistedOperations).toBe(mode);
  });

  it('defaults to allowed when unset or empty', () => {
    expect(loadConfig({}).persistedOperations).toBe('allowed');
    expect(loadConfig({ PERSISTED_OPERATIONS: '' }).persistedOperations).toBe('allowed');
  });

  it.each(['on', 'true', 'require', 'persisted'])('refuses PERSISTED_OPERATIONS=%s, naming the variable', (value) => {
    expect(() => loadConfig({ PERSISTED_OPERATIONS: value })).toThrow(/PERSISTED_OPERATIONS/);
  });

  it('reads the manifest from PERSISTED_OPERATIONS_MANIFEST, by default the generated one', () => {
    expect(loadConfig({}).persistedOperationsManifest).toBe(MANIFEST_PATH);
    expect(loadManifest(loadConfig({}).persistedOperationsManifest)).toEqual(manifest);
    expect(
      loadConfig({ PERSISTED_OPERATIONS_MANIFEST: '/srv/app/persisted-documents.json' }).persistedOperationsManifest,
    ).toBe('/srv/app/persisted-documents.json');
  });
});
