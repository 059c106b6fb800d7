import { SearchEngine } from '@nasfleet/search';
import type { CandidateResult, Failure, PromptChoice } from '@nasfleet/contracts';
import type { SearchConfigInput, StrategyRegistry } from '@nasfleet/search';
import { createGenerateStep, runLocalSearch } from '@nasfleet/steps';
import type { GeneratorSettings } from '@nasfleet/steps';
import type { ImageDataset, Trainer } from '@nasfleet/train';
import { createCodeSpace } from './code-space.ts';
import type { CodeSpaceConfig } from './code-space.ts';
import { measureTestAccuracy } from './measure-test-accuracy.ts';

export interface CodeSearchOptions {
  dataset: ImageDataset;
  config: Omit<SearchConfigInput, 'networkArchive'> & { networkArchive?: Partial<SearchConfigInput['networkArchive']> };
  prompts: PromptChoice[];
  crossoverPrompt: PromptChoice;
  evaluations: number;
  evaluator?: CodeSpaceConfig;
  /** Who writes candidates: the rule-based operator (default, no LLM) or an LLM provider with the prompt set. */
  generator?: GeneratorSettings;
  /** The hash of the prompt set (`loadPromptSet().hash`), recorded in the search's state. */
  promptSetHash?: string;
  /** A stand-in for TF.js proxy training (tests). */
  trainer?: Trainer;
  strategies?: StrategyRegistry;
  onResult?: (result: CandidateResult, told: number) => void;
}

export interface CodeSearchReport {
  engine: SearchEngine;
  /**
   * The network the search returned (best validation accuracy). `validationAccuracy` is what the
   * search saw; `testAccuracy` (percent) is measured once, after the search, by retraining it on the
   * same training images with the same seed (null, with `testFailure`, if that retraining failed).
   */
  best: {
    id: string; code: string; validationAccuracy: number; testAccuracy: number | null; testFailure: Failure | null; params: number; flops: number;
  } | null;
  failures: Record<string, number>;
  /** Candidates evaluated (trained), duplicates excluded. */
  trained: number;
  duplicates: number;
}

/**
 * A search in the open code space on one machine, through the same steps a fleet runs: the engine's
 * requests go to the generate step (rule-based operator or an LLM), the answers to the code space's
 * check (sandbox, caps), new architectures to its train step, results back. Starts from SPEC §1's tiny
 * network (1x1 conv with 1 channel → dense 1024 → dense classes). The search sees validation accuracy
 * only (a hold-out of the training images); the test split is read once, after it, to report the
 * returned network (NAS-Bench-201's protocol).
 */
export async function runCodeSearch(options: CodeSearchOptions): Promise<CodeSearchReport> {
  const { dataset } = options;
  const space = await createCodeSpace(dataset, options.evaluator ?? {}, options.trainer);
  const networkArchive = { niches: 100, seed: 0, bounds: space.descriptorBounds, ...options.config.networkArchive };
  const engine = SearchEngine.create(
    { ...options.config, networkArchive },
    { prompts: options.prompts, crossoverPrompt: options.crossoverPrompt, initialArtifact: space.initialArtifact, ...(options.promptSetHash ? { promptSetHash: options.promptSetHash } : {}) },
    options.strategies,
  );
  const failures: Record<string, number> = {};
  let duplicates = 0;
  let trained = 0;
  await runLocalSearch({
    engine, space, evaluations: options.evaluations,
    generate: createGenerateStep(space, options.generator ?? { kind: 'rule' }),
    onResult(result, _request, told) {
      if (result.metrics?.duplicateOfIndex !== undefined) duplicates += 1;
      else if (result.metrics?.trainMs !== undefined) trained += 1;
      if (result.outcome.status === 'failed') failures[result.outcome.failure.class] = (failures[result.outcome.failure.class] ?? 0) + 1;
      options.onResult?.(result, told);
    },
  });
  const best = engine.best();
  const metrics = best?.result?.metrics ?? {};
  let reported: CodeSearchReport['best'] = null;
  if (best?.result?.outcome.status === 'ok' && best.artifact !== null) {
    // Retraining (seeded, same images) rather than keeping every candidate's weights: a search keeps
    // hundreds of candidates, and in a fleet the weights stay on the worker that trained them.
    const train = options.evaluator?.train ?? {};
    const test = await measureTestAccuracy(best.artifact, dataset, { train, validation: options.evaluator?.validation ?? {}, ...(options.trainer ? { trainer: options.trainer } : {}) });
    reported = {
      id: best.id, code: best.artifact, validationAccuracy: best.result.outcome.fitness, testAccuracy: test.testAccuracy, testFailure: test.failure,
      params: metrics.params ?? NaN, flops: metrics.flops ?? NaN,
    };
  }
  return { engine, best: reported, failures, trained, duplicates };
}
