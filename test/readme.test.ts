import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { generate } from '@graphql-codegen/cli';
import { afterAll, describe, expect, it } from 'vitest';
import { demoFixtures, SEEDED_USERS, simulatorBanner } from '../src/simulator/index.js';
import { DEMO_TOKEN, useHarness } from './helpers/harness.js';
import { mergeParts, readParts } from './helpers/multipart.js';

/**
 * The README runs as written: every GraphQL block in it is run against the
 * simulator with the demo token and must answer without an error, the ids
 * and tokens it quotes are the seed's, and its TypeScript snippets compile
 * (the codegen config is run, and what it generates compiles too).
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const h = await useHarness({ resetStateBeforeEach: true });
const run = promisify(execFile);

function blocks(language: string): string[] {
  return [...README.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((match) => match[1] ?? '');
}

/** A scratch folder inside the project, so its files resolve packages from the project's node_modules. */
const scratch = mkdtempSync(join(ROOT, '.readme-check-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function typeCheck(files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(scratch, name, '..'), { recursive: true });
    writeFileSync(join(scratch, name), text);
  }
  writeFileSync(
    join(scratch, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        target: 'ES2022',
        lib: ['ES2023', 'DOM'],
        module: 'ESNext',
        moduleResolution: 'bundler',
        types: ['node'],
        verbatimModuleSyntax: true,
        noEmit: true,
        skipLibCheck: true,
      },
      include: ['**/*.ts'],
    }),
  );
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  await run(process.execPath, [tsc, '-p', scratch], { cwd: scratch }).catch((error: { stdout?: string }) => {
    throw new Error(`tsc failed:\n${error.stdout ?? String(error)}`);
  });
}

describe('the GraphQL examples', () => {
  const examples = blocks('graphql');

  // The queries and mutations, which run here over a POST each.
  const operations = examples.filter((example) => /^(query|mutation) /.test(example.trim()));

  it('are five queries and mutations: three queries, the integration page with @defer, and a mutation', () => {
    expect(operations.map((example) => /^(query|mutation) (\w+)/.exec(example.trim())?.slice(1).join(' '))).toEqual([
      'query Marketplace',
      'query IntegrationPage',
      'query Organization',
      'query IntegrationPageDeferred',
      'mutation Configure',
    ]);
  });

  const whole = operations.filter((example) => !example.includes('@defer'));
  it.each(whole.map((example) => [/^(?:query|mutation) (\w+)/.exec(example.trim())?.[1], example]))(
    '%s answers without an error, and with data in every field it asks for at the top',
    async (_name, example) => {
      const data = await h.data(example ?? '');
      const empty = (value: unknown): boolean =>
        value === null || (typeof value === 'object' && Object.values(value as object).some(empty));
      for (const [field, value] of Object.entries(data)) expect(empty(value), field).toBe(false);
      expect(h.calls().length).toBeGreaterThan(0);
    },
  );

  it('the deferred integration page is the integration page in parts: its calls, and merged, its answer', async () => {
    const deferred = examples.find((example) => example.includes('query IntegrationPageDeferred')) ?? '';
    const page = examples.find((example) => example.includes('query IntegrationPage {')) ?? '';
    const words = (text: string) => text.replace(/[{}]/g, ' $& ').trim().split(/\s+/);
    expect(
      words(deferred.replace('Deferred', '').replace(/\.\.\. @defer \{([\s\S]*?)\}\s*\}\s*\}\s*\}/, '$1 } } }')),
    ).toEqual(words(page));
    const plain = await h.data(page);
    const plainCalls = h.calls();
    h.resetCalls();
    const response = await h.gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'multipart/mixed', authorization: `Bearer ${DEMO_TOKEN}` },
      body: JSON.stringify({ query: deferred }),
    });
    const parts = await readParts(response).rest();
    const nodes = parts[0]?.data.integration.installations.nodes;
    expect(nodes).toHaveLength(5);
    expect(nodes.some((node: Record<string, unknown>) => 'spaceInstallations' in node)).toBe(false);
    expect(parts.length).toBeGreaterThan(1);
    expect(mergeParts(parts)).toEqual({ data: plain });
    // Sorted: the calls of one tick run concurrently.
    const described = (calls: typeof plainCalls) =>
      calls
        .map(
          (call) =>
            `${call.method} ${call.path.replace(/installations\/\w+\/spaces/, 'installations/{installationId}/spaces')}?${new URLSearchParams(call.query)}`,
        )
        .sort();
    expect(described(h.calls())).toEqual(described(plainCalls));
    expect(described(h.calls())).toEqual(
      [
        'GET /integrations/slack?',
        'GET /integrations/slack/installations?limit=5',
        ...Array(5).fill('GET /integrations/slack/installations/{installationId}/spaces?limit=3&extended=true'),
      ].sort(),
    );
  });

  it('the mutation sends the PATCH the README shows, and leaves the installation ACTIVE', async () => {
    const example = examples.find((block) => block.includes('mutation Configure')) ?? '';
    const data = await h.data(example);
    expect(data.updateInstallation.installation.status).toBe('ACTIVE');
    const [, path, body] = /\(`PATCH ([^`]+)` with\n?`(\{[^`]+\})`/.exec(README) ?? [];
    expect(h.calls()).toEqual([
      expect.objectContaining({ method: 'PATCH', path, body: JSON.parse(body ?? 'null'), status: 200 }),
    ]);
  });
});

