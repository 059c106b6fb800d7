import { describe, expect, it } from 'vitest';
import { applyEvent, emptyTally, tallyLine } from './search-tally.ts';

const ev = (event: string, data: unknown, id: string | null = null) => ({ event, id, data: JSON.stringify(data) });

describe('the tally of a followed search', () => {
  it('counts asked and told candidates, failures by class and the best, from the events', () => {
    const t = emptyTally();
    expect(applyEvent(t, ev('status', { status: 'running', requested: null, error: null }))).toEqual({ kind: 'status', newBest: false });
    applyEvent(t, ev('asked', { ids: ['c000000', 'c000001', 'c000002'] }, '1'));
    expect(applyEvent(t, ev('told', { id: 'c000000', index: 0, status: 'ok', fitness: 80 }, '2')).newBest).toBe(true);
    expect(applyEvent(t, ev('told', { id: 'c000001', index: 1, status: 'failed', failureClass: 'syntax' }, '3')).newBest).toBe(false);
    expect(applyEvent(t, ev('told', { id: 'c000002', index: 2, status: 'ok', fitness: 79 }, '3')).newBest).toBe(false);
    expect(tallyLine(t, 10)).toBe('[3/10] best 80.00 (c000000), failed 1, in flight 0');
    applyEvent(t, ev('status', { status: 'running', requested: 'cancelled', error: null }));
    applyEvent(t, ev('end', { status: 'cancelled', error: null }, '3'));
    expect(t).toMatchObject({ status: 'cancelled', requested: 'cancelled', ended: true, byFailureClass: { syntax: 1 } });
  });

  it('takes a snapshot (the stream\'s start was trimmed) as the counts so far', () => {
    const t = emptyTally();
    const detail = {
      search: { id: 's', status: 'running', requested: null, error: null, createdAt: 'x', spec: {} }, started: true,
      progress: { asked: 52, told: 50, inFlight: 2, evaluations: 100 }, best: { id: 'c000031', fitness: 91 }, archives: {},
      outcomes: { ok: 45, failed: 5, byFailureClass: { shape: 5 } }, distinct: 44,
    };
    expect(applyEvent(t, ev('snapshot', detail, '400')).kind).toBe('snapshot');
    applyEvent(t, ev('told', { id: 'c000050', index: 50, status: 'failed', failureClass: 'shape' }, '401'));
    expect(tallyLine(t, 100)).toBe('[51/100] best 91.00 (c000031), failed 6, in flight 1');
  });
});
