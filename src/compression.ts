import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Plugin } from 'graphql-yoga';

/**
 * What goes over the wire. GraphiQL's page is 9 MB of HTML (its code is
 * served by the gateway itself, so it works offline): it is compressed once,
 * carries an ETag, and a browser that has it revalidates (304) instead of
 * downloading it again. Large JSON answers are compressed too, when the
 * client accepts it; small ones are not, where compressing costs more CPU
 * than it saves bytes.
 *
 * @whatwg-node/server's useContentEncoding is not used: it compresses every
 * answer, however small, and decompresses request bodies, which would let a
 * 100 KB gzip body expand past the body limit after it was checked.
 */

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

type Encoding = 'br' | 'gzip';

/** The encoding to answer with: brotli when accepted, else gzip, else none (q=0 refuses one). */
export function negotiate(acceptEncoding: string | null): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...parameters] = part.trim().toLowerCase().split(';');
    const q = parameters.map((parameter) => /^\s*q=([\d.]+)\s*$/.exec(parameter)?.[1]).find(Boolean);
    accepted.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const weight = (name: Encoding) => accepted.get(name) ?? accepted.get('*') ?? 0;
  if (weight('br') > 0) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return undefined;
}

function compress(body: Buffer, encoding: Encoding, effort: 'once' | 'each'): Promise<Buffer> {
  if (encoding === 'gzip') return gzip(body, { level: effort === 'once' ? 9 : 6 });
  // Quality 9 for a page compressed once per process (1 s for GraphiQL, in the thread pool);
  // 4 for answers compressed each time.
  return brotli(body, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: effort === 'once' ? 9 : 4,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
}

/** The rendered GraphiQL page, its ETag and its compressed forms, made on the first view. */
interface Page {
  etag: string;
  identity: Buffer;
  encoded: Map<Encoding, Promise<Buffer>>;
}

/** Answers at least this long are compressed when the client accepts it. */
export const COMPRESS_FROM_BYTES = 8_192;

const COMPRESSIBLE = /^(application\/(graphql-response\+)?json|text\/html)\b/;

export function compression(): Plugin {
  let page: Promise<Page> | undefined;
  const pageOf = (response: Response): Promise<Page> => {
    page ??= response.arrayBuffer().then((body) => {
      const identity = Buffer.from(body);
      return {
        etag: `"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`,
        identity,
        encoded: new Map(),
      };
    });
    return page;
  };

  return {
    onResponse({ request, response, setResponse, fetchAPI }) {
      const type = response.headers.get('content-type') ?? '';
      if (response.headers.has('content-encoding') || !COMPRESSIBLE.test(type)) return;
      const encoding = negotiate(request.headers.get('accept-encoding'));

      // The only HTML the gateway serves is GraphiQL's page: the same bytes for the life of the process.
      if (type.startsWith('text/html')) {
        return pageOf(response).then(async (cached) => {
          const headers = new fetchAPI.Headers(response.headers);
          headers.set('etag', cached.etag);
          headers.set('cache-control', 'no-cache');
          headers.set('vary', 'accept-encoding');
          if (
            request.headers
              .get('if-none-match')
              ?.split(',')
              .some((tag) => tag.trim() === cached.etag)
          ) {
            headers.delete('content-length');
            headers.delete('content-type');
            setResponse(new fetchAPI.Response(null, { status: 304, headers }));
            return;
          }
          let body = cached.identity;
          if (encoding) {
            let encoded = cached.encoded.get(encoding);
            if (!encoded) {
              encoded = compress(cached.identity, encoding, 'once');
              cached.encoded.set(encoding, encoded);
            }
            body = await encoded;
            headers.set('content-encoding', encoding);
          }
          headers.set('content-length', String(body.length));
          setResponse(new fetchAPI.Response(new Uint8Array(body), { status: response.status, headers }));
        });
      }

      const length = Number(response.headers.get('content-length'));
      if (!encoding || !(length >= COMPRESS_FROM_BYTES)) return;
      return response.arrayBuffer().then(async (body) => {
        const compressed = await compress(Buffer.from(body), encoding, 'each');
        const headers = new fetchAPI.Headers(response.headers);
        headers.set('content-encoding', encoding);
        headers.set('content-length', String(compressed.length));
        headers.append('vary', 'accept-encoding');
        setResponse(new fetchAPI.Response(new Uint8Array(compressed), { status: response.status, headers }));
      });
    },
  };
}