describe('what the README quotes of the seed', () => {
  it('the start-up banner is the one `npm start` prints, ids included', () => {
    const printed = simulatorBanner(h.simulator, 4000)
      .split('\n')
      .filter((line) => line.trim() !== '');
    const quoted =
      blocks('text')
        .find((block) => block.includes('EMBEDDED GITBOOK API SIMULATOR'))
        ?.trim()
        .split('\n') ?? [];
    expect(quoted.length).toBeGreaterThan(3);
    expect(printed.slice(0, quoted.length)).toEqual(quoted);
  });

  it('every id the examples use is a demo fixture', () => {
    const demo = demoFixtures(h.simulator.store);
    for (const id of [demo.organizationId, demo.installationId, demo.siteId]) expect(README).toContain(`"${id}"`);
  });

  it('the seeded users table gives each user’s own token', () => {
    for (const [handle, user] of Object.entries(SEEDED_USERS)) {
      expect(README).toMatch(new RegExp(`\\| \`${handle}\` \\| \`${user.token}\` \\|`));
    }
  });
});

describe('the TypeScript snippets', () => {
  const snippets = blocks('ts');
  const client = snippets.find((snippet) => snippet.includes('createClient(')) ?? '';
  const codegen = snippets.find((snippet) => snippet.includes('codegen.ts in your frontend')) ?? '';

  it('the client example type-checks against the client package', async () => {
    expect(client).toContain("from 'gitbook-integrations-graphql-client'");
    await typeCheck({ 'client.ts': `${client}\nexport { target };\n` });
  }, 60_000);

  it('the codegen config type-checks, runs, and what it generates compiles under verbatimModuleSyntax', async () => {
    await typeCheck({ 'codegen.ts': codegen });
    const { default: config } = (await import(join(scratch, 'codegen.ts'))) as { default: CodegenConfig };
    const [output, target] = Object.entries(config.generates)[0] ?? [];
    expect(output).toBe('src/gql/');
    // Run as the frontend would, on this repository's schema and one of its operations.
    await generate(
      {
        ...config,
        schema: join(ROOT, 'schema', 'schema.graphql'),
        documents: [join(ROOT, 'schema', 'operations', 'marketplace.graphql')],
        generates: { [`${join(scratch, 'src', 'gql')}/`]: target as never },
        silent: true,
      },
      true,
    );
    await typeCheck({
      'use.ts': `import { MarketplaceDocument } from './src/gql/graphql.js';\nexport const hash = MarketplaceDocument.__meta__?.hash;\n`,
    });
  }, 60_000);
});
