import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import { BusyTracker } from './busy-tracker.ts';
import { FailureClass } from '@nasfleet/contracts';
import { outcomeLabels } from './outcome-labels.ts';

/** What became of one try of a job: done, failed and tried again later, or failed for good (unrecoverable, or its last try). */
export type JobOutcome = 'completed' | 'retried' | 'failed';

/** A step of a candidate's way through the fleet. */
export type CandidateStep = 'generate' | 'check' | 'train';

/** One finished LLM request, as the worker's provider returned it. */
export interface LlmCallObservation {
  model: string;
  /** The whole call: every attempt, back-off and prompt processing included. */
  durationMs: number;
  promptTokens: number | null;
  completionTokens: number | null;
  /** Time the server spent generating (Ollama's eval_duration); null or absent when the server did not say. */
  generationMs?: number | null;
}

/** One training try that produced a result (ok, or a failure of the candidate). */
export interface TrainingObservation {
  /** Training wall time in seconds. */
  seconds: number;
  ok: boolean;
  /** Training throughput, when the trainer measured it. */
  imagesPerSecond?: number | null;
}

export interface WorkerMetricsOptions {
  role: 'llm' | 'train';
  /** Jobs the worker runs at once: the busy fraction divides by it. */
  concurrency: number;
  /** The busy fraction's sliding window (default 60 s). */
  busyWindowMs?: number;
  /** Milliseconds on a monotonic clock, for the busy time (default performance.now). */
  now?: () => number;
}

/** The instruments of a worker process; each method records one event. */
export interface WorkerMetrics {
  /** A try of a job on `queue` ended. */
  job(queue: string, outcome: JobOutcome): void;
  /** A candidate's step ended: ok (`failureClass` null) or failed with that class. */
  candidate(step: CandidateStep, failureClass: string | null): void;
  /** An LLM request finished (LLM workers). */
  llmCall(call: LlmCallObservation): void;
  /** A training try produced a result (training workers). */
  training(run: TrainingObservation): void;
  /** A job handler starts; call the returned function when it ends. Feeds the busy time and fraction. */
  busy(): () => void;
}

/** Seconds of one LLM request: rule answers are instant, a 7B model on CPU takes minutes. */
const LLM_SECONDS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600];
const TOKENS_PER_SECOND = [1, 2, 5, 10, 20, 35, 50, 75, 100, 150, 250, 500, 1000];
/** Seconds of one proxy training: a tiny subset in seconds, 45 minutes at most by default. */
const TRAIN_SECONDS = [1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 2700];
const IMAGES_PER_SECOND = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 25_000, 50_000];

/** The LLM role's instruments. */
function llmInstruments(registers: Registry[]) {
  return {
    seconds: new Histogram({ name: 'nasfleet_llm_request_duration_seconds', help: 'Duration of one LLM request, retries included, by model', labelNames: ['model'], buckets: LLM_SECONDS, registers }),
    tokensPerSecond: new Histogram({ name: 'nasfleet_llm_tokens_per_second', help: "Generation speed of one LLM request: completion tokens over the server's generation time (Ollama's eval counts), else over the whole request", labelNames: ['model'], buckets: TOKENS_PER_SECOND, registers }),
    completionTokens: new Counter({ name: 'nasfleet_llm_completion_tokens_total', help: 'Tokens the LLM generated, by model', labelNames: ['model'], registers }),
    promptTokens: new Counter({ name: 'nasfleet_llm_prompt_tokens_total', help: 'Prompt tokens the LLM server reported, by model', labelNames: ['model'], registers }),
    generationSeconds: new Counter({ name: 'nasfleet_llm_generation_seconds_total', help: 'Time the LLM spent generating those tokens (the divisor of tokens per second), by model', labelNames: ['model'], registers }),
  };
}

/** The train role's instruments. */
function trainInstruments(registers: Registry[]) {
  const seconds = new Histogram({ name: 'nasfleet_train_duration_seconds', help: "Wall time of one candidate's proxy training, by outcome (ok, failed)", labelNames: ['outcome'], buckets: TRAIN_SECONDS, registers });
  // Both outcomes from the start at 0, as the counters below: trainings that all end between two scrapes still show in rate().
  for (const outcome of ['ok', 'failed']) seconds.zero({ outcome });
  return {
    seconds,
    imagesPerSecond: new Histogram({ name: 'nasfleet_train_images_per_second', help: 'Training throughput of one candidate (training images times epochs over training time)', buckets: IMAGES_PER_SECOND, registers }),
  };
}

