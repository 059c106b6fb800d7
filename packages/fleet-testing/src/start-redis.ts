import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A redis-server a test owns: its URL, and ways to stop it, kill it hard or start it again on the same port and data. */
export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** The folder of its data files (AOF, RDB). */
  readonly dir: string;
  /** SIGKILL: no chance to flush (what a crash does). */
  kill(): Promise<void>;
  /** Starts it again on the same port and data folder (after kill or stop). */
  restart(): Promise<void>;
  /** Graceful stop and removal of its data folder. */
  close(): Promise<void>;
}

export interface StartRedisOptions {
  /** Append-only file with fsync every second (what production runs): data survives a kill. Default false. */
  aof?: boolean;
  /** Milliseconds to wait for it to answer PING. Default 20 s (a loaded machine starts slowly). */
  readyTimeoutMs?: number;
}

/** A free TCP port on 127.0.0.1 (the OS picks; released before it is returned). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitReady(url: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode} before it was ready`);
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
    // A refused probe is expected while the server starts; without a listener ioredis prints it as unhandled.
    client.on('error', () => undefined);
    try {
      await client.connect();
      // With AOF, redis answers LOADING while it replays the file: not ready yet.
      if ((await client.ping()) === 'PONG') return;
    } catch (error) {
      last = error;
    } finally {
      client.disconnect();
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server at ${url} was not ready within ${timeoutMs} ms: ${(last as Error | null)?.message ?? 'no answer'}`);
}

/**
 * Starts Debian's `redis-server` on a free port with its own data folder, and waits until it
 * answers. No persistence unless `aof` (then AOF, appendfsync everysec, as in production).
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'nasfleet-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--maxmemory-policy', 'noeviction',
    '--appendonly', options.aof ? 'yes' : 'no', '--appendfsync', 'everysec'];
  let child: ChildProcess;
  const launch = async (): Promise<void> => {
    child = spawn('redis-server', args, { stdio: 'ignore' });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (e) => reject(new Error(`cannot start redis-server (install Debian's redis-server): ${e.message}`)));
    });
    await waitReady(url, options.readyTimeoutMs ?? 20_000, child);
  };
  const exited = (signal: NodeJS.Signals): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  await launch();
  return {
    url, port, dir,
    kill: () => exited('SIGKILL'),
    restart: launch,
    async close() {
      await exited('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
