import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { CandidateResult, EngineStatus } from '@nasfleet/contracts';
import type { CandidateRequest } from '@nasfleet/contracts';
import { SearchEngine } from '@nasfleet/search';
import { createGenerateStep } from './generate-step.ts';
import { runLocalSearch } from './run-local-search.ts';
import { SpaceError, SpaceRegistry } from './space-registry.ts';
import type { SpaceDefinition } from './space-registry.ts';
import { createToySpace, TOY_CROSSOVER, TOY_PROMPTS, toyFitness, toySpaceDefinition, toyValue } from './testing/toy-space/toy-space.ts';
import type { ToySpace } from './testing/toy-space/toy-space.ts';

/** A space registered from its own folder: made by name with checked options, then searched in. */

const other: SpaceDefinition<Record<string, never>> = {
  name: 'other-space', description: 'another', options: z.strictObject({}), create: async () => createToySpace(),
};
const registry = () => new SpaceRegistry().register(toySpaceDefinition);

describe('SpaceRegistry', () => {
  it('makes a registered space by name, options checked and defaults filled in by its schema', async () => {
    const reg = registry();
    expect(reg.names()).toEqual(['toy']);
    expect(reg.get('toy')).toBe(toySpaceDefinition);
    const space = (await reg.create('toy', { max: 30, target: 9 })) as ToySpace;
    expect(space.name).toBe('toy');
    expect(space.options).toEqual({ max: 30, target: 9, dedup: true });
    expect(space.descriptorBounds).toEqual([[0, 30], [0, 4]]);
    expect(space.brief.task).toContain('between 0 and 30');
    const defaults = (await reg.create('toy')) as ToySpace;
    expect(defaults.options).toEqual({ max: 20, target: 7, dedup: true });
    expect(((await reg.create('toy', { dedup: false })) as ToySpace).dedup).toBe(false);
  });

  it('bad options are a SpaceError naming the field; the space is not made', async () => {
    const create = vi.fn(toySpaceDefinition.create);
    const reg = new SpaceRegistry().register({ ...toySpaceDefinition, create });
    await expect(reg.create('toy', { max: -1 })).rejects.toThrow(SpaceError);
    await expect(reg.create('toy', { max: -1 })).rejects.toThrow(/^options of space "toy" are invalid: max: /);
    await expect(reg.create('toy', { target: 'seven' })).rejects.toThrow(/options of space "toy" are invalid: target: .*expected number/);
    await expect(reg.create('toy', { max: 2.5, dedup: 'yes' })).rejects.toThrow(/max: .*; dedup: .*expected boolean/);
    await expect(reg.create('toy', { colour: 'red' })).rejects.toThrow(/invalid: .*colour/);
    await expect(reg.create('toy', 'x=3')).rejects.toThrow(SpaceError);
    expect(create).not.toHaveBeenCalled();
    await reg.create('toy', { max: 3 });
    expect(create).toHaveBeenCalledWith({ max: 3, target: 7, dedup: true });
  });

  it('an unknown name is a SpaceError listing the registered names, sorted', async () => {
    const reg = registry().register(other);
    expect(reg.names()).toEqual(['other-space', 'toy']);
    await expect(reg.create('nb201')).rejects.toThrow(SpaceError);
    await expect(reg.create('nb201')).rejects.toThrow('unknown search space "nb201"; registered: other-space, toy');
    expect(() => reg.get('Toy')).toThrow('unknown search space "Toy"; registered: other-space, toy');
    expect(() => new SpaceRegistry().get('toy')).toThrow('unknown search space "toy"; registered: none');
  });

  it('refuses a name registered twice, and names that are not lower-case letters, digits and dashes', () => {
    const reg = registry();
    expect(() => reg.register(toySpaceDefinition)).toThrow(SpaceError);
    expect(() => reg.register({ ...toySpaceDefinition, description: 'a second toy' })).toThrow('space "toy" is already registered');
    for (const name of ['Toy', '', 'my space', '-toy', 'toy_2', 'tøy']) {
      expect(() => reg.register({ ...toySpaceDefinition, name })).toThrow(SpaceError);
      expect(() => reg.register({ ...toySpaceDefinition, name })).toThrow(`cannot register space "${name}": name: a space name is lower-case letters, digits and dashes`);
    }
    expect(reg.names()).toEqual(['toy']);
    expect(reg.get('toy').description).toBe(toySpaceDefinition.description);
    expect(() => reg.register({ ...toySpaceDefinition, name: 'toy-2' })).not.toThrow();
    expect(reg.names()).toEqual(['toy', 'toy-2']);
  });
});

