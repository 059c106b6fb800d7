import { createArchive, elites, insert, nearestElites, restoreArchive, snapshotArchive, archiveStats } from '../archive/cvt-archive.ts';
import type { Archive } from '../archive/cvt-archive.ts';
import type { ArchiveView } from '../engine/archive-view.ts';
import type { MemoryEntry, PromptChoice } from '@nasfleet/contracts';
import { candidateId } from '../engine/candidate-log.ts';
import { previousGenerationBest } from './generation-window.ts';
import { emptyLineageMemory, lineageEntry, lineageWindow, recordAttempt } from './lineage-memory.ts';
import { LlmaticStateSchema } from './llmatic-state.ts';
import type { LlmaticState, PendingChild } from './llmatic-state.ts';
import { offerToPopulation, similarMembers } from './network-population.ts';
import { addCuriosity, createPromptArchive, mostCurious, offerPrompt } from './prompt-archive.ts';
import { childrenInFlight, drawParent, exploitParent, improvingPrompts, inFlightWeight, repeatedKnown } from './parent-choice.ts';
import { offerRunnerUp, removeRunnerUp, runnersUp } from './niche-reserve.ts';
import { createPromptPopulation, stepMemberTemperature } from './prompt-population.ts';
import { bareProposal } from './strategy.ts';
import type { Proposal, Strategy, StrategyContext } from './strategy.ts';

/**
 * LLMatic (Nasir et al. 2024): a network archive and a prompt archive, both CVT-MAP-Elites; prompts
 * chosen by curiosity, temperature mutated by success, mutation 0.7 / crossover 0.3 with nearest
 * neighbours, a seeding phase from the initial network, and the paper's ablations.
 * With `lineageMemory` it is the hybrid: each mutation also gets the feedback memory of its lineage.
 */
