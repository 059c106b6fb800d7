import type { CandidateResult, DatasetRef } from '@nasfleet/contracts';
import { jobIdFor } from '@nasfleet/queues';
import type { GenerateOutput, QueueProducer, ResultMessage } from '@nasfleet/queues';
import type { PromptSet } from '@nasfleet/prompts';
import type { SearchEngine } from '@nasfleet/search';
import { assembleResult } from '@nasfleet/steps';
import type { SearchSpace, SpaceRegistry } from '@nasfleet/steps';
import { StaleFenceError } from '@nasfleet/store';
import type { JournalEntry, SearchStore } from '@nasfleet/store';
import { createEngine } from './create-engine.ts';
import { restoreState, runnerSnapshot } from './runner-state.ts';
import type { Pending } from './runner-state.ts';
import { SearchSpec } from './search-spec.ts';

/** What a runner needs: its search, the store and queues, who it is, and how long its lease lasts. */
export interface SearchRunnerDeps {
  store: SearchStore;
  producer: QueueProducer;
  searchId: string;
  /** This orchestrator's id (the lease's owner). */
  owner: string;
  spaces: SpaceRegistry;
  prompts: PromptSet;
  leaseTtlMs: number;
  /** A snapshot every this many tells (default 10). */
  snapshotEvery?: number;
  log?: (line: string) => void;
}

/** running: driving its search; done/failed: the search ended (status written); stopped: another writer took over, or stop(). */
export type RunnerState = 'new' | 'running' | 'done' | 'failed' | 'stopped';

/** The one writer of one search while it holds the search's lease. Calls must not overlap (the orchestrator serialises them). */
export interface SearchRunner {
  readonly searchId: string;
  readonly state: RunnerState;
  /** Takes the lease (false, and nothing done, while another owner holds it), restores the search, re-enqueues what its candidates in flight need, tops up. */
  start(): Promise<boolean>;
  /** Applies one worker result; a repeated one or one for a candidate not at that step changes nothing. Resolves once what it caused is journaled. */
  handle(message: ResultMessage): Promise<void>;
  /** Stops renewing and gives the lease up (a finished or deposed runner has none). */
  stop(): Promise<void>;
}

type Trainable = SearchSpace & { datasetRef: DatasetRef; trainConfig: Record<string, unknown> };
const trainable = (space: SearchSpace): space is Trainable => 'datasetRef' in space && 'trainConfig' in space;

/**
 * A search runner (docs/fleet.md). Every engine operation is journaled, fenced by the lease token,
 * before its effects leave the process: an ask before its GenerateJobs, a generate result
 * (`generated`) and a hash claim before its TrainJob, a tell before engine.tell. A candidate's
 * check failure or missing answer is told as a failed result; a duplicate architecture (spaces that
 * de-duplicate) takes its owner's result, waiting while the owner is in flight; a space that trains
 * (a code space: datasetRef + trainConfig) gets a TrainJob; any other space (NB201: a look-up) is
 * evaluated here. Replay mode keeps one candidate in flight: the engine's next ask depends on the
 * tells before it, so only then is the sequence of engine operations the local batch-1 run's, and
 * the final snapshot the same bytes. A StaleFenceError stops the runner (another writer took over).
 */
