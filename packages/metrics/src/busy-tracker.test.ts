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

  it('rejects a concurrency or window that makes no sense, naming it', () => {
    expect(() => new BusyTracker({ concurrency: 0 })).toThrow(/concurrency: must be a positive integer, got 0/);
    expect(() => new BusyTracker({ concurrency: 1, windowMs: -1 })).toThrow(/windowMs: must be positive/);
  });
});