export function createLlmatic(options: { lineageMemory: boolean }, snapshot?: unknown): Strategy {
  let state: LlmaticState | null = snapshot === undefined || snapshot === null ? null : (LlmaticStateSchema.parse(snapshot) as LlmaticState);
  let network: Archive<null> | null = state ? restoreArchive(state.network) : null;
  let promptArchive = state ? restoreArchive(state.prompts) : null;
  const name = options.lineageMemory ? 'hybrid' : 'llmatic';

  /** The state, made on first use; the ablations' populations are made (or rebuilt from an older snapshot) here too. */
  function init(ctx: StrategyContext): LlmaticState {
    const cfg = ctx.config.llmatic;
    if (!state) {
      network = createArchive<null>(ctx.config.networkArchive);
      promptArchive = createPromptArchive(ctx.config.promptArchive.niches, ctx.config.promptArchive.seed);
      state = {
        network: snapshotArchive(network), prompts: snapshotArchive(promptArchive), collective: ctx.prompts.map(() => 0),
        temperature: cfg.initialTemperature, pending: {}, lineage: emptyLineageMemory(), seedsTold: 0,
      };
    }
    if (cfg.ablation === 'prompt-archive-only' && state.population === undefined) {
      // An older snapshot kept every trained network: its fittest ones make the bounded population.
      const fitness = (id: string) => ctx.log.fitness(id) ?? -Infinity;
      state.population = [...(state.trained ?? [])].sort((a, b) => fitness(b) - fitness(a)).slice(0, cfg.ablationPopulation);
    }
    delete state.trained;
    if (cfg.ablation === 'network-archive-only' && state.promptPopulation === undefined) {
      state.promptPopulation = createPromptPopulation(cfg.ablationPopulation, ctx.prompts.length, cfg.temperatureRange, ctx.config.seed + 1);
      state.populationScore = 0;
    }
    return state;
  }

  const clip = (ctx: StrategyContext, t: number) => {
    const [lo, hi] = ctx.config.llmatic.temperatureRange;
    return Math.min(hi, Math.max(lo, t));
  };

  function memoryFor(ctx: StrategyContext, parentId: string): MemoryEntry[] | null {
    if (!options.lineageMemory) return null;
    return lineageWindow(state!.lineage, parentId, (id) => ctx.log.get(id)?.parentIds[0] ?? null, ctx.config.memory.window);
  }

  /** Who may be a parent: the network archive's elites, or prompt-archive-only's population. */
  function parentPool(ctx: StrategyContext): { id: string; fitness: number }[] {
    if (ctx.config.llmatic.ablation !== 'prompt-archive-only') {
      const extra = runnersUp(state!.reserve).map((id) => ({ id, fitness: ctx.log.fitness(id)! }));
      return extra.length ? [...elites(network!), ...extra] : elites(network!);
    }
    return state!.population!.map((id) => ({ id, fitness: ctx.log.fitness(id)! }));
  }

  function pickParent(ctx: StrategyContext): string | null {
    const cfg = ctx.config.llmatic;
    const selection = cfg.parentSelection ?? (options.lineageMemory ? 'tournament' : 'uniform');
    const cap = cfg.inFlightCap;
    const busy = cap === null && cfg.inFlightDiscount === 0 ? null : childrenInFlight(ctx.log, Object.keys(state!.pending));
    const streaks = state!.streaks;
    const passedOver = (id: string) => (busy !== null && cap !== null && (busy.get(id) ?? 0) >= cap) || (cfg.saturation !== null && (streaks?.[id] ?? 0) >= cfg.saturation);
    const weight = busy === null ? null : inFlightWeight(busy, cfg.inFlightDiscount);
    const pool = parentPool(ctx);
    // The chance is drawn only where exploitation may happen, so a search without it draws exactly as before.
    if (cfg.exploitShare > 0 && ctx.log.toldIds().length >= cfg.exploitAfter && ctx.rng.chance(cfg.exploitShare)) {
      const exploited = exploitParent(ctx.log, ctx.rng, cfg.exploitPopulation, cfg.exploitTournament, pool, passedOver, weight);
      if (exploited !== null) return exploited;
    }
    return drawParent(pool, ctx.rng, selection, selection === 'fittest' ? cfg.fittestCount : cfg.tournamentSize, passedOver, weight);
  }

  /**
   * Seeding children still to tell: seeding ends once either archive holds `seedNetworks` individuals
   * (paper: "one of the two archives"), or after `seedingBudget` seeding children were told (descriptor
   * bounds that squeeze the initial network's mutants into a few niches must not stall a search forever).
   */
  function seedingLeft(ctx: StrategyContext): number {
    const cfg = ctx.config.llmatic;
    const networks = cfg.ablation === 'prompt-archive-only' ? state!.population!.length : elites(network!).length;
    const prompts = cfg.ablation === 'network-archive-only' ? 0 : elites(promptArchive!).length;
    return Math.min(cfg.seedNetworks - Math.max(networks, prompts), cfg.seedingBudget - state!.seedsTold);
  }
  const seedingDone = (ctx: StrategyContext): boolean => seedingLeft(ctx) <= 0;

  /** Seeding children the archives may still need beyond those in flight (each adds at most one network and one prompt individual). */
  function seedsStillWanted(ctx: StrategyContext): number {
    return seedingLeft(ctx) - Object.values(state!.pending).filter((p) => p.kind === 'seed').length;
  }

  function pending(ctx: StrategyContext, id: string, child: Omit<PendingChild, 'reference'>): void {
    // Keys in the schema's order, so a snapshot and its validated restore serialise identically.
    const reference = previousGenerationBest(ctx.log, ctx.config.generationSize);
    state!.pending[id] = { kind: child.kind, promptIndex: child.promptIndex, source: child.source, reference, member: child.member ?? null };
  }

  function mutation(ctx: StrategyContext, parentId: string, id: string, forcePrompt?: number): Proposal {
    const cfg = ctx.config.llmatic;
    let promptIndex: number;
    let temperature: number;
    let source: PendingChild['source'] = null;
    let member: number | null = null;
    const curious = cfg.ablation === 'network-archive-only' ? null : mostCurious(promptArchive!);
    if (forcePrompt !== undefined) {
      promptIndex = forcePrompt;
      temperature = cfg.initialTemperature;
    } else if (cfg.ablation === 'network-archive-only') {
      // One fitness score for the whole population: nothing to rank its individuals by, so any one.
      member = ctx.rng.int(0, state!.promptPopulation!.length - 1);
      ({ promptIndex, temperature } = state!.promptPopulation![member]!);
    } else if (!curious || ctx.rng.chance(cfg.randomPromptShare)) {
      const steer = cfg.lineageSteering && options.lineageMemory ? improvingPrompts(memoryFor(ctx, parentId)!, ctx.prompts) : [];
      promptIndex = steer.length ? ctx.rng.pick(steer) : ctx.rng.int(0, ctx.prompts.length - 1);
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
    pending(ctx, id, { kind: 'mutation', promptIndex, source, member });
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
    const neighbours = cfg.ablation === 'prompt-archive-only'
      ? similarMembers(state!.population!, first, k, ctx.config.networkArchive, (m) => ({ fitness: ctx.log.fitness(m)!, descriptors: ctx.log.get(m)!.result!.descriptors! }))
      : cfg.crossoverPartners === 'tournament'
        ? fitPartners(ctx, first, k)
        : nearestElites(network!, descriptors, k, new Set([first])).map((e) => e.id);
    if (!neighbours.length) return null;
    pending(ctx, id, { kind: 'crossover', promptIndex: null, source: null });
    return {
      operator: 'crossover', parents: [first, ...neighbours].map((p) => ctx.log.ref(p)), prompt: ctx.crossoverPrompt,
      temperature: cfg.crossoverTemperature, memory: memoryFor(ctx, first), reference: null, improver: false,
    };
  }

  /** `crossoverPartners: 'tournament'`: k distinct partners, each the fittest of a tournament among the other elites (parents' pool). */
  function fitPartners(ctx: StrategyContext, first: string, k: number): string[] {
    const chosen = new Set([first]);
    const partners: string[] = [];
    for (let i = 0; i < k; i++) {
      const open = parentPool(ctx).filter((p) => !chosen.has(p.id));
      const partner = drawParent(open, ctx.rng, 'tournament', ctx.config.llmatic.tournamentSize);
      if (partner === null) break;
      chosen.add(partner);
      partners.push(partner);
    }
    return partners;
  }

  /** Where the child's network went: into the network archive, or (prompt-archive-only) into the population. */
  function place(ctx: StrategyContext, id: string, fitness: number, descriptors: readonly number[]): boolean {
    const cfg = ctx.config.llmatic;
    if (cfg.ablation === 'prompt-archive-only') {
      return offerToPopulation(state!.population!, id, fitness, cfg.ablationPopulation, (m) => ctx.log.fitness(m)!);
    }
    const placed = insert(network!, { id, fitness, descriptors, payload: null });
    network = placed.archive;
    const keep = cfg.elitesPerNiche - 1;
    if (keep > 0) {
      const reserve = (state!.reserve ??= {});
      const fitnessOf = (m: string) => ctx.log.fitness(m)!;
      if (placed.outcome === 'rejected') {
        // A repeat of a known architecture adds no new parent.
        if (!repeatedKnown(ctx.log, id)) offerRunnerUp(reserve, placed.niche, id, keep, fitnessOf);
      } else {
        removeRunnerUp(reserve, placed.niche, id);
        if (placed.previous) offerRunnerUp(reserve, placed.niche, placed.previous.id, keep, fitnessOf);
      }
    }
    return placed.outcome !== 'rejected';
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
      if (!seedingDone(ctx) && cfg.seedingInFlight === 'needed' && seedsStillWanted(ctx) <= 0) return null;
      if (!seedingDone(ctx) && cfg.seeding === 'sample') {
        pending(ctx, childId, { kind: 'seed', promptIndex: null, source: null });
        return bareProposal('sample', [], cfg.initialTemperature);
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
      const s = init(ctx);
      const cfg = ctx.config.llmatic;
      const outcome = record.result.outcome;
      const child = s.pending[record.id];
      delete s.pending[record.id];
      if (child?.kind === 'seed') s.seedsTold += 1;
      const entered = outcome.status === 'ok' && place(ctx, record.id, outcome.fitness, record.result.descriptors!);
      const parent = record.parentIds[0];
      const repeated = cfg.saturation === null || parent === undefined ? null : repeatedKnown(ctx.log, record.id);
      if (repeated !== null) (s.streaks ??= {})[parent!] = repeated ? (s.streaks?.[parent!] ?? 0) + 1 : 0;
      if (options.lineageMemory && record.parentIds[0] !== undefined && record.operator !== 'seed') {
        recordAttempt(s.lineage, record.parentIds[0], record.toldAt!, lineageEntry(ctx.log, record));
      }
      if (!child || child.kind === 'crossover' || child.promptIndex === null) return;
      const delta = outcome.status === 'failed' ? cfg.curiosity.failed : entered ? cfg.curiosity.entered : cfg.curiosity.rejected;
      if (child.member !== undefined && child.member !== null) {
        // network-archive-only (paper §4.2): one score for the population, ±0.1 on the individual's temperature.
        s.populationScore = (s.populationScore ?? 0) + delta;
        s.promptPopulation![child.member] = stepMemberTemperature(s.promptPopulation![child.member]!, entered, cfg.populationTemperatureStep, cfg.temperatureRange);
        return;
      }
      // A child asked before its reference was recorded (an older snapshot) is judged against the window before its tell.
      const prevBest = child.reference !== undefined ? child.reference : previousGenerationBest(ctx.log, ctx.config.generationSize, record.toldAt!);
      const beat = outcome.status === 'ok' && (prevBest === null || outcome.fitness >= prevBest);
      let curiosity = delta;
      if (child.source) {
        promptArchive = addCuriosity(promptArchive!, child.source.niche, child.source.id, delta);
        curiosity = promptArchive.cells[child.source.niche]?.id === child.source.id ? promptArchive.cells[child.source.niche]!.payload.curiosity : delta;
      }
      if (outcome.status === 'ok' && prevBest !== null && outcome.fitness > prevBest) s.collective[child.promptIndex]! += 1;
      const temperature = clip(ctx, record.temperature + (beat ? cfg.temperatureStep : -cfg.temperatureStep));
      s.temperature = clip(ctx, s.temperature + (beat ? cfg.temperatureStep : -cfg.temperatureStep));
      if (cfg.ablation !== 'network-archive-only') {
        promptArchive = offerPrompt(promptArchive!, {
          id: record.id, collectiveFitness: s.collective[child.promptIndex]!, promptCount: ctx.prompts.length,
          payload: { promptIndex: child.promptIndex, temperature, curiosity },
        });
      }
    },
    stats(ctx) {
      const s = init(ctx);
      const net = archiveStats(network!);
      const pr = archiveStats(promptArchive!);
      return {
        networkArchive: { size: net.size, coverage: net.coverage, qdScore: net.qdScore, best: net.best?.fitness ?? null, meanFitness: net.meanFitness },
        promptArchive: { size: pr.size, coverage: pr.coverage },
        temperature: s.temperature,
        ...(s.population ? { population: s.population.length } : s.promptPopulation ? { population: s.promptPopulation.length } : {}),
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
    snapshot() {
      if (!state) return null;
      // Keys in the schema's order whenever the optional parts were added, so a restore serialises identically.
      const { collective, temperature, population, promptPopulation, populationScore, pending: inFlight, streaks, reserve, lineage, seedsTold } = state;
      return structuredClone({
        network: snapshotArchive(network!), prompts: snapshotArchive(promptArchive!), collective, temperature,
        ...(population ? { population } : {}), ...(promptPopulation ? { promptPopulation, populationScore: populationScore ?? 0 } : {}),
        pending: inFlight, ...(streaks ? { streaks } : {}), ...(reserve ? { reserve } : {}), lineage, seedsTold,
      });
    },
  };
}
