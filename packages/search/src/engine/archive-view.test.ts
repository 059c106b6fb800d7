import { describe, expect, it } from 'vitest';
import { TOY_BOUNDS, TOY_CROSSOVER, TOY_INITIAL, TOY_PROMPTS, runToy } from '../testing/toy-space.ts';
import { ArchiveView } from './archive-view.ts';
import { SearchEngine } from './search-engine.ts';
import type { StrategyName } from './search-config.ts';

const setup = { prompts: TOY_PROMPTS, crossoverPrompt: TOY_CROSSOVER, initialArtifact: TOY_INITIAL };
const make = (strategy: StrategyName, seed = 1) =>
  SearchEngine.create({ strategy, seed, generationSize: 20, networkArchive: { niches: 30, bounds: TOY_BOUNDS, seed: 3 }, promptArchive: { niches: 12 } }, setup);

describe('SearchEngine.archives', () => {
  it.each(['llmatic', 'hybrid'] as const)('%s: the network and prompt archives cell by cell, agreeing with status() and the told results', (strategy) => {
    const engine = make(strategy, 4);
    runToy(engine, 80, 5);
    const archives = engine.archives();
    expect(Object.keys(archives).sort()).toEqual(['network', 'prompt']);
    for (const view of Object.values(archives)) expect(ArchiveView.safeParse(view).success).toBe(true);
    const { network, prompt } = archives as Record<'network' | 'prompt', ArchiveView>;
    const details = engine.status().details;
    expect(network.niches).toBe(30);
    expect(network.cells.length).toBe(details.networkArchive?.size);
    expect(network.cells.length / network.niches).toBeCloseTo(details.networkArchive!.coverage, 12);
    expect(network.cells.reduce((s, c) => s + c.fitness, 0)).toBeCloseTo(details.networkArchive!.qdScore!, 9);
    expect(Math.max(...network.cells.map((c) => c.fitness))).toBe(details.networkArchive?.best);
    // Each network cell is a told success, at its own fitness and descriptors; niches are distinct and in order.
    expect(network.cells.map((c) => c.niche)).toEqual([...new Set(network.cells.map((c) => c.niche))].sort((a, b) => a - b));
    for (const cell of network.cells) {
      const told = engine.candidate(cell.id)?.result;
      expect(told?.outcome).toEqual({ status: 'ok', fitness: cell.fitness });
      expect(told?.descriptors).toEqual(cell.descriptors);
    }
    expect(prompt.niches).toBe(12);
    expect(prompt.cells.length).toBe(details.promptArchive?.size);
    expect(prompt.cells.length).toBeGreaterThan(0);
    for (const cell of prompt.cells) {
      expect(TOY_PROMPTS).toContainEqual(cell.prompt?.choice);
      expect(cell.descriptors[1]).toBe(cell.prompt?.temperature);
    }
  });

  it.each(['llmatic', 'hybrid', 'random', 'feedback-memory', 'regularized-evolution'] as const)('%s: reading the archives changes nothing, not even on a fresh search', (strategy) => {
    const fresh = make(strategy, 2);
    const before = JSON.stringify(fresh.snapshot());
    const empty = fresh.archives();
    expect(JSON.stringify(fresh.snapshot())).toBe(before);
    if (strategy === 'llmatic' || strategy === 'hybrid') expect(empty).toEqual({ network: { niches: 30, cells: [] }, prompt: { niches: 12, cells: [] } });
    else expect(empty).toEqual({});

    // Two searches with the same seed, one read after every batch: the same snapshot, byte for byte.
    const read = make(strategy, 7);
    const unread = make(strategy, 7);
    for (let i = 0; i < 6; i++) {
      runToy(read, 10, 3);
      runToy(unread, 10, 3);
      read.archives();
    }
    expect(JSON.stringify(read.snapshot())).toBe(JSON.stringify(unread.snapshot()));
  });

  it('hands out copies: changing what it returned does not reach the search', () => {
    const engine = make('llmatic', 3);
    runToy(engine, 40, 4);
    const first = engine.archives();
    first.network!.cells[0]!.fitness = -1;
    first.network!.cells[0]!.descriptors.push(99);
    expect(engine.archives()).not.toEqual(first);
  });
});
