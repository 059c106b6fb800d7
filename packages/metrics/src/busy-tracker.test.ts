import { describe, expect, it } from 'vitest';
import { BusyTracker } from './busy-tracker.ts';

/** Busy time and fraction on a clock the test moves by hand (milliseconds). */

const clock = () => {
  let t = 1_000;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
};

describe('BusyTracker', () => {
  it('one slot busy half of a 10 s window reads 0.5; the running job counts while it runs', () => {
    const c = clock();
    const tracker = new BusyTracker({ concurrency: 1, windowMs: 10_000, now: c.now });
    c.advance(5_000);
    const end = tracker.begin();
    c.advance(2_000);
    expect(tracker.busySeconds()).toBe(2);
    c.advance(3_000);
    end();
    expect(tracker.fraction()).toBeCloseTo(0.5);
    expect(tracker.busySeconds()).toBe(5);
    end(); // a second call changes nothing
    c.advance(1_000);
    expect(tracker.busySeconds()).toBe(5);
  });

  it('divides by the slots: two jobs on a concurrency-4 worker for the whole window read 0.5', () => {
    const c = clock();
    const tracker = new BusyTracker({ concurrency: 4, windowMs: 10_000, now: c.now });
    tracker.begin();
    tracker.begin();
    c.advance(20_000);
    expect(tracker.fraction()).toBeCloseTo(0.5);
    expect(tracker.busySeconds()).toBe(40);
  });

  it('a young tracker divides by its age, not by the window: busy since it started reads 1', () => {
    const c = clock();
    const tracker = new BusyTracker({ concurrency: 1, windowMs: 60_000, now: c.now });
    tracker.begin();
    c.advance(3_000);
    expect(tracker.fraction()).toBe(1);
  });

  it('work older than the window leaves the fraction but stays in the total', () => {
    const c = clock();
    const tracker = new BusyTracker({ concurrency: 1, windowMs: 10_000, now: c.now });
    const end = tracker.begin();
    c.advance(8_000);
    end();
    c.advance(6_000); // window is [4 s, 14 s]: 4 s of the job are in it
    expect(tracker.fraction()).toBeCloseTo(0.4);
    c.advance(10_000);
    expect(tracker.fraction()).toBe(0);
    expect(tracker.busySeconds()).toBe(8);
    expect(new BusyTracker({ concurrency: 1, now: c.now }).fraction()).toBe(0);
  });

  it('thousands of overlapping jobs ending out of order read as a brute-force sum over all of them', () => {
    const c = clock();
    const tracker = new BusyTracker({ concurrency: 4, windowMs: 5_000, now: c.now });
    const born = c.now();
    const all: { start: number; end: number | null; stop: () => void }[] = [];
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (let step = 0; step < 20_000; step++) {
      c.advance(Math.floor(next() * 3));
      const running = all.filter((j) => j.end === null);
      if (running.length < 4 && next() < 0.6) {
        const stop = tracker.begin();
        all.push({ start: c.now(), end: null, stop });
      } else if (running.length > 0) {
        const job = running[Math.floor(next() * running.length)]!;
        job.stop();
        job.end = c.now();
      }
      if (step % 2_500 === 0 || step === 19_999) {
        const now = c.now();
        const from = Math.max(now - 5_000, born);
        const total = all.reduce((sum, j) => sum + ((j.end ?? now) - j.start), 0);
        const inWindow = all.reduce((sum, j) => sum + Math.max(0, (j.end ?? now) - Math.max(j.start, from)), 0);
        expect(tracker.busySeconds()).toBeCloseTo(total / 1000, 6);
        expect(tracker.fraction()).toBeCloseTo(now > from ? Math.min(1, inWindow / ((now - from) * 4)) : 0, 9);
      }
    }
    expect(all.length).toBeGreaterThan(5_000);
  });

  it('rejects a concurrency or window that makes no sense, naming it', () => {
    expect(() => new BusyTracker({ concurrency: 0 })).toThrow(/concurrency: must be a positive integer, got 0/);
    expect(() => new BusyTracker({ concurrency: 1, windowMs: -1 })).toThrow(/windowMs: must be positive/);
  });
});
