import { initialArchitecture, printCode } from '@nasfleet/arch';
import { runAsync, SearchEngine } from '@nasfleet/search';
import type { AsyncOperator, CandidateResult, Failure, PromptChoice } from '@nasfleet/contracts';
import type { SearchConfigInput } from '@nasfleet/search';
import type { ImageDataset } from '@nasfleet/train';
import { createCodeEvaluator } from './code-evaluator.ts';
import type { CodeEvaluatorConfig, Trainer } from './code-evaluator.ts';
import { createCodeRuleOperator } from './code-rule-operator.ts';
import { measureTestAccuracy } from './measure-test-accuracy.ts';

/** Default network-archive bounds for small proxies: width/depth ratio [0, 200], FLOPs [0.1 M, 100 M]. */
export const SMALL_PROXY_BOUNDS: [number, number][] = [[0, 200], [1e5, 1e8]];

export interface CodeSearchOptions {
  dataset: ImageDataset;
  config: Omit<SearchConfigInput, 'networkArchive'> & { networkArchive?: Partial<SearchConfigInput['networkArchive']> };
  prompts: PromptChoice[];
  crossoverPrompt: PromptChoice;
  evaluations: number;
  evaluator?: CodeEvaluatorConfig;
  /** Stand-ins for the LLM operator and the trainer (tests); default: the rule-based operator and TF.js proxy training. */
  operator?: AsyncOperator;
  trainer?: Trainer;
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
  trained: number;
  duplicates: number;
}

/**
 * A search in the open code space on one machine: the engine's requests go to the operator (rule-based
 * by default), its code to the evaluator (sandbox, checks, de-duplication, proxy training), results back.
 * Starts from SPEC §1's tiny network (1x1 conv with 1 channel → dense 1024 → dense classes).
 * The search sees validation accuracy only (a hold-out of the training images); the test split is
 * read once, after it, to report the returned network (NAS-Bench-201's protocol).
 */
export async function runCodeSearch(options: CodeSearchOptions): Promise<CodeSearchReport> {
  const { dataset } = options;
  const evaluator = createCodeEvaluator(dataset, options.evaluator ?? {}, options.trainer);
  const caps = evaluator.caps;
  const ctx = { inputShape: dataset.inputShape, numClasses: dataset.numClasses, ...caps };
  const operator = options.operator ?? createCodeRuleOperator(ctx);
  const initial = printCode(initialArchitecture(ctx), { inputShape: dataset.inputShape, numClasses: dataset.numClasses });
  const networkArchive = { niches: 100, seed: 0, bounds: SMALL_PROXY_BOUNDS, ...options.config.networkArchive };
  const engine = SearchEngine.create({ ...options.config, networkArchive }, { prompts: options.prompts, crossoverPrompt: options.crossoverPrompt, initialArtifact: initial });
  const failures: Record<string, number> = {};
  let duplicates = 0;
  await runAsync(
    engine,
    async (request) => {
      const made = await operator.apply(request);
      const result =
        made.artifact === null
          ? { id: request.id, artifact: null, outcome: { status: 'failed' as const, failure: made.failure ?? { class: 'extraction' as const, message: 'no code' } } }
          : await evaluator.evaluate(request.id, made.artifact);
      return { ...result, feedback: made.feedback ?? null };
    },
    {
      evaluations: options.evaluations,
      onResult(result, _request, told) {
        if (result.outcome.status === 'failed') failures[result.outcome.failure.class] = (failures[result.outcome.failure.class] ?? 0) + 1;
        if (result.metrics?.duplicateOfIndex !== undefined) duplicates += 1;
        options.onResult?.(result, told);
      },
    },
  );
  const best = engine.best();
  const metrics = best?.result?.metrics ?? {};
  let reported: CodeSearchReport['best'] = null;
  if (best?.result?.outcome.status === 'ok' && best.artifact !== null) {
    // Retraining (seeded, same images) rather than keeping every candidate's weights: a search keeps
    // hundreds of candidates, and in a fleet the weights stay on the worker that trained them.
    const train = options.evaluator?.train ?? {};
    const test = await measureTestAccuracy(best.artifact, dataset, { train, validation: options.evaluator?.validation ?? {}, trainer: options.trainer });
    reported = {
      id: best.id, code: best.artifact, validationAccuracy: best.result.outcome.fitness, testAccuracy: test.testAccuracy, testFailure: test.failure,
      params: metrics.params ?? NaN, flops: metrics.flops ?? NaN,
    };
  }
  return {
    engine,
    best: reported,
    failures,
    trained: evaluator.trained,
    duplicates,
  };
}
