/**
 * GitBook-style pagination: `limit` (0..1000, default 20) and an opaque `page` token; answers are
 * `{ items, count, next?: { page } }` where `count` counts every matching item and `next` appears
 * only when items follow.
 *
 * A token is the base64url of `{"offset":N}`: the position of the first item of the next page.
 * It is independent of the limit, so asking the same token with another limit starts at the same
 * item. A token that does not decode to exactly that shape is rejected with 400.
 */
import { badRequest } from './errors.js';

export const DEFAULT_LIMIT = 20;

export interface Page<T> {
  items: T[];
  count: number;
  next?: { page: string };
}

export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

export function decodePageToken(token: string): number {
  const invalid = () => badRequest(`Invalid page token "${token}"`);
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw invalid();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const offset = (value as { offset?: unknown } | null)?.offset;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0 || encodePageToken(offset) !== token) {
    throw invalid();
  }
  return offset;
}

export function paginate<T>(all: readonly T[], query: { page?: unknown; limit?: unknown }): Page<T> {
  const offset = typeof query.page === 'string' ? decodePageToken(query.page) : 0;
  // The spec types limit as a number, so 2.5 is valid: it means 2.
  const limit = typeof query.limit === 'number' ? Math.floor(query.limit) : DEFAULT_LIMIT;
  const end = offset + limit;
  const page: Page<T> = { items: all.slice(offset, end), count: all.length };
  if (end < all.length) page.next = { page: encodePageToken(end) };
  return page;
}
