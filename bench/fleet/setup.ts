import { cpus, loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { startRedis } from '@nasfleet/fleet-testing';
import type { Cleanup } from './cleanup.ts';

/** The Redis the bench runs on and what a reader needs to judge its figures. */
export interface BenchRedis {
  url: string;
  /** True when the bench started it (a fresh redis-server on a free port, no persistence). */
  own: boolean;
  version: string;
  /** Its process id, when it is the bench's own (for its CPU time). */
  pid: number | null;
}

/**
 * `redisUrl` when given (REDIS_URL), else a redis-server of the bench's own on a free port; either
 * way registered with `cleanup`: its own server is stopped, and on a given Redis every key under
 * the bench's `prefix` (queues and store) is deleted, nothing else.
 */
export async function benchRedis(cleanup: Cleanup, redisUrl: string | undefined, prefix: string): Promise<BenchRedis> {
  let url = redisUrl;
  if (url === undefined) {
    const server = await startRedis();
    cleanup.add('redis-server', () => server.close());
    url = server.url;
  } else {
    const given = url;
    cleanup.add(`keys ${prefix}* on ${given}`, () => dropKeys(given, prefix));
  }
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  try {
    const info = await client.info('server');
    const own = redisUrl === undefined;
    const pid = own ? Number(/process_id:(\d+)/.exec(info)?.[1]) || null : null;
    return { url, own, version: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown', pid };
  } finally {
    client.disconnect();
  }
}

/** Deletes every key that starts with `prefix` (SCAN, so the server is never blocked for long). */
async function dropKeys(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  try {
    // MATCH is a glob: escape its special characters in the prefix.
    const match = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', match, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await client.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/** "2 × <cpu model>, Node v20.x, load average 0.5 0.4 0.3": the machine a run's figures come from. */
export function machineLine(): string {
  const cores = cpus();
  return `${cores.length} × ${cores[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}, load average ${loadAverage()}`;
}

/** The 1, 5 and 15 minute load averages. */
export function loadAverage(): string {
  return loadavg().map((l) => l.toFixed(2)).join(' ');
}
