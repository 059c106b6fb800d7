import type { Nb201Dataset, Nb201OperatorLevel } from '@nasfleet/nb201';
import type { BenchOptions } from './bench-options.ts';
import { ANSWER_CAP, parallelismLabel, TRAINING_BUDGET } from './jobs.ts';
import type { JobResult, Parallelism } from './jobs.ts';
import { formatDifference, mean, meanDifference, median, medianRange, meanStd } from './stats.ts';
import { VARIANTS } from './variants.ts';

const SHORT: Record<Nb201Dataset, string> = { cifar10: 'C10', cifar100: 'C100', 'imagenet16-120': 'IN16' };

/** Published test accuracies (LLMatic's Table 1) and an independent REA on this table, for reference. */
export const REFERENCE_LINES = [
  'reference, test accuracy C10 / C100 / IN16: random search (paper) 93.70 / 71.04 / 44.57; GENIUS (GPT-4) 93.79 / 70.91 / 44.96;',
  '  LLMatic (paper) 94.26 / 71.62 / 45.87; Λ-DARTS 94.36 / 73.51 / 46.34; optimum of this table 94.37 / 73.51 / 47.31',
  'reference REA on this table (independent, 2,000 seeds): 144 / 149 / 158 evaluations to a top-0.1% cell; C10 at 500: 94.35 ± 0.11',
];

/** The results of one setting, filtered. */
export class Results {
  constructor(private readonly all: readonly JobResult[]) {}

  of(variant: string, operator: Nb201OperatorLevel, p: Parallelism, dataset: Nb201Dataset): JobResult[] {
    const v = VARIANTS.findIndex((x) => x.name === variant);
    return this.all.filter((r) => r.variant === v && r.operator === operator && r.dataset === dataset && r.parallelism.inFlight === p.inFlight && r.parallelism.mode === p.mode);
  }
}

const hits = (rs: JobResult[]) => rs.map((r) => r.hit ?? Infinity);
const trainings = (rs: JobResult[]) => rs.map((r) => r.hitTrainings ?? Infinity);
const optimumShare = (rs: JobResult[]) => `${rs.filter((r) => r.optimumAt500).length}/${rs.length}`;
const acc = (rs: JobResult[], at: 'at500' | 'atEnd' | 'signalAt500' | 'at500Trainings') => rs.flatMap((r) => (r[at] === null ? [] : [r[at]]));

/** One table per operator level and parallelism: a row per dataset and variant. */
export function printTables(results: Results, o: BenchOptions): void {
  const E = o.evaluations;
  for (const operator of o.operators) {
    for (const p of o.parallelisms) {
      console.log(`\n=== operator ${operator}${operator === 'expert' ? ' (a stand-in for an LLM prior about NB201)' : ''}, ${parallelismLabel(p)} in flight, ${o.seeds} seeds from ${o.seedOffset}, search sees ${o.signal} ===`);
      const head = ['strategy', 'data', 'evals to top', 'trainings to top', '@500', `@${E}`, '@500t', 'evals@500t', 'opt@500', 'cov', 'dup'];
      const rows = o.datasets.flatMap((d, k) => [
        ...(k > 0 ? [[]] : []),
        ...o.variants.map((v) => {
          const name = VARIANTS[v]!.name;
          const rs = results.of(name, operator, p, d);
          if (rs.length === 0) return [name, SHORT[d]];
          return [
            name, SHORT[d], medianRange(hits(rs), E), medianRange(trainings(rs), E), meanStd(acc(rs, 'at500')), meanStd(acc(rs, 'atEnd')),
            meanStd(acc(rs, 'at500Trainings')), fmt(median(rs.map((r) => r.evaluationsAt500Trainings ?? Infinity)), ANSWER_CAP), optimumShare(rs),
            `${(100 * mean(rs.map((r) => r.coverage))).toFixed(0)}%`, `${(100 * (1 - mean(rs.map((r) => r.trainingsAt500)) / 500)).toFixed(0)}%`,
          ];
        }),
      ]);
      printAligned(head, rows);
    }
  }
  console.log('\nevals / trainings to top: median [central 95%] evaluations / distinct cells trained until the first top-0.1% cell by 200-epoch validation (>budget: not within it);');
  console.log(`@500 / @${E}: 200-epoch test accuracy (mean ± std) of the best cell by the signal so far; opt@500: searches whose best cell at 500 is the table's best by the signal`);
  console.log('  (with val200, the best IN16 cell tests at 46.20, below the next four: reaching it more often lowers @500); cov: archive coverage of 100 niches at the end; dup: duplicates among the first 500 evaluations');
  console.log(`@500t: the same when the ${TRAINING_BUDGET}th distinct cell was trained (a fleet's cost: a duplicate is answered from the cache, so it costs an LLM answer, not a training),`);
  console.log(`  or at ${ANSWER_CAP} evaluations if that comes first; evals@500t: median evaluations that took (>${ANSWER_CAP}: the cap was reached first)`);
}

function printAligned(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  console.log(line(head));
  rows.forEach((r) => console.log(line(r)));
}

const fmt = (x: number, budget: number) => (Number.isFinite(x) ? String(Math.round(x * 10) / 10) : `>${budget}`);

