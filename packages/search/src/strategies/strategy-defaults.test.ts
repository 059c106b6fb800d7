import { describe, expect, it } from 'vitest';
import { SearchConfig, withConfigDefaults } from '../engine/search-config.ts';
import { SearchEngine } from '../engine/search-engine.ts';
import { runToy, TOY_BOUNDS, TOY_CROSSOVER, TOY_INITIAL, TOY_PROMPTS } from '../testing/toy-space.ts';
import { builtInStrategies, defaultStrategies } from './built-in-strategies.ts';
import { createLlmatic } from './llmatic.ts';
import type { StrategyDefinition } from './strategy-definition.ts';
import { StrategyRegistry } from './strategy-registry.ts';

// Issue 10: a strategy's own defaults for settings it shares (the hybrid's for llmatic.*, whose schema defaults are the paper's).

const setup = { prompts: TOY_PROMPTS, crossoverPrompt: TOY_CROSSOVER, initialArtifact: TOY_INITIAL };
const archive = { niches: 30, bounds: TOY_BOUNDS, seed: 3 };
/** A strategy like the hybrid whose defaults differ from llmatic's in three settings, one of them nested. */
const tuned: StrategyDefinition = {
  name: 'tuned', description: 'llmatic with its own defaults', needsDescriptors: true,
  create: () => ({ ...createLlmatic({ lineageMemory: false }), name: 'tuned' }),
  configDefaults: { generationSize: 7, llmatic: { seeding: 'sample', tournamentSize: 6, curiosity: { rejected: -2 } } },
};
const registry = (): StrategyRegistry => defaultStrategies().register(tuned);

