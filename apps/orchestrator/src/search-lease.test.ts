import { describe, expect, it } from 'vitest';
import { waitFor } from '@nasfleet/fleet-testing';
import { createMemoryStore } from '@nasfleet/store';
import { submitSearch } from './submit-search.ts';
import { startLease } from './search-lease.ts';

/**
 * A lease's renewals, and what the log says when one finds the lease gone, as the store saw it: taken
 * over (another lease holds it: another orchestrator's, or a runner of this one that should not exist)
 * or expired (nothing holds it), whatever the clock says about when it was last renewed. The store and
 * the lease share a clock the test moves; the renewal ticks are real (a third of the ttl).
 */
const TTL = 300;

async function setUp() {
  let t = 1_000_000;
  const clock = { now: () => t, advance: (ms: number) => (t += ms) };
  const store = createMemoryStore({ now: clock.now });
  await submitSearch(store, { space: { name: 'nb201', options: { dataset: 'cifar10' } }, config: { strategy: 'random', seed: 1 }, evaluations: 10 }, { id: 's1' });
  // Counts the renewals answered, so the test moves the clock between two of them, not by wall time.
  let renewals = 0;
  const renewLease = store.renewLease.bind(store);
  store.renewLease = async (...args) => {
    const renewal = await renewLease(...args);
    renewals += 1;
    return renewal;
  };
  const lines: string[] = [];
  let lost = 0;
  const lease = await startLease({
    store, searchId: 's1', owner: 'orch-a', ttlMs: TTL, now: clock.now, log: (l) => lines.push(l), onLost: () => (lost += 1),
  });
  return { store, clock, lines, lease: lease!, lost: () => lost, renewals: () => renewals };
}

describe('startLease', () => {
  it('keeps the lease while renewals hold it, however long, and gives it up on release', async () => {
    const { store, clock, lines, lease, lost, renewals } = await setUp();
    for (let i = 1; i <= 4; i++) {
      // Most of the ttl passes between two renewals: each finds the lease live and extends it.
      clock.advance(TTL - 10);
      await waitFor(() => renewals() >= i, `renewal ${i}`, 10_000, 5);
    }
    expect(lost()).toBe(0);
    expect(await store.acquireLease('s1', 'orch-b', TTL)).toBeNull();
    await lease.release();
    expect(await store.acquireLease('s1', 'orch-b', TTL)).not.toBeNull();
    expect(lines).toEqual([]);
  }, 30_000);

  it('says the lease was taken over when another lease holds it', async () => {
    const { store, lines, lease, lost } = await setUp();
    // The same owner acquiring again (a second runner of this orchestrator) gets a new token.
    const second = await store.acquireLease('s1', 'orch-a', TTL);
    expect(second!.token).toBeGreaterThan(lease.token);
    await waitFor(() => lost() === 1, 'the renewal to find the lease gone', 10_000);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^search s1: the lease was lost, taken over by another lease \(last renewed 0\.0 s ago, its time to live 0\.3 s\); this orchestrator stops driving it$/);
  }, 30_000);

  it('says the lease expired when no renewal held it for longer than its ttl', async () => {
    const { clock, lines, lost } = await setUp();
    // Redis away, or the process starved: the store's clock passes the lease's expiry before any renewal.
    clock.advance(TTL + 1_700);
    await waitFor(() => lost() === 1, 'the renewal to find the lease gone', 10_000);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^search s1: the lease was lost, it expired \(last renewed 2\.0 s ago, its time to live 0\.3 s\)/);
  }, 30_000);

  it('says the lease expired when the store lost it well within its ttl (a crashed Redis losing its last writes), not that it was taken over', async () => {
    const { store, lines, lease, lost } = await setUp();
    // The lease is gone from the store while the clock says it was renewed just now.
    expect(await store.releaseLease('s1', 'orch-a', lease.token)).toBe(true);
    await waitFor(() => lost() === 1, 'the renewal to find the lease gone', 10_000);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^search s1: the lease was lost, it expired \(last renewed 0\.0 s ago, its time to live 0\.3 s\)/);
  }, 30_000);

  it('renews no more once halted: a lease taken after that is not reported lost', async () => {
    const { store, lines, lease, lost } = await setUp();
    lease.halt();
    await store.acquireLease('s1', 'orch-a', TTL);
    await new Promise((r) => setTimeout(r, 3 * TTL));
    expect(lost()).toBe(0);
    expect(lines).toEqual([]);
  }, 30_000);
});
