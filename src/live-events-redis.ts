import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { PollerSharing, SharedPoll } from './live-events.js';
import type { SharedRedis } from './redis.js';

/**
 * One poller per (token, integration) across replicas: a lease in Redis
 * (`live:lease:<key>`, this replica's id, renewed at each of its turns) says
 * which replica polls REST; it publishes what it finds on `live:events:<key>`
 * and keeps the newest event it delivered in `live:last:<key>`, where the
 * next leader starts when it leaves or dies (its lease expires). Every
 * command fails fast (redis.ts): while Redis is down `lead` answers
 * undefined, and each replica polls for its own subscribers.
 */

/**
 * KEYS: lease, last delivered; ARGV: replica id, lease ms → 1 when this
 * replica holds the lease now. The leader's turns keep the marker of the
 * last delivered event alive too, however long no event comes.
 */
const LEAD = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2])
elseif not holder then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
else return 0 end
redis.call('PEXPIRE', KEYS[2], 10 * tonumber(ARGV[2]))
return 1
`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

interface LeaseCommands {
  liveLead(lease: string, last: string, replica: string, leaseMs: number): Promise<number>;
  liveRelease(key: string, replica: string): Promise<number>;
}

export class RedisPollerSharing implements PollerSharing {
  private readonly replica = randomUUID();
  private readonly commands: LeaseCommands;
  private readonly subscriber: Redis;
  private readonly receivers = new Map<string, (message: SharedPoll) => void>();

  /** @param leaseMs how long a lease outlives its holder's last turn: a few of its longest waits. */
  constructor(
    private readonly redis: SharedRedis,
    private readonly leaseMs: number,
  ) {
    redis.client.defineCommand('liveLead', { numberOfKeys: 2, lua: LEAD });
    redis.client.defineCommand('liveRelease', { numberOfKeys: 1, lua: RELEASE });
    this.commands = redis.client as unknown as LeaseCommands;
    // A connection in subscriber mode can send nothing else: one of its own, whose
    // SUBSCRIBEs wait for it to connect (none is on a request's path).
    this.subscriber = redis.client.duplicate({ enableOfflineQueue: true });
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (channel: string, text: string) => {
      const receive = this.receivers.get(channel);
      if (!receive) return;
      try {
        const message = JSON.parse(text) as SharedPoll & { from?: string };
        if (message.from !== this.replica) receive(message);
      } catch {
        // Not ours: ignored.
      }
    });
  }

  private name(kind: 'lease' | 'events' | 'last', key: string): string {
    return `${this.redis.keyPrefix}live:${kind}:${key}`;
  }

  async lead(key: string): Promise<boolean | undefined> {
    if (!this.redis.ready) return undefined;
    try {
      return (
        (await this.commands.liveLead(this.name('lease', key), this.name('last', key), this.replica, this.leaseMs)) ===
        1
      );
    } catch {
      return undefined;
    }
  }

  async release(key: string): Promise<void> {
    try {
      await this.commands.liveRelease(this.name('lease', key), this.replica);
    } catch {
      // The lease expires by itself.
    }
  }

  async lastDelivered(key: string): Promise<string | undefined> {
    try {
      return (await this.redis.client.get(this.name('last', key))) ?? undefined;
    } catch {
      return undefined;
    }
  }

  async mark(key: string, newestId: string): Promise<void> {
    try {
      await this.redis.client.set(this.name('last', key), newestId, 'PX', this.leaseMs * 10);
    } catch {
      // A later leader marks anew.
    }
  }

  async publish(key: string, message: SharedPoll): Promise<void> {
    try {
      if ('events' in message && message.events[0]) await this.mark(key, message.events[0].id);
      await this.redis.client.publish(this.name('events', key), JSON.stringify({ ...message, from: this.replica }));
    } catch {
      // The others take over when the lease expires.
    }
  }

  listen(key: string, receive: (message: SharedPoll) => void): void {
    const channel = this.name('events', key);
    this.receivers.set(channel, receive);
    this.subscriber.subscribe(channel).catch(() => undefined);
  }

  unlisten(key: string): void {
    const channel = this.name('events', key);
    this.receivers.delete(channel);
    this.subscriber.unsubscribe(channel).catch(() => undefined);
  }

  close(): void {
    this.subscriber.disconnect();
  }
}
