import { describe, expect, it } from 'vitest';
import { createSerial } from './serial-chain.ts';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('createSerial', () => {
  it('runs operations one at a time in the order handed in; a failed one does not stop the next', async () => {
    const serial = createSerial({ slowMs: 60_000, log: () => undefined });
    const order: string[] = [];
    const op = (name: string, ms: number, fail = false) => serial(name, async () => {
      order.push(`${name} start`);
      await tick(ms);
      order.push(`${name} end`);
      if (fail) throw new Error(`${name} failed`);
      return name;
    });
    const results = await Promise.allSettled([op('a', 30), op('b', 1, true), op('c', 1)]);
    expect(order).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['a', 'b failed', 'c']);
  });

  it('logs an operation still running after slowMs, again while it runs, and when it settles; fast ones and those queued behind are not logged', async () => {
    const lines: string[] = [];
    let t = 0;
    const serial = createSerial({ slowMs: 50, log: (l) => lines.push(l), now: () => t });
    let release!: () => void;
    const stuck = serial('polling the store', () => new Promise<void>((r) => (release = r)));
    // Queued behind the stuck one: its clock starts only when it runs.
    const queued = serial('applying results of search s1', async () => undefined);
    // The operation starts on the chain's next turn, at t = 0.
    await tick(0);
    t = 31_000;
    await tick(80);
    expect(lines[0]).toBe('polling the store: still running after 31 s; nothing else this orchestrator does to its searches runs until it settles');
    const logged = lines.length;
    t = 62_000;
    await tick(80);
    expect(lines.length).toBeGreaterThan(logged);
    expect(lines.at(-1)).toMatch(/^polling the store: still running after 62 s;/);
    release();
    await stuck;
    await queued;
    expect(lines.at(-1)).toBe('polling the store: settled after 62 s');
    expect(lines.filter((l) => l.startsWith('applying'))).toEqual([]);
    const before = lines.length;
    await serial('fast', async () => undefined);
    expect(lines).toHaveLength(before);
  });
});
