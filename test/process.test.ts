import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN, POPULAR_INTEGRATION, startSimulator } from '../src/simulator/index.js';
import { closedPort, listen } from './helpers/loopback.js';

/**
 * `npm start` as an operator meets it, in a process of its own: what it says
 * when it cannot start, and the traces it exports over OTLP/HTTP when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const simulator = await startSimulator();
afterAll(() => simulator.close());

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts `src/main.ts` with `env`; resolves when it exits, or kills it after `ms`. */
function start(env: Record<string, string>, ms = 20_000, whileRunning?: (port: number) => Promise<void>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      // A clean environment but PATH: the test runner's variables must not leak in.
      env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (whileRunning && stdout.includes('GraphQL gateway listening')) {
        const run = whileRunning;
        whileRunning = undefined;
        run(Number(env.PORT)).then(
          () => child.kill('SIGTERM'),
          (error: unknown) => {
            child.kill('SIGKILL');
            reject(error);
          },
        );
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The one line an operator reads when the gateway cannot start. */
function expectOneLine(run: Run, ...mentions: string[]): void {
  expect(run.code).toBe(1);
  const lines = run.stderr.trim().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^gitbook-integrations-graphql cannot start: /);
  for (const mention of mentions) expect(lines[0]).toContain(mention);
  expect(run.stderr).not.toMatch(/\bat \S+ \(|node:internal|TypeError/);
}

describe('start-up failures are one line naming what is at fault, and exit 1', () => {
  it('a port already taken names the port', async () => {
    const taken = await listen(createServer());
    try {
      const run = await start({ PORT: String(taken.port), GITBOOK_API_URL: simulator.url });
      expectOneLine(run, `PORT ${taken.port}`, 'already in use');
    } finally {
      await taken.close();
    }
  });

  it.each<[string, Record<string, string>, string[]]>([
    [
      'a GITBOOK_API_URL without a scheme',
      { GITBOOK_API_URL: 'api.gitbook.com' },
      ['GITBOOK_API_URL', '"api.gitbook.com"'],
    ],
    ['a GITBOOK_API_URL of another scheme', { GITBOOK_API_URL: 'ftp://api.gitbook.com/v1' }, ['GITBOOK_API_URL']],
    [
      'an unreadable persisted manifest',
      { PERSISTED_OPERATIONS_MANIFEST: '/nonexistent/manifest.json' },
      ['PERSISTED_OPERATIONS_MANIFEST', '/nonexistent/manifest.json', 'ENOENT'],
    ],
    ['a malformed limit', { MAX_DEPTH: 'deep' }, ['MAX_DEPTH', '"deep"']],
    ['an unknown log level', { LOG_LEVEL: 'loud' }, ['LOG_LEVEL', '"loud"']],
    [
      'an OTLP endpoint that is no URL',
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' },
      ['OTEL_EXPORTER_OTLP_ENDPOINT'],
    ],
    ['CORS origins with a path', { CORS_ORIGINS: 'https://app.example/path' }, ['CORS_ORIGINS']],
  ])('%s', async (_label, env, mentions) => {
    const port = await closedPort();
    expectOneLine(await start({ PORT: String(port), GITBOOK_API_URL: simulator.url, ...env }), ...mentions);
  });
});

describe('traces exported over OTLP/HTTP', () => {
  it('with OTEL_EXPORTER_OTLP_ENDPOINT set, the spans of a query reach the collector, tagged with OTEL_SERVICE_NAME', async () => {
    const received: { path: string; body: any }[] = [];
    const collector = await listen(
      createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          received.push({ path: request.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
          response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        });
      }),
    );
    simulator.clearRequests();
    const port = await closedPort();
    try {
      const run = await start(
        {
          PORT: String(port),
          GITBOOK_API_URL: simulator.url,
          OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
          OTEL_SERVICE_NAME: 'gateway-under-test',
        },
        30_000,
        async (listening) => {
          const response = await fetch(`http://127.0.0.1:${listening}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKEN}` },
            body: JSON.stringify({ query: `query Traced { integration(name: "${POPULAR_INTEGRATION}") { title } }` }),
          });
          expect((await response.json()) as unknown).toMatchObject({ data: { integration: { title: 'Slack' } } });
        },
      );
      // SIGTERM flushed the spans before the process exited.
      expect(run.code).toBe(0);
    } finally {
      await collector.close();
    }
    expect(received.map((batch) => batch.path)).toContain('/v1/traces');
    const resourceSpans = received.flatMap((batch) => batch.body.resourceSpans ?? []);
    const service = resourceSpans[0]?.resource.attributes.find((attribute: any) => attribute.key === 'service.name');
    expect(service?.value.stringValue).toBe('gateway-under-test');
    const spans = resourceSpans.flatMap((resource: any) => resource.scopeSpans.flatMap((scope: any) => scope.spans));
    const operation = spans.find((span: any) => span.name === 'query.Traced');
    const rest = spans.find((span: any) => span.name === 'GET /integrations/{integrationName}');
    expect(operation).toBeDefined();
    expect(rest?.parentSpanId).toBe(operation?.spanId);
    expect(rest?.traceId).toBe(operation?.traceId);
    // GitBook received the REST span's trace context.
    const traceparent = simulator.requests.at(-1)?.headers.traceparent ?? '';
    expect(traceparent.split('-').slice(1, 3)).toEqual([rest?.traceId, rest?.spanId]);
  }, 40_000);
});
