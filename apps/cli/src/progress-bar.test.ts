import { describe, expect, it } from 'vitest';
import { createProgress } from './progress-bar.ts';
import { searchProgress } from './search-progress.ts';

/** A stand-in for stderr that records what was written. */
const stream = (isTTY: boolean) => {
  const written: string[] = [];
  return { written, isTTY, columns: 100, write: (text: string) => (written.push(text), true) };
};

describe('the progress display', () => {
  it('draws a bar on a terminal, with logged lines above it', () => {
    const s = stream(true);
    const p = createProgress(s, 10, '{bar} {value}/{total} | best {best}', { best: '-' });
    p.update(4, { best: '91.20' });
    p.log('a line of its own');
    p.update(10, { best: '93.00' });
    p.stop();
    const text = s.written.join('');
    expect(p.tty).toBe(true);
    expect(text).toMatch(/[\u2588]{30} 10\/10 \| best 93\.00/);
    expect(text).toContain('a line of its own\n');
    expect(text).toContain('\x1b['); // redrawn in place
  });

  it('writes only the logged lines elsewhere: no bar, no control codes', () => {
    const s = stream(false);
    const p = searchProgress(s, 3);
    p.told({ id: 'c000000', outcome: { status: 'ok', fitness: 90 } } as never, 1);
    p.log('[1/3] c000000 validation accuracy 90.0%');
    p.told({ id: 'c000001', outcome: { status: 'failed', failure: { class: 'syntax', message: 'x' } } } as never, 2);
    p.stop();
    expect(s.written).toEqual(['[1/3] c000000 validation accuracy 90.0%\n']);
  });

  it('tracks the best and the failures of a local search on the bar', () => {
    const s = stream(true);
    const p = searchProgress(s, 2);
    p.told({ id: 'c000000', outcome: { status: 'ok', fitness: 88.5 } } as never, 1);
    p.told({ id: 'c000001', outcome: { status: 'failed', failure: { class: 'syntax', message: 'x' } } } as never, 2);
    p.stop();
    expect(s.written.join('')).toMatch(/2\/2 \| best 88\.50 \| failed 1/);
  });
});