describe('a search in a registered space (runLocalSearch + SearchEngine, rule operator)', () => {
  async function search(strategy: 'llmatic' | 'random', mode: { batch: number } | { concurrency: number }, evaluations: number) {
    const space = (await registry().create('toy', { max: 20, target: 9 })) as ToySpace;
    const engine = SearchEngine.create(
      { strategy, seed: 5, generationSize: 10, networkArchive: { niches: 12, bounds: space.descriptorBounds, seed: 1 }, llmatic: { seedNetworks: 3 } },
      { prompts: TOY_PROMPTS, crossoverPrompt: TOY_CROSSOVER, initialArtifact: space.initialArtifact },
    );
    const seen: { result: CandidateResult; request: CandidateRequest; told: number }[] = [];
    await runLocalSearch({ engine, space, generate: createGenerateStep(space, { kind: 'rule' }), evaluations, ...mode, onResult: (result, request, told) => seen.push({ result, request, told }) });
    return { space, engine, seen };
  }

  it.each([
    ['llmatic', { batch: 4 }],
    ['random', { concurrency: 3 }],
  ] as const)('%s (%o): every candidate told with its fitness and descriptors; each architecture evaluated once', async (strategy, mode) => {
    const { space, engine, seen } = await search(strategy, mode, 60);
    const status = EngineStatus.parse(engine.status());
    const unlucky = seen.filter((s) => s.result.artifact === 'x=13').length;
    expect(status).toMatchObject({ strategy, asked: 60, told: 60, inFlight: 0, failed: unlucky });
    expect(seen.map((s) => s.told)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    for (const { result, request } of seen) expect(result.id).toBe(request.id);
    const records = engine.candidates();
    expect(records.every((r) => r.result !== null)).toBe(true);
    if (strategy === 'llmatic') expect(records[0]).toMatchObject({ operator: 'seed', artifact: 'x=0', result: { outcome: { status: 'ok', fitness: toyFitness(0, 9) } } });
    else expect(records.every((r) => r.operator === 'sample')).toBe(true);

    // Only 21 architectures: many duplicates, each copying an earlier candidate of the same architecture.
    const duplicates = seen.filter((s) => s.result.metrics?.duplicateOfIndex !== undefined);
    expect(duplicates.length).toBeGreaterThan(20);
    for (const { result } of seen) {
      const n = toyValue(result.artifact!)!;
      if (n === 13) expect(result).toMatchObject({ artifact: 'x=13', canonicalHash: 'toy:13', outcome: { status: 'failed', failure: { class: 'training-nan' } } });
      else expect(result).toMatchObject({ artifact: `x=${n}`, canonicalHash: `toy:${n}`, outcome: { status: 'ok', fitness: toyFitness(n, 9) }, descriptors: [n, n % 5] });
      const of = result.metrics?.duplicateOfIndex;
      if (of !== undefined) {
        expect(records[of]!.result!.canonicalHash).toBe(result.canonicalHash);
        expect(records[of]!.result!.metrics?.duplicateOfIndex).toBeUndefined();
        expect(result.metrics).not.toHaveProperty('evalUnits');
      } else expect(result.metrics?.evalUnits).toBe(n);
    }
    const evaluatedArtifacts = space.evaluated.map((e) => e.artifact);
    expect(new Set(evaluatedArtifacts).size).toBe(evaluatedArtifacts.length);
    expect(space.evaluated.length).toBe(60 - duplicates.length);
    expect(status.distinct).toBe(space.evaluated.length);
    expect(engine.best()!.result!.outcome).toMatchObject({ status: 'ok' });
    expect(status.best).toBe(Math.max(...space.evaluated.filter((e) => e.artifact !== 'x=13').map((e) => toyFitness(toyValue(e.artifact)!, 9))));
  });

  it('is reproducible: the same seed gives the same candidates in batch mode', async () => {
    const a = await search('llmatic', { batch: 4 }, 30);
    const b = await search('llmatic', { batch: 4 }, 30);
    expect(JSON.stringify(b.engine.snapshot())).toBe(JSON.stringify(a.engine.snapshot()));
  });
});
