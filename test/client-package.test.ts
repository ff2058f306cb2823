import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Integration } from '@gitbook/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { loadManifest } from '../src/persisted-operations.js';
import { DEMO_TOKEN } from '../src/simulator/index.js';
import { useHarness } from './helpers/harness.js';
import { useServedGateways } from './helpers/loopback.js';
import { allCaps, expectedGet, rest } from './helpers/rest-fixtures.js';

/**
 * The typed client as a frontend gets it: `npm pack` the workspace
 * (packages/client; its `prepare` builds dist/), `npm install` the tarball
 * into a scratch project, type-check a small program against the installed
 * `.d.ts` with this repository's tsc (no Node types: the DOM lib, as in a
 * browser app), and run the compiled program against gateways on loopback.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PACKAGE = 'gitbook-integrations-graphql-client';
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

const h = await useHarness();
const serve = useServedGateways(h);
const plainUrl = await serve();
const persistedUrl = await serve({
  // The manifest the gateway loads by default: the hashes in the package must be in it.
  persistedOperations: { mode: 'required', manifest: loadManifest(loadConfig({}).persistedOperationsManifest) },
});

const execFileAsync = promisify(execFile);

/** Runs a command; a failure carries its output. */
async function run(file: string, args: string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  try {
    return await execFileAsync(file, args, { cwd, env: process.env, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

/** The frontend's program: typed requests that must type-check, and lines that must not. */
const program = `
import {
  ClientError,
  createClient,
  IntegrationPageDocument,
  MarketplaceDocument,
  type IntegrationTarget,
  type MarketplaceQuery,
} from '${PACKAGE}';

const token = ${JSON.stringify(DEMO_TOKEN)};
const client = createClient({ url: ${JSON.stringify(plainUrl)}, token });

const marketplace: MarketplaceQuery = await client.request(MarketplaceDocument, { first: 2, category: 'ANALYTICS' });
const target: IntegrationTarget | undefined = marketplace.integrations?.nodes[0]?.target;

let notFound: { codes: string[]; status: number } | undefined;
try {
  await client.request(IntegrationPageDocument, { name: 'no-such-integration' });
} catch (error) {
  if (!(error instanceof ClientError)) throw error;
  notFound = { codes: error.codes, status: error.status };
}

// Only the document's hash is sent: a gateway locked to its manifest runs it.
const persisted = createClient({ url: ${JSON.stringify(persistedUrl)}, token, persisted: true });
const hashOnly = await persisted.request(MarketplaceDocument, { first: 1 });

console.log(JSON.stringify({ marketplace, target, notFound, hashOnly }));

// The types are real, not \`any\`: tsc must refuse each line below, since it
// reports an expect-error directive with no error to expect.
export async function neverCalled(): Promise<void> {
  // @ts-expect-error \`first\` is an Int
  await client.request(MarketplaceDocument, { first: 'two' });
  // @ts-expect-error not a value of IntegrationCategory
  await client.request(MarketplaceDocument, { category: 'ANALYTIC' });
  // @ts-expect-error \`name\` is required by IntegrationPage
  await client.request(IntegrationPageDocument, {});
  // @ts-expect-error Marketplace does not select \`description\`
  marketplace.integrations?.nodes[0]?.description;
  // @ts-expect-error \`totalCount\` is a number (or null)
  const count: string = marketplace.integrations!.totalCount;
  console.log(count);
}
`;

/** A frontend's compiler settings: ESM with package `exports`, strict, the DOM's fetch and no Node types. */
const tsconfig = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2022', 'DOM'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    types: [],
    strict: true,
    // The installed .d.ts files are checked too.
    skipLibCheck: false,
    noEmitOnError: true,
    outDir: 'out',
  },
  files: ['main.ts'],
};

let temp = '';
let scratch = '';
let packed: { filename: string; files: { path: string }[] };

describe(`the ${PACKAGE} package, packed and installed into a scratch project`, () => {
  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), 'client-package-'));
    const packDir = join(temp, 'pack');
    scratch = join(temp, 'frontend');
    mkdirSync(packDir);
    mkdirSync(scratch);

    // `npm pack` runs the workspace's `prepare`: a clean tsc build into packages/client/dist.
    const { stdout } = await run(
      'npm',
      ['pack', '--json', '--workspace=packages/client', '--pack-destination', packDir],
      ROOT,
    );
    // The JSON array, after whatever a lifecycle script may have printed before it.
    packed = (JSON.parse(stdout.slice(stdout.search(/^\[/m))) as (typeof packed)[])[0]!;

    writeFileSync(
      join(scratch, 'package.json'),
      JSON.stringify({ name: 'frontend', private: true, type: 'module' }, null, 2),
    );
    await run(
      'npm',
      ['install', join(packDir, packed.filename), '--prefer-offline', '--no-audit', '--no-fund'],
      scratch,
    );
  }, 50_000);

  afterAll(() => {
    if (temp) rmSync(temp, { recursive: true, force: true });
  });

  it('packs the compiled client and its package.json, nothing else', () => {
    expect(packed.files.map((file) => file.path).sort()).toEqual([
      'dist/generated/graphql.d.ts',
      'dist/generated/graphql.js',
      'dist/index.d.ts',
      'dist/index.js',
      'package.json',
    ]);
  });

  it('installs the client, its one dependency and that one’s peer graphql, none of the gateway’s', () => {
    const lock = JSON.parse(readFileSync(join(scratch, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, unknown>;
    };
    const installed = Object.keys(lock.packages)
      .filter((path) => path !== '')
      .map((path) => path.replace(/^(.*\/)?node_modules\//, ''))
      .sort();
    // graphql: the peer of @graphql-typed-document-node/core, whose .d.ts import its
    // DocumentNode type. The client's JavaScript imports neither (see below).
    expect(installed).toEqual(['@graphql-typed-document-node/core', PACKAGE, 'graphql']);

    // Spelled out: nothing else the gateway runs on reaches a frontend.
    const gateway = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const onDisk = readdirSync(join(scratch, 'node_modules'))
      .filter((name) => !name.startsWith('.'))
      .flatMap((name) =>
        name.startsWith('@')
          ? readdirSync(join(scratch, 'node_modules', name)).map((inner) => `${name}/${inner}`)
          : [name],
      )
      .sort();
    expect(onDisk).toEqual(installed);
    const gatewayOnly = Object.keys(gateway.dependencies).filter((name) => name !== 'graphql');
    expect(gatewayOnly).toEqual(
      expect.arrayContaining(['graphql-yoga', 'undici', 'ajv', '@gitbook/api', '@pothos/core']),
    );
    expect(
      onDisk.filter(
        (name) => gatewayOnly.includes(name) || name.startsWith('@pothos/') || name.startsWith('@graphql-yoga/'),
      ),
    ).toEqual([]);

    const kib = (name: string) => {
      const dir = join(scratch, 'node_modules', name);
      return filesUnder(dir).reduce((total, file) => total + statSync(join(dir, file)).size, 0) / 1024;
    };
    const sizes = Object.fromEntries(installed.map((name) => [name, Math.round(kib(name))]));
    expect(sizes[PACKAGE]! + sizes['@graphql-typed-document-node/core']!).toBeLessThan(100);
  });

  it('its JavaScript imports nothing but its own files (the dependency is types only)', () => {
    const dir = join(scratch, 'node_modules', PACKAGE, 'dist');
    const specifiers = filesUnder(dir)
      .filter((file) => file.endsWith('.js'))
      .flatMap((file) => [
        ...readFileSync(join(dir, file), 'utf8').matchAll(/\b(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g),
      ])
      .map((match) => match[1]);
    expect(specifiers.length).toBeGreaterThan(0);
    expect(specifiers.filter((specifier) => !specifier?.startsWith('./'))).toEqual([]);
  });

  it('type-checks a typed request against the installed .d.ts, and refuses wrong ones', async () => {
    writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
    writeFileSync(join(scratch, 'main.ts'), program);
    const { stdout } = await run(process.execPath, [TSC, '-p', 'tsconfig.json'], scratch);
    expect(stdout).toBe('');
    expect(filesUnder(join(scratch, 'out'))).toEqual(['main.js']);
  }, 20_000);

  it('runs against the gateway: typed data, a ClientError, a persisted hash, and the REST calls they made', async () => {
    const page = await rest<{ items: Integration[]; count: number; next?: unknown }>(h, '/integrations', {
      category: 'analytics',
      limit: 2,
    });
    expect(page.items.length).toBeGreaterThan(0);
    h.resetCalls();

    const { stdout } = await run(process.execPath, ['out/main.js'], scratch);
    const output = JSON.parse(stdout) as {
      marketplace: {
        integrations: { totalCount: number; pageInfo: { hasNextPage: boolean }; nodes: Record<string, any>[] };
      };
      target: string;
      notFound: { codes: string[]; status: number };
      hashOnly: { integrations: { nodes: unknown[] } };
    };

    const { integrations } = output.marketplace;
    expect(integrations.nodes.map((node) => node.name)).toEqual(page.items.map((item) => item.name));
    expect(integrations.nodes.map((node) => node.owner.organizationId)).toEqual(
      page.items.map((item) => item.owner.id),
    );
    expect(integrations.totalCount).toBe(page.count);
    expect(integrations.pageInfo.hasNextPage).toBe(page.next !== undefined);
    expect(output.target).toBe(allCaps(page.items[0]!.target));
    expect(output.notFound).toEqual({ codes: ['NOT_FOUND'], status: 200 });
    expect(output.hashOnly.integrations.nodes).toHaveLength(1);

    expect(h.calls()).toEqual([
      expectedGet('/integrations', { category: 'analytics', limit: '2' }),
      expectedGet('/integrations/no-such-integration', {}, { status: 404 }),
      expectedGet('/integrations', { limit: '1' }),
    ]);
  }, 20_000);
});
