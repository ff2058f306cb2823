import { createServer, request } from 'node:http';
import zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMPRESS_FROM_BYTES, negotiate } from '../src/compression.js';
import { DEMO_TOKEN } from '../src/simulator/index.js';
import { createGateway } from '../src/yoga.js';
import { useHarness } from './helpers/harness.js';
import { listen } from './helpers/loopback.js';

/**
 * Bytes on the wire, read off a real socket (fetch would decompress behind
 * the test's back): GraphiQL's page compressed and revalidated by ETag,
 * large answers compressed, small ones left alone.
 */

const h = await useHarness();
let origin: string;
beforeAll(async () => {
  const server = await listen(createServer(createGateway({ upstream: h.upstream })));
  origin = server.url;
  return server.close;
});

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET whose body is read as sent, not decoded. */
function get(path: string, headers: Record<string, string>): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const decode = (raw: Raw) =>
  raw.headers['content-encoding'] === 'br'
    ? zlib.brotliDecompressSync(raw.body)
    : raw.headers['content-encoding'] === 'gzip'
      ? zlib.gunzipSync(raw.body)
      : raw.body;

describe('GraphiQL’s page', () => {
  const page = (headers: Record<string, string> = {}) => get('/graphql', { accept: 'text/html', ...headers });

  it('is compressed with brotli or gzip when accepted, to under a quarter of its size, the same page once decoded', async () => {
    const plain = await page();
    const br = await page({ 'accept-encoding': 'gzip, deflate, br' });
    const gzip = await page({ 'accept-encoding': 'gzip' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toContain('<title>GitBook Integrations GraphQL</title>');
    expect(br.headers['content-encoding']).toBe('br');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(decode(br).equals(plain.body)).toBe(true);
    expect(decode(gzip).equals(plain.body)).toBe(true);
    expect(br.body.length).toBeLessThan(plain.body.length / 4);
    expect(gzip.body.length).toBeLessThan(plain.body.length / 3);
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.headers.vary).toContain('accept-encoding');
  }, 30_000);

  it('carries an ETag; a browser that has it gets 304 and no body, and the same ETag for every encoding', async () => {
    const first = await page({ 'accept-encoding': 'br' });
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    expect(first.headers['cache-control']).toBe('no-cache');
    expect((await page()).headers.etag).toBe(etag);
    const again = await page({ 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    expect((await page({ 'if-none-match': '"stale"' })).status).toBe(200);
  }, 30_000);
});

describe('GraphQL answers', () => {
  const auth = { authorization: `Bearer ${DEMO_TOKEN}`, accept: 'application/json' };
  const answer = (query: string, headers: Record<string, string>) =>
    get(`/graphql?${new URLSearchParams({ query })}`, { ...auth, ...headers });
  const LARGE = '{ integrations(first: 100) { nodes { name title description summary previewImages } } }';
  const SMALL = '{ integrations(first: 1) { nodes { name } } }';

  it(`of ${COMPRESS_FROM_BYTES} bytes or more are compressed when accepted, and decode to the plain answer`, async () => {
    const plain = await answer(LARGE, {});
    expect(plain.body.length).toBeGreaterThan(COMPRESS_FROM_BYTES);
    const br = await answer(LARGE, { 'accept-encoding': 'br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(JSON.parse(decode(br).toString('utf8'))).toEqual(JSON.parse(plain.body.toString('utf8')));
    expect(br.body.length).toBeLessThan(plain.body.length / 2);
  });

  it('smaller ones are sent as they are', async () => {
    const small = await answer(SMALL, { 'accept-encoding': 'br, gzip' });
    expect(small.body.length).toBeLessThan(COMPRESS_FROM_BYTES);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString('utf8')).data.integrations.nodes).toHaveLength(1);
  });
});

describe('negotiation', () => {
  it.each<[string | null, string | undefined]>([
    [null, undefined],
    ['', undefined],
    ['identity', undefined],
    ['gzip', 'gzip'],
    ['gzip, br', 'br'],
    ['br;q=0, gzip', 'gzip'],
    [' GZIP ;q=0.5', 'gzip'],
    ['*', 'br'],
    ['*;q=0', undefined],
    ['deflate', undefined],
  ])('Accept-Encoding %j → %s', (header, expected) => {
    expect(negotiate(header)).toBe(expected);
  });
});
