import type { SearchDetail } from './api-types.ts';
import { h, replace } from './dom.ts';

/**
 * Outcomes by failure class: one bar per class (and one for the successes), longest first, with
 * counts; each row is a `li` with `data-class`.
 */
export function renderOutcomes(figure: HTMLElement, outcomes: SearchDetail['outcomes']): void {
  const rows: [string, number][] = [['ok', outcomes.ok], ...Object.entries(outcomes.byFailureClass).sort((a, b) => b[1] - a[1])];
  const total = Math.max(1, outcomes.ok + outcomes.failed);
  const list = h('ul', { class: 'bars' }, ...rows.map(([name, n]) =>
    h('li', { 'data-class': name },
      h('span', { class: 'bar-label' }, name),
      h('span', { class: 'bar-track' }, h('span', { class: `bar ${name === 'ok' ? 'ok' : 'failed'}`, style: `width: ${((100 * n) / total).toFixed(1)}%` })),
      h('span', { class: 'bar-count' }, String(n)))));
  replace(figure, list, h('figcaption', {}, `outcomes: ${outcomes.ok} ok, ${outcomes.failed} failed`));
}
