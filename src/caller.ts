import { hash } from 'node:crypto';

/**
 * Who is calling, without their token: the SHA-256 of the `Authorization`
 * header names a caller in cache keys, rate-limit keys and (shortened) log
 * lines; the header itself is never kept, logged or sent to Redis. Several
 * plugins ask for one request's caller: it is hashed once per request.
 */
const hashes = new WeakMap<Request, string | undefined>();

/** The caller's hash (64 hex digits), or undefined for a request without a token. */
export function callerHash(request: Request): string | undefined {
  if (hashes.has(request)) return hashes.get(request);
  const authorization = request.headers.get('authorization');
  const known = authorization ? hash('sha256', authorization, 'hex') : undefined;
  hashes.set(request, known);
  return known;
}

/**
 * The client's address: the socket's peer, or, behind `trustedProxies`
 * proxies (load balancers that append to `X-Forwarded-For`), the address
 * the outermost of them saw. Entries a client wrote itself are never read.
 */
export function clientAddress(request: Request, serverContext: unknown, trustedProxies: number): string {
  const peer =
    (serverContext as { req?: { socket?: { remoteAddress?: string } } } | undefined)?.req?.socket?.remoteAddress ??
    'unknown';
  if (trustedProxies <= 0) return peer;
  const forwarded = (request.headers.get('x-forwarded-for') ?? '').split(',').map((entry) => entry.trim());
  const seen = forwarded[forwarded.length - trustedProxies];
  return seen && seen.length <= 64 ? seen : peer;
}
