import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRedis } from './start-redis.ts';
import type { TestRedis } from './start-redis.ts';

let redis: TestRedis | null = null;
afterEach(async () => {
  await redis?.close();
  redis = null;
});

describe('startRedis', () => {
  it('starts a real server on a free port that keeps AOF data through a SIGKILL and a restart', async () => {
    redis = await startRedis({ aof: true });
    const client = new Redis(redis.url, { maxRetriesPerRequest: null });
    await client.set('k', 'v');
    // appendfsync everysec: the write reaches the file within about a second.
    await new Promise((r) => setTimeout(r, 1500));
    await redis.kill();
    await redis.restart();
    expect(await client.get('k')).toBe('v');
    client.disconnect();
  });

  it('without AOF, a restart starts empty', async () => {
    redis = await startRedis();
    const client = new Redis(redis.url, { maxRetriesPerRequest: null });
    await client.set('k', 'v');
    await redis.kill();
    await redis.restart();
    expect(await client.get('k')).toBeNull();
    client.disconnect();
  });
});
