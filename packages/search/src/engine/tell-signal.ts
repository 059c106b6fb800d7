/**
 * For steady-state drivers whose workers each ask one candidate at a time: a worker the engine gave
 * nothing (its strategy waits for results, see `SearchEngine.ask`) waits for the next result told, or
 * for the run to stop, then asks again.
 */
export class TellSignal {
  private waiters: (() => void)[] = [];

  /** Settles at the next `notify()`. */
  next(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Wakes every waiting worker: call after each tell, and when the run stops (an error). */
  notify(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
  }
}
