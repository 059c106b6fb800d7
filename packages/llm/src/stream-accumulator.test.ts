import { describe, expect, it } from 'vitest';
import { StreamAccumulator } from './stream-accumulator.ts';

/** The accumulator's generation time from the pieces' arrival, on a clock the test moves. */

describe('StreamAccumulator.streamedGenerationMs', () => {
  it('the first to the last piece, scaled from the pieces after the first to all of them', () => {
    let t = 1_000;
    const acc = new StreamAccumulator({}, () => t);
    expect(acc.streamedGenerationMs()).toBeNull();
    acc.add('a ');
    expect(acc.streamedGenerationMs()).toBeNull(); // one piece: no interval to scale
    for (const piece of ['b ', '', 'c ', 'd']) {
      t += 10;
      acc.add(piece); // the empty piece (a role-only chunk) is no token and sets no time
    }
    // Pieces at 1000, 1010, 1030 and 1040 ms (the empty one at 1020 is not counted): 4 pieces over 40 ms.
    expect(acc.pieces).toBe(4);
    expect(acc.streamedGenerationMs()).toBeCloseTo((40 * 4) / 3);
  });

  it('a piece over the token cap is dropped and does not move the last time', () => {
    let t = 0;
    const acc = new StreamAccumulator({ maxTokens: 2 }, () => t);
    acc.add('a');
    t = 10;
    acc.add('b');
    t = 500;
    expect(acc.add('c')).toBe(true);
    expect(acc.truncated).toBe(true);
    expect(acc.streamedGenerationMs()).toBe(20);
  });
});
