import { describe, expect, it } from 'vitest';
import { SearchEngine } from '@nasfleet/search';
import { createGenerateStep, runLocalSearch, SpaceError } from '@nasfleet/steps';
import { loadPromptSet, promptChoices } from '@nasfleet/prompts';
import { builtInSpaces } from './built-in-spaces.ts';

/** A search request as an HTTP body would carry it: a space by name with its options, a strategy by name. */
async function runBody(body: { space: { name: string; options: unknown }; config: Record<string, unknown>; evaluations: number }) {
  const space = await builtInSpaces().create(body.space.name, body.space.options);
  const prompts = loadPromptSet();
  const engine = SearchEngine.create(
    { ...body.config, strategy: String(body.config.strategy), networkArchive: { niches: 20, seed: 0, bounds: space.descriptorBounds } },
    { prompts: promptChoices(prompts.mutations), crossoverPrompt: prompts.crossover, initialArtifact: space.initialArtifact, promptSetHash: prompts.hash },
  );
  await runLocalSearch({ engine, space, generate: createGenerateStep(space, { kind: 'rule' }), evaluations: body.evaluations });
  return engine;
}

describe('the built-in spaces, made from a request naming them', () => {
  it('nb201: a JSON body naming the space, its options and a strategy runs a search', async () => {
    const body = JSON.parse('{"space":{"name":"nb201","options":{"dataset":"cifar100","signal":"val12"}},"config":{"strategy":"hybrid","seed":3},"evaluations":40}');
    const engine = await runBody(body);
    const status = engine.status();
    expect(status).toMatchObject({ strategy: 'hybrid', asked: 40, told: 40 });
    expect(status.best).toBeGreaterThan(30); // CIFAR-100 12-epoch validation accuracy, percent
    expect(engine.candidates()[0]!.artifact).toBe('|none~0|+|none~0|none~1|+|nor_conv_1x1~0|none~1|none~2|');
  });

  it('code: the same door makes the open code space, which trains what the rule operator writes', async () => {
    const body = { space: { name: 'code', options: { train: { trainSubset: 256, learningRate: 0.05 }, validation: { count: 64 } } }, config: { strategy: 'llmatic', seed: 1, generationSize: 2, llmatic: { seedNetworks: 2 } }, evaluations: 3 };
    const engine = await runBody(body);
    const told = engine.candidates().filter((c) => c.result !== null);
    expect(told).toHaveLength(3);
    expect(told[0]!.artifact).toContain('function buildModel(tf, inputShape, numClasses)');
    expect(told.some((c) => c.result!.outcome.status === 'ok')).toBe(true);
    expect(engine.status().distinct).toBeGreaterThanOrEqual(1);
  }, 300_000);

  it('refuses an unknown space or bad options, saying what is allowed', async () => {
    await expect(builtInSpaces().create('nb301', {})).rejects.toThrow(/unknown search space "nb301"; registered: code, nb201/);
    await expect(builtInSpaces().create('nb201', { dataset: 'mnist' })).rejects.toThrow(SpaceError);
    await expect(builtInSpaces().create('nb201', { dataset: 'mnist' })).rejects.toThrow(/options of space "nb201" are invalid: dataset: /);
    await expect(builtInSpaces().create('code', { caps: { maxParams: -1 } })).rejects.toThrow(/caps\.maxParams/);
  });
});
