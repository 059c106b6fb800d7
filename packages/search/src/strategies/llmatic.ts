import { z } from 'zod';
import { archiveSnapshotSchema, createArchive, elites, insert, nearestElites, restoreArchive, snapshotArchive, archiveStats } from '../archive/cvt-archive.ts';
import type { Archive, ArchiveSnapshot } from '../archive/cvt-archive.ts';
import type { ArchiveView } from '../engine/archive-view.ts';
import { MemoryEntry } from '@nasfleet/contracts';
import type { PromptChoice } from '@nasfleet/contracts';
import { candidateId } from '../engine/candidate-log.ts';
import type { CandidateRecord } from '../engine/candidate-log.ts';
import { emptyLineageMemory, lineageWindow, recordAttempt } from './lineage-memory.ts';
import type { LineageMemory } from './lineage-memory.ts';
import { addCuriosity, createPromptArchive, mostCurious, offerPrompt } from './prompt-archive.ts';
import type { PromptPayload } from './prompt-archive.ts';
import type { Proposal, Strategy, StrategyContext } from './strategy.ts';

/** Bookkeeping for an asked, not yet told child. */
interface PendingChild {
  kind: 'seed' | 'mutation' | 'crossover';
  promptIndex: number | null;
  /** The prompt individual the child came from (niche and id), null for random prompts. */
  source: { niche: number; id: string } | null;
}

const LlmaticState = z.object({
  /** The archives as of the last snapshot; live copies are `network` and `promptArchive` below. */
  network: archiveSnapshotSchema(z.null()),
  prompts: archiveSnapshotSchema(z.object({ promptIndex: z.number().int().nonnegative(), temperature: z.number(), curiosity: z.number() })),
  collective: z.array(z.number()),
  /** Best fitness told per generation (for "previous generation's best"). */
  generationBest: z.record(z.string(), z.number()),
  /** Temperature used where no prompt individual supplies one (network-archive-only, random prompts). */
  temperature: z.number(),
  /** Every successfully trained candidate (the parent pool of the prompt-archive-only ablation). */
  trained: z.array(z.string()),
  pending: z.record(z.string(), z.object({
    kind: z.enum(['seed', 'mutation', 'crossover']),
    promptIndex: z.number().int().nonnegative().nullable(),
    source: z.object({ niche: z.number().int().nonnegative(), id: z.string() }).nullable(),
  })),
  lineage: z.object({ byParent: z.record(z.string(), z.array(z.object({ at: z.number().int().nonnegative(), entry: MemoryEntry }))) }),
  seedsTold: z.number().int().nonnegative(),
});
type LlmaticState = Omit<z.infer<typeof LlmaticState>, 'network' | 'prompts' | 'pending' | 'lineage'> & {
  network: ArchiveSnapshot<null>;
  prompts: ArchiveSnapshot<PromptPayload>;
  pending: Record<string, PendingChild>;
  lineage: LineageMemory;
};

/**
 * LLMatic (Nasir et al. 2024): a network archive and a prompt archive, both CVT-MAP-Elites; prompts
 * chosen by curiosity, temperature mutated by success, mutation 0.7 / crossover 0.3 with nearest
 * neighbours, a seeding phase from the initial network, and the paper's ablations.
 * With `lineageMemory` it is the hybrid: each mutation also gets the feedback memory of its lineage.
 */
