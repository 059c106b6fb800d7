import { z } from 'zod';
import { CandidateRequest, CandidateResult, formatZodError, Rng } from '@nasfleet/contracts';
import type { EngineStatus } from '@nasfleet/contracts';
import { builtInStrategies } from '../strategies/built-in-strategies.ts';
import type { Strategy, StrategyContext } from '../strategies/strategy.ts';
import type { StrategyDefinition } from '../strategies/strategy-definition.ts';
import { UnknownStrategyError } from '../strategies/strategy-registry.ts';
import type { StrategyRegistry } from '../strategies/strategy-registry.ts';
import type { ArchiveViews } from './archive-view.ts';
import { CandidateLog, candidateId } from './candidate-log.ts';
import type { CandidateRecord, HashClaim } from './candidate-log.ts';
import { EngineSetup } from './engine-setup.ts';
import { EngineSnapshot, SnapshotError } from './engine-snapshot.ts';
import { SearchConfig, storedConfig } from './search-config.ts';
import type { SearchConfigInput } from './search-config.ts';
import { TellRejectedError } from './tell-receipt.ts';
import type { TellReceipt } from './tell-receipt.ts';

/**
 * The ask/tell search engine. `ask(n)` hands out up to n candidate requests; `tell(results)` takes outcomes
 * back in any order, any number of asks ahead; `claimHash` keeps one training per architecture. It
 * does no I/O and is deterministic: the same config, setup and sequence of asks, claims and tells give
 * the same snapshot, byte for byte. Its strategy comes from a `StrategyRegistry` (the built-ins by default).
 */
export class SearchEngine {
  private constructor(
    readonly config: SearchConfig,
    private readonly setup: EngineSetup,
    private readonly rng: Rng,
    private readonly log: CandidateLog,
    private readonly definition: StrategyDefinition,
    private readonly strategy: Strategy,
    private nextIndex: number,
    private initialId: string | null,
  ) {}

  /**
   * A fresh search with the strategy `config.strategy` of `registry`, its `configDefaults` under what
   * `config` sets (`StrategyRegistry.resolveConfig`; `engine.config` is the result). Throws a ZodError naming the
   * field when the config or setup is invalid, UnknownStrategyError (listing the registered names)
   * when the registry has no such strategy.
   */
  static create(config: SearchConfigInput, setup: EngineSetup, registry: StrategyRegistry = builtInStrategies): SearchEngine {
    // The strategy's own defaults are filled in here, once: a snapshot keeps the resolved config.
    const parsedConfig = registry.resolveConfig(config);
    const parsedSetup = EngineSetup.parse(setup);
    const definition = registry.get(parsedConfig.strategy);
    const strategy = makeStrategy(definition, parsedConfig, undefined);
    if (strategy.startsFromInitial && parsedSetup.initialArtifact === null) {
      throw new Error(`strategy ${parsedConfig.strategy} needs an initial network (setup.initialArtifact)`);
    }
    return new SearchEngine(parsedConfig, parsedSetup, Rng.fromSeed(parsedConfig.seed), new CandidateLog(), definition, strategy, 0, null);
  }

  /**
   * A search restored from `snapshot()` output (after a JSON round trip), with the same registry the
   * search was created with. Every part is checked; a damaged snapshot throws SnapshotError naming the
   * part, a strategy the registry lacks UnknownStrategyError; never a half-restored engine.
   */
  static restore(input: unknown, registry: StrategyRegistry = builtInStrategies): SearchEngine {
    const part = <T>(name: string, f: () => T): T => {
      try {
        return f();
      } catch (error) {
        const detail = error instanceof z.ZodError ? formatZodError(error) : (error as Error).message;
        throw new SnapshotError(`${name}: ${detail}`);
      }
    };
    const snapshot = part('snapshot', () => EngineSnapshot.parse(input));
    const config = part('config', () => SearchConfig.parse(storedConfig(snapshot.config)));
    if (!registry.has(config.strategy)) {
      throw new UnknownStrategyError(config.strategy, registry.names(), 'restore the search with the registry it was created with');
    }
    const definition = registry.get(config.strategy);
    const log = part('log', () => CandidateLog.fromJSON(snapshot.log));
    if (log.size !== snapshot.nextIndex) throw new SnapshotError(`log: ${log.size} candidates but nextIndex is ${snapshot.nextIndex}`);
    if (snapshot.initialId !== null && !log.get(snapshot.initialId)) throw new SnapshotError(`initialId ${snapshot.initialId} is not in the log`);
    const strategy = part('strategy', () => makeStrategy(definition, config, snapshot.strategy ?? undefined));
    return new SearchEngine(config, snapshot.setup, Rng.fromState(snapshot.rng), log, definition, strategy, snapshot.nextIndex, snapshot.initialId);
  }

