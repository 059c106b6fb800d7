import { Rng } from '@nasfleet/contracts';
import type { CandidateRequest, CandidateResult } from '@nasfleet/contracts';
import { TellSignal } from '@nasfleet/search';
import type { SearchEngine } from '@nasfleet/search';
import { assembleResult } from './assemble-result.ts';
import type { GenerateStep } from './generate-step.ts';
import type { SearchSpace } from './search-space.ts';

/**
 * How candidates are in flight. 'generational': ask N, evaluate them, tell the N together, ask the
 * next N (LLMatic's generations). 'steady': keep N running; each is told as soon as it finishes and
 * one is asked in its place (a fleet's normal state). With N = 1 both are one at a time. When the
 * engine hands out fewer than asked (its strategy waits for results: LLMatic's seeding), a generation
 * is asked in waves, each told before the next, and a steady slot waits for the next result.
 */
export type LocalSearchMode = 'steady' | 'generational';

export interface LocalSearchOptions {
  engine: SearchEngine;
  space: SearchSpace;
  generate: GenerateStep;
  /** Candidates to evaluate in this run. */
  evaluations: number;
  /** Default 'generational' (with `inFlight` 1: one candidate at a time). */
  mode?: LocalSearchMode;
  /** Candidates in flight: a generation's size, or how many run at once in steady state. Default 1. */
  inFlight?: number;
  /**
   * Results return in a seeded, simulated order instead of the order they finish in this process
   * (where a table look-up finishes in ask order): each candidate takes a log-normal time (median 1,
   * σ 0.5, so one in twenty takes over 2.3× the median) and, in steady state, the one that would
   * finish first is told first and its slot asked again; a generation is told in its finishing order.
   * Reproducible for a seed whatever the steps' real timing.
   */
  orderSeed?: number;
  /** Checked before each ask: once it returns true nothing more is asked; what is in flight finishes and is told. */
  until?: () => boolean;
  /** Shorthand for mode 'generational' with `inFlight` = batch. */
  batch?: number;
  /** Shorthand for mode 'steady' with `inFlight` = concurrency. */
  concurrency?: number;
  onResult?: (result: CandidateResult, request: CandidateRequest, told: number) => void;
}

type Settled = { ok: true; result: CandidateResult } | { ok: false; error: unknown };

/**
 * Runs a search in one process through the same steps a fleet spreads over machines: generate →
 * check → (de-duplication by canonical hash, in the engine's durable state) → evaluate → assemble →
 * tell. A candidate whose architecture an earlier one has takes that one's result (waiting for it
 * when it is still in flight) and is not evaluated again. Throws what a step throws that is not a
 * candidate's failure (e.g. the LLM server is gone): the search stops with it. Nothing more is
 * asked after such an error; the candidates already running finish (and are told) before it is
 * thrown, so no step of this search runs on once the call has returned. Throws a RangeError for
 * bad counts or contradicting modes before asking anything.
 */
