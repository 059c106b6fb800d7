import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { createSearchMetrics } from './search-metrics.ts';
import type { SearchStatusStats } from './search-metrics.ts';
import { promtoolCheckMetrics } from './testing/promtool.ts';
import { sampleValue } from './testing/samples.ts';

/** The orchestrator's per-search instruments on a real prom-client registry. */

const status = (over: Partial<SearchStatusStats> = {}): SearchStatusStats => ({
  asked: 12, told: 10, inFlight: 2, failed: 3, distinct: 9, best: 91.5,
  details: { networkArchive: { size: 7, coverage: 0.07, qdScore: 512.25 }, promptArchive: { size: 4, coverage: 0.5, qdScore: 20 } },
  ...over,
});

describe('createSearchMetrics', () => {
  it("writes a search's engine status into gauges per search and archive", async () => {
    const registry = new Registry();
    const metrics = createSearchMetrics(registry);
    metrics.observe('s1', status(), 'running');
    const text = await registry.metrics();
    const s1 = { search: 's1' };
    expect(sampleValue(text, 'nasfleet_search_status', { search: 's1', status: 'running' })).toBe(1);
    expect(sampleValue(text, 'nasfleet_search_asked_candidates', s1)).toBe(12);
    expect(sampleValue(text, 'nasfleet_search_told_candidates', s1)).toBe(10);
    expect(sampleValue(text, 'nasfleet_search_in_flight_candidates', s1)).toBe(2);
    expect(sampleValue(text, 'nasfleet_search_failed_candidates', s1)).toBe(3);
    expect(sampleValue(text, 'nasfleet_search_distinct_architectures', s1)).toBe(9);
    expect(sampleValue(text, 'nasfleet_search_best_fitness', s1)).toBe(91.5);
    expect(sampleValue(text, 'nasfleet_search_archive_coverage_ratio', { search: 's1', archive: 'network' })).toBe(0.07);
    expect(sampleValue(text, 'nasfleet_search_archive_qd_score', { search: 's1', archive: 'network' })).toBe(512.25);
    expect(sampleValue(text, 'nasfleet_search_archive_elites', { search: 's1', archive: 'prompt' })).toBe(4);
    expect(await promtoolCheckMetrics(text)).toEqual({ code: 0, output: '' });
  });

  it('a new observation replaces the old (status included); no best and no archive leave those series out', async () => {
    const registry = new Registry();
    const metrics = createSearchMetrics(registry);
    metrics.observe('s1', status(), 'running');
    metrics.observe('s1', status({ best: null, details: {} }), 'done');
    const text = await registry.metrics();
    expect(sampleValue(text, 'nasfleet_search_status', { search: 's1', status: 'running' })).toBeUndefined();
    expect(sampleValue(text, 'nasfleet_search_status', { search: 's1', status: 'done' })).toBe(1);
    expect(sampleValue(text, 'nasfleet_search_best_fitness', { search: 's1' })).toBeUndefined();
    expect(sampleValue(text, 'nasfleet_search_archive_coverage_ratio', { search: 's1', archive: 'network' })).toBeUndefined();
  });

  it('counts told results by outcome and failure class; forget drops every series of the search and only those', async () => {
    const registry = new Registry();
    const metrics = createSearchMetrics(registry);
    metrics.observe('s1', status(), 'running');
    metrics.observe('s2', status({ told: 1 }), 'running');
    metrics.told('s1', null);
    metrics.told('s1', null);
    metrics.told('s1', 'shape');
    metrics.told('s2', 'duplicate');
    let text = await registry.metrics();
    expect(sampleValue(text, 'nasfleet_search_results_total', { search: 's1', outcome: 'ok', failure_class: 'none' })).toBe(2);
    expect(sampleValue(text, 'nasfleet_search_results_total', { search: 's1', outcome: 'failed', failure_class: 'shape' })).toBe(1);
    expect(await promtoolCheckMetrics(text)).toEqual({ code: 0, output: '' });
    metrics.forget('s1');
    text = await registry.metrics();
    expect(text).not.toContain('search="s1"');
    expect(sampleValue(text, 'nasfleet_search_told_candidates', { search: 's2' })).toBe(1);
    expect(sampleValue(text, 'nasfleet_search_results_total', { search: 's2', failure_class: 'duplicate' })).toBe(1);
  });
});
