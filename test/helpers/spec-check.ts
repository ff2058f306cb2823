import lzString from 'lz-string';
import type { RecordedRequest } from '../../src/simulator/index.js';
import {
  matchRoute,
  parsePathParameters,
  parseQuery,
  validateBody,
  validateComponent,
} from '../../src/simulator/spec.js';

/**
 * Judges a REST request the gateway sent the way the simulator judges it,
 * against the official OpenAPI document: route and method, path parameters,
 * query parameters (unknown or repeated ones refused), the JSON body, and the
 * LZ-string render request of GET …/render. Also refuses what the document
 * cannot say but a real server or proxy would trip over: a `.`/`..` path
 * segment (it walks up the path), a body that is not JSON, and an answer the
 * simulator gave to a malformed exchange (405, 413, none at all, 5xx).
 *
 * Returns a sentence naming the request and what is wrong, or undefined.
 */
export function specViolation(request: RecordedRequest): string | undefined {
  const where = `${request.method} ${request.path}${request.search ? `?${request.search}` : ''}`;
  const shown = where.length > 300 ? `${where.slice(0, 300)}…` : where;
  const match = matchRoute(request.method, request.path);
  if (match.kind === 'not-found') return `${shown}: no route of the spec matches`;
  if (match.kind === 'method-not-allowed')
    return `${shown}: the route does not take ${request.method} (allowed: ${match.allow.join(', ')})`;
  for (const segment of request.path.split('/').slice(1)) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return `${shown}: malformed percent-encoding in "${segment}"`;
    }
    if (decoded === '.' || decoded === '..') return `${shown}: a "${decoded}" path segment`;
  }
  const contentType = request.headers['content-type'];
  if (contentType !== undefined && !/^application\/json\b/i.test(contentType)) {
    return `${shown}: body sent as ${contentType}`;
  }
  try {
    parsePathParameters(match.operation, match.rawParams);
    const query = parseQuery(match.operation, request.search);
    validateBody(match.operation, request.body);
    if (match.operation.id === 'renderIntegrationUIWithGet') {
      const json = lzString.decompressFromEncodedURIComponent(String(query.request ?? ''));
      if (!json) return `${shown}: "request" is not LZ-string compressToEncodedURIComponent`;
      validateComponent('RenderIntegrationUI', JSON.parse(json), 'Invalid render request');
    }
  } catch (error) {
    return `${shown}: ${(error as Error).message}`;
  }
  if (request.status === 0) return `${shown}: the simulator never answered it`;
  if (request.status === 405 || request.status === 413 || request.status >= 500) {
    return `${shown}: the simulator answered ${request.status}`;
  }
  return undefined;
}

/** Every violation among the requests, one per line (empty when all are fine). */
export function specViolations(requests: readonly RecordedRequest[]): string[] {
  return requests.map(specViolation).filter((problem): problem is string => problem !== undefined);
}