export async function runLocalSearch(options: LocalSearchOptions): Promise<void> {
  const { engine, space, generate, evaluations } = options;
  if (!Number.isInteger(evaluations) || evaluations < 0) throw new RangeError('evaluations must be a non-negative integer');
  const { mode, inFlight: n } = resolveMode(options);
  const inFlight = new Map<string, Promise<CandidateResult>>();
  let told = 0;

  const runOne = async (request: CandidateRequest): Promise<CandidateResult> => {
    const generated = await generate(request);
    if (generated.answer === null) return assembleResult(generated, null, null);
    const check = await space.check(generated.answer);
    if (!check.ok) return assembleResult(generated, check, null);
    if (space.dedup) {
      const { duplicateOf } = engine.claimHash(request.id, check.canonicalHash);
      if (duplicateOf !== null) {
        const earlier = engine.candidate(duplicateOf);
        const result = earlier?.result ?? (await inFlight.get(duplicateOf)) ?? null;
        // No result and nothing to wait for: its evaluation was lost with a crashed process, so evaluate this one.
        if (earlier && result) return assembleResult(generated, check, { kind: 'duplicate', of: { id: duplicateOf, index: earlier.index, result } });
      }
    }
    return assembleResult(generated, check, { kind: 'evaluated', evaluation: await space.evaluate(check, request.id) });
  };
  const start = (request: CandidateRequest): Promise<CandidateResult> => {
    const running = runOne(request);
    inFlight.set(request.id, running);
    return running;
  };
  // Settled at once, so a candidate that fails while another is awaited is never an unhandled rejection.
  const startSettled = (request: CandidateRequest): Promise<Settled> =>
    start(request).then((result) => ({ ok: true as const, result }), (error: unknown) => ({ ok: false as const, error }));
  const tell = (results: CandidateResult[], requests: CandidateRequest[]) => {
    engine.tell(results);
    results.forEach((result, i) => {
      inFlight.delete(result.id);
      told += 1;
      options.onResult?.(result, requests[i]!, told);
    });
  };
  const rng = options.orderSeed === undefined ? null : Rng.fromSeed(options.orderSeed);
  const done = () => options.until?.() === true;

  if (mode === 'steady' && rng) {
    const running: { request: CandidateRequest; settled: Promise<Settled>; finish: number }[] = [];
    let clock = 0;
    let asked = 0;
    let failure: { error: unknown } | null = null;
    /** Starts one candidate; false when the strategy asks nothing until a result is told. */
    const launch = (): boolean => {
      const [request] = engine.ask(1);
      if (!request) return false;
      asked += 1;
      running.push({ request, settled: startSettled(request), finish: clock + duration(rng) });
      return true;
    };
    const fill = () => {
      while (running.length < n && asked < evaluations && !done() && launch());
    };
    fill();
    while (running.length > 0) {
      const first = running.reduce((best, r, i) => (r.finish < running[best]!.finish ? i : best), 0);
      const [next] = running.splice(first, 1);
      clock = next!.finish;
      const settled = await next!.settled;
      if (settled.ok) tell([settled.result], [next!.request]);
      else failure ??= { error: settled.error };
      if (!failure) fill();
    }
    if (failure) throw failure.error;
    return;
  }
  if (mode === 'steady') {
    let asked = 0;
    // The first error stops every worker from asking more; the candidates already running finish and are told.
    const stop: { error?: unknown } = {};
    const signal = new TellSignal();
    const worker = async (): Promise<void> => {
      while (!('error' in stop) && asked < evaluations && !done()) {
        const [request] = engine.ask(1);
        if (!request) {
          // The strategy waits for a result another worker has in flight.
          await signal.next();
          continue;
        }
        asked += 1;
        try {
          tell([await start(request)], [request]);
        } catch (error) {
          if (!('error' in stop)) stop.error = error;
        } finally {
          signal.notify();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(n, evaluations) }, worker));
    if ('error' in stop) throw stop.error;
    return;
  }
  // A generation of n is asked in waves when the strategy waits for results (LLMatic's seeding, whose
  // children enter the archives before the rest of the generation is made); each wave is told before the next.
  let generationLeft = 0;
  while (told < evaluations && !done()) {
    if (generationLeft === 0) generationLeft = Math.min(n, evaluations - told);
    const requests = engine.ask(generationLeft);
    generationLeft -= requests.length;
    // The whole generation settles before an error is thrown, so nothing of it still runs once this returns.
    const settled = await Promise.all(requests.map(startSettled));
    const order = rng ? finishingOrder(requests.length, rng) : requests.map((_, i) => i);
    const finished = order.flatMap((i) => {
      const s = settled[i]!;
      return s.ok ? [{ result: s.result, request: requests[i]! }] : [];
    });
    tell(finished.map((f) => f.result), finished.map((f) => f.request));
    const failed = settled.find((s) => !s.ok);
    if (failed) throw failed.error;
  }
}

function resolveMode(options: LocalSearchOptions): { mode: LocalSearchMode; inFlight: number } {
  const given = (['mode', 'batch', 'concurrency'] as const).filter((k) => options[k] !== undefined);
  if (given.length > 1) throw new RangeError(`give one of mode (with inFlight), batch or concurrency, not ${given.join(' and ')}`);
  if (options.inFlight !== undefined && (options.batch !== undefined || options.concurrency !== undefined)) throw new RangeError('inFlight goes with mode, not with batch or concurrency');
  const positive = (name: string, value: number) => {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
    return value;
  };
  if (options.concurrency !== undefined) return { mode: 'steady', inFlight: positive('concurrency', options.concurrency) };
  if (options.batch !== undefined) return { mode: 'generational', inFlight: positive('batch', options.batch) };
  const mode = options.mode ?? 'generational';
  if (mode !== 'steady' && mode !== 'generational') throw new RangeError(`mode must be 'steady' or 'generational', got '${String(mode)}'`);
  return { mode, inFlight: positive('inFlight', options.inFlight ?? 1) };
}

/** A simulated evaluation time: log-normal, median 1, σ 0.5 (Box–Muller). */
function duration(rng: Rng): number {
  const u = 1 - rng.float();
  return Math.exp(0.5 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.float()));
}

/** The order in which `count` candidates started together finish, by simulated times. */
function finishingOrder(count: number, rng: Rng): number[] {
  const times = Array.from({ length: count }, () => duration(rng));
  return times.map((_, i) => i).sort((a, b) => times[a]! - times[b]!);
}
