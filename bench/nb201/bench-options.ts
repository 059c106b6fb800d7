import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { Nb201Dataset, Nb201OperatorLevel, Nb201Signal } from '@nasfleet/nb201';
import type { Parallelism } from './jobs.ts';
import { VARIANT_GROUPS, VARIANTS } from './variants.ts';

export const USAGE = `npm run bench:nb201 -- [options]

Every strategy and ablation on the NAS-Bench-201 table with the rule-based operator, for each
operator level and parallelism: median [95% range] evaluations and distinct trainings to a first
top-0.1% cell (by 200-epoch validation), test accuracy at 500 evaluations, at 500 distinct
trainings (a search that repeats cells runs on until it has trained 500, at most 2,000
evaluations) and at the budget (mean ± std), archive coverage, and the issue's targets as
PASS/FAIL lines (neutral operator), each naming the variant it judges (every hybrid row run gets
its own).

  --strategies a,b       variants or groups (core = random, regularized-evolution, llmatic, hybrid;
                         tuning = regularized-evolution, hybrid and every hybrid/<switches> row;
                         all) (all)
  --operators a,b        operator levels: neutral, expert (neutral,expert)
  --parallel a,b         candidates in flight (1,16,100)
  --modes a,b            with more than 1 in flight: steady, generational (steady,generational)
  --datasets a,b         cifar10, cifar100, imagenet16-120 (all three)
  --seeds N              seeds per setting (10)
  --seed-offset N        first seed (1000: the README's figures come from seeds no test uses)
  --evaluations N        budget per search, at least 500 (2000)
  --signal val200|val12  what the search sees as fitness (val200)
  --workers N            worker threads (${Math.min(2, cpus().length)})
  --help`;

export interface BenchOptions {
  variants: number[];
  operators: Nb201OperatorLevel[];
  parallelisms: Parallelism[];
  datasets: Nb201Dataset[];
  seeds: number;
  seedOffset: number;
  evaluations: number;
  signal: Nb201Signal;
  workers: number;
  help: boolean;
}

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
function count(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got '${value}'`);
  return n;
}
function oneOf<T extends string>(name: string, values: string[], allowed: readonly T[]): T[] {
  const bad = values.filter((v) => !allowed.includes(v as T));
  if (bad.length || values.length === 0) throw new Error(`--${name}: unknown ${bad.join(', ') || '(empty)'}; known: ${allowed.join(', ')}`);
  return values as T[];
}

/** Parses the command line; throws an Error naming the bad option. */
export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      strategies: { type: 'string', default: 'all' }, operators: { type: 'string', default: 'neutral,expert' },
      parallel: { type: 'string', default: '1,16,100' }, modes: { type: 'string', default: 'steady,generational' },
      datasets: { type: 'string', default: Nb201Dataset.options.join(',') }, seeds: { type: 'string', default: '10' },
      'seed-offset': { type: 'string', default: '1000' }, evaluations: { type: 'string', default: '2000' },
      signal: { type: 'string', default: 'val200' }, workers: { type: 'string', default: String(Math.min(2, cpus().length)) },
      help: { type: 'boolean', default: false },
    },
  });
  const names = list(values.strategies).flatMap((s) => VARIANT_GROUPS[s] ?? [s]);
  const variants = oneOf('strategies', names, [...VARIANTS.map((v) => v.name), ...Object.keys(VARIANT_GROUPS)]).map((n) => VARIANTS.findIndex((v) => v.name === n));
  const modes = oneOf('modes', list(values.modes), ['steady', 'generational'] as const);
  const parallel = [...new Set(list(values.parallel).map((p) => count('parallel', p, 1)))].sort((a, b) => a - b);
  return {
    variants: [...new Set(variants)].sort((a, b) => a - b),
    operators: oneOf('operators', list(values.operators), Nb201OperatorLevel.options),
    parallelisms: parallel.flatMap((inFlight) => (inFlight === 1 ? [{ inFlight, mode: 'steady' as const }] : modes.map((mode) => ({ inFlight, mode })))),
    datasets: oneOf('datasets', list(values.datasets), Nb201Dataset.options),
    seeds: count('seeds', values.seeds, 1),
    seedOffset: count('seed-offset', values['seed-offset'], 0),
    evaluations: count('evaluations', values.evaluations, 500),
    signal: oneOf('signal', [values.signal], Nb201Signal.options)[0]!,
    workers: count('workers', values.workers, 1),
    help: values.help,
  };
}