describe('per-strategy config defaults', () => {
  it("fill in what the config leaves out, for that strategy only; the schema's defaults stay the paper's", () => {
    const engine = SearchEngine.create({ strategy: 'tuned', networkArchive: archive }, setup, registry());
    expect(engine.config.generationSize).toBe(7);
    expect(engine.config.llmatic).toMatchObject({ seeding: 'sample', tournamentSize: 6, curiosity: { entered: 1, rejected: -2, failed: -1 }, mutationProbability: 0.7 });
    const paper = SearchEngine.create({ strategy: 'llmatic', networkArchive: archive }, setup, registry());
    expect(paper.config.llmatic).toEqual(SearchConfig.parse({ strategy: 'llmatic', networkArchive: archive }).llmatic);
    expect(paper.config.llmatic).toMatchObject({ seeding: 'initial', tournamentSize: 3, curiosity: { rejected: -0.5 } });
    expect(paper.config.generationSize).toBe(100);
  });

  it('lose to every setting the config gives, at any depth, the default value included', () => {
    const engine = SearchEngine.create(
      { strategy: 'tuned', generationSize: 100, networkArchive: archive, llmatic: { seeding: 'initial', curiosity: { failed: -3 } } },
      setup, registry(),
    );
    expect(engine.config.generationSize).toBe(100);
    expect(engine.config.llmatic).toMatchObject({ seeding: 'initial', tournamentSize: 6, curiosity: { entered: 1, rejected: -2, failed: -3 } });
  });

  it('change the search: the tuned strategy seeds by sampling where llmatic mutates the initial network', () => {
    const tunedEngine = SearchEngine.create({ strategy: 'tuned', networkArchive: archive }, setup, registry());
    const paper = SearchEngine.create({ strategy: 'llmatic', networkArchive: archive }, setup, registry());
    expect(tunedEngine.ask(5).slice(1).map((r) => r.operator)).toEqual(['sample', 'sample', 'sample', 'sample']);
    expect(paper.ask(5).slice(1).map((r) => r.operator)).toEqual(['mutate', 'mutate', 'mutate', 'mutate']);
  });

  it('are kept in the snapshot: a restored search runs with the config it was created with', () => {
    const engine = SearchEngine.create({ strategy: 'tuned', seed: 2, networkArchive: archive }, setup, registry());
    runToy(engine, 40);
    const restored = SearchEngine.restore(JSON.parse(JSON.stringify(engine.snapshot())), registry());
    expect(restored.config).toEqual(engine.config);
    expect(restored.config.llmatic.tournamentSize).toBe(6);
  });

  it('leave the input alone and treat an undefined setting as not given', () => {
    const input = { strategy: 'tuned', networkArchive: archive, llmatic: { tournamentSize: undefined, mutationProbability: 0.5 } };
    const merged = withConfigDefaults(input, tuned.configDefaults);
    expect(merged.llmatic).toEqual({ seeding: 'sample', tournamentSize: 6, curiosity: { rejected: -2 }, mutationProbability: 0.5 });
    expect(input.llmatic).toEqual({ tournamentSize: undefined, mutationProbability: 0.5 });
    expect(withConfigDefaults(input, undefined)).toBe(input);
  });

  it('an invalid config is refused as given, before any default is applied', () => {
    expect(() => registry().resolveConfig({ strategy: 'tuned', networkArchive: archive, llmatic: { tournamentSize: 0 } })).toThrow(/tournamentSize/);
    expect(() => registry().resolveConfig({ strategy: 'nope', networkArchive: archive })).toThrow(/unknown strategy 'nope'/);
  });

  it('are checked when a strategy is registered: valid values, known settings, sections a strategy may default', () => {
    const r = new StrategyRegistry();
    expect(() => r.register({ ...tuned, name: 'a', configDefaults: { llmatic: { tournamentSize: 0 } } })).toThrow(/invalid strategy definition 'a': configDefaults\.llmatic\.tournamentSize: /);
    expect(() => r.register({ ...tuned, name: 'b', configDefaults: { llmatic: { tournamentSzie: 6 } } as never })).toThrow(/configDefaults\.llmatic\.tournamentSzie: unknown setting/);
    expect(() => r.register({ ...tuned, name: 'c', configDefaults: { llmatic: { curiosity: { entred: 2 } } } as never })).toThrow(/configDefaults\.llmatic\.curiosity\.entred: unknown setting/);
    expect(() => r.register({ ...tuned, name: 'd', configDefaults: { seed: 3 } as never })).toThrow(/configDefaults\.seed: not a setting a strategy may default/);
    expect(r.names()).toEqual([]);
  });

  it("the built-in hybrid defaults to its tuned settings (samples as seeds, tournament of 6, exploitation); a given setting wins", () => {
    const hybrid = builtInStrategies.resolveConfig({ strategy: 'hybrid', networkArchive: archive }).llmatic;
    expect(hybrid).toMatchObject({ seeding: 'sample', tournamentSize: 6, exploitShare: 0.75, seedingInFlight: 'fill', exploitAfter: 200, crossoverPartners: 'nearest', mutationProbability: 0.7 });
    const pinned = builtInStrategies.resolveConfig({ strategy: 'hybrid', networkArchive: archive, llmatic: { seeding: 'initial', exploitShare: 0 } }).llmatic;
    expect(pinned).toMatchObject({ seeding: 'initial', exploitShare: 0, tournamentSize: 6 });
    // A fresh hybrid search asks samples first, not edits of the initial network.
    const engine = SearchEngine.create({ strategy: 'hybrid', networkArchive: archive }, setup);
    expect(engine.ask(4).slice(1).map((r) => r.operator)).toEqual(['sample', 'sample', 'sample']);
  });

  it("the built-in llmatic has no defaults of its own: { strategy: 'llmatic' } is the paper's LLMatic", () => {
    expect(builtInStrategies.get('llmatic').configDefaults).toBeUndefined();
    expect(builtInStrategies.resolveConfig({ strategy: 'llmatic', networkArchive: archive })).toEqual(SearchConfig.parse({ strategy: 'llmatic', networkArchive: archive }));
  });
});

