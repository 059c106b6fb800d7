import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { startRedis } from '@nasfleet/fleet-testing';
import type { TestRedis } from '@nasfleet/fleet-testing';
import { createRedisStore } from '@nasfleet/store';
import type { SearchStore } from '@nasfleet/store';
import { localSnapshot } from '../apps/orchestrator/src/testing/local-run.ts';
import { alive, FleetProcesses } from './support/fleet-processes.ts';
import { eventually, finalSnapshot, RULE_LLM, searchEnded, submit, toldIds } from './support/fleet-search.ts';
import type { FleetSpec } from './support/fleet-search.ts';

/**
 * A replay-mode NB201 search run by an orchestrator process and an LLM worker process on a Redis with
 * AOF on (as production runs it), while that Redis goes away twice mid-search: a graceful SHUTDOWN
 * (AOF flushed) and a SIGKILL (AOF written before each reply, so nothing acknowledged is lost), each
 * followed by a restart on the same port and data. Neither process is restarted: both must reconnect
 * and carry on, and the search must end as the one-process batch-1 run does, byte for byte.
 */

const EVALUATIONS = 40;
const spec: FleetSpec = {
  space: { name: 'nb201', options: { dataset: 'cifar10' } }, config: { strategy: 'hybrid', seed: 3 }, evaluations: EVALUATIONS, llm: RULE_LLM, depth: 4, replay: true,
};
/**
 * A try whose worker could not reach Redis to complete or fail it comes back once its lock expires
 * (stalled); a try that failed on the outage is retried after its backoff. The defaults (30 s locks
 * and stalled checks, 30 s before an LLM job's retry) would make each outage cost a minute, not a
 * few seconds; the behaviour is the same.
 */
const QUEUE_CONFIG = JSON.stringify({ lockDurationMs: 4_000, stalledIntervalMs: 2_000, llm: { backoffMs: 300 } });
/** How long Redis stays down each time: long enough for every client to see its connection refused. */
const OUTAGE_MS = 3_000;

let redis: TestRedis;
let store: SearchStore;
let fleet: FleetProcesses;

beforeAll(async () => {
  redis = await startRedis({ aof: true });
  store = createRedisStore({ redis: redis.url });
  fleet = new FleetProcesses({ ...process.env, REDIS_URL: redis.url, QUEUE_CONFIG });
  await fleet.worker('llm-1', { WORKER_ROLE: 'llm' });
  await fleet.orchestrator('orch-1', { POLL_MS: '200', SWEEP_MS: '1000', SNAPSHOT_EVERY: '7', LEASE_TTL_MS: '10000', TRIM_JOURNAL: 'false' });
});

afterAll(async () => {
  await fleet?.stopAll();
  await store?.close();
  await redis?.close();
});

/** Redis's own SHUTDOWN (AOF fsynced, clients disconnected), waited for until the server process is gone. */
async function shutdownGracefully(): Promise<void> {
  const admin = new Redis(redis.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
  admin.on('error', () => undefined);
  const pid = Number(/process_id:(\d+)/.exec(await admin.info('server'))?.[1]);
  // The server closes the connection instead of replying.
  await admin.call('SHUTDOWN').catch(() => undefined);
  admin.disconnect();
  await eventually(async () => !alive(pid), 'redis-server to exit after SHUTDOWN', 30_000);
}

/** A wait that times out says so with the fleet processes' logs. */
const withLogs = <T>(wait: Promise<T>): Promise<T> =>
  wait.catch((error: unknown) => {
    throw new Error(`${(error as Error).message}\n${fleet.logs()}`);
  });

/** Waits until `n` candidates are told (polling through Redis being away). */
const toldAtLeast = (n: number, what: string) =>
  withLogs(eventually(async () => {
    const told = (await toldIds(store, 'redis-restart')).length;
    return told >= n && told;
  }, what));

describe('Redis restarted mid-search (AOF on)', () => {
  it('the orchestrator and the LLM worker ride out a graceful restart and a SIGKILL: done, exactly the budget, the local run\'s snapshot', { timeout: 300_000 }, async () => {
    const record = await submit(store, spec, 'redis-restart');

    const beforeStop = await toldAtLeast(5, 'the first tells');
    await shutdownGracefully();
    await sleep(OUTAGE_MS);
    await redis.restart();
    expect(beforeStop).toBeLessThan(EVALUATIONS);

    const beforeKill = await toldAtLeast(beforeStop + 5, 'tells after the graceful restart');
    await redis.kill();
    await sleep(OUTAGE_MS);
    await redis.restart();
    expect(beforeKill, 'the search ended before Redis was killed').toBeLessThan(EVALUATIONS);

    const done = await withLogs(searchEnded(store, record.id));
    expect(done.status, fleet.logs()).toBe('done');
    const told = await toldIds(store, record.id);
    expect(told).toHaveLength(EVALUATIONS);
    expect(new Set(told).size).toBe(EVALUATIONS);
    const fleetRun = await finalSnapshot(store, record.id);
    expect(fleetRun.pending).toEqual([]);
    const local = await localSnapshot(spec.space, spec.config, EVALUATIONS);
    expect(JSON.stringify(fleetRun.engine)).toBe(JSON.stringify(local));
    // Ridden out, not restarted: the processes started before the search are the ones that finished it.
    for (const name of ['llm-1', 'orch-1']) expect(fleet.get(name).child.exitCode, `${name}:\n${fleet.logs()}`).toBeNull();
  });

  // Reads the orchestrator's log of the run above. Only this orchestrator takes the search's lease, and it
  // starts a runner only once the one before is dropped, so a lease found "taken over" (another lease holds
  // the search, as the renew script sees it) can only be one held by a runner it no longer drives and never
  // stopped (its renewal timer still running), e.g. one whose start failed while the queues' connection was
  // still coming back: the next runner's acquire took it. A lease that expired (nothing holds the search:
  // an outage stretched by a loaded machine, or renewals that a SIGKILLed Redis with appendfsync everysec
  // acknowledged and lost) is no leak: the runner stops and the next one carries on, as the test above checks.
  it('leaves no runner behind holding a lease: every runner the orchestrator gives up is stopped, so none later finds its lease taken over', () => {
    const lines = fleet.get('orch-1').lines;
    expect(lines.some((l) => / search redis-restart done: /.test(l)), 'the search ran to its end in this process').toBe(true);
    const lost = lines.filter((l) => /the lease was lost/.test(l));
    const takenOver = lost.filter((l) => /taken over by another lease/.test(l));
    const taken = lines.filter((l) => /: lease \d+, /.test(l));
    expect(lost.filter((l) => !/taken over by another lease|it expired/.test(l)), 'every lost lease says why').toEqual([]);
    expect(takenOver, `${taken.length} leases taken, ${lost.length} lost; the first:\n${lines.filter((l) => /lease|failed/.test(l)).slice(0, 8).join('\n')}`).toEqual([]);
  });
});
