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
 */
export async function startLease(options: {
  store: SearchStore; searchId: string; owner: string; ttlMs: number; onLost: () => void; log: (line: string) => void;
}): Promise<SearchLease | null> {
  const { store, searchId, owner, ttlMs, log } = options;
  const lease = await store.acquireLease(searchId, owner, ttlMs);
  if (!lease) return null;
  let timer: NodeJS.Timeout | null = setInterval(() => {
    store.renewLease(searchId, owner, lease.token, ttlMs).then(
      (held) => {
        if (held || !timer) return;
        halt();
        log(`search ${searchId}: the lease was lost; this orchestrator stops driving it`);
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