/** Per dataset, variant a's mean test accuracy against b's at a budget, and the difference with its 95% interval. */
function accuracyParts(results: Results, o: BenchOptions, a: string, b: string, p: Parallelism, at: 'at500' | 'atEnd' | 'at500Trainings'): { diff: number; text: string }[] {
  return o.datasets.map((d) => {
    const as = acc(results.of(a, 'neutral', p, d), at);
    const bs = acc(results.of(b, 'neutral', p, d), at);
    const difference = meanDifference(as, bs);
    return { diff: difference.diff, text: `${SHORT[d]} ${mean(as).toFixed(3)} vs ${mean(bs).toFixed(3)} (${formatDifference(difference)})` };
  });
}

/**
 * The targets, with the neutral operator, on every dataset run, each line naming the variant
 * it judges: (1) the hybrid (and each hybrid/… row run) needs fewer distinct trainings than REA to a top-0.1% cell at each steady parallelism, ≥ 25% fewer at 1;
 * (2) llmatic beats random search (mean test accuracy) at every parallelism and budget; (3) the
 * hybrid's test accuracy at 500 is ≥ REA's. Lines whose variants were not run are left out.
 */
export function printTargets(results: Results, o: BenchOptions): void {
  if (!o.operators.includes('neutral')) return;
  const E = o.evaluations;
  const has = (name: string) => o.variants.some((v) => VARIANTS[v]!.name === name);
  const lines: string[] = [];
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const steady = o.parallelisms.filter((p) => p.mode === 'steady');
  // Every hybrid row run (the default and each switch or combination) gets its own verdicts, named.
  const hybrids = has('regularized-evolution') ? o.variants.map((v) => VARIANTS[v]!.name).filter((n) => n === 'hybrid' || n.startsWith('hybrid/')) : [];
  const passing: string[] = [];
  for (const hybrid of hybrids) {
    const before = lines.length;
    for (const p of steady) {
      const factor = p.inFlight === 1 ? 0.75 : 1;
      const parts = o.datasets.map((d) => {
        const h = median(trainings(results.of(hybrid, 'neutral', p, d)));
        const r = median(trainings(results.of('regularized-evolution', 'neutral', p, d)));
        return { ok: factor < 1 ? h <= factor * r : h < r, text: `${SHORT[d]} ${fmt(h, E)} vs ${fmt(r, E)}` };
      });
      lines.push(`${verdict(parts.every((x) => x.ok))} ${hybrid} needs ${factor < 1 ? '≥25% fewer' : 'fewer'} distinct trainings than REA to a top-0.1% cell, ${parallelismLabel(p)} in flight (median): ${parts.map((x) => x.text).join('; ')}`);
    }
    for (const p of steady) {
      const parts = o.datasets.map((d) => {
        const hs = acc(results.of(hybrid, 'neutral', p, d), 'at500');
        const rs = acc(results.of('regularized-evolution', 'neutral', p, d), 'at500');
        const opt = `optimum ${optimumShare(results.of(hybrid, 'neutral', p, d))} vs ${optimumShare(results.of('regularized-evolution', 'neutral', p, d))}`;
        const signal = `${o.signal} ${formatDifference(meanDifference(acc(results.of(hybrid, 'neutral', p, d), 'signalAt500'), acc(results.of('regularized-evolution', 'neutral', p, d), 'signalAt500')))}`;
        return { ok: mean(hs) >= mean(rs), text: `${SHORT[d]} ${mean(hs).toFixed(3)} vs ${mean(rs).toFixed(3)} (${formatDifference(meanDifference(hs, rs))}; ${opt}; ${signal})` };
      });
      lines.push(`${verdict(parts.every((x) => x.ok))} ${hybrid}'s test accuracy at 500 ≥ REA's, ${parallelismLabel(p)} in flight (mean): ${parts.map((x) => x.text).join('; ')}`);
      lines.push(`     the same at ${TRAINING_BUDGET} distinct trainings: ${accuracyParts(results, o, hybrid, 'regularized-evolution', p, 'at500Trainings').map((x) => x.text).join('; ')}`);
    }
    if (lines.slice(before).every((l) => l.startsWith('PASS'))) passing.push(hybrid);
  }
  if (hybrids.length > 1) lines.push(`hybrid rows passing every hybrid target above: ${passing.join(', ') || 'none'}`);
  if (has('llmatic') && has('random')) {
    for (const p of o.parallelisms) {
      // One evaluation budget when the run's is 500; then the budget in distinct trainings.
      const budgets = [...(E === 500 ? (['at500'] as const) : (['at500', 'atEnd'] as const)), 'at500Trainings'] as const;
      for (const at of budgets) {
        const parts = accuracyParts(results, o, 'llmatic', 'random', p, at);
        const budget = at === 'at500Trainings' ? `${TRAINING_BUDGET} distinct trainings` : `${at === 'at500' ? 500 : E} evaluations`;
        lines.push(`${verdict(parts.every((x) => x.diff > 0))} llmatic (paper settings) beats random at ${budget}, ${parallelismLabel(p)} in flight (mean test accuracy): ${parts.map((x) => x.text).join('; ')}`);
      }
    }
  }
  if (lines.length === 0) return;
  console.log(`\ntargets (neutral operator, seeds ${o.seedOffset}–${o.seedOffset + o.seeds - 1}${o.seedOffset < 1000 ? ': below 1000, the tests\' seeds' : ''}):`);
  lines.forEach((l) => console.log(`  ${l}`));
  console.log('  (Δ: the difference of the means ± the half-width of its 95% interval over the seeds: a Δ inside ± is within the seeds\' noise;');
  console.log(`  optimum: searches ending on the table's best cell by ${o.signal}; ${o.signal} Δ: the same difference in the signal the searches maximise, of the cell each picks at 500)`);
}
