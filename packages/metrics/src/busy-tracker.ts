/**
 * How busy a process's job slots are: the time spent inside job handlers, in total and as a share
 * of the recent past. A worker with concurrency c has c slots; a fraction of 1 means every slot was
 * busy for the whole window. The clock is injected (milliseconds), so tests drive time by hand.
 */
export interface BusyTrackerOptions {
  /** Jobs this process runs at once (its slots). */
  concurrency: number;
  /** The sliding window the fraction is computed over (default 60 s). */
  windowMs?: number;
  /** Milliseconds on a monotonic clock (default performance.now). */
  now?: () => number;
}

interface Interval {
  start: number;
  end: number | null;
}

export class BusyTracker {
  readonly concurrency: number;
  readonly windowMs: number;
  private readonly now: () => number;
  private readonly createdAt: number;
  /** Jobs running now, and jobs that ended within the window (older ones are dropped). */
  private intervals: Interval[] = [];
  /** Busy milliseconds of the jobs already dropped from `intervals`. */
  private droppedMs = 0;

  constructor(options: BusyTrackerOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new RangeError(`concurrency: must be a positive integer, got ${options.concurrency}`);
    if (options.windowMs !== undefined && !(options.windowMs > 0)) throw new RangeError(`windowMs: must be positive, got ${options.windowMs}`);
    this.concurrency = options.concurrency;
    this.windowMs = options.windowMs ?? 60_000;
    this.now = options.now ?? (() => performance.now());
    this.createdAt = this.now();
  }

  /** A job starts; call the returned function when it ends (later calls do nothing). */
  begin(): () => void {
    const interval: Interval = { start: this.now(), end: null };
    this.intervals.push(interval);
    return () => {
      if (interval.end === null) interval.end = this.now();
      this.prune();
    };
  }

  /** Busy seconds since the tracker was made, the running jobs' time so far included (never decreases). */
  busySeconds(): number {
    const now = this.now();
    this.prune(now);
    return (this.droppedMs + this.intervals.reduce((sum, i) => sum + ((i.end ?? now) - i.start), 0)) / 1000;
  }

  /**
   * Busy time over the last `windowMs` divided by the slots' time in that window, 0 to 1. A tracker
   * younger than the window divides by its age instead, so a worker that has been busy since it
   * started reads 1, not its age over the window.
   */
  fraction(): number {
    const now = this.now();
    this.prune(now);
    const from = Math.max(now - this.windowMs, this.createdAt);
    if (now <= from) return 0;
    const busy = this.intervals.reduce((sum, i) => sum + Math.max(0, (i.end ?? now) - Math.max(i.start, from)), 0);
    return Math.min(1, busy / ((now - from) * this.concurrency));
  }

  /** Drops the jobs that ended before the window, keeping their time in the total. */
  private prune(now = this.now()): void {
    const cutoff = now - this.windowMs;
    const kept: Interval[] = [];
    for (const i of this.intervals) {
      if (i.end !== null && i.end <= cutoff) this.droppedMs += i.end - i.start;
      else kept.push(i);
    }
    this.intervals = kept;
  }
}
