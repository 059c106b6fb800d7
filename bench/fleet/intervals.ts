/**
 * Pure arithmetic over the busy intervals of training workers (one [start, end] per job, in epoch
 * ms): the steady-state window, the busy fraction inside it and the completion rate. Kept apart from
 * the processes that record the intervals so that what a figure means can be read in one place.
 */

/** One job a worker ran: from entering its handler to returning from it (epoch ms). */
export interface BusyInterval {
  worker: number;
  start: number;
  end: number;
}

/** A measured window and what happened in it. */
export interface SteadyState {
  /** Window bounds (epoch ms) and length (s). */
  from: number;
  to: number;
  seconds: number;
  /** Jobs that ended inside (from, to]. */
  completions: number;
  /** Jobs' worth of work done per second in the window: each job counts by the share of its duration inside it. */
  rate: number;
  /** Handler time inside the window / (workers × window): 1 = every worker always inside a handler. */
  busy: number;
  /** Jobs left out at the start (the ramp-up) and at the end (the drain). */
  skipped: { head: number; tail: number };
}

/**
 * The steady state of `workers` workers: the window from the end of the `head`-th job to finish
 * to the end of the (n − tail)-th, n jobs in all (so the first `head` jobs end before it and the
 * last `tail` after it: the ramp-up while the queues fill and the drain while the budget runs
 * out); the busy fraction: each interval clipped to the window, summed, over workers × window; and
 * the rate: each job counted by the share of it inside the window. Counting whole completions instead would be off by up to `workers` jobs in a short
 * window (workers out of phase end their jobs at any point of it). Throws when there are too few
 * jobs to leave a window after the skips (needs at least head + tail + 1).
 */
export function steadyState(intervals: readonly BusyInterval[], workers: number, head: number, tail = head): SteadyState {
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`workers must be a positive integer, got ${workers}`);
  if (![head, tail].every((k) => Number.isInteger(k) && k >= 1)) throw new Error(`the jobs skipped at each end must be positive integers, got ${head} and ${tail}`);
  const ends = intervals.map((i) => i.end).sort((a, b) => a - b);
  if (ends.length < head + tail + 1) throw new Error(`${ends.length} jobs leave no steady state after skipping the first ${head} and the last ${tail} (need at least ${head + tail + 1})`);
  const from = ends[head - 1]!;
  const to = ends[ends.length - tail - 1]!;
  const ms = to - from;
  if (!(ms > 0)) throw new Error('the steady-state window is empty: every job in it ended at the same instant');
  const completions = ends.filter((e) => e > from && e <= to).length;
  const overlap = (i: BusyInterval) => Math.max(0, Math.min(i.end, to) - Math.max(i.start, from));
  const inside = intervals.reduce((sum, i) => sum + overlap(i), 0);
  // A job of no duration is wholly inside when it ended inside.
  const work = intervals.reduce((sum, i) => sum + (i.end > i.start ? overlap(i) / (i.end - i.start) : i.end > from && i.end <= to ? 1 : 0), 0);
  return { from, to, seconds: ms / 1000, completions, rate: work / (ms / 1000), busy: inside / (workers * ms), skipped: { head, tail } };
}

/** How many distinct workers ran at least one job (a worker that never got one shows the supply was short). */
export function workersSeen(intervals: readonly BusyInterval[]): number {
  return new Set(intervals.map((i) => i.worker)).size;
}
