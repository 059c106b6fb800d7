import { afterAll, afterEach, beforeAll } from 'vitest';
import { Redis } from 'ioredis';
import { startRedis } from '@nasfleet/fleet-testing';
import type { TestRedis } from '@nasfleet/fleet-testing';

/** What a test file's Redis gives its tests. */
export interface QueueTestRedis {
  /** The server's URL (set once the file's tests start). */
  readonly url: string;
  /** A plain client on it, for looking at keys. */
  readonly client: Redis;
  /** Producers, workers and listeners a test opened: closed after it, before Redis is flushed. */
  readonly open: { close(): Promise<void> }[];
}

/**
 * A redis-server of the test file's own: started before its tests, flushed after each (once what
 * `open` holds is closed), stopped after the last. Call at the top of a test file.
 */
export function useQueueTestRedis(): QueueTestRedis {
  let redis: TestRedis | null = null;
  let client: Redis | null = null;
  const open: { close(): Promise<void> }[] = [];
  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url, { maxRetriesPerRequest: null });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((o) => o.close()));
    await client?.flushall();
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.close();
  });
  return {
    get url() {
      if (!redis) throw new Error('the test Redis is not started yet: use it inside a test');
      return redis.url;
    },
    get client() {
      if (!client) throw new Error('the test Redis is not started yet: use it inside a test');
      return client;
    },
    open,
  };
}
