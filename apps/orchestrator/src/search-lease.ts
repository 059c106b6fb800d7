import type { SearchStore } from '@nasfleet/store';

/** A held lease on a search, renewed in the background until halted or released. */
export interface SearchLease {
  readonly token: number;
  /** Stops renewing (the lease then expires by itself). */
  halt(): void;
  /** Stops renewing and gives the lease up now, if still held (never throws). */
  release(): Promise<void>;
}

/**
 * Takes a search's lease for `owner` (null while another owner holds it) and renews it every third of
 * its time to live. When a renewal finds the lease gone, renewing stops and `onLost` is called: the
 * holder must stop writing (its writes would be refused by the fence anyway). A renewal that fails
 * (Redis unreachable) is logged and tried again at the next tick.
 *
 * The log says which it was, as the store saw it in the renewal itself: expired (nothing holds the
 * search: Redis was away or the process starved past the time to live, or a Redis that crashed lost
 * its last renewals, which appendfsync everysec allows) or taken over (another lease holds it: another
 * orchestrator's, or a later one of this owner, i.e. a runner that was never stopped kept renewing).
 * The time since the last renewal that held was sent is logged beside it.
 */
export async function startLease(options: {
  store: SearchStore; searchId: string; owner: string; ttlMs: number; onLost: () => void; log: (line: string) => void;
  /** The clock, milliseconds (Date.now). */
  now?: () => number;
}): Promise<SearchLease | null> {
  const { store, searchId, owner, ttlMs, log } = options;
  const now = options.now ?? Date.now;
  // When the last request that found the lease held was sent (logged when the lease is lost).
  let heldSince = now();
  const lease = await store.acquireLease(searchId, owner, ttlMs);
  if (!lease) return null;
  let timer: NodeJS.Timeout | null = setInterval(() => {
    const sent = now();
    store.renewLease(searchId, owner, lease.token, ttlMs).then(
      (renewal) => {
        if (renewal === 'renewed') heldSince = Math.max(heldSince, sent);
        if (renewal === 'renewed' || !timer) return;
        halt();
        const since = `last renewed ${seconds(now() - heldSince)} ago, its time to live ${seconds(ttlMs)}`;
        const why = renewal === 'taken' ? `taken over by another lease (${since})` : `it expired (${since})`;
        log(`search ${searchId}: the lease was lost, ${why}; this orchestrator stops driving it`);
        options.onLost();
      },
      (error: unknown) => log(`search ${searchId}: lease renewal failed: ${(error as Error).message}`),
    );
  }, Math.max(100, Math.floor(ttlMs / 3)));
  timer.unref();
  const halt = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };
  return {
    token: lease.token,
    halt,
    async release() {
      const held = timer !== null;
      halt();
      if (held) await store.releaseLease(searchId, owner, lease.token).catch(() => false);
    },
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