export function createLlmatic(options: { lineageMemory: boolean }, snapshot?: unknown): Strategy {
  let state: LlmaticState | null = snapshot === undefined || snapshot === null ? null : (LlmaticState.parse(snapshot) as LlmaticState);
  let network: Archive<null> | null = state ? restoreArchive(state.network) : null;
  let promptArchive = state ? restoreArchive(state.prompts) : null;
  const name = options.lineageMemory ? 'hybrid' : 'llmatic';

  function init(ctx: StrategyContext): LlmaticState {
    if (state) return state;
    network = createArchive<null>(ctx.config.networkArchive);
    promptArchive = createPromptArchive(ctx.config.promptArchive.niches, ctx.config.promptArchive.seed);
    state = {
      network: snapshotArchive(network),
      prompts: snapshotArchive(promptArchive),
      collective: ctx.prompts.map(() => 0),
      generationBest: {},
      temperature: ctx.config.llmatic.initialTemperature,
      trained: [],
      pending: {},
      lineage: emptyLineageMemory(),
      seedsTold: 0,
    };
    return state;
  }

  const clip = (ctx: StrategyContext, t: number) => {
    const [lo, hi] = ctx.config.llmatic.temperatureRange;
    return Math.min(hi, Math.max(lo, t));
  };

  function parentOf(ctx: StrategyContext, id: string): string | null {
    return ctx.log.get(id)?.parentIds[0] ?? null;
  }

  function memoryFor(ctx: StrategyContext, parentId: string): MemoryEntry[] | null {
    if (!options.lineageMemory) return null;
    return lineageWindow(state!.lineage, parentId, (id) => parentOf(ctx, id), ctx.config.memory.window);
  }

  function pickParent(ctx: StrategyContext): string | null {
    const cfg = ctx.config.llmatic;
    if (cfg.ablation === 'prompt-archive-only') return state!.trained.length ? ctx.rng.pick(state!.trained) : null;
    const all = elites(network!);
    if (!all.length) return null;
    const selection = cfg.parentSelection ?? (options.lineageMemory ? 'tournament' : 'uniform');
    if (selection === 'uniform') return ctx.rng.pick(all).id;
    let best = ctx.rng.pick(all);
    for (let i = 1; i < cfg.tournamentSize; i++) {
      const other = ctx.rng.pick(all);
      if (other.fitness > best.fitness) best = other;
    }
    return best.id;
  }

  /**
   * Seeding ends once either archive holds `seedNetworks` individuals (paper: "one of the two archives"),
   * or after `seedingBudget` seeding children were told: descriptor bounds that squeeze the initial
   * network's mutants into a few niches must not stall a search forever.
   */
  function seedingDone(ctx: StrategyContext): boolean {
    const networks = ctx.config.llmatic.ablation === 'prompt-archive-only' ? state!.trained.length : elites(network!).length;
    const prompts = ctx.config.llmatic.ablation === 'network-archive-only' ? 0 : elites(promptArchive!).length;
    return Math.max(networks, prompts) >= ctx.config.llmatic.seedNetworks || state!.seedsTold >= ctx.config.llmatic.seedingBudget;
  }

  function mutation(ctx: StrategyContext, parentId: string, id: string, forcePrompt?: number): Proposal {
    const cfg = ctx.config.llmatic;
    let promptIndex: number;
    let temperature: number;
    let source: PendingChild['source'] = null;
    const curious = cfg.ablation === 'network-archive-only' ? null : mostCurious(promptArchive!);
    if (forcePrompt !== undefined) {
      promptIndex = forcePrompt;
      temperature = cfg.initialTemperature;
    } else if (!curious || ctx.rng.chance(cfg.randomPromptShare)) {
      promptIndex = ctx.rng.int(0, ctx.prompts.length - 1);
      // A random prompt is sampled at its own temperature, not the most curious individual's. The paper
      // gives each child "the prompt individual's temperature", and a prompt may hold several individuals
      // (one per temperature niche of the prompt archive): take the one the paper's selection would take,
      // the most curious of that prompt's individuals. With none yet, the strategy's own temperature.
      const own = curious ? mostCurious(promptArchive!, promptIndex) : null;
      temperature = own ? own.payload.temperature : state!.temperature;
    } else {
      promptIndex = curious.payload.promptIndex;
      temperature = curious.payload.temperature;
      source = { niche: curious.niche, id: curious.id };
    }
    if (forcePrompt === undefined && ctx.rng.chance(cfg.jitterShare)) {
      temperature += ctx.rng.uniform(-cfg.temperatureJitter, cfg.temperatureJitter);
    }
    state!.pending[id] = { kind: 'mutation', promptIndex, source };
    const prompt: PromptChoice = ctx.prompts[promptIndex]!;
    return {
      operator: 'mutate', parents: [ctx.log.ref(parentId)], prompt, temperature: clip(ctx, temperature),
      memory: memoryFor(ctx, parentId), reference: null, improver: false,
    };
  }

  function crossover(ctx: StrategyContext, id: string): Proposal | null {
    const cfg = ctx.config.llmatic;
    const first = pickParent(ctx);
    const descriptors = first === null ? undefined : ctx.log.get(first)?.result?.descriptors;
    if (first === null || !descriptors) return null;
    const k = ctx.rng.int(cfg.crossoverNeighbours[0], cfg.crossoverNeighbours[1]);
    let neighbours: string[];
    if (cfg.ablation === 'prompt-archive-only') {
      neighbours = ctx.rng.sample(state!.trained.filter((t) => t !== first), k);
    } else {
      neighbours = nearestElites(network!, descriptors, k, new Set([first])).map((e) => e.id);
    }
    if (!neighbours.length) return null;
    state!.pending[id] = { kind: 'crossover', promptIndex: null, source: null };
    return {
      operator: 'crossover', parents: [first, ...neighbours].map((p) => ctx.log.ref(p)), prompt: ctx.crossoverPrompt,
      temperature: cfg.crossoverTemperature, memory: memoryFor(ctx, first), reference: null, improver: false,
    };
  }

  /**
   * "The previous generation's best" (paper): the best fitness told so far in generation g−1, not the
   * best of all earlier generations. Told out of order (steady state, no generation barrier), g−1 may
   * have no told success yet: then the most recent earlier generation that has one stands in for it, so
   * a child is still judged against recent progress rather than credited for anything. Null when no
   * earlier generation has a told success (generation 0, or only failures so far).
   */
  function previousBest(generation: number): number | null {
    let latest = -1;
    let best: number | null = null;
    for (const [g, f] of Object.entries(state!.generationBest)) {
      const n = Number(g);
      if (n < generation && n > latest) {
        latest = n;
        best = f;
      }
    }
    return best;
  }

  return {
    name,
    startsFromInitial: true,
    propose(ctx, slot) {
      init(ctx);
      const childId = candidateId(slot.index);
      const cfg = ctx.config.llmatic;
      const initial = ctx.initialId!;
      if (cfg.ablation === 'random-generation') {
        const improve = ctx.prompts.findIndex((p) => p.intent === 'improve');
        return mutation(ctx, initial, childId, improve >= 0 ? improve : ctx.rng.int(0, ctx.prompts.length - 1));
      }
      if (!seedingDone(ctx)) {
        const proposal = mutation(ctx, initial, childId, ctx.rng.int(0, ctx.prompts.length - 1));
        state!.pending[childId]!.kind = 'seed';
        return proposal;
      }
      const crossoverChance = cfg.ablation === 'mutation-only' ? 0 : cfg.ablation === 'crossover-only' ? 1 : 1 - cfg.mutationProbability;
      if (ctx.rng.chance(crossoverChance)) {
        const proposal = crossover(ctx, childId);
        if (proposal) return proposal;
      }
      // Parents and crossover partners come from trained networks only, and a success always has its
      // artifact (tell refuses one without): a failure, with code or without, is never handed out. With
      // nothing trained yet (the initial network and every seeding child failed), evolution keeps
      // mutating the initial network, whose artifact is known from the setup whether it trained or not.
      return mutation(ctx, pickParent(ctx) ?? initial, childId);
    },
    observe(ctx, record) {
      init(ctx);
      const s = state!;
      const cfg = ctx.config.llmatic;
      const outcome = record.result.outcome;
      const pending = s.pending[record.id];
      delete s.pending[record.id];
      if (pending?.kind === 'seed') s.seedsTold += 1;
      const prevBest = previousBest(record.generation);
      let entered = false;
      if (outcome.status === 'ok') {
        const descriptors = record.result.descriptors!;
        const placed = insert(network!, { id: record.id, fitness: outcome.fitness, descriptors, payload: null });
        network = placed.archive;
        entered = placed.outcome !== 'rejected';
        s.trained.push(record.id);
        const g = String(record.generation);
        if (s.generationBest[g] === undefined || outcome.fitness > s.generationBest[g]!) s.generationBest[g] = outcome.fitness;
      }
      const beat = outcome.status === 'ok' && (prevBest === null || outcome.fitness >= prevBest);
      if (options.lineageMemory && record.parentIds[0] !== undefined && record.operator !== 'seed') {
        recordAttempt(s.lineage, record.parentIds[0], record.toldAt!, lineageEntry(ctx, record));
      }
      if (pending && pending.kind !== 'crossover' && pending.promptIndex !== null) {
        const delta = outcome.status === 'failed' ? cfg.curiosity.failed : entered ? cfg.curiosity.entered : cfg.curiosity.rejected;
        let curiosity = delta;
        if (pending.source) {
          promptArchive = addCuriosity(promptArchive!, pending.source.niche, pending.source.id, delta);
          curiosity = promptArchive.cells[pending.source.niche]?.id === pending.source.id ? promptArchive.cells[pending.source.niche]!.payload.curiosity : delta;
        }
        if (outcome.status === 'ok' && prevBest !== null && outcome.fitness > prevBest) s.collective[pending.promptIndex]! += 1;
        const temperature = clip(ctx, record.temperature + (beat ? cfg.temperatureStep : -cfg.temperatureStep));
        s.temperature = clip(ctx, s.temperature + (beat ? cfg.temperatureStep : -cfg.temperatureStep));
        if (cfg.ablation !== 'network-archive-only') {
          promptArchive = offerPrompt(promptArchive!, {
            id: record.id, collectiveFitness: s.collective[pending.promptIndex]!, promptCount: ctx.prompts.length,
            payload: { promptIndex: pending.promptIndex, temperature, curiosity },
          });
        }
      }
    },
    stats(ctx) {
      init(ctx);
      const net = archiveStats(network!);
      const pr = archiveStats(promptArchive!);
      return {
        networkArchive: { size: net.size, coverage: net.coverage, qdScore: net.qdScore, best: net.best?.fitness ?? null, meanFitness: net.meanFitness },
        promptArchive: { size: pr.size, coverage: pr.coverage },
        temperature: state!.temperature,
      };
    },
    archives(ctx) {
      // No init(ctx) here: a fresh strategy's state stays null, so reading changes no snapshot.
      const networkView: ArchiveView = network === null
        ? { niches: ctx.config.networkArchive.niches, cells: [] }
        : { niches: network.cells.length, cells: elites(network).map((e) => ({ niche: e.niche, id: e.id, fitness: e.fitness, descriptors: [...e.descriptors] })) };
      const promptView: ArchiveView = promptArchive === null
        ? { niches: ctx.config.promptArchive.niches, cells: [] }
        : {
            niches: promptArchive.cells.length,
            cells: elites(promptArchive).map((e) => ({
              niche: e.niche, id: e.id, fitness: e.fitness, descriptors: [...e.descriptors],
              prompt: { choice: ctx.prompts[e.payload.promptIndex] ?? null, temperature: e.payload.temperature, curiosity: e.payload.curiosity },
            })),
          };
      return { network: networkView, prompt: promptView };
    },
    snapshot: () => (state ? structuredClone({ ...state, network: snapshotArchive(network!), prompts: snapshotArchive(promptArchive!) }) : null),
  };
}

function lineageEntry(ctx: StrategyContext, record: CandidateRecord & { result: NonNullable<CandidateRecord['result']> }) : MemoryEntry {
  const feedback = record.result.feedback;
  const intent = feedback?.intent ?? record.prompt?.intent;
  // Keys in MemoryEntry's schema order (a validated restore rebuilds them in that order).
  return {
    candidateId: record.id,
    problem: feedback?.problem ?? `parent ${record.parentIds[0]} (${record.operator})`,
    suggestion: feedback?.suggestion ?? (record.prompt ? `prompt ${record.prompt.id}: ${record.prompt.intent}` : record.operator),
    ...(intent === undefined ? {} : { intent }),
    outcome: record.result.outcome,
    baseline: ctx.log.fitness(record.parentIds[0]!),
  };
}

