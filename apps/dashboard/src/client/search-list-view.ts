import type { SearchSummary } from './api-types.ts';
import { h, replace } from './dom.ts';

/** The searches, most recent first: id, status, strategy and space, told of the budget. Clicking one opens it. */
export function renderSearchList(list: HTMLElement, searches: readonly SearchSummary[], selected: string | null, open: (id: string) => void): void {
  if (searches.length === 0) {
    replace(list, h('li', { class: 'muted' }, 'No searches yet.'));
    return;
  }
  replace(list, ...searches.map((s) =>
    h('li', { class: s.id === selected ? 'selected' : null, 'data-search': s.id },
      h('button', { type: 'button', class: 'search-item', onclick: () => open(s.id) },
        h('span', { class: 'search-id' }, s.id),
        h('span', { class: `pill status-${s.status}` }, s.status),
        h('span', { class: 'muted small' }, `${s.strategy ?? '?'} · ${s.space ?? '?'} · ${s.told}/${s.evaluations ?? '?'}`)))));
}
