import { describe, expect, it } from 'vitest';
import { defaultStrategies, EngineStatus, runSync, SearchEngine, UnknownStrategyError } from '../../index.ts';
import type { CandidateRequest, SearchConfigInput } from '../../index.ts';
import { TOY_BOUNDS, TOY_CROSSOVER, TOY_PROMPTS, toyEvaluate, toyOperate } from '../toy-space.ts';
import { greedyMutateStrategy } from './greedy-mutate.ts';

/** A strategy from outside the engine: registered on a copy of the defaults, run, snapshotted, restored. */

const setup = { prompts: TOY_PROMPTS, crossoverPrompt: TOY_CROSSOVER, initialArtifact: null };
const config: SearchConfigInput = { strategy: 'greedy-mutate', seed: 7, generationSize: 20, networkArchive: { bounds: TOY_BOUNDS } };
const registry = () => defaultStrategies().register(greedyMutateStrategy);
const evaluate = (request: CandidateRequest) => toyEvaluate(request.id, toyOperate(request));

describe('a strategy registered from its own folder', () => {
  it('runs a search through runSync: it mutates the best so far and improves on random starts', () => {
    const engine = SearchEngine.create(config, setup, registry());
    const operators: string[] = [];
    runSync(
      engine,
      (request) => {
        expect(request.strategy).toBe('greedy-mutate');
        operators.push(request.operator);
        // batch 1: nothing is told between this ask and its evaluation, so the best is the parent's.
        if (request.operator === 'mutate') expect(request.parents[0]!.id).toBe(engine.best()!.id);
        return evaluate(request);
      },
      { evaluations: 200 },
    );
    expect(operators[0]).toBe('sample');
    expect(operators.filter((o) => o === 'mutate').length).toBeGreaterThan(150);
    const status = EngineStatus.parse(engine.status());
    expect(status).toMatchObject({ strategy: 'greedy-mutate', asked: 200, told: 200, inFlight: 0, distinct: 0, details: {} });
    expect(status.best).toBeGreaterThan(60); // six 3s and more
    expect((engine.snapshot().strategy as { improvements: number }).improvements).toBeGreaterThan(3);
  });

  it('continues identically after snapshot → JSON → restore with the same registry', () => {
    const straight = SearchEngine.create(config, setup, registry());
    runSync(straight, evaluate, { evaluations: 150, batch: 4 });
    const first = SearchEngine.create(config, setup, registry());
    runSync(first, evaluate, { evaluations: 72, batch: 4 });
    first.ask(2); // two in flight across the restore
    const resumed = SearchEngine.restore(JSON.parse(JSON.stringify(first.snapshot())), registry());
    const pending = resumed.candidates().filter((c) => c.result === null);
    const redo = SearchEngine.create(config, setup, registry());
    runSync(redo, evaluate, { evaluations: 72, batch: 4 });
    const requests = redo.ask(2);
    resumed.tell(requests.map(evaluate));
    redo.tell(requests.map(evaluate));
    expect(pending.map((c) => c.id)).toEqual(requests.map((r) => r.id));
    expect(JSON.stringify(resumed.snapshot())).toEqual(JSON.stringify(redo.snapshot()));
    runSync(resumed, evaluate, { evaluations: 76, batch: 4 });
    runSync(redo, evaluate, { evaluations: 76, batch: 4 });
    expect(JSON.stringify(resumed.snapshot())).toEqual(JSON.stringify(redo.snapshot()));
    expect(resumed.status().told).toBe(150);
  });

  it('cannot be created or restored without it: the error lists the registered strategies', () => {
    const engine = SearchEngine.create(config, setup, registry());
    runSync(engine, evaluate, { evaluations: 10 });
    const snapshot = JSON.parse(JSON.stringify(engine.snapshot()));
    const listed = /unknown strategy 'greedy-mutate' \(registered: llmatic, hybrid, feedback-memory, random, regularized-evolution\)/;
    expect(() => SearchEngine.restore(snapshot)).toThrow(UnknownStrategyError);
    expect(() => SearchEngine.restore(snapshot)).toThrow(listed);
    expect(() => SearchEngine.restore(snapshot)).toThrow(/restore the search with the registry it was created with/);
    expect(() => SearchEngine.create(config, setup)).toThrow(listed);
    expect(() => SearchEngine.restore(snapshot, registry())).not.toThrow();
  });
});