/**
 * Registers a worker's instruments on `registry` (never prom-client's global one) and returns the
 * methods that feed them. Each role gets its own (nasfleet_llm_* on LLM workers, nasfleet_train_*
 * on training workers; the other role's method records nothing), so no worker shows empty
 * families. Tokens per second are the completion tokens over the generation time when the server
 * reported one (Ollama's eval counts), else over the whole request. The busy seconds and busy
 * fraction are read from a BusyTracker at each scrape, so a long job counts while it runs.
 */
export function createWorkerMetrics(registry: Registry, options: WorkerMetricsOptions): WorkerMetrics {
  const registers = [registry];
  const role = options.role;
  const tracker = new BusyTracker({ concurrency: options.concurrency, ...(options.busyWindowMs ? { windowMs: options.busyWindowMs } : {}), ...(options.now ? { now: options.now } : {}) });

  const jobs = new Counter({ name: 'nasfleet_jobs_total', help: 'Tries of jobs this worker ended, by queue and outcome (completed; retried: failed, BullMQ tries again; failed: for good)', labelNames: ['queue', 'outcome'], registers });
  const candidates = new Counter({ name: 'nasfleet_candidates_total', help: 'Candidate steps this worker ended, by step, outcome (ok, failed) and failure class (none when ok)', labelNames: ['step', 'outcome', 'failure_class'], registers });
  // The role's steps by every outcome from the start at 0 (Prometheus's advice for known label values):
  // rate() cannot see a counter's first value, so failures that all came between two scrapes would never show.
  for (const step of (role === 'llm' ? ['generate', 'check'] : ['train']) satisfies CandidateStep[]) {
    for (const failureClass of [null, ...FailureClass.options]) candidates.inc({ step, ...outcomeLabels(failureClass) }, 0);
  }
  for (const outcome of ['completed', 'retried', 'failed']) jobs.inc({ queue: role, outcome }, 0);
  const llm = role === 'llm' ? llmInstruments(registers) : null;
  const train = role === 'train' ? trainInstruments(registers) : null;
  new Gauge({ name: 'nasfleet_worker_concurrency', help: 'Jobs this worker runs at once', labelNames: ['role'], registers }).set({ role }, options.concurrency);
  let reported = 0;
  new Counter({
    name: 'nasfleet_worker_busy_seconds_total', help: 'Time spent inside job handlers, summed over the concurrent slots', labelNames: ['role'], registers,
    collect() {
      const now = tracker.busySeconds();
      this.inc({ role }, now - reported);
      reported = now;
    },
  });
  new Gauge({
    name: 'nasfleet_worker_busy_ratio', help: `Share of the worker's slot time spent inside job handlers over the last ${tracker.windowMs / 1000} s (0 to 1)`, labelNames: ['role'], registers,
    collect() {
      this.set({ role }, tracker.fraction());
    },
  });

  return {
    job: (queue, outcome) => jobs.inc({ queue, outcome }),
    candidate: (step, failureClass) => candidates.inc({ step, ...outcomeLabels(failureClass) }),
    llmCall(call) {
      if (!llm) return;
      const model = call.model;
      llm.seconds.observe({ model }, call.durationMs / 1000);
      if (call.promptTokens !== null) llm.promptTokens.inc({ model }, call.promptTokens);
      if (call.completionTokens === null) return;
      const generating = (call.generationMs ?? call.durationMs) / 1000;
      llm.completionTokens.inc({ model }, call.completionTokens);
      llm.generationSeconds.inc({ model }, generating);
      if (generating > 0 && call.completionTokens > 0) llm.tokensPerSecond.observe({ model }, call.completionTokens / generating);
    },
    training(run) {
      if (!train) return;
      train.seconds.observe({ outcome: run.ok ? 'ok' : 'failed' }, run.seconds);
      if (run.imagesPerSecond !== undefined && run.imagesPerSecond !== null && Number.isFinite(run.imagesPerSecond)) train.imagesPerSecond.observe(run.imagesPerSecond);
    },
    busy: () => tracker.begin(),
  };
}
