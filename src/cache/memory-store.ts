import type { CacheEntityRecord } from '@envelop/response-cache';
import type { ExecutionResult } from 'graphql';
import { LRUCache } from 'lru-cache';
import { entrySize, invalidatedTagsOf, MissLog, type ResponseStore, tagsOf } from './store.js';

interface Entry {
  result: ExecutionResult;
  tags: string[];
}

/**
 * The store of a gateway without Redis: answers in process memory, bounded
 * in bytes (the least recently used go first), with their tag index. The
 * plugin's own in-memory cache is bounded in entries only, and an entry can
 * be a whole page of a thousand installations.
 */
export class MemoryStore implements ResponseStore {
  private readonly responses: LRUCache<string, Entry>;
  private readonly tagged = new Map<string, Set<string>>();
  /** When each tag was last invalidated, kept as long as an answer can live. */
  private readonly invalidatedAt: LRUCache<string, number>;
  private readonly misses = new MissLog();
  private readonly maxEntryBytes: number;

  private readonly clock: { now(): number };

  /** @param clock what TTLs and the stale write-back check count time by; `performance` by default. */
  constructor(options: { maxBytes: number; maxTtlMs: number; clock?: { now(): number } }) {
    this.clock = options.clock ?? performance;
    this.maxEntryBytes = Math.max(1, Math.floor(options.maxBytes / 8));
    this.responses = new LRUCache<string, Entry>({
      // Each answer is sized when stored, from the JSON made there once.
      maxSize: options.maxBytes,
      perf: this.clock,
      // Read the clock at each lookup, not a value lru-cache keeps for a millisecond.
      ttlResolution: 0,
      dispose: (entry, responseId) => this.untag(responseId, entry.tags),
    });
    this.invalidatedAt = new LRUCache<string, number>({
      max: 100_000,
      ttl: options.maxTtlMs + 60_000,
      perf: this.clock,
    });
  }

  status(): 'memory' {
    return 'memory';
  }

  get(responseId: string): ExecutionResult | undefined {
    const entry = this.responses.get(responseId);
    if (!entry) this.misses.missed(responseId, this.clock.now());
    return entry?.result;
  }

  set(responseId: string, result: ExecutionResult, entities: Iterable<CacheEntityRecord>, ttl: number): void {
    const missedAt = this.misses.take(responseId);
    const tags = tagsOf(entities);
    if (missedAt === undefined || tags.some((tag) => (this.invalidatedAt.get(tag) ?? -1) >= missedAt)) return;
    const size = entrySize(JSON.stringify(result), tags);
    if (size > this.maxEntryBytes) return;
    this.responses.set(responseId, { result, tags }, { size, ttl: Number.isFinite(ttl) ? ttl : undefined });
    for (const tag of tags) {
      let ids = this.tagged.get(tag);
      if (!ids) {
        ids = new Set();
        this.tagged.set(tag, ids);
      }
      ids.add(responseId);
    }
  }

  invalidate(entities: Iterable<CacheEntityRecord>): void {
    const now = this.clock.now();
    for (const tag of invalidatedTagsOf(entities)) {
      this.invalidatedAt.set(tag, now);
      for (const responseId of this.tagged.get(tag) ?? []) this.responses.delete(responseId);
    }
  }

  /** Answers stored now, for tests and the bounds' checks. */
  get size(): { entries: number; bytes: number; tags: number } {
    return { entries: this.responses.size, bytes: this.responses.calculatedSize, tags: this.tagged.size };
  }

  private untag(responseId: string, tags: readonly string[]): void {
    for (const tag of tags) {
      const ids = this.tagged.get(tag);
      if (!ids) continue;
      ids.delete(responseId);
      if (ids.size === 0) this.tagged.delete(tag);
    }
  }
}
