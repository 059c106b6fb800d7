import { describe, expect, it } from 'vitest';
import { EngineStatus, StrategyStats } from '@nasfleet/contracts';
import { StrategyName } from '../engine/search-config.ts';
import { SearchEngine } from '../engine/search-engine.ts';
import { runToy, TOY_BOUNDS, TOY_CROSSOVER, TOY_INITIAL, TOY_PROMPTS } from '../testing/toy-space.ts';
import { builtInStrategies, defaultStrategies } from './built-in-strategies.ts';
import { createRandomSearch } from './random-search.ts';
import type { StrategyDefinition } from './strategy-definition.ts';
import { StrategyRegistry, UnknownStrategyError } from './strategy-registry.ts';

const random: StrategyDefinition = { name: 'random', description: 'random', needsDescriptors: false, create: () => createRandomSearch() };
const setup = { prompts: TOY_PROMPTS, crossoverPrompt: TOY_CROSSOVER, initialArtifact: TOY_INITIAL };

describe('StrategyRegistry', () => {
  it('holds the five built-ins, in StrategyName order, frozen', () => {
    expect(builtInStrategies.names()).toEqual(StrategyName.options);
    expect(builtInStrategies.frozen).toBe(true);
    expect(() => builtInStrategies.register({ ...random, name: 'mine' })).toThrow(/frozen/);
    const copy = defaultStrategies();
    expect(copy.frozen).toBe(false);
    copy.register({ ...random, name: 'mine' });
    expect(copy.names()).toEqual([...StrategyName.options, 'mine']);
    expect(builtInStrategies.has('mine')).toBe(false);
    expect(builtInStrategies.get('llmatic').needsDescriptors).toBe(true);
    expect(builtInStrategies.get('feedback-memory').needsDescriptors).toBe(false);
  });

  it('refuses a duplicate name, an invalid name or a malformed definition, saying which', () => {
    const registry = new StrategyRegistry([random]);
    expect(() => registry.register(random)).toThrow(/strategy 'random' is already registered/);
    expect(() => registry.register({ ...random, name: 'Greedy Mutate' })).toThrow(/invalid strategy definition 'Greedy Mutate': name: a strategy name is lower-case/);
    expect(() => registry.register({ ...random, name: '' })).toThrow(/name/);
    expect(() => registry.register({ ...random, name: 'x', create: 'nope' } as unknown as StrategyDefinition)).toThrow(/create: create must be a function/);
    expect(() => registry.register({ ...random, name: 'x', description: ' ' })).toThrow(/description/);
    expect(registry.names()).toEqual(['random']);
  });

  it('answers an unknown name with the registered names', () => {
    const registry = new StrategyRegistry([random]);
    expect(() => registry.get('nope')).toThrow(UnknownStrategyError);
    expect(() => registry.get('nope')).toThrow("unknown strategy 'nope' (registered: random)");
    expect(() => new StrategyRegistry().get('nope')).toThrow('(registered: none)');
    expect(() => SearchEngine.create({ strategy: 'nope', networkArchive: { bounds: TOY_BOUNDS } }, setup)).toThrow(
      "unknown strategy 'nope' (registered: llmatic, hybrid, feedback-memory, random, regularized-evolution)",
    );
  });

  it('keeps what was registered even if the caller changes its object afterwards', () => {
    const mine = { ...random, name: 'mine' };
    const registry = new StrategyRegistry([mine]);
    mine.needsDescriptors = true;
    expect(registry.get('mine').needsDescriptors).toBe(false);
  });

  it('refuses a definition whose strategy carries another name (requests and status carry it)', () => {
    const registry = new StrategyRegistry([{ ...random, name: 'liar' }]);
    expect(() => SearchEngine.create({ strategy: 'liar', networkArchive: { bounds: TOY_BOUNDS } }, setup, registry)).toThrow(
      "strategy 'liar' made a strategy named 'random'",
    );
  });

  it.each(StrategyName.options)('%s: status() is an EngineStatus whose details are StrategyStats and nothing else', (strategy) => {
    const engine = SearchEngine.create({ strategy, seed: 1, generationSize: 20, networkArchive: { niches: 30, bounds: TOY_BOUNDS, seed: 3 } }, setup);
    runToy(engine, 60);
    const status = engine.status();
    expect(EngineStatus.parse(status)).toEqual(status);
    expect(() => StrategyStats.strict().parse(status.details)).not.toThrow();
  });
});
