/**
 * `npm run attacks`: what a hostile client can make the gateway spend, measured against the
 * compiled gateway (`npm run build` first) in production mode, with the simulator as its
 * upstream. It prints figures, asserts nothing: the test suite holds the assertions, this shows
 * the costs (event-loop stalls, RSS, bytes sent upstream, REST calls made) for review.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { DEMO_TOKEN, POPULAR_INTEGRATION, startSimulator } from '../src/simulator/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const simulator = await startSimulator({ host: '127.0.0.1', port: 0 });
const port = 4300 + Math.floor(Math.random() * 500);
const base = `http://127.0.0.1:${port}`;

function startGateway(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      GITBOOK_API_URL: simulator.url,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM')
      console.log(`  gateway exited: code ${code} signal ${signal}: ${stderr.split('\n').slice(-3).join(' | ')}`);
  });
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () =>
      fetch(`${base}/health`).then(
        () => resolve(child),
        () => (Date.now() - started > 20_000 ? reject(new Error('gateway did not start')) : setTimeout(poll, 100)),
      );
    poll();
  });
}

const rssMiB = (child: ChildProcess) => {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return Number.NaN;
  }
};

/** Sends `request` and, once it is on its way, probes /health: how long the event loop was held. */
async function withProbe(request: () => Promise<Response>) {
  const started = performance.now();
  const answer = request().then(async (response) => ({ status: response.status, text: await response.text() }));
  await new Promise((resolve) => setTimeout(resolve, 20));
  const probeStarted = performance.now();
  const probe = await fetch(`${base}/health`, { signal: AbortSignal.timeout(60_000) }).then(
    () => performance.now() - probeStarted,
    () => Number.NaN,
  );
  const result = await answer.catch((error: Error) => ({ status: 0, text: String(error.cause ?? error.message) }));
  return { ...result, ms: Math.round(performance.now() - started), probeMs: Math.round(probe) };
}

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(120_000),
  });
