import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import { FailureClass } from '@nasfleet/contracts';
import { NO_FAILURE, outcomeLabels } from './outcome-labels.ts';

/** `<outcome> <failure_class>` of every result there can be: ok, and failed with each failure class. */
const ALL_OUTCOMES = [`ok ${NO_FAILURE}`, ...FailureClass.options.map((c) => `failed ${c}`)];

/** Statistics of one archive, as contracts' ArchiveSummary has them. */
export interface ArchiveStats {
  size: number;
  coverage: number;
  qdScore?: number | undefined;
}

/**
 * What the search gauges read of a search engine's status: contracts' EngineStatus has this shape
 * (this package depends on prom-client only, so it names the fields it reads instead of importing it).
 */
export interface SearchStatusStats {
  asked: number;
  told: number;
  inFlight: number;
  failed: number;
  distinct: number;
  best: number | null;
  details: { networkArchive?: ArchiveStats | undefined; promptArchive?: ArchiveStats | undefined };
}

/** The orchestrator's per-search instruments. */
export interface SearchMetrics {
  /** The search's latest engine status and its lifecycle status (running, done, …); replaces what was observed before. */
  observe(searchId: string, status: SearchStatusStats, searchStatus: string): void;
  /** A result was told to the search's engine: ok (`failureClass` null) or failed with that class. */
  told(searchId: string, failureClass: string | null): void;
  /** Drops every series of the search (it ended and was read, or another orchestrator drives it now). */
  forget(searchId: string): void;
}

interface SearchEntry {
  status: SearchStatusStats | null;
  searchStatus: string | null;
  /** Results told, by `outcome failure_class`. */
  told: Map<string, number>;
}

const ARCHIVES = [['network', 'networkArchive'], ['prompt', 'promptArchive']] as const;

/**
 * Registers the per-search gauges and the told counter on `registry`. Values live in one map per
 * search and are written into the instruments at each scrape (prom-client's collect), so a forgotten
 * search leaves no stale series and a status is never half updated. The `search` label is bounded by
 * the searches an orchestrator drives; call forget when one ends to keep it so.
 */
export function createSearchMetrics(registry: Registry): SearchMetrics {
  const searches = new Map<string, SearchEntry>();
  const registers = [registry];
  const entry = (searchId: string): SearchEntry => {
    let e = searches.get(searchId);
    // Every outcome's series from the start at 0 (Prometheus's advice for known label values): rate()
    // cannot see a counter's first value, so a class whose first results all came between two scrapes
    // would never show.
    if (!e) searches.set(searchId, (e = { status: null, searchStatus: null, told: new Map(ALL_OUTCOMES.map((key) => [key, 0])) }));
    return e;
  };
  /** A gauge per search from a field of its status; a null value leaves the series out. */
  const perSearch = (name: string, help: string, read: (s: SearchStatusStats) => number | null) =>
    new Gauge({
      name, help, labelNames: ['search'], registers,
      collect() {
        this.reset();
        for (const [search, e] of searches) {
          const value = e.status ? read(e.status) : null;
          if (value !== null) this.set({ search }, value);
        }
      },
    });
  const perArchive = (name: string, help: string, read: (a: ArchiveStats) => number | undefined) =>
    new Gauge({
      name, help, labelNames: ['search', 'archive'], registers,
      collect() {
        this.reset();
        for (const [search, e] of searches) {
          for (const [archive, field] of ARCHIVES) {
            const stats = e.status?.details[field];
            const value = stats ? read(stats) : undefined;
            if (value !== undefined) this.set({ search, archive }, value);
          }
        }
      },
    });

  new Gauge({
    name: 'nasfleet_search_status', help: "1 for the search's lifecycle status (running, done, …)", labelNames: ['search', 'status'], registers,
    collect() {
      this.reset();
      for (const [search, e] of searches) if (e.searchStatus !== null) this.set({ search, status: e.searchStatus }, 1);
    },
  });
  perSearch('nasfleet_search_asked_candidates', 'Candidates the engine has handed out', (s) => s.asked);
  perSearch('nasfleet_search_told_candidates', 'Results the engine has been told', (s) => s.told);
  perSearch('nasfleet_search_in_flight_candidates', 'Candidates handed out and not told yet', (s) => s.inFlight);
  perSearch('nasfleet_search_failed_candidates', 'Told results that were failures', (s) => s.failed);
  perSearch('nasfleet_search_distinct_architectures', 'Distinct architectures (canonical hashes) the search has seen', (s) => s.distinct);
  perSearch('nasfleet_search_best_fitness', "Best fitness told so far (the space's unit: percent for the built-in spaces); absent before the first success", (s) => s.best);
  perArchive('nasfleet_search_archive_coverage_ratio', "Share of the archive's cells that hold an elite (0 to 1)", (a) => a.coverage);
  perArchive('nasfleet_search_archive_qd_score', "The archive's QD score (the sum of its elites' fitness)", (a) => a.qdScore);
  perArchive('nasfleet_search_archive_elites', 'Elites in the archive (filled cells)', (a) => a.size);
  new Counter({
    name: 'nasfleet_search_results_total', help: "Results told to the search's engine, by outcome (ok, failed) and failure class (none when ok)", labelNames: ['search', 'outcome', 'failure_class'], registers,
    collect() {
      this.reset();
      for (const [search, e] of searches) {
        for (const [key, n] of e.told) {
          const [outcome, failureClass] = key.split(' ') as [string, string];
          this.inc({ search, outcome, failure_class: failureClass }, n);
        }
      }
    },
  });

  return {
    observe(searchId, status, searchStatus) {
      const e = entry(searchId);
      e.status = status;
      e.searchStatus = searchStatus;
    },
    told(searchId, failureClass) {
      const labels = outcomeLabels(failureClass);
      const told = entry(searchId).told;
      const key = `${labels.outcome} ${labels.failure_class}`;
      told.set(key, (told.get(key) ?? 0) + 1);
    },
    forget(searchId) {
      searches.delete(searchId);
    },
  };
}
