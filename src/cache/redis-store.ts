import type { CacheEntityRecord } from '@envelop/response-cache';
import type { ExecutionResult } from 'graphql';
import type { SharedRedis } from '../redis.js';
import { entrySize, invalidatedTagsOf, MissLog, type ResponseStore, tagsOf } from './store.js';

/**
 * The store every replica shares: answers and their tag index in Redis, so
 * an answer cached through one replica is a hit through any other, and a
 * write through any replica drops it for all.
 *
 * Why not `@envelop/response-cache-redis`: its tag sets never expire (they
 * grow with every answer ever cached) and invalidating a type runs `KEYS`,
 * which blocks Redis while it scans every key. Here each operation is one
 * Lua script (one round trip, atomic), and Redis holds a bounded amount:
 *
 * - tag sets are kept per time bucket as long as the longest TTL, and expire
 *   after two, so they only name answers that can still be alive;
 * - the answers written per bucket are limited to `maxBytes` in total: past
 *   it, answers are served but not stored until the next bucket;
 * - every key carries a generation: when invalidations could not reach
 *   Redis and too many piled up to replay, the generation is bumped, which
 *   makes everything cached before unreachable at once (it then expires).
 *
 * While Redis is down or slow, lookups miss, answers are not stored, and
 * invalidations are kept (bounded) and replayed when it is back; until the
 * replay is done, lookups still miss, so no answer older than a write made
 * during the outage is served.
 */

const PREAMBLE = `
local prefix = ARGV[1]
local gen = redis.call('GET', prefix .. 'gen') or '0'
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
`;

/** ARGV: prefix, responseId → { answer or '', now }. */
const GET = `${PREAMBLE}
local answer = redis.call('GET', prefix .. 'r:' .. gen .. ':' .. ARGV[2])
return { answer or '', now }
`;

/**
 * ARGV: prefix, responseId, json, ttl, missedAt, bucketMs, maxBytes, tags…
 * → 1 stored, 0 stale (a tag invalidated since the miss), -1 over the byte budget.
 */
const SET = `${PREAMBLE}
local id, json, ttl, missedAt, bucketMs, maxBytes = ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
for i = 8, #ARGV do
  local at = redis.call('GET', prefix .. 'inv:' .. gen .. ':' .. ARGV[i])
  if at and tonumber(at) >= missedAt then return 0 end
end
local bucket = math.floor(now / bucketMs)
local budget = prefix .. 'bytes:' .. gen .. ':' .. bucket
local used = redis.call('INCRBY', budget, #json)
redis.call('PEXPIRE', budget, 2 * bucketMs)
if used > maxBytes then return -1 end
redis.call('SET', prefix .. 'r:' .. gen .. ':' .. id, json, 'PX', ttl)
for i = 8, #ARGV do
  local tag = prefix .. 't:' .. gen .. ':' .. bucket .. ':' .. ARGV[i]
  redis.call('SADD', tag, id)
  redis.call('PEXPIRE', tag, 2 * bucketMs)
end
return 1
`;

/** ARGV: prefix, bucketMs, stampTtl, tags… → answers dropped. */
const INVALIDATE = `${PREAMBLE}
local bucketMs, stampTtl = tonumber(ARGV[2]), tonumber(ARGV[3])
local bucket = math.floor(now / bucketMs)
local dropped = 0
for i = 4, #ARGV do
  redis.call('SET', prefix .. 'inv:' .. gen .. ':' .. ARGV[i], now, 'PX', stampTtl)
  for b = bucket - 1, bucket do
    local tag = prefix .. 't:' .. gen .. ':' .. b .. ':' .. ARGV[i]
    for _, id in ipairs(redis.call('SMEMBERS', tag)) do
      dropped = dropped + redis.call('DEL', prefix .. 'r:' .. gen .. ':' .. id)
    end
    redis.call('DEL', tag)
  end
end
return dropped
`;

interface CacheCommands {
  responseCacheGet(prefix: string, responseId: string): Promise<[string, number]>;
  responseCacheSet(...args: (string | number)[]): Promise<number>;
  responseCacheInvalidate(...args: (string | number)[]): Promise<number>;
}

/** Invalidations kept while Redis is down; past this many tags, the generation is bumped instead. */
const MAX_PENDING_TAGS = 10_000;

export class RedisStore implements ResponseStore {
  private readonly commands: CacheCommands;
  private readonly misses = new MissLog();
  private pending = new Set<string>();
  private overflowed = false;
  private replaying: Promise<void> | undefined;
  private readonly bucketMs: number;
  private readonly maxEntryBytes: number;

