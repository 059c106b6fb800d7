import { parseArgs } from 'node:util';

/** Everything a run is sized and configured by; the defaults are a full run, `--quick` a smaller one. */
/** The measurements a run can make. */
export const PHASES = ['p1', 'p2', 'p7'] as const;
export type Phase = (typeof PHASES)[number];

export interface BenchOptions {
  quick: boolean;
  phases: Set<Phase>;
  bareJobs: number;
  /** P1 rounds (bare BullMQ and the pipeline back to back); the median round is reported. */
  rounds: number;
  /** P1: evaluations of the unmeasured warm-up search before the first round, and jobs of each bare run's warm-up. */
  warmup: number;
  evaluations: number;
  depth: number;
  llmConcurrency: number;
  supplyEvaluations: number;
  perWorker: number;
  workers: number[];
  trainMs: number | undefined;
  p7Workers: number;
  p7TrainMs: number;
  p7Evaluations: number;
  strategy: string;
  codeStrategy: string;
  seed: number;
  pollMs: number;
  /** Where the orchestrator and LLM worker write V8 CPU profiles (null: not profiled). */
  cpuProfDir: string | null;
}

export const USAGE = `npm run bench:fleet -- [options]

The fleet's throughput: bare BullMQ jobs/s, the NB201 pipeline's candidates/s and their ratio (P1),
scaling over N simulated training workers (P2), training workers' busy fraction with an LLM that
takes half a training job per answer (P7). Starts its own redis-server unless REDIS_URL is set
(then only keys under the bench's own prefix are used, and deleted at the end).

  --quick                    a smaller run (about a minute)
  --phases p1,p2,p7          which measurements to make (all)
  --bare-jobs N              bare BullMQ jobs per measurement (5000; quick 2000)
  --rounds N                 P1 rounds, bare and pipeline back to back; the median is reported (5; quick 1)
  --evaluations N            P1: NB201 candidates (1000; quick 300)
  --warmup N                 P1: evaluations of the unmeasured warm-up search, and jobs of each bare
                             run's warm-up (3000; quick 300)
  --depth N                  P1: candidates in flight (16 = 2 × the LLM worker's concurrency)
  --llm-concurrency N        P1/P2: the LLM worker's WORKER_CONCURRENCY (8)
  --supply-evaluations N     P2: candidates of the instant-training code search (200; quick 100)
  --per-worker N             P2: candidates per training worker at each N (8; quick 5)
  --workers a,b,c            P2: the N values, the first is the baseline (1,4,16)
  --train-ms MS              P2: sleep per training job (default: derived from the measured supply)
  --p7-workers N             P7: training workers (4); the LLM worker's concurrency is the same
  --p7-train-ms MS           P7: sleep per training job; the LLM takes half (2000; quick 1000)
  --p7-evaluations N         P7: candidates (72; quick 36)
  --strategy NAME            NB201 searches' strategy (llmatic)
  --code-strategy NAME       code-space searches' strategy (regularized-evolution: the code rule
                             operator's crossover throws on some residual parents, see the report)
  --seed N                   every search's seed (1)
  --poll-ms MS               the orchestrator's POLL_MS: how long a submitted search waits to be picked up (100)
  --cpu-prof DIR             write the orchestrator's and LLM workers' V8 CPU profiles (.cpuprofile) to DIR
  --help                     this text`;

function positiveInt(flag: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${flag} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  return n;
}

/** Parses the command line; throws an Error naming the bad flag. Null when --help was asked for. */
export function parseBenchOptions(args: string[]): BenchOptions | null {
  const s = { type: 'string' } as const;
  const { values } = parseArgs({
    args, strict: true, allowPositionals: false,
    options: {
      quick: { type: 'boolean', default: false }, help: { type: 'boolean', default: false },
      'bare-jobs': s, rounds: s, warmup: s, evaluations: s, depth: s, 'llm-concurrency': s, 'supply-evaluations': s, 'per-worker': s, workers: s, 'train-ms': s,
      'p7-workers': s, 'p7-train-ms': s, 'p7-evaluations': s, strategy: s, 'code-strategy': s, seed: s, 'poll-ms': s, phases: s, 'cpu-prof': s,
    },
  });
  if (values.help) return null;
  const quick = values.quick;
  const phases = (values.phases ?? PHASES.join(',')).split(',').map((p) => p.trim().toLowerCase());
  const unknown = phases.filter((p) => !(PHASES as readonly string[]).includes(p));
  if (unknown.length > 0 || phases.length === 0) throw new Error(`--phases takes a comma-separated list of ${PHASES.join(', ')}, got ${JSON.stringify(values.phases)}`);
  const workers = (values.workers ?? '1,4,16').split(',').map((w) => positiveInt('workers', w.trim(), 0));
  if (workers.length < 2) throw new Error(`--workers needs at least two values (a baseline and a larger N), got ${JSON.stringify(values.workers)}`);
  const perWorker = positiveInt('per-worker', values['per-worker'], quick ? 5 : 8);
  if (perWorker < 3) throw new Error(`--per-worker must be at least 3 (the first and last N jobs are left out of the steady state), got ${perWorker}`);
  const p7Workers = positiveInt('p7-workers', values['p7-workers'], 4);
  const p7Evaluations = positiveInt('p7-evaluations', values['p7-evaluations'], quick ? 36 : 72);
  // The first depth (3N) candidates are random samples, left out with the last N: 6N leaves 2N measured.
  if (p7Evaluations < 6 * p7Workers) throw new Error(`--p7-evaluations must be at least 6 × --p7-workers (${6 * p7Workers}), got ${p7Evaluations}`);
  return {
    quick, phases: new Set(phases as Phase[]),
    bareJobs: positiveInt('bare-jobs', values['bare-jobs'], quick ? 2000 : 5000),
    rounds: positiveInt('rounds', values.rounds, quick ? 1 : 5),
    evaluations: positiveInt('evaluations', values.evaluations, quick ? 300 : 1000),
    warmup: positiveInt('warmup', values.warmup, quick ? 300 : 3000),
    depth: positiveInt('depth', values.depth, 16),
    llmConcurrency: positiveInt('llm-concurrency', values['llm-concurrency'], 8),
    supplyEvaluations: positiveInt('supply-evaluations', values['supply-evaluations'], quick ? 100 : 200),
    perWorker, workers,
    trainMs: values['train-ms'] === undefined ? undefined : positiveInt('train-ms', values['train-ms'], 0),
    p7Workers, p7Evaluations,
    p7TrainMs: positiveInt('p7-train-ms', values['p7-train-ms'], quick ? 1000 : 2000),
    strategy: values.strategy ?? 'llmatic',
    codeStrategy: values['code-strategy'] ?? 'regularized-evolution',
    seed: positiveInt('seed', values.seed, 1, 0),
    pollMs: positiveInt('poll-ms', values['poll-ms'], 100),
    cpuProfDir: values['cpu-prof'] ?? null,
  };
}
