/**
 * `npm run spec:diff [-- <version>]`: what changed in GitBook's OpenAPI document
 * between the `@gitbook/api` the gateway pins and a published one (the newest by
 * default), restricted to what the gateway calls. GitBook publishes every few
 * days; this says whether a bump needs work before it is made.
 *
 * Exit 0 whatever the differences; 1 only when a document cannot be fetched or parsed.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { diffSpecs, GATEWAY_SCOPE, type SpecDocument } from './spec-diff/compare.js';
import { formatReport } from './spec-diff/report.js';

const PACKAGE = '@gitbook/api';
const SPEC_IN_PACKAGE = 'spec/openapi.json';
// A version or a dist-tag; anything else (an option, a URL, a path) is not something to pack.
const VERSION_SPEC = /^[A-Za-z0-9][A-Za-z0-9.+-]*$/;

const run = promisify(execFile);

interface Version {
  version: string;
  document: SpecDocument;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
}

function asDocument(value: unknown, source: string): SpecDocument {
  const document = value as SpecDocument | null;
  if (typeof document !== 'object' || document === null || typeof document.paths !== 'object') {
    throw new Error(`${source} is not an OpenAPI document (no paths)`);
  }
  return document;
}

/** The installed copy is the pinned one: it is what the simulator and the gateway load. */
function readPinned(): Version & { range: string | undefined } {
  const specFile = createRequire(import.meta.url).resolve(`${PACKAGE}/${SPEC_IN_PACKAGE}`);
  const manifest = readJson(join(dirname(specFile), '..', 'package.json')) as { version?: string };
  const project = readJson(fileURLToPath(new URL('../package.json', import.meta.url))) as {
    dependencies?: Record<string, string>;
  };
  return {
    version: manifest.version ?? 'unknown',
    range: project.dependencies?.[PACKAGE],
    document: asDocument(readJson(specFile), specFile),
  };
}

/** With --json, npm puts its error on stdout as JSON; the stderr lines are the fallback. */
function npmFailure(error: unknown): string {
  const { stdout, stderr, message } = error as { stdout?: string; stderr?: string; message: string };
  try {
    const summary = (JSON.parse(stdout ?? '') as { error?: { summary?: string } }).error?.summary;
    if (summary) return summary;
  } catch {
    // not JSON: npm failed before it could answer
  }
  return stderr?.trim().split('\n').slice(-3).join(' | ') || message;
}

async function fetchPublished(requested: string, workDir: string): Promise<Version> {
  if (!VERSION_SPEC.test(requested)) throw new Error(`"${requested}" is not a version or a dist-tag of ${PACKAGE}`);
  let packed: { filename?: string }[];
  try {
    const { stdout } = await run('npm', ['pack', `${PACKAGE}@${requested}`, '--json', '--pack-destination', workDir], {
      cwd: workDir,
      maxBuffer: 32 * 1024 * 1024,
    });
    packed = JSON.parse(stdout) as { filename?: string }[];
  } catch (error) {
    throw new Error(`npm pack ${PACKAGE}@${requested} failed: ${npmFailure(error)}`);
  }
  const tarball = packed[0]?.filename;
  if (!tarball) throw new Error(`npm pack ${PACKAGE}@${requested} named no tarball`);
  const wanted = ['package/package.json', `package/${SPEC_IN_PACKAGE}`];
  await run('tar', ['-xzf', join(workDir, tarball), '-C', workDir, ...wanted]).catch((error: Error) => {
    throw new Error(`${tarball} has no ${SPEC_IN_PACKAGE}: ${error.message}`);
  });
  const manifest = readJson(join(workDir, 'package', 'package.json')) as { version?: string };
  const document = asDocument(readJson(join(workDir, 'package', SPEC_IN_PACKAGE)), `${tarball}:${SPEC_IN_PACKAGE}`);
  return { version: manifest.version ?? requested, document };
}

function compareVersions(a: string, b: string): number {
  const parts = (version: string) => version.split(/[.+-]/).slice(0, 3).map(Number);
  const [left, right] = [parts(a), parts(b)];
  for (let index = 0; index < 3; index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference) return Math.sign(difference);
  }
  return 0;
}

function header(pinned: ReturnType<typeof readPinned>, other: Version, requested: string): string[] {
  const asked = pinned.range ? `; package.json asks ${pinned.range}` : '';
  const lines = [
    `${PACKAGE} pinned:   ${pinned.version} (installed${asked})`,
    `compared with: ${other.version} (npm, ${requested === other.version ? 'as asked' : requested})`,
    `scope: operations tagged "${GATEWAY_SCOPE.tag}" and ${GATEWAY_SCOPE.operationIds.join(', ')},` +
      ' with the component schemas they reach',
    `legend: + only in ${other.version}   - only in ${pinned.version}   ~ in both, changed`,
  ];
  if (other.version === pinned.version) {
    lines.push(
      `note: ${other.version} is the pinned version: the installed copy is checked against the published one.`,
    );
  }
  if (compareVersions(other.version, pinned.version) < 0) {
    lines.push(`note: ${other.version} is older than the pinned ${pinned.version}, so + is what was removed since.`);
  }
  return [...lines, ''];
}

async function main(): Promise<number> {
  const requested = process.argv[2] ?? 'latest';
  const workDir = mkdtempSync(join(tmpdir(), 'spec-diff-'));
  try {
    const pinned = readPinned();
    const other = await fetchPublished(requested, workDir);
    const diff = diffSpecs(pinned.document, other.document);
    const { operations, schemas } = diff.scope;
    const inScope = `in scope: ${operations.join(' → ')} operations, ${schemas.join(' → ')} component schemas`;
    console.log([...header(pinned, other, requested), inScope, '', ...formatReport(diff)].join('\n'));
    return 0;
  } catch (error) {
    console.error(`spec:diff: ${(error as Error).message}`);
    return 1;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
