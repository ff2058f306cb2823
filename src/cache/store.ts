import type { Cache, CacheEntityRecord } from '@envelop/response-cache';
import { LRUCache } from 'lru-cache';

/**
 * What the response cache plugin stores answers in: its `Cache` interface,
 * with what both of our stores add to it.
 *
 * - **Tags.** Each answer is filed under every entity it holds
 *   (`Installation:<id>`) and every type it holds (`Installation`), so a
 *   write drops the answers that showed what it changed.
 * - **No stale write-back.** An answer is computed from REST reads made after
 *   its cache miss; if a write invalidated one of its entities since that
 *   miss, it may hold the old state and is not stored.
 * - **Bounds.** Answers are bounded in bytes; a single answer over
 *   `maxEntryBytes` is never stored.
 */
export interface ResponseStore extends Cache {
  /** `memory`, or `redis` with whether Redis answers now (`ok`) or is bypassed (`down`). */
  status(): 'memory' | 'ok' | 'down';
}

const hasId = (id: CacheEntityRecord['id']) => id !== undefined && id !== null && id !== '';

/** The tags an answer holding these entities is filed under: each type, and each entity with an id. */
export function tagsOf(entities: Iterable<CacheEntityRecord>): string[] {
  const tags = new Set<string>();
  for (const { typename, id } of entities) {
    tags.add(typename);
    if (hasId(id)) tags.add(`${typename}:${id}`);
  }
  return [...tags];
}

/** The tags an invalidation drops: an entity's own when it has an id, else its whole type's. */
export function invalidatedTagsOf(entities: Iterable<CacheEntityRecord>): string[] {
  const tags = new Set<string>();
  for (const { typename, id } of entities) tags.add(hasId(id) ? `${typename}:${id}` : typename);
  return [...tags];
}

/**
 * When each answer's miss was seen, for the stale write-back check. The
 * plugin looks an answer up twice per request (Yoga's plugin before parsing,
 * envelop's before executing); the second lookup of a fresh miss is answered
 * from here, so a miss costs one round trip to a shared store, not two.
 */
export class MissLog {
  private readonly misses = new LRUCache<string, { at: number; lookups: number }>({ max: 10_000, ttl: 60_000 });

  missed(responseId: string, at: number): void {
    const known = this.misses.get(responseId);
    if (known) known.lookups += 1;
    else this.misses.set(responseId, { at, lookups: 1 });
  }

  /** True for the second lookup of a miss seen under a second ago (the same request's). */
  secondLookup(responseId: string): boolean {
    const known = this.misses.get(responseId);
    if (known?.lookups !== 1 || (this.misses.getRemainingTTL(responseId) ?? 0) < 59_000) return false;
    known.lookups = 2;
    return true;
  }

  /** When the miss this answer fills was seen; undefined when unknown (then it is not stored). */
  take(responseId: string): number | undefined {
    const known = this.misses.get(responseId);
    this.misses.delete(responseId);
    return known?.at;
  }
}

/** Bytes an answer takes in a store: its JSON, and a little per tag for the index. */
export function entrySize(json: string, tags: readonly string[]): number {
  return json.length + tags.length * 64 + 256;
}