export function createSearchRunner(deps: SearchRunnerDeps): SearchRunner {
  const { store, producer, searchId } = deps;
  const log = deps.log ?? (() => undefined);
  const snapshotEvery = deps.snapshotEvery ?? 10;
  let state: RunnerState = 'new';
  let token = 0;
  let renewTimer: NodeJS.Timeout | null = null;
  let spec: SearchSpec;
  let space: SearchSpace;
  let engine: SearchEngine;
  let pending = new Map<string, Pending>();
  let lastSeq = 0;
  let toldSinceSnapshot = 0;
  /** owner id → candidates waiting for its result (duplicates of an architecture in flight). */
  const waiters = new Map<string, string[]>();

  const append = async (entries: JournalEntry[]): Promise<void> => {
    const seqs = await store.append(searchId, entries, token);
    lastSeq = seqs.at(-1) ?? lastSeq;
  };
  const saveSnapshot = () => store.saveSnapshot(searchId, runnerSnapshot(engine, pending), lastSeq, token);
  const halt = () => {
    if (renewTimer) clearInterval(renewTimer);
    renewTimer = null;
  };

  const enqueueGenerate = (p: Pending) =>
    producer.enqueueGenerate({ searchId, request: p.request, space: spec.space, llm: spec.llm, promptSetHash: engine.promptSetHash ?? deps.prompts.hash });

  const tell = async (result: CandidateResult): Promise<void> => {
    await append([{ op: 'tell', results: [result] }]);
    engine.tell([result]);
    pending.delete(result.id);
    toldSinceSnapshot += 1;
    if (toldSinceSnapshot >= snapshotEvery) {
      await saveSnapshot();
      toldSinceSnapshot = 0;
    }
    const told = engine.candidate(result.id);
    for (const waiting of waiters.get(result.id) ?? []) {
      const w = pending.get(waiting);
      if (w?.generated?.check?.ok && told?.result) {
        await tell(assembleResult(w.generated.generate, w.generated.check, { kind: 'duplicate', of: { id: result.id, index: told.index, result: told.result } }));
      }
    }
    waiters.delete(result.id);
  };

  /** A candidate whose generate output is journaled: fail it, copy a duplicate's result, train it, or look it up. */
  const advance = async (p: Pending, output: GenerateOutput): Promise<void> => {
    const { generate, check } = output;
    const id = p.request.id;
    if (generate.answer === null || check === null || !check.ok) return tell(assembleResult(generate, check, null));
    if (space.dedup) {
      const { duplicateOf } = engine.claimHash(id, check.canonicalHash);
      await append([{ op: 'claim', id, hash: check.canonicalHash }]);
      if (duplicateOf !== null) {
        const earlier = engine.candidate(duplicateOf);
        if (earlier?.result) return tell(assembleResult(generate, check, { kind: 'duplicate', of: { id: duplicateOf, index: earlier.index, result: earlier.result } }));
        if (pending.has(duplicateOf)) {
          waiters.set(duplicateOf, [...(waiters.get(duplicateOf) ?? []), id]);
          return;
        }
      }
    }
    if (trainable(space)) {
      await producer.enqueueTrain({ searchId, candidateId: id, architecture: check.architecture, dataset: space.datasetRef, train: space.trainConfig });
      return;
    }
    return tell(assembleResult(generate, check, { kind: 'evaluated', evaluation: await space.evaluate(check, id) }));
  };

  const finishIfDone = async (): Promise<boolean> => {
    if (engine.status().told < spec.evaluations) return false;
    await saveSnapshot();
    await store.setStatus(searchId, 'done', token);
    halt();
    await store.releaseLease(searchId, deps.owner, token);
    state = 'done';
    log(`search ${searchId} done: ${spec.evaluations} evaluations told`);
    return true;
  };

  const topUp = async (): Promise<void> => {
    if (await finishIfDone()) return;
    const limit = spec.replay ? 1 : spec.depth;
    const n = Math.min(limit - pending.size, spec.evaluations - engine.status().asked);
    if (n <= 0) return;
    const requests = engine.ask(n);
    for (const request of requests) pending.set(request.id, { request, generated: null });
    await append([{ op: 'ask', n, ids: requests.map((r) => r.id) }]);
    for (const request of requests) await enqueueGenerate(pending.get(request.id)!);
  };

  /** Runs `f`; a deposed writer stops (its state says so) instead of throwing. */
  const guarded = async (f: () => Promise<void>): Promise<void> => {
    try {
      await f();
    } catch (error) {
      if (!(error instanceof StaleFenceError)) throw error;
      halt();
      state = 'stopped';
      log(`search ${searchId}: another orchestrator took it over (${error.message}); this one stops driving it`);
    }
  };

  const fail = async (message: string): Promise<void> => {
    await store.setStatus(searchId, 'failed', token, message.slice(0, 10_000));
    halt();
    await store.releaseLease(searchId, deps.owner, token);
    state = 'failed';
    log(`search ${searchId} failed: ${message}`);
  };

  return {
    searchId,
    get state() {
      return state;
    },
    async start() {
      const lease = await store.acquireLease(searchId, deps.owner, deps.leaseTtlMs);
      if (!lease) return false;
      token = lease.token;
      state = 'running';
      renewTimer = setInterval(() => {
        store.renewLease(searchId, deps.owner, token, deps.leaseTtlMs).then(
          (held) => {
            if (!held && state === 'running') {
              halt();
              state = 'stopped';
              log(`search ${searchId}: the lease was lost; this orchestrator stops driving it`);
            }
          },
          (error: unknown) => log(`search ${searchId}: lease renewal failed: ${(error as Error).message}`),
        );
      }, Math.max(100, Math.floor(deps.leaseTtlMs / 3)));
      renewTimer.unref();
      await guarded(async () => {
        const record = await store.getSearch(searchId);
        const parsed = SearchSpec.safeParse(record?.spec);
        if (!parsed.success) return fail(`the search's spec is invalid: ${parsed.error.message}`);
        spec = parsed.data;
        try {
          space = await deps.spaces.create(spec.space.name, spec.space.options);
          const restored = await restoreState(store, searchId, () => createEngine(spec, space, deps.prompts));
          ({ engine, pending, lastSeq } = restored);
        } catch (error) {
          return fail((error as Error).message);
        }
        log(`search ${searchId}: lease ${token}, ${engine.status().told} told, ${pending.size} in flight`);
        for (const p of [...pending.values()]) {
          const step = p.generated ? 'train' : 'generate';
          // A result whose consumption failed for good (its retries spent) would leave the candidate stuck: try it again.
          const earlier = await producer.queue('results').getJob(jobIdFor(step, searchId, p.request.id));
          if (earlier && (await earlier.isFailed())) await earlier.retry('failed');
          if (!pending.has(p.request.id)) continue;
          if (p.generated) await advance(p, p.generated);
          else await enqueueGenerate(p);
        }
        const fresh = lastSeq === 0;
        await topUp();
        // The first snapshot fixes the engine's setup (the prompt set it was made with), whatever the prompt files become.
        if (fresh && state === 'running') await saveSnapshot();
      });
      return true;
    },
    async handle(message) {
      if (state !== 'running') return;
      await guarded(async () => {
        const p = pending.get(message.candidateId);
        if (!p) return;
        if (message.step === 'generate') {
          if (p.generated) return;
          const { generate, check } = message.payload;
          await append([{ op: 'generated', id: p.request.id, generate, check }]);
          p.generated = { generate, check };
          await advance(p, p.generated);
        } else {
          const output = p.generated;
          if (!output?.check?.ok) return;
          const { outcome, metrics } = message.payload;
          await tell(assembleResult(output.generate, output.check, { kind: 'evaluated', evaluation: { outcome, metrics } }));
        }
        await topUp();
      });
    },
    async stop() {
      const wasRunning = state === 'running';
      halt();
      if (state === 'running' || state === 'new') state = 'stopped';
      if (wasRunning) await store.releaseLease(searchId, deps.owner, token).catch(() => false);
      await space?.close?.();
    },
  };
}
