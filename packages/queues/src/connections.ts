import type { ConnectionOptions } from 'bullmq';

/**
 * Connection options for a worker (and the blocking connection BullMQ duplicates from it):
 * `maxRetriesPerRequest: null`, so a command waits through a Redis restart instead of failing the
 * worker's loop, as BullMQ requires of workers. Each Queue/Worker given these opens and closes its own.
 */
export function workerConnection(redisUrl: string): ConnectionOptions {
  return { url: redisUrl, maxRetriesPerRequest: null };
}

/**
 * Connection options for a producer (enqueue, publish): fail fast. Once connected, a command sent
 * while Redis is unreachable fails at once (no offline queue) or after one retry, so the caller
 * (the orchestrator, an HTTP request) sees the error and decides, rather than hanging. The client
 * still reconnects in the background, so the next call works when Redis is back.
 */
export function producerConnection(redisUrl: string): ConnectionOptions {
  return { url: redisUrl, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 10_000 };
}
