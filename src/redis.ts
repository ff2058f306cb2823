import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * The connection every replica shares state through (the response cache and
 * the rate limits). Redis is never a single point of failure: a command
 * waits for no reconnection (no offline queue) and no more than
 * `commandTimeoutMs`, so while Redis is down or slow the callers get an error
 * at once and fall back (cache bypassed, limits in process memory). ioredis
 * reconnects by itself; `onReady` callbacks run each time it is back.
 */
export interface SharedRedisOptions {
  url: string;
  logger: Logger;
  /** The longest a command may take before it counts as a failure; 250 ms by default. */
  commandTimeoutMs?: number;
  /** Prefix of every key this gateway writes, so several deployments can share one Redis. */
  keyPrefix?: string;
}

export class SharedRedis {
  readonly client: Redis;
  readonly keyPrefix: string;
  private readonly readyCallbacks: (() => void)[] = [];
  private wasDown = false;

  constructor(options: SharedRedisOptions) {
    this.keyPrefix = options.keyPrefix ?? 'gql:';
    this.client = new Redis(options.url, {
      enableOfflineQueue: false,
      commandTimeout: options.commandTimeoutMs ?? 250,
      maxRetriesPerRequest: 0,
      // Reconnect every 100 ms at first, then at most every 2 s, for ever.
      retryStrategy: (attempt) => Math.min(100 * attempt, 2_000),
      lazyConnect: false,
    });
    const { logger } = options;
    this.client.on('ready', () => {
      if (this.wasDown) logger.info('redis is back: the response cache and rate limits are shared again');
      this.wasDown = false;
      for (const callback of this.readyCallbacks) callback();
    });
    const down = (reason: string) => {
      if (this.wasDown) return;
      this.wasDown = true;
      logger.warn(
        { reason },
        'redis unavailable: answering from GitBook API without the shared cache, rate limits in process memory',
      );
    };
    this.client.on('error', (error: Error) => down(error.message));
    this.client.on('end', () => down('connection ended'));
    this.client.on('close', () => {
      if (this.client.status !== 'end') down('connection closed');
    });
  }

  /** Whether commands can be sent now. */
  get ready(): boolean {
    return this.client.status === 'ready';
  }

  /** Runs `callback` each time the connection becomes ready (again). */
  onReady(callback: () => void): void {
    this.readyCallbacks.push(callback);
  }

  /** For `/readiness`: `ok`, or `down` while the gateway runs without it. */
  status(): 'ok' | 'down' {
    return this.ready ? 'ok' : 'down';
  }

  async close(): Promise<void> {
    this.readyCallbacks.length = 0;
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}
