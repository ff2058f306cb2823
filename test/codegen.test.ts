import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { buildSchema, concatAST, type DocumentNode, Kind, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import config from '../codegen.js';

/**
 * The typed client is generated (`npm run codegen`) and committed, so a change
 * to the schema or to schema/operations that was not regenerated must fail CI
 * here, the way test/schema.test.ts does for schema/schema.graphql.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GENERATED_DIR = 'packages/client/src/generated';
const OPERATIONS_DIR = 'schema/operations';

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const operationFiles = readdirSync(join(ROOT, OPERATIONS_DIR))
  .filter((file) => file.endsWith('.graphql'))
  .sort()
  .map((file) => `${OPERATIONS_DIR}/${file}`);

describe('packages/client/src/generated', () => {
  it('is what graphql-codegen generates from codegen.ts (run `npm run codegen` after changing the schema or an operation)', async () => {
    // `false`: the outputs are returned, nothing is written.
    const outputs: { filename: string; content: string }[] = await generate({ ...config, cwd: ROOT }, false);
    const generated = new Map(
      outputs.map((output) => [relative(ROOT, join(ROOT, output.filename)).split('\\').join('/'), output.content]),
    );
    expect(generated.size).toBeGreaterThan(0);

    const committed = new Map(
      readdirSync(join(ROOT, GENERATED_DIR)).map((file) => [
        `${GENERATED_DIR}/${file}`,
        read(`${GENERATED_DIR}/${file}`),
      ]),
    );
    // Same files (none missing, none left over from an operation that is gone)...
    expect([...committed.keys()].sort(), 'the generated files differ: run `npm run codegen`').toEqual(
      [...generated.keys()].sort(),
    );
    // ...with the same content.
    for (const [file, content] of generated) {
      expect(committed.get(file), `${file} is stale: run \`npm run codegen\``).toBe(content);
    }
  });
});

describe('schema/operations', () => {
  const schema = buildSchema(read('schema/schema.graphql'));
  const documents = new Map<string, DocumentNode>(operationFiles.map((file) => [file, parse(read(file))]));

  it('holds operation files', () => {
    expect(operationFiles.length).toBeGreaterThan(0);
  });

  it.each(operationFiles)('%s is valid against schema/schema.graphql', (file) => {
    const document = documents.get(file)!;
    // One definition a file: an operation, or a fragment in a `.fragment.graphql` file.
    expect(document.definitions).toHaveLength(1);
    expect(document.definitions[0]?.kind).toBe(
      file.endsWith('.fragment.graphql') ? Kind.FRAGMENT_DEFINITION : Kind.OPERATION_DEFINITION,
    );
    // Validated together with the other files, so a fragment may live in any of them.
    const others = [...documents.entries()].filter(([other]) => other !== file).map(([, doc]) => doc);
    const errors = validate(schema, concatAST([document, ...others]))
      .filter((error) => error.nodes?.some((node) => node.loc?.source === document.loc?.source))
      .map((error) => error.message);
    expect(errors).toEqual([]);
  });

  it('all files together are one valid set of operations: unique names, every fragment defined and used', () => {
    const errors = validate(schema, concatAST([...documents.values()])).map((error) => error.message);
    expect(errors).toEqual([]);
  });

  it('names every operation (persisted documents and the generated types are keyed by name)', () => {
    const anonymous = [...documents.entries()].flatMap(([file, document]) =>
      document.definitions
        .filter((definition) => definition.kind === Kind.OPERATION_DEFINITION && !definition.name)
        .map(() => file),
    );
    expect(anonymous).toEqual([]);
  });
});