  /** The hash of the prompt set the search was created with (null when none was recorded). */
  get promptSetHash(): string | null {
    return this.setup.promptSetHash ?? null;
  }

  /**
   * Hands out up to `n` new candidate requests: fewer when the strategy waits for results before it
   * proposes more (LLMatic's seeding keeps no more children in flight than its archives still need:
   * `llmatic.seedingInFlight`). A driver asks again once it has told a result; with nothing in flight
   * the strategy always proposes, so `ask(n ≥ 1)` then gives at least one.
   */
  ask(n: number): CandidateRequest[] {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`ask(n) needs a non-negative integer, got ${n}`);
    const requests: CandidateRequest[] = [];
    while (requests.length < n) {
      const request = this.askOne();
      if (request === null) break;
      requests.push(request);
    }
    return requests;
  }

  private askOne(): CandidateRequest | null {
    const index = this.nextIndex;
    const id = candidateId(index);
    const generation = Math.floor(index / this.config.generationSize);
    const ctx = this.context();
    const base = { id, index, generation, strategy: this.strategy.name };
    let request: CandidateRequest;
    if (this.strategy.startsFromInitial && this.initialId === null) {
      this.initialId = id;
      const artifact = this.setup.initialArtifact!;
      request = {
        ...base, operator: 'seed', parents: [{ id: 'initial', artifact, outcome: null }], prompt: null,
        temperature: this.config.llmatic.initialTemperature, memory: null, reference: null, improver: false, seed: this.rng.seed(),
      };
      this.log.add(recordOf(request, artifact));
    } else {
      const proposal = this.strategy.propose(ctx, { index, generation });
      if (proposal === null) {
        if (this.nextIndex === this.log.toldIds().length) throw new Error(`strategy ${this.strategy.name} proposed nothing with nothing in flight: the search could never go on`);
        return null;
      }
      request = { ...base, ...proposal, seed: this.rng.seed() };
      this.log.add(recordOf(request, null));
    }
    this.nextIndex += 1;
    return CandidateRequest.parse(request);
  }

  /**
   * De-duplication, called by a driver once a candidate's architecture is known (after the check,
   * before training). If an earlier claim or told result holds `hash` for another candidate, answers
   * that candidate's id and records nothing: the driver gives this candidate that one's result (waiting
   * for it while it is in flight) instead of training it. Else this candidate owns the hash and the
   * answer is null. A repeated claim gives the same answer. The index is in `snapshot()`.
   * Throws when `id` was never asked, `hash` is not 1–200 characters, or `id` already owns another hash.
   */
  claimHash(id: string, hash: string): HashClaim {
    return this.log.claim(id, hash);
  }

  /**
   * Takes results back. The whole batch is validated first: a malformed result throws
   * TellRejectedError and nothing is applied. Unknown ids and repeated tells change nothing.
   * A result's `canonicalHash` that nobody owns yet becomes its candidate's (see `claimHash`).
   */
  tell(results: readonly unknown[]): TellReceipt[] {
    const problems: string[] = [];
    const parsed: CandidateResult[] = [];
    const dims = this.config.networkArchive.bounds.length;
    results.forEach((raw, i) => {
      const r = CandidateResult.safeParse(raw);
      if (!r.success) {
        problems.push(`result ${i}: ${formatZodError(r.error, { separator: ', ' })}`);
        return;
      }
      if (r.data.outcome.status === 'ok' && this.definition.needsDescriptors && r.data.descriptors?.length !== dims) {
        problems.push(`result ${i} (${r.data.id}): a successful result needs ${dims} descriptors, got ${r.data.descriptors?.length ?? 'none'}`);
      }
      // A success becomes a parent, a reference or a current attempt, which must have code to hand out.
      // Only the seed may leave it out: its artifact (the initial network) is known from the ask.
      const known = this.log.get(r.data.id);
      if (r.data.outcome.status === 'ok' && r.data.artifact === null && known && known.artifact === null) {
        problems.push(`result ${i} (${r.data.id}): a successful result needs its artifact (the code or cell that was evaluated), got null`);
      }
      parsed.push(r.data);
    });
    if (problems.length) throw new TellRejectedError(problems);
    const ctx = this.context();
    return parsed.map((result) => {
      const existing = this.log.get(result.id);
      if (!existing) return { id: result.id, status: 'unknown' };
      const record = this.log.tell(result);
      if (!record) return { id: result.id, status: 'already-told' };
      this.strategy.observe(ctx, record as CandidateRecord & { result: CandidateResult });
      return { id: result.id, status: 'applied' };
    });
  }

  /** One candidate's provenance and result. */
  candidate(id: string): CandidateRecord | undefined {
    const r = this.log.get(id);
    return r ? structuredClone(r) : undefined;
  }

  /** Every candidate, in ask order. */
  candidates(): CandidateRecord[] {
    return structuredClone(this.log.all().sort((a, b) => a.index - b.index));
  }

  /** The best candidate by fitness so far (first told wins ties). */
  best(): CandidateRecord | null {
    const b = this.log.best();
    return b ? structuredClone(b) : null;
  }

  /** Candidates asked and told so far, in constant time (status() derives everything else, at a cost that grows with the search). */
  progress(): { asked: number; told: number } {
    return { asked: this.nextIndex, told: this.log.toldIds().length };
  }

  /** Counts, distinct architectures and the strategy's own statistics (archives, memory), derived on demand. */
  status(): EngineStatus {
    const told = this.log.toldIds();
    const failed = told.filter((id) => this.log.outcome(id)?.status === 'failed').length;
    const best = this.log.best();
    return {
      strategy: this.strategy.name, asked: this.nextIndex, told: told.length, inFlight: this.nextIndex - told.length, failed,
      distinct: this.log.distinctHashes, best: best ? this.log.fitness(best.id) : null, details: this.strategy.stats(this.context()),
    };
  }

  /**
   * The strategy's archives, cell by cell (LLMatic and the hybrid: `network` and `prompt`; `{}` for
   * strategies without archives). A read: the search and its snapshot stay exactly as they were.
   */
  archives(): ArchiveViews {
    return structuredClone(this.strategy.archives?.(this.context()) ?? {});
  }

  /** Plain-JSON state; `SearchEngine.restore` continues exactly where this one stands. */
  snapshot(): EngineSnapshot {
    return structuredClone<EngineSnapshot>({
      format: 'nasfleet.engine/v1', config: this.config, setup: this.setup, rng: this.rng.state(),
      nextIndex: this.nextIndex, initialId: this.initialId, log: this.log.toJSON(), strategy: this.strategy.snapshot(),
    });
  }

  private context(): StrategyContext {
    return {
      config: this.config, rng: this.rng, prompts: this.setup.prompts, crossoverPrompt: this.setup.crossoverPrompt,
      log: this.log, initialId: this.initialId,
    };
  }
}

function recordOf(request: CandidateRequest, artifact: string | null): CandidateRecord {
  // Keys in CandidateRecord's schema order, so a validated restore gives the same snapshot bytes.
  return {
    id: request.id, index: request.index, generation: request.generation, operator: request.operator,
    parentIds: request.operator === 'seed' ? [] : request.parents.map((p) => p.id), prompt: request.prompt,
    temperature: request.temperature, artifact, result: null, toldAt: null, hash: null,
  };
}

/** The definition's strategy; its name must be the registered one (requests and status carry it). */
function makeStrategy(definition: StrategyDefinition, config: SearchConfig, snapshot: unknown): Strategy {
  const strategy = definition.create(config, snapshot);
  if (strategy.name !== definition.name) {
    throw new Error(`strategy '${definition.name}' made a strategy named '${strategy.name}': a definition's strategy carries its registered name`);
  }
  return strategy;
}
