import { ArchiveMap } from './archive-map.ts';
import { fmt, h, replace } from './dom.ts';
import { FitnessChart } from './fitness-chart.ts';
import { generationStats } from './generation-stats.ts';
import { renderOutcomes } from './outcomes-view.ts';
import type { SearchSession } from './search-session.ts';

/** The order archives are drawn in, side by side (LLMatic and the hybrid have both). */
const ARCHIVES = ['network', 'prompt'];

/**
 * The search's panel: a summary line (status, told of the budget, best, stream), its archives as
 * Voronoi maps side by side, the fitness per generation and the outcomes by failure class. Built once
 * per search; `update()` redraws from the session's data.
 */
export class SearchView {
  private readonly summary = h('div', { class: 'summary' });
  private readonly archiveRow = h('div', { class: 'row archives' });
  private readonly maps = new Map<string, ArchiveMap>();
  private readonly chartFigure = h('figure', { id: 'fitness-chart', class: 'panel chart' });
  private readonly outcomesFigure = h('figure', { id: 'outcomes', class: 'panel outcomes' });
  private readonly chart: FitnessChart;

  constructor(private readonly root: HTMLElement, private readonly session: SearchSession, private readonly pick: (candidateId: string) => void) {
    replace(root, this.summary, this.archiveRow, h('div', { class: 'row' }, this.chartFigure, this.outcomesFigure));
    this.chart = new FitnessChart(this.chartFigure);
  }

  update(): void {
    const { detail } = this.session;
    if (!detail) {
      replace(this.summary, h('p', { class: 'muted' }, this.session.error ?? 'Loading…'));
      return;
    }
    this.renderSummary();
    const names = [...ARCHIVES.filter((n) => n in detail.archives), ...Object.keys(detail.archives).filter((n) => !ARCHIVES.includes(n))];
    if (names.length === 0 && this.archiveRow.childElementCount === 0) {
      replace(this.archiveRow, h('p', { class: 'muted' }, `The ${detail.search.spec.config ? String((detail.search.spec.config as { strategy?: string }).strategy) : ''} strategy keeps no archive to draw.`));
    }
    for (const name of names) {
      const geometry = this.session.geometry.get(name);
      if (!geometry) continue;
      let map = this.maps.get(name);
      if (!map) {
        const figure = h('figure', { id: `${name}-archive`, class: 'panel archive' });
        this.archiveRow.append(figure);
        map = new ArchiveMap(figure, name, this.pick);
        this.maps.set(name, map);
      }
      map.update(geometry, this.session.archives.get(name));
    }
    this.chart.update(generationStats(this.session.candidates.filter(Boolean)), this.session.generationSize);
    renderOutcomes(this.outcomesFigure, detail.outcomes);
  }

  private renderSummary(): void {
    const d = this.session.detail!;
    const told = Math.max(d.progress.told, this.session.told());
    const budget = d.progress.evaluations;
    const network = d.archives.network;
    replace(this.summary,
      h('h2', {}, d.search.id, ' ', h('span', { class: `pill status-${d.search.status}`, id: 'search-status' }, d.search.status),
        d.search.requested && d.search.requested !== d.search.status ? h('span', { class: 'pill muted' }, `requested: ${d.search.requested}`) : null),
      h('p', { class: 'facts' },
        h('span', {}, 'told ', h('strong', { id: 'told', 'data-told': told }, String(told)), budget === null ? '' : ` / ${budget}`),
        h('span', {}, `in flight ${d.progress.inFlight}`),
        h('span', {}, 'best ', d.best ? h('a', { href: '#', onclick: (e) => this.follow(e, d.best!.id) }, `${fmt(d.best.fitness)} (${d.best.id})`) : '–'),
        network ? h('span', {}, `coverage ${fmt(100 * network.coverage, 1)}%, QD score ${fmt(network.qdScore, 1)}`) : null,
        h('span', {}, `${d.distinct} distinct`),
        h('span', { id: 'stream', class: `pill stream-${this.session.stream}` }, `events: ${this.session.stream}`)),
      budget ? h('progress', { max: budget, value: told }) : null,
      d.search.error ? h('p', { class: 'error' }, `search failed: ${d.search.error}`) : null,
      this.session.error ? h('p', { class: 'error small' }, this.session.error) : null);
  }

  private follow(event: Event, id: string): void {
    event.preventDefault();
    this.pick(id);
  }

  destroy(): void {
    this.chart.destroy();
  }
}
