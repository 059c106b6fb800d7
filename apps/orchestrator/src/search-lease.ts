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
 * its time to live. When a renewal finds the lease gone (it expired, another orchestrator took it),
 * renewing stops and `onLost` is called: the holder must stop writing (its writes would be refused by
 * the fence anyway). A renewal that fails (Redis unreachable) is logged and tried again at the next tick.
 *
 * The log says which of the two it was where the clock can tell: a lease found gone less than its time
 * to live after the last renewal that held was *sent* was still live when looked at, so someone took it
 * over; found gone later (Redis away, the process starved), it may simply have expired.
 */
export async function startLease(options: {
  store: SearchStore; searchId: string; owner: string; ttlMs: number; onLost: () => void; log: (line: string) => void;
  /** The clock, milliseconds (Date.now). */
  now?: () => number;
}): Promise<SearchLease | null> {
  const { store, searchId, owner, ttlMs, log } = options;
  const now = options.now ?? Date.now;
  // When the last request that found the lease held was sent: the lease lives until at least ttlMs after.
  let heldSince = now();
  const lease = await store.acquireLease(searchId, owner, ttlMs);
  if (!lease) return null;
  let timer: NodeJS.Timeout | null = setInterval(() => {
    const sent = now();
    store.renewLease(searchId, owner, lease.token, ttlMs).then(
      (held) => {
        if (held) heldSince = Math.max(heldSince, sent);
        if (held || !timer) return;
        halt();
        const silent = now() - heldSince;
        const why = silent < ttlMs
          ? `taken over while still live (last renewed ${seconds(silent)} ago, its time to live ${seconds(ttlMs)})`
          : `not renewed for ${seconds(silent)}, more than its time to live ${seconds(ttlMs)}: it may have expired`;
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