  constructor(
    private readonly redis: SharedRedis,
    private readonly options: { maxBytes: number; maxTtlMs: number; requestTimeoutMs?: number },
  ) {
    const client = redis.client;
    client.defineCommand('responseCacheGet', { numberOfKeys: 0, lua: GET });
    client.defineCommand('responseCacheSet', { numberOfKeys: 0, lua: SET });
    client.defineCommand('responseCacheInvalidate', { numberOfKeys: 0, lua: INVALIDATE });
    this.commands = client as unknown as CacheCommands;
    this.bucketMs = Math.max(1_000, options.maxTtlMs);
    this.maxEntryBytes = Math.max(1, Math.floor(options.maxBytes / 8));
    redis.onReady(() => this.startReplay());
  }

  private startReplay(): void {
    if (this.replaying) return;
    this.replaying = this.replay().finally(() => {
      this.replaying = undefined;
    });
  }

  status(): 'ok' | 'down' {
    return this.usable() ? 'ok' : 'down';
  }

  private usable(): boolean {
    if (!this.redis.ready || this.replaying) return false;
    if (this.pending.size === 0 && !this.overflowed) return true;
    // A replay that failed is tried again, and answers wait for it.
    this.startReplay();
    return false;
  }

  async get(responseId: string): Promise<ExecutionResult | undefined> {
    if (this.misses.secondLookup(responseId) || !this.usable()) return undefined;
    try {
      const [answer, now] = await this.commands.responseCacheGet(this.redis.keyPrefix, responseId);
      if (answer === '') {
        this.misses.missed(responseId, Number(now));
        return undefined;
      }
      return JSON.parse(answer) as ExecutionResult;
    } catch {
      return undefined;
    }
  }

  async set(
    responseId: string,
    result: ExecutionResult,
    entities: Iterable<CacheEntityRecord>,
    ttl: number,
  ): Promise<void> {
    const missedAt = this.misses.take(responseId);
    if (missedAt === undefined || !this.usable()) return;
    const json = JSON.stringify(result);
    const tags = tagsOf(entities);
    if (entrySize(json, tags) > this.maxEntryBytes) return;
    const ttlMs = Number.isFinite(ttl) ? Math.max(1, Math.round(ttl)) : this.options.maxTtlMs;
    try {
      await this.commands.responseCacheSet(
        this.redis.keyPrefix,
        responseId,
        json,
        ttlMs,
        missedAt,
        this.bucketMs,
        this.options.maxBytes,
        ...tags,
      );
    } catch {
      // Not stored: the next request misses and asks GitBook, as without a cache.
    }
  }

  async invalidate(entities: Iterable<CacheEntityRecord>): Promise<void> {
    const tags = invalidatedTagsOf(entities);
    if (tags.length === 0) return;
    if (this.redis.ready && !this.replaying) {
      try {
        await this.commands.responseCacheInvalidate(this.redis.keyPrefix, this.bucketMs, this.stampTtl(), ...tags);
        return;
      } catch {
        // Kept for when Redis answers again.
      }
    }
    this.keep(tags);
  }

  private keep(tags: readonly string[]): void {
    if (this.overflowed) return;
    for (const tag of tags) {
      if (this.pending.size >= MAX_PENDING_TAGS) {
        this.overflowed = true;
        this.pending.clear();
        return;
      }
      this.pending.add(tag);
    }
  }

  /**
   * What could not reach Redis while it was down, sent now that it is back.
   * What is kept meanwhile goes to a fresh set: a failed replay merges back.
   */
  private async replay(): Promise<void> {
    const tags = this.pending;
    const overflowed = this.overflowed;
    this.pending = new Set();
    this.overflowed = false;
    try {
      if (overflowed) await this.redis.client.incr(`${this.redis.keyPrefix}gen`);
      else if (tags.size > 0) {
        await this.commands.responseCacheInvalidate(this.redis.keyPrefix, this.bucketMs, this.stampTtl(), ...tags);
      }
    } catch {
      // Still pending: replayed again when Redis is usable.
      if (overflowed) this.overflowed = true;
      else this.keep([...tags]);
    }
  }

  /** An invalidation's stamp outlives every request that could have missed before it. */
  private stampTtl(): number {
    return this.bucketMs * 2 + (this.options.requestTimeoutMs ?? 30_000);
  }
}
