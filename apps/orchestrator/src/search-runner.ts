import type { CandidateResult, StepRun } from '@nasfleet/contracts';
import { jobIdFor } from '@nasfleet/queues';
import type { ResultMessage } from '@nasfleet/queues';
import type { SearchEngine } from '@nasfleet/search';
import { assembleResult } from '@nasfleet/steps';
import type { SearchSpace } from '@nasfleet/steps';
import { StaleFenceError } from '@nasfleet/store';
import type { JournalEntry, SearchRecord } from '@nasfleet/store';
import { createEngine } from './create-engine.ts';
import { deadJobResult, sweepJobs } from './job-sweep.ts';
import type { InFlightStep, SweepFindings } from './job-sweep.ts';
import { stepRunOf } from './provenance.ts';
import { emptyBatch, storeBatch } from './runner-batch.ts';
import type { RunnerBatch } from './runner-batch.ts';
import { provenanceOf } from './runner-provenance.ts';
import { restoreState, runnerSnapshot } from './runner-state.ts';
import type { GeneratedStage, Pending } from './runner-state.ts';
import { trainable } from './runner-types.ts';
import type { RunnerState, SearchRunner, SearchRunnerDeps } from './runner-types.ts';
import { startLease } from './search-lease.ts';
import type { SearchLease } from './search-lease.ts';
import { SearchSpec } from './search-spec.ts';
import { workerDepth } from './worker-depth.ts';

export type { RunnerState, SearchRunner, SearchRunnerDeps } from './runner-types.ts';

/**
 * A search runner (docs/fleet.md). Every engine operation is journaled, fenced by the lease token,
 * before its effects leave the process: an ask before its GenerateJobs, a generate result
 * (`generated`) and a hash claim before its TrainJob, a tell before engine.tell; each told
 * candidate's provenance record (provenance.ts) is saved just before its tell. A candidate's check
 * failure or missing answer is told as a failed result; a duplicate architecture (spaces that
 * de-duplicate) takes its owner's result, waiting while the owner is in flight; a space that trains
 * (a code space: datasetRef + trainConfig) gets a TrainJob; any other space (NB201: a look-up) is
 * evaluated here. Replay mode keeps one candidate in flight: the engine's next ask depends on the
 * tells before it, so only then is the sequence of engine operations the local batch-1 run's, and
 * the final snapshot the same bytes. Paused, it asks nothing new but tells what was in flight. A
 * StaleFenceError stops the runner (another writer took over).
 */
