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

/**
 * Tracks jobs in two parts: the running ones (at most the worker's concurrency, usually) and the
 * finished ones in the order they ended, so that dropping those older than the window only ever
 * looks at the oldest. A job's end costs O(1) amortised, whatever the job rate; the fraction and the
 * total, read on a scrape, cost O(jobs in the window).
 */
export class BusyTracker {
  readonly concurrency: number;
  readonly windowMs: number;
  private readonly now: () => number;
  private readonly createdAt: number;
  /** Jobs running now. */
  private readonly running = new Set<Interval>();
  /** Jobs that ended within the window, oldest end first, from `head` on (those before it are dropped). */
  private finished: Interval[] = [];
  private head = 0;
  /** Busy milliseconds of the jobs already dropped from `finished`. */
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
    this.running.add(interval);
    return () => {
      if (interval.end !== null) return;
      interval.end = this.now();
      this.running.delete(interval);
      this.finished.push(interval);
      this.prune(interval.end);
    };
  }

  /** Busy seconds since the tracker was made, the running jobs' time so far included (never decreases). */
  busySeconds(): number {
    const now = this.now();
    this.prune(now);
    let ms = this.droppedMs;
    for (let k = this.head; k < this.finished.length; k++) ms += this.finished[k]!.end! - this.finished[k]!.start;
    for (const i of this.running) ms += now - i.start;
    return ms / 1000;
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
    const overlap = (i: Interval): number => Math.max(0, (i.end ?? now) - Math.max(i.start, from));
    let busy = 0;
    for (let k = this.head; k < this.finished.length; k++) busy += overlap(this.finished[k]!);
    for (const i of this.running) busy += overlap(i);
    return Math.min(1, busy / ((now - from) * this.concurrency));
  }

  /** Drops the jobs that ended before the window, keeping their time in the total. */
  private prune(now: number): void {
    const cutoff = now - this.windowMs;
    const list = this.finished;
    while (this.head < list.length && list[this.head]!.end! <= cutoff) {
      const i = list[this.head]!;
      this.droppedMs += i.end! - i.start;
      this.head += 1;
    }
    // Compact once the dropped prefix is most of the array (amortised O(1) per job).
    if (this.head > 1024 && this.head * 2 > list.length) {
      this.finished = list.slice(this.head);
      this.head = 0;
    }
  }
}
