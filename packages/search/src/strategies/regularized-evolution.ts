import { z } from 'zod';
import type { Strategy } from './strategy.ts';
import { bareProposal } from './strategy.ts';
import type { StrategyDefinition } from './strategy-definition.ts';

const State = z.object({ population: z.array(z.string()), asked: z.number().int() });

/**
 * Regularized (aging) evolution, Real et al. 2019: fill a population of P random architectures;
 * then each child mutates the best of a tournament of S uniform draws from the population, joins it,
 * and the oldest member leaves. Failed children never join. Mutation is one edit ('mutate' with no prompt).
 */
export function createRegularizedEvolution(snapshot?: unknown): Strategy {
  const state = snapshot === undefined ? { population: [] as string[], asked: 0 } : State.parse(snapshot);
  return {
    name: 'regularized-evolution',
    startsFromInitial: false,
    propose(ctx) {
      const { population: size, tournament } = ctx.config.regularizedEvolution;
      state.asked += 1;
      if (state.asked <= size || state.population.length === 0) return bareProposal('sample', [], 1);
      const contenders = Array.from({ length: tournament }, () => ctx.rng.pick(state.population));
      let parent = contenders[0]!;
      for (const id of contenders) if ((ctx.log.fitness(id) ?? -Infinity) > (ctx.log.fitness(parent) ?? -Infinity)) parent = id;
      return bareProposal('mutate', [ctx.log.ref(parent)], 0.1);
    },
    observe(ctx, record) {
      if (record.result.outcome.status !== 'ok') return;
      state.population.push(record.id);
      if (state.population.length > ctx.config.regularizedEvolution.population) state.population.shift();
    },
    stats: () => ({ population: state.population.length }),
    snapshot: () => structuredClone(state),
  };
}

/** Registry entry of regularized evolution. */
export const regularizedEvolutionStrategy: StrategyDefinition = {
  name: 'regularized-evolution',
  description: 'regularized (aging) evolution, Real et al. 2019: tournament selection, one-edit mutations, the oldest member leaves',
  needsDescriptors: false,
  create: (_config, snapshot) => createRegularizedEvolution(snapshot),
};