export function createSearchRunner(deps: SearchRunnerDeps): SearchRunner {
  const { store, producer, searchId } = deps;
  const log = deps.log ?? (() => undefined);
  const now = deps.now ?? (() => new Date());
  const snapshotEvery = deps.snapshotEvery ?? 10;
  let state: RunnerState = 'new';
  let lease: SearchLease | null = null;
  let spec: SearchSpec;
  let space: SearchSpace;
  let engine: SearchEngine;
  let pending = new Map<string, Pending>();
  let lastSeq = 0;
  let snapshotSeq = 0;
  let toldSinceSnapshot = 0;
  let paused = false;
  let derivedDepth = 2;
  /** owner id → candidates waiting for its result (duplicates of an architecture in flight). */
  const waiters = new Map<string, string[]>();
  /** candidate id → how often its failed job was tried again (job-sweep.ts). */
  const retried = new Map<string, number>();
  const token = () => lease?.token ?? 0;

  /** Every batch's effects (jobs being enqueued) settled: they run while the runner goes on (storeBatch); a sweep or a cancel waits for them. */
  let inFlightEffects: Promise<void> = Promise.resolve();
  /** The current operation's writes (runner-batch.ts); null between operations. */
  let batch: RunnerBatch | null = null;
  let finishing = false;
  /** Save a snapshot at the end of this batch whatever the journal's length (a search's first). */
  let snapshotNow = false;
  /** Journal bytes since the last snapshot, and that snapshot's size: a snapshot is due once the journal outgrows it. */
  let journalBytes = 0;
  let snapshotBytes = 0;
  const current = () => {
    if (!batch) throw new Error(`search ${searchId}: a runner operation wrote outside of a batch`);
    return batch;
  };
  const journal = (entry: JournalEntry) => current().entries.push(entry);
  const later = (effect: () => Promise<unknown>) => current().effects.push(effect);

  const saveSnapshot = async (): Promise<void> => {
    const previous = snapshotSeq;
    const snapshot = runnerSnapshot(engine, pending);
    snapshotBytes = JSON.stringify(snapshot).length;
    await store.saveSnapshot(searchId, snapshot, lastSeq, token());
    snapshotSeq = lastSeq;
    journalBytes = 0;
    toldSinceSnapshot = 0;
    if ((deps.trimJournal ?? true) && previous > 0) await store.trimJournal(searchId, previous, token());
  };
  /**
   * Stores the batch and runs its effects; then the search's end, or a snapshot once at least
   * `snapshotEvery` tells and as many journal bytes as the last snapshot's have accumulated (so
   * snapshot writes cost at most about what the journal does, however long the search).
   */
  const flush = async (): Promise<void> => {
    const done = current();
    batch = null;
    const stored = await storeBatch(store, searchId, token(), done, (error) =>
      log(`search ${searchId}: enqueueing failed (${error.message}); the next sweep enqueues what is missing`));
    const earlier = inFlightEffects;
    inFlightEffects = stored.effects.then(() => earlier);
    lastSeq = stored.lastSeq ?? lastSeq;
    journalBytes += stored.bytes;
    if (finishing) return finish();
    if (snapshotNow || (toldSinceSnapshot >= snapshotEvery && journalBytes >= snapshotBytes)) await saveSnapshot();
    snapshotNow = false;
  };
  /** Runs one operation in a batch and flushes it. */
  const inBatch = async (f: () => Promise<void>): Promise<void> => {
    batch = emptyBatch();
    try {
      await f();
    } catch (error) {
      batch = null;
      throw error;
    }
    if (state === 'running') await flush();
    else batch = null;
  };
  /** Ends the runner's hold on the search with a final status. */
  const end = async (status: 'done' | 'failed' | 'cancelled', message: string | null = null): Promise<void> => {
    await store.setStatus(searchId, status, token(), message?.slice(0, 10_000) ?? null);
    await lease?.release();
    state = status;
  };

  const enqueueGenerate = (p: Pending) =>
    producer.enqueueGenerate({ searchId, request: p.request, space: spec.space, llm: spec.llm, promptSetHash: engine.promptSetHash ?? deps.prompts.hash });
  /** The TrainJob of a candidate whose check passed (spaces that train). */
  const enqueueTrain = (p: Pending, architecture: unknown) => {
    if (!trainable(space)) throw new Error(`search ${searchId}: the space ${spec.space.name} trains nothing`);
    const { datasetRef, trainConfig } = space;
    return producer.enqueueTrain({ searchId, candidateId: p.request.id, architecture, dataset: datasetRef, train: trainConfig });
  };

  const tell = async (p: Pending, result: CandidateResult, trainRun: StepRun | null = null, duplicateOf: string | null = null): Promise<void> => {
    current().records.push([result.id, provenanceOf(p, result, { searchId, promptSetHash: engine.promptSetHash, trainRun, duplicateOf, toldAt: now() })]);
    journal({ op: 'tell', results: [result] });
    engine.tell([result]);
    pending.delete(result.id);
    retried.delete(result.id);
    deps.onTold?.(searchId, result, engine);
    toldSinceSnapshot += 1;
    const waiting = waiters.get(result.id) ?? [];
    // A copy of the told record only for the duplicates that wait for it (engine.candidate clones it).
    const told = waiting.length > 0 ? engine.candidate(result.id) : undefined;
    for (const id of waiting) {
      const w = pending.get(id);
      if (w?.generated?.check?.ok && told?.result) {
        await tell(w, assembleResult(w.generated.generate, w.generated.check, { kind: 'duplicate', of: { id: result.id, index: told.index, result: told.result } }), null, result.id);
      }
    }
    waiters.delete(result.id);
  };

  /** A candidate whose generate output is journaled: fail it, copy a duplicate's result, train it, or look it up. */
  const advance = async (p: Pending, output: GeneratedStage): Promise<void> => {
    const { generate, check } = output;
    const id = p.request.id;
    if (generate.answer === null || check === null || !check.ok) return tell(p, assembleResult(generate, check, null));
    if (space.dedup) {
      const { duplicateOf } = engine.claimHash(id, check.canonicalHash);
      journal({ op: 'claim', id, hash: check.canonicalHash });
      if (duplicateOf !== null) {
        const earlier = engine.candidate(duplicateOf);
        if (earlier?.result) return tell(p, assembleResult(generate, check, { kind: 'duplicate', of: { id: duplicateOf, index: earlier.index, result: earlier.result } }), null, duplicateOf);
        if (pending.has(duplicateOf)) {
          waiters.set(duplicateOf, [...(waiters.get(duplicateOf) ?? []), id]);
          return;
        }
      }
    }
    if (trainable(space)) {
      later(() => enqueueTrain(p, check.architecture));
      return;
    }
    return tell(p, assembleResult(generate, check, { kind: 'evaluated', evaluation: await space.evaluate(check, id) }));
  };

  /** The search's end, once its last tell is stored: the final snapshot, status done, the lease given up. */
  const finish = async (): Promise<void> => {
    await saveSnapshot();
    await end('done');
    log(`search ${searchId} done: ${spec.evaluations} evaluations told`);
  };

  const topUp = (): void => {
    const { asked, told } = engine.progress();
    if (told >= spec.evaluations) {
      finishing = true;
      return;
    }
    if (paused) return;
    const limit = spec.replay ? 1 : (spec.depth ?? derivedDepth);
    const n = Math.min(limit - pending.size, spec.evaluations - asked);
    if (n <= 0) return;
    // Fewer than n when the strategy waits for results (LLMatic's seeding); the next tell tops up again.
    const requests = engine.ask(n);
    if (requests.length === 0) return;
    const askedAt = now().toISOString();
    journal({ op: 'ask', n: requests.length, ids: requests.map((r) => r.id), at: askedAt });
    for (const request of requests) {
      const p: Pending = { request, generated: null, askedAt };
      pending.set(request.id, p);
      // One add each, not one addBulk: ioredis can lose a MULTI that is in flight when the connection drops (ioredis#800), and the runner would wait on it forever.
      later(() => enqueueGenerate(p));
    }
  };

  /** Runs `f` while the runner drives its search; a deposed writer stops (its state says so) instead of throwing. */
  const guarded = async (f: () => Promise<void>): Promise<void> => {
    if (state !== 'running') return;
    try {
      await inBatch(f);
    } catch (error) {
      if (!(error instanceof StaleFenceError)) throw error;
      lease?.halt();
      state = 'stopped';
      log(`search ${searchId}: another orchestrator took it over (${error.message}); this one stops driving it`);
    }
  };

  const fail = async (message: string): Promise<void> => {
    await end('failed', message);
    log(`search ${searchId} failed: ${message}`);
  };

  /** The candidates in flight waiting on a worker's job (not duplicates waiting for their owner, not look-ups). */
  const onWorkers = (): InFlightStep[] => {
    const waiting = new Set([...waiters.values()].flat());
    return [...pending.values()].flatMap((p): InFlightStep[] => {
      if (!p.generated) return [{ id: p.request.id, step: 'generate' }];
      return p.generated.check?.ok && trainable(space) && !waiting.has(p.request.id) ? [{ id: p.request.id, step: 'train' }] : [];
    });
  };

  /**
   * What a sweep of the candidates' jobs found (job-sweep.ts): results that completed unseen are
   * applied, steps that failed for good are told as failed, and steps whose job is gone are enqueued
   * again (a no-op for a job that is there after all).
   */
  const settle = async (found: SweepFindings): Promise<void> => {
    for (const message of found.completed) await apply(message);
    for (const dead of found.dead) {
      const p = pending.get(dead.id);
      if (!p) continue;
      log(`search ${searchId}: the ${dead.step} job of ${dead.id} failed for good (${dead.reason}); the candidate is told as failed`);
      await tell(p, deadJobResult(p.generated, dead));
    }
    for (const gone of found.missing) {
      const p = pending.get(gone.id);
      if (!p) continue;
      const check = p.generated?.check;
      if (gone.step === 'generate' && !p.generated) later(() => enqueueGenerate(p));
      else if (gone.step === 'train' && check?.ok) later(() => enqueueTrain(p, check.architecture));
      else continue;
      log(`search ${searchId}: the ${gone.step} job of ${gone.id} is not in Redis (removed before its result was read, or never added); it is enqueued again`);
    }
  };
  const sweepNow = async (): Promise<void> => {
    // Jobs still being added are not missing.
    await inFlightEffects;
    await settle(await sweepJobs(producer, searchId, onWorkers(), retried, now().getTime(), log));
  };

  /** Cancelling: the search ends now; jobs not started yet are taken off the queues (running ones finish, their results are dropped). */
  const cancel = async (): Promise<void> => {
    await end('cancelled');
    // A job still being added would escape the removal below.
    await inFlightEffects;
    for (const { id, step } of onWorkers()) {
      const job = await producer.queue(step === 'generate' ? 'llm' : 'train').getJob(jobIdFor(step, searchId, id));
      await job?.remove().catch(() => undefined);
    }
    log(`search ${searchId} cancelled with ${pending.size} candidate(s) in flight`);
  };

  /** What a client asked the search to become (the record's `requested`), applied within the current batch. */
  const applyControl = async (record: SearchRecord): Promise<void> => {
    const wanted = record.requested;
    if (wanted === 'cancelled') return cancel();
    if (wanted === 'paused' && !paused) {
      paused = true;
      await store.setStatus(searchId, 'paused', token());
      log(`search ${searchId} paused with ${pending.size} candidate(s) in flight`);
    } else if (wanted === 'running' && paused) {
      paused = false;
      await store.setStatus(searchId, 'running', token());
      log(`search ${searchId} resumed`);
      topUp();
    }
  };

  /** One worker's result: journal a generate step's output and move the candidate on, or tell a training's result. */
  const apply = async (message: ResultMessage): Promise<void> => {
    const p = pending.get(message.candidateId);
    if (!p) return;
    if (message.step === 'generate') {
      if (p.generated) return;
      const { generate, check } = message.payload;
      const run = stepRunOf(message);
      journal({ op: 'generated', id: p.request.id, generate, check, run });
      p.generated = { generate, check, run };
      await advance(p, p.generated);
    } else {
      const output = p.generated;
      if (!output?.check?.ok) return;
      const { outcome, metrics } = message.payload;
      await tell(p, assembleResult(output.generate, output.check, { kind: 'evaluated', evaluation: { outcome, metrics } }), stepRunOf(message));
    }
  };

  /** Results applied in one batch (one store commit), then one top-up: the orchestrator groups those that arrived while the previous group was being stored. */
  const handleMany = (messages: readonly ResultMessage[]): Promise<void> =>
    guarded(async () => {
      for (const message of messages) await apply(message);
      topUp();
    });

  return {
    searchId,
    get state() {
      return state;
    },
    get searchStatus() {
      if (state === 'done' || state === 'failed' || state === 'cancelled') return state;
      if (state !== 'running') return null;
      return paused ? 'paused' : 'running';
    },
    engineStatus: () => (engine ? engine.status() : null),
    async start() {
      lease = await startLease({
        store, searchId, owner: deps.owner, ttlMs: deps.leaseTtlMs, log,
        onLost: () => {
          if (state === 'running') state = 'stopped';
        },
      });
      if (!lease) return false;
      state = 'running';
      await guarded(async () => {
        const record = await store.getSearch(searchId);
        const parsed = SearchSpec.safeParse(record?.spec);
        if (!parsed.success) return fail(`the search's spec is invalid: ${parsed.error.message}`);
        spec = parsed.data;
        paused = record?.status === 'paused';
        try {
          space = await deps.spaces.create(spec.space.name, spec.space.options);
          const restored = await restoreState(store, searchId, () => createEngine(spec, space, deps.prompts));
          ({ engine, pending, lastSeq, snapshotSeq } = restored);
        } catch (error) {
          return fail((error as Error).message);
        }
        if (spec.depth === undefined) derivedDepth = await workerDepth(producer, trainable(space));
        log(`search ${searchId}: lease ${token()}, ${engine.status().told} told, ${pending.size} in flight${paused ? ', paused' : ''}`);
        // Generated candidates move on (a look-up is evaluated, a duplicate waits for its owner, a TrainJob is
        // enqueued: a no-op while its job is kept); then the jobs are read: results that completed while no runner
        // listened are applied, jobs that are gone (or were never added) are enqueued again.
        for (const p of [...pending.values()]) if (pending.has(p.request.id) && p.generated) await advance(p, p.generated);
        await sweepNow();
        // The first snapshot fixes the engine's setup (the prompt set it was made with), whatever the prompt files become.
        snapshotNow = lastSeq === 0;
        topUp();
        if (record) await applyControl(record);
      });
      return true;
    },
    handle: (message) => handleMany([message]),
    enqueued: () => inFlightEffects,
    handleMany,
    async control(record) {
      await guarded(() => applyControl(record));
    },
    async sweep() {
      await guarded(async () => {
        await sweepNow();
        if (spec.depth === undefined) derivedDepth = await workerDepth(producer, trainable(space));
        topUp();
      });
    },
    async stop() {
      const wasRunning = state === 'running';
      if (state === 'running' || state === 'new') state = 'stopped';
      if (wasRunning) await lease?.release();
      else lease?.halt();
      await space?.close?.();
    },
  };
}
