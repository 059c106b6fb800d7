import { loadNb201Table, runNb201Search } from '@nasfleet/nb201';
import type { CandidateResult } from '@nasfleet/contracts';
import { promptChoices } from '@nasfleet/prompts';
import type { CliOptions } from './cli-args.ts';
import { describeGenerator, formatLlmUsage, llmUsageCounter, setUpGenerator } from './llm-setup.ts';
import type { LlmChoice, LlmUsage } from './llm-setup.ts';

/** What a finished NB201 search reports. */
export interface Nb201CliReport {
  space: 'nb201';
  strategy: string;
  dataset: string;
  signal: string;
  evaluations: number;
  seed: number;
  best: { arch: string; validation: number; test200: number; foundAt: number; paramsM: number; flopsM: number } | null;
  archive: { coverage: number; qdScore: number; niches: number };
  failures: number;
  llm: LlmChoice;
  llmUsage: LlmUsage;
  seconds: number;
}

/** Runs a search on the NB201 table (rule-based operator or an LLM editing the cell string) and returns its report; `onTold` sees each result. */
export async function runNb201Command(
  options: Extract<CliOptions, { space: 'nb201' }>, env: { openAiApiKey: string | null }, onTold: (result: CandidateResult, told: number) => void = () => undefined,
): Promise<Nb201CliReport> {
  const started = performance.now();
  const table = loadNb201Table();
  const { settings, choice, prompts } = await setUpGenerator(options, env);
  const usage = llmUsageCounter();
  const report = await runNb201Search({
    table, dataset: options.dataset, signal: options.signal, evaluations: options.evaluations, batch: options.batch,
    prompts: promptChoices(prompts.mutations), crossoverPrompt: prompts.crossover, promptSetHash: prompts.hash, generator: settings,
    config: { strategy: options.strategy, seed: options.seed, llmatic: { ablation: options.ablation } },
    onResult: (result, told) => {
      usage.add(result.metrics);
      onTold(result, told);
    },
  });
  const best = report.best;
  const index = best ? table.indexOf(best.arch) : -1;
  return {
    space: 'nb201', strategy: options.strategy, dataset: options.dataset, signal: options.signal, evaluations: options.evaluations, seed: options.seed,
    best: best && index >= 0
      ? {
          arch: best.arch, validation: best.fitness, test200: best.test200, foundAt: best.evaluation,
          paramsM: table.value(index, options.dataset, 'params'), flopsM: table.value(index, options.dataset, 'flops'),
        }
      : null,
    archive: { coverage: report.coverage, qdScore: report.qdScore, niches: 100 },
    failures: report.failures,
    llm: choice,
    llmUsage: usage.total(),
    seconds: (performance.now() - started) / 1000,
  };
}

/** The report as the text the README shows. */
export function formatNb201Report(r: Nb201CliReport): string {
  const seen = r.signal === 'val200' ? '200-epoch' : '12-epoch';
  const lines = [`nasfleet: ${r.strategy} search on NAS-Bench-201 (${r.dataset}), ${r.evaluations} evaluations, seed ${r.seed}, ${describeGenerator(r.llm)}`];
  if (r.best) {
    lines.push(
      `best cell:   ${r.best.arch}`,
      `  ${seen} validation accuracy (what the search saw): ${r.best.validation.toFixed(2)}%, found at evaluation ${r.best.foundAt}`,
      `  200-epoch test accuracy (reported):              ${r.best.test200.toFixed(2)}%`,
      `  parameters ${r.best.paramsM.toFixed(3)} M, FLOPs ${r.best.flopsM.toFixed(1)} M`,
    );
  } else {
    lines.push('best cell:   none (every candidate failed)');
  }
  lines.push(
    `network archive: coverage ${(100 * r.archive.coverage).toFixed(0)}% of ${r.archive.niches} niches, QD score ${r.archive.qdScore.toFixed(1)}`,
    `failed candidates: ${r.failures}; ${r.seconds.toFixed(1)} s`,
  );
  if (r.llm.provider !== 'rule') lines.push(formatLlmUsage(r.llmUsage));
  lines.push(`prompt set ${r.llm.promptSetHash.slice(0, 12)} (${r.llm.promptsDir})`);
  return lines.join('\n');
}
