import type { CandidateResult } from '@nasfleet/contracts';
import { loadFashionMnist } from '@nasfleet/datasets';
import { exportNetwork, runCodeSearch } from '@nasfleet/pipeline';
import type { CodeSearchReport } from '@nasfleet/pipeline';
import { promptChoices } from '@nasfleet/prompts';
import { selectBackend } from '@nasfleet/train';
import type { CliOptions } from './cli-args.ts';
import { describeGenerator, formatLlmUsage, llmUsageCounter, setUpGenerator } from './llm-setup.ts';
import type { LlmChoice, LlmUsage } from './llm-setup.ts';

export interface CodeCliReport {
  space: 'code';
  strategy: string;
  dataset: string;
  evaluations: number;
  seed: number;
  backend: string;
  best: CodeSearchReport['best'];
  archive: { coverage: number; qdScore: number } | null;
  trained: number;
  duplicates: number;
  failures: Record<string, number>;
  exported: { dir: string; modelJson: string; codeFile: string | null; testAccuracy: number } | null;
  llm: LlmChoice;
  llmUsage: LlmUsage;
  seconds: number;
}

/** A small open-code-space search on Fashion-MNIST (rule-based operator or an LLM); `log` gets one line per candidate, `onTold` each result. */
export async function runCodeCommand(
  options: Extract<CliOptions, { space: 'code' }>, env: { openAiApiKey: string | null }, log: (line: string) => void,
  onTold: (result: CandidateResult, told: number) => void = () => undefined,
): Promise<CodeCliReport> {
  const started = performance.now();
  const backend = await selectBackend();
  log(`backend: ${backend.kind}${backend.skipped.length ? ` (skipped ${backend.skipped.map((s) => `${s.kind}: ${s.reason}`).join('; ')})` : ''}`);
  const dataset = await loadFashionMnist(options.fashionMnistDir, { subset: { train: options.trainSubset, test: options.testSubset } });
  const { settings, choice, prompts } = await setUpGenerator(options, env);
  const usage = llmUsageCounter();
  const report = await runCodeSearch({
    dataset, prompts: promptChoices(prompts.mutations), crossoverPrompt: prompts.crossover, promptSetHash: prompts.hash, evaluations: options.evaluations, generator: settings,
    config: { strategy: options.strategy, seed: options.seed, generationSize: Math.min(100, Math.max(4, Math.ceil(options.evaluations / 4))), llmatic: { ablation: options.ablation, seedNetworks: Math.min(10, Math.max(2, Math.floor(options.evaluations / 4))) } },
    evaluator: { train: { trainSubset: options.trainSubset, testSubset: options.testSubset, seed: options.seed, epochs: options.epochs, learningRate: options.learningRate } },
    onResult(result, told) {
      usage.add(result.metrics);
      const what = result.outcome.status === 'ok' ? `validation accuracy ${result.outcome.fitness.toFixed(1)}%` : `${result.outcome.failure.class}: ${result.outcome.failure.message.slice(0, 100)}`;
      const m = result.metrics ?? {};
      log(`[${told}/${options.evaluations}] ${result.id} ${what}${m.params ? `, ${m.params} params` : ''}${m.duplicateOfIndex !== undefined ? ' (same architecture as an earlier one: not trained again)' : ''}`);
      onTold(result, told);
    },
  });
  let exported: CodeCliReport['exported'] = null;
  if (options.export !== undefined && report.best) {
    const train = { trainSubset: options.trainSubset, testSubset: options.testSubset, seed: options.seed, epochs: options.epochs, learningRate: options.learningRate };
    const saved = await exportNetwork(report.best.code, dataset, options.export, train);
    exported = { dir: saved.dir, modelJson: saved.modelJson, codeFile: saved.codeFile, testAccuracy: saved.testAccuracy };
    log(`exported the best network to ${saved.dir} (retrained on the search's training images: test accuracy ${saved.testAccuracy.toFixed(2)}%)`);
  }
  const details = report.engine.status().details;
  return {
    space: 'code', strategy: options.strategy, dataset: 'fashion-mnist', evaluations: options.evaluations, seed: options.seed, backend: backend.kind,
    best: report.best, archive: details.networkArchive ? { coverage: details.networkArchive.coverage, qdScore: details.networkArchive.qdScore ?? 0 } : null,
    trained: report.trained, duplicates: report.duplicates, failures: report.failures, exported, llm: choice, llmUsage: usage.total(), seconds: (performance.now() - started) / 1000,
  };
}

export function formatCodeReport(r: CodeCliReport): string {
  const lines = [`nasfleet: ${r.strategy} search in the open code space on Fashion-MNIST, ${r.evaluations} evaluations, seed ${r.seed}, ${describeGenerator(r.llm)}, backend ${r.backend}`];
  if (r.best) {
    lines.push(
      `best network (${r.best.id}) after the one-epoch proxy: validation accuracy ${r.best.validationAccuracy.toFixed(2)}% (what the search saw), ` +
        (r.best.testAccuracy !== null ? `test accuracy ${r.best.testAccuracy.toFixed(2)}% (reported)` : `test accuracy not measured (${r.best.testFailure?.class}: ${r.best.testFailure?.message.slice(0, 100)})`) +
        `, ${r.best.params} parameters, ${(r.best.flops / 1e6).toFixed(2)} M FLOPs (multiply-adds)`,
      r.best.code,
    );
  } else {
    lines.push('best network: none (every candidate failed)');
  }
  if (r.exported) lines.push(`exported: ${r.exported.modelJson} (TF.js layers model), code in ${r.exported.codeFile}`);
  if (r.archive) lines.push(`network archive: coverage ${(100 * r.archive.coverage).toFixed(0)}% of 100 niches, QD score ${r.archive.qdScore.toFixed(1)}`);
  const failed = Object.entries(r.failures).map(([k, v]) => `${k} ${v}`).join(', ');
  lines.push(`trained ${r.trained} distinct networks, ${r.duplicates} duplicates not retrained, failures: ${failed || 'none'}; ${r.seconds.toFixed(0)} s`);
  if (r.llm.provider !== 'rule') lines.push(formatLlmUsage(r.llmUsage));
  lines.push(`prompt set ${r.llm.promptSetHash.slice(0, 12)} (${r.llm.promptsDir})`);
  return lines.join('\n');
}