const get = (params: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${base}/graphql?${new URLSearchParams(params)}`, { headers, signal: AbortSignal.timeout(120_000) });
const auth = { authorization: `Bearer ${DEMO_TOKEN}` };
const code = (text: string) => {
  try {
    const body = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
    return body.errors?.map((error) => error.extensions?.code).join(',') || 'no error';
  } catch {
    return text.slice(0, 60);
  }
};
const upstreamBytes = () =>
  simulator.requests.reduce((total, request) => total + Number(request.headers['content-length'] ?? 0), 0);

function fragmentBomb(levels: number, spreads: number): string {
  const fragments = Array.from(
    { length: levels },
    (_, level) =>
      `fragment F${level} on Query { ${Array.from({ length: spreads }, () => `...F${level + 1}`).join(' ')} }`,
  );
  return `query { ...F0 } ${fragments.join(' ')} fragment F${levels} on Query { __typename }`;
}

async function run() {
  let gateway = await startGateway();
  const restart = async () => {
    if (gateway.exitCode === null) gateway.kill('SIGKILL');
    gateway = await startGateway();
  };

  console.log('1. fragment-spread bomb (GET, no token): six levels of named fragments');
  for (const spreads of [8, 16, 24]) {
    const query = fragmentBomb(6, spreads);
    const result = await withProbe(() => get({ query }));
    console.log(
      `   ${spreads} spreads/level (${query.length} B): HTTP ${result.status} ${code(result.text)} in ${result.ms} ms; /health answered in ${result.probeMs} ms; RSS ${rssMiB(gateway)} MiB`,
    );
    if (gateway.exitCode !== null || result.status === 0) await restart();
  }

  console.log('2. JSON amplification: one variable used 1,000 times inside a JSON literal');
  const big = 'x'.repeat(9_000);
  const uses = Array.from({ length: 1_000 }, () => '$v').join(' ');
  simulator.clearRequests();
  const installation =
    [...(simulator.store.integrations.get(POPULAR_INTEGRATION)?.installations.keys() ?? [])][0] ?? '';
  const mutation = `mutation($v: JSON) { updateInstallation(input: { integrationName: "${POPULAR_INTEGRATION}", installationId: "${installation}", configuration: { a: [${uses}] } }) { installation { id } } }`;
  const amplified = await withProbe(() => post({ query: mutation, variables: { v: big } }, auth));
  console.log(
    `   mutation (${JSON.stringify({ query: mutation, variables: { v: big } }).length} B POST): ${code(amplified.text)} in ${amplified.ms} ms; ${simulator.requests.length} REST calls, ${upstreamBytes()} bytes sent upstream; RSS ${rssMiB(gateway)} MiB`,
  );
  const render = `query($v: JSON) { integrationUI(integrationName: "kudos", componentId: "kudos-counter", props: { a: [${uses}] }, context: { type: "document", theme: "light", spaceId: "x", editable: true }) { type } }`;
  simulator.clearRequests();
  const renderParams = { query: render, variables: JSON.stringify({ v: 'y'.repeat(10_000) }) };
  const rendered = await withProbe(() => get(renderParams, auth));
  console.log(
    `   integrationUI GET (${new URLSearchParams(renderParams).toString().length} B URL): ${code(rendered.text)} in ${rendered.ms} ms; /health answered in ${rendered.probeMs} ms; ${simulator.requests.length} REST calls, ${upstreamBytes()} bytes sent upstream`,
  );
  await restart();

  console.log('3. fan-out estimate cache: distinct variable sets over many documents (no token)');
  const padding = 'p'.repeat(7_000);
  let sent = 0;
  for (let round = 1; round <= 3; round += 1) {
    const before = rssMiB(gateway);
    const started = performance.now();
    for (let document = 0; document < 256; document += 1) {
      const query = `query R${round}Q${document}($first: Int, $pad: String) { integrations(first: $first, search: $pad) { totalCount } }`;
      await Promise.all(
        Array.from({ length: 64 }, (_, variant) => {
          sent += 1;
          return post({ query, variables: { first: 1 + variant, pad: padding + variant } }).then((response) =>
            response.text(),
          );
        }),
      );
    }
    console.log(
      `   round ${round}: ${256 * 64} requests (${sent} in all) in ${Math.round(performance.now() - started)} ms: RSS ${before} → ${rssMiB(gateway)} MiB`,
    );
  }
  await restart();

  console.log('4. no token: a batch of 10 × nodes(ids:) with 300 ids each');
  simulator.clearRequests();
  const ids = Array.from({ length: 300 }, (_, index) => Buffer.from(`Integration:i${index}`).toString('base64url'));
  const batch = Array.from({ length: 10 }, () => ({
    query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
    variables: { ids },
  }));
  const tokenless = await post(batch);
  console.log(
    `   HTTP ${tokenless.status} (${JSON.stringify(batch).length} B): ${simulator.requests.length} REST calls made`,
  );
  await tokenless.text();

  console.log('5. malformed GET variables / extensions');
  for (const params of [
    { query: '{ __typename }', variables: '{' } as Record<string, string>,
    { query: '{ __typename }', extensions: 'nope' },
    { query: '{ __typename }', variables: '[1]' },
  ]) {
    const response = await get(params);
    console.log(`   ${JSON.stringify(params)}: HTTP ${response.status} ${code(await response.text())}`);
  }

  console.log('6. body refused with 411 (chunked, no Content-Length): bytes the gateway read afterwards');
  const refusal = await bytesAfterRefusal();
  console.log(
    `   ${refusal.total} bytes written before the connection closed, ${refusal.afterAnswer} of them after the 411 arrived`,
  );
  if (gateway.exitCode !== null) await restart();

  console.log('7. identifier length');
  for (const [label, query] of [
    ['organization(organizationId)', `{ organization(organizationId: "${'o'.repeat(80_000)}") { title } }`],
    ['integrations(owner)', `{ integrations(owner: "${'o'.repeat(80_000)}") { totalCount } }`],
    [
      'node(id) Organization',
      `{ node(id: "${Buffer.from(`Organization:${'o'.repeat(60_000)}`).toString('base64url')}") { id } }`,
    ],
  ] as const) {
    simulator.clearRequests();
    const response = await post({ query }, auth);
    // The simulator's HTTP parser refuses request lines over 16 KiB before recording them.
    console.log(`   ${label}: ${code(await response.text())}; ${simulator.requests.length} REST calls recorded`);
  }

  console.log('8. 1e400 inside a JSON literal');
  simulator.clearRequests();
  const infinity = await post(
    {
      query: `mutation { queueIntegrationTask(input: { integrationName: "${POPULAR_INTEGRATION}", task: { n: 1e400 } }) { queued } }`,
    },
    auth,
  );
  console.log(
    `   ${code(await infinity.text())}; REST bodies: ${simulator.requests.map((r) => JSON.stringify(r.body)).join(' ') || 'none'}`,
  );

  console.log('9. CORS preflight from an arbitrary origin');
  const preflight = await fetch(`${base}/graphql`, {
    method: 'OPTIONS',
    headers: {
      origin: 'https://evil.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization',
    },
  });
  console.log(
    `   allow-origin: ${preflight.headers.get('access-control-allow-origin')}; allow-credentials: ${preflight.headers.get('access-control-allow-credentials')}`,
  );

  gateway.kill('SIGTERM');
  await simulator.close();
}

/** Streams a chunked POST and counts the bytes written until the gateway closes the connection. */
function bytesAfterRefusal(): Promise<{ total: number; afterAnswer: number }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let written = 0;
    let answered = false;
    let closed = false;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    let afterAnswer = 0;
    const finish = () => {
      if (closed) return;
      closed = true;
      socket.destroy();
      resolve({ total: written, afterAnswer });
    };
    socket.on('data', () => {
      answered = true;
    });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.write(
      'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
    );
    const pump = () => {
      while (!closed) {
        written += frame.length;
        if (answered) afterAnswer += frame.length;
        if (!socket.write(frame)) return socket.once('drain', pump);
      }
    };
    pump();
    setTimeout(finish, 3_000);
  });
}

await run();
process.exit(0);
