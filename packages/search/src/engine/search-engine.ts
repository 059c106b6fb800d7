import { z } from 'zod';
import { CandidateRequest, CandidateResult, formatZodError, PromptChoice } from '@nasfleet/contracts';
import { Rng } from '@nasfleet/contracts';
import { createFeedbackMemory } from '../strategies/feedback-memory.ts';
import { createLlmatic } from '../strategies/llmatic.ts';
import { createRandomSearch } from '../strategies/random-search.ts';
import { createRegularizedEvolution } from '../strategies/regularized-evolution.ts';
import type { Strategy, StrategyContext } from '../strategies/strategy.ts';
import { CandidateLog, candidateId } from './candidate-log.ts';
import type { CandidateLogJson, CandidateRecord } from './candidate-log.ts';
import { SearchConfig } from './search-config.ts';
import type { SearchConfigInput } from './search-config.ts';

/** What the engine needs besides its config: the prompts, and the network evolution starts from. */
export const EngineSetup = z.object({
  prompts: z.array(PromptChoice).min(1),
  crossoverPrompt: PromptChoice,
  /** The initial network's artifact; required by llmatic, hybrid and feedback-memory. */
  initialArtifact: z.string().min(1).nullable(),
});
export type EngineSetup = z.infer<typeof EngineSetup>;

/** A told result was malformed; nothing of the batch was applied. */
export class TellRejectedError extends Error {
  constructor(readonly problems: string[]) {
    super(`tell rejected, nothing applied: ${problems.join('; ')}`);
    this.name = 'TellRejectedError';
  }
}

/** Per result of a tell: applied, or ignored because the id is unknown or was already told. */
export interface TellReceipt {
  id: string;
  status: 'applied' | 'unknown' | 'already-told';
}

/** A search's whole state as plain JSON; `SearchEngine.restore` checks it with this schema. */
export const EngineSnapshot = z.object({
  format: z.literal('nasfleet.engine/v1'),
  config: z.unknown(),
  setup: EngineSetup,
  rng: z.array(z.number().int()).length(4),
  nextIndex: z.number().int().nonnegative(),
  initialId: z.string().nullable(),
  log: z.unknown(),
  strategy: z.unknown(),
});
export type EngineSnapshot = Omit<z.infer<typeof EngineSnapshot>, 'config' | 'log'> & { config: SearchConfig; log: CandidateLogJson };

/** A snapshot that cannot be restored; the message says which part is wrong. */
export class SnapshotError extends Error {
  constructor(message: string) {
    super(`cannot restore the search: ${message}`);
    this.name = 'SnapshotError';
  }
}

/**
 * The ask/tell search engine. `ask(n)` hands out n candidate requests; `tell(results)` takes outcomes
 * back in any order, any number of asks ahead. It does no I/O and is deterministic: the same config,
 * setup and sequence of asks and tells give the same snapshot, byte for byte.
 */
export class SearchEngine {
  private constructor(
    readonly config: SearchConfig,
    private readonly setup: EngineSetup,
    private readonly rng: Rng,
    private readonly log: CandidateLog,
    private readonly strategy: Strategy,
    private nextIndex: number,
    private initialId: string | null,
  ) {}

  /** A fresh search. Throws a ZodError naming the field when the config or setup is invalid. */
  static create(config: SearchConfigInput, setup: EngineSetup): SearchEngine {
    const parsedConfig = SearchConfig.parse(config);
    const parsedSetup = EngineSetup.parse(setup);
    const strategy = makeStrategy(parsedConfig, undefined);
    if (strategy.startsFromInitial && parsedSetup.initialArtifact === null) {
      throw new Error(`strategy ${parsedConfig.strategy} needs an initial network (setup.initialArtifact)`);
    }
    return new SearchEngine(parsedConfig, parsedSetup, Rng.fromSeed(parsedConfig.seed), new CandidateLog(), strategy, 0, null);
  }

  /**
   * A search restored from `snapshot()` output (after a JSON round trip). Every part is checked;
   * a damaged snapshot throws SnapshotError naming the part, never a half-restored engine.
   */
  static restore(input: unknown): SearchEngine {
    const part = <T>(name: string, f: () => T): T => {
      try {
        return f();
      } catch (error) {
        const detail = error instanceof z.ZodError ? formatZodError(error) : (error as Error).message;
        throw new SnapshotError(`${name}: ${detail}`);
      }
    };
    const snapshot = part('snapshot', () => EngineSnapshot.parse(input));
    const config = part('config', () => SearchConfig.parse(snapshot.config));
    const log = part('log', () => CandidateLog.fromJSON(snapshot.log));
    if (log.size !== snapshot.nextIndex) throw new SnapshotError(`log: ${log.size} candidates but nextIndex is ${snapshot.nextIndex}`);
    if (snapshot.initialId !== null && !log.get(snapshot.initialId)) throw new SnapshotError(`initialId ${snapshot.initialId} is not in the log`);
    const strategy = part('strategy', () => makeStrategy(config, snapshot.strategy));
    return new SearchEngine(config, snapshot.setup, Rng.fromState(snapshot.rng), log, strategy, snapshot.nextIndex, snapshot.initialId);
  }

  /** Hands out `n` new candidate requests. */
  ask(n: number): CandidateRequest[] {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`ask(n) needs a non-negative integer, got ${n}`);
    return Array.from({ length: n }, () => this.askOne());
  }

  private askOne(): CandidateRequest {
    const index = this.nextIndex++;
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
      request = { ...base, ...proposal, seed: this.rng.seed() };
      this.log.add(recordOf(request, null));
    }
    return CandidateRequest.parse(request);
  }

  /**
   * Takes results back. The whole batch is validated first: a malformed result throws
   * TellRejectedError and nothing is applied. Unknown ids and repeated tells change nothing.
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
      const needsDescriptors = this.strategy.name === 'llmatic' || this.strategy.name === 'hybrid';
      if (r.data.outcome.status === 'ok' && needsDescriptors && r.data.descriptors?.length !== dims) {
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

  /** Counts and the strategy's own statistics (archives, memory), derived on demand. */
  status(): { strategy: string; asked: number; told: number; inFlight: number; failed: number; best: number | null; details: Record<string, unknown> } {
    const told = this.log.toldIds();
    const failed = told.filter((id) => this.log.outcome(id)?.status === 'failed').length;
    const best = this.log.best();
    return {
      strategy: this.strategy.name, asked: this.nextIndex, told: told.length, inFlight: this.nextIndex - told.length, failed,
      best: best ? this.log.fitness(best.id) : null, details: this.strategy.stats(this.context()),
    };
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
  return {
    id: request.id, index: request.index, generation: request.generation, operator: request.operator,
    parentIds: request.operator === 'seed' ? [] : request.parents.map((p) => p.id), prompt: request.prompt,
    temperature: request.temperature, artifact, result: null, toldAt: null,
  };
}

function makeStrategy(config: SearchConfig, snapshot: unknown): Strategy {
  switch (config.strategy) {
    case 'llmatic':
      return createLlmatic({ lineageMemory: false }, snapshot ?? undefined);
    case 'hybrid':
      return createLlmatic({ lineageMemory: true }, snapshot ?? undefined);
    case 'feedback-memory':
      return createFeedbackMemory(snapshot ?? undefined);
    case 'random':
      return createRandomSearch();
    case 'regularized-evolution':
      return createRegularizedEvolution(snapshot ?? undefined);
  }
}
