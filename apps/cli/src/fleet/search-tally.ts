import { AskedEvent, EndEvent, SearchDetail, StatusEvent, ToldEvent } from './fleet-answers.ts';
import type { SseMessage } from './event-source.ts';

/** Where a followed search stands, as its event stream has told it so far. */
export interface Tally {
  status: string;
  requested: string | null;
  error: string | null;
  asked: number;
  told: number;
  failed: number;
  byFailureClass: Record<string, number>;
  best: { id: string; fitness: number } | null;
  /** The `end` event arrived: the stream is complete. */
  ended: boolean;
}

/** What one event changed, for the lines a follower prints. */
export interface Change {
  kind: 'status' | 'asked' | 'told' | 'snapshot' | 'end' | 'other';
  /** A told candidate that is the new best. */
  newBest: boolean;
}

/** A tally of nothing yet (before the first event). */
export const emptyTally = (): Tally => ({ status: 'running', requested: null, error: null, asked: 0, told: 0, failed: 0, byFailureClass: {}, best: null, ended: false });

/**
 * Applies one event of GET /v1/searches/{id}/events to the tally (in place) and says what changed.
 * A `snapshot` (sent when the stream's start was trimmed from the journal) replaces the counts with
 * the search's detail; the `told` events after it add to them.
 */
export function applyEvent(tally: Tally, message: SseMessage): Change {
  const data: unknown = JSON.parse(message.data);
  switch (message.event) {
    case 'status': {
      const s = StatusEvent.parse(data);
      Object.assign(tally, { status: s.status, requested: s.requested, error: s.error });
      return { kind: 'status', newBest: false };
    }
    case 'asked':
      tally.asked += AskedEvent.parse(data).ids.length;
      return { kind: 'asked', newBest: false };
    case 'told': {
      const t = ToldEvent.parse(data);
      tally.told++;
      if (t.status === 'failed') {
        tally.failed++;
        tally.byFailureClass[t.failureClass] = (tally.byFailureClass[t.failureClass] ?? 0) + 1;
        return { kind: 'told', newBest: false };
      }
      const newBest = tally.best === null || t.fitness > tally.best.fitness;
      if (newBest) tally.best = { id: t.id, fitness: t.fitness };
      return { kind: 'told', newBest };
    }
    case 'snapshot': {
      const d = SearchDetail.parse(data);
      Object.assign(tally, {
        status: d.search.status, requested: d.search.requested, error: d.search.error, asked: d.progress.asked, told: d.progress.told,
        failed: d.outcomes.failed, byFailureClass: { ...d.outcomes.byFailureClass }, best: d.best,
      });
      return { kind: 'snapshot', newBest: false };
    }
    case 'end': {
      const e = EndEvent.parse(data);
      Object.assign(tally, { status: e.status, error: e.error, ended: true });
      return { kind: 'end', newBest: false };
    }
    default:
      return { kind: 'other', newBest: false };
  }
}

/** Fitness as the summary shows it (percent accuracies, two decimals). */
export const fitnessText = (f: number): string => f.toFixed(2);

/** One plain progress line: `[told/budget] best …, failed …, in flight …`. */
export function tallyLine(t: Tally, budget: number | null): string {
  const best = t.best ? `best ${fitnessText(t.best.fitness)} (${t.best.id})` : 'best -';
  return `[${t.told}/${budget ?? '?'}] ${best}, failed ${t.failed}, in flight ${Math.max(0, t.asked - t.told)}`;
}
