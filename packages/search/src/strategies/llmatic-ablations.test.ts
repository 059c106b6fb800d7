import { describe, expect, it } from 'vitest';
import type { CandidateRequest, CandidateResult } from '@nasfleet/contracts';
import { elites, restoreArchive } from '../archive/cvt-archive.ts';
import type { ArchiveSnapshot } from '../archive/cvt-archive.ts';
import { SearchEngine } from '../engine/search-engine.ts';
import { TOY_BOUNDS, TOY_CROSSOVER, TOY_INITIAL, TOY_PROMPTS, toyOperate } from '../testing/toy-space.ts';
import { cosine } from './network-population.ts';
import type { PromptPayload } from './prompt-archive.ts';
import type { PromptMember } from './prompt-population.ts';

// Issue 10, "Fidelity to LLMatic": the ablations as the paper describes them (§4.2).

const setup = { prompts: TOY_PROMPTS, crossoverPrompt: TOY_CROSSOVER, initialArtifact: TOY_INITIAL };
// Many children asked at once from the start: seeding fills every slot (the paper's cap on seeding in flight has its own tests, llmatic-seeding.test.ts).
const make = (llmatic: Record<string, unknown>) =>
  SearchEngine.create({ strategy: 'llmatic', seed: 2, generationSize: 20, networkArchive: { niches: 30, bounds: TOY_BOUNDS, seed: 3 }, llmatic: { seedingInFlight: 'fill', ...llmatic } }, setup);
type State = { network: ArchiveSnapshot<null>; prompts: ArchiveSnapshot<PromptPayload>; promptPopulation?: PromptMember[]; populationScore?: number; population?: string[] };
const stateOf = (e: SearchEngine) => e.snapshot().strategy as State;
const ok = (r: CandidateRequest, fitness: number, descriptors: number[]): CandidateResult => ({ id: r.id, artifact: toyOperate(r), outcome: { status: 'ok', fitness }, descriptors });
const failed = (r: CandidateRequest): CandidateResult => ({ id: r.id, artifact: toyOperate(r), outcome: { status: 'failed', failure: { class: 'shape', message: 'x' } } });
const spread = (i: number) => [(i * 7) % 32, (i * 3) % 8];

describe('llmatic network-archive-only: a fixed population of prompt individuals', () => {
  it('draws every mutation from a population of 100 random individuals, moved ±0.1 by whether the child entered the network archive', () => {
    const engine = make({ ablation: 'network-archive-only', jitterShare: 0, mutationProbability: 1, seedNetworks: 5 });
    engine.tell(engine.ask(10).map((r, i) => ok(r, i, spread(i))));
    const population = stateOf(engine).promptPopulation!;
    expect(population).toHaveLength(100);
    expect(new Set(population.map((m) => m.promptIndex)).size).toBe(TOY_PROMPTS.length);
    expect(new Set(population.map((m) => m.temperature.toFixed(6))).size).toBeGreaterThan(90);
    expect(engine.status().details.population).toBe(100);
    const mutations = engine.ask(50);
    const memberOf = (r: CandidateRequest) => population.findIndex((m) => TOY_PROMPTS[m.promptIndex]!.id === r.prompt!.id && Math.abs(m.temperature - r.temperature) < 1e-12);
    expect(mutations.every((r) => memberOf(r) >= 0)).toBe(true);
    expect(new Set(mutations.map(memberOf)).size).toBeGreaterThan(30);
    // Entered (a new niche): +0.1; rejected (a niche held by a fitter network): −0.1; untrainable: −0.1.
    const [a, b, c] = mutations.filter((r, i) => mutations.findIndex((x) => memberOf(x) === memberOf(r)) === i && population[memberOf(r)]!.temperature > 0.25 && population[memberOf(r)]!.temperature < 0.85);
    engine.tell([ok(a!, 1000, [31, 0]), ok(b!, -1000, spread(1)), failed(c!)]);
    const after = stateOf(engine).promptPopulation!;
    expect(after[memberOf(a!)]!.temperature).toBeCloseTo(population[memberOf(a!)]!.temperature + 0.1);
    expect(after[memberOf(b!)]!.temperature).toBeCloseTo(population[memberOf(b!)]!.temperature - 0.1);
    expect(after[memberOf(c!)]!.temperature).toBeCloseTo(population[memberOf(c!)]!.temperature - 0.1);
    expect(stateOf(engine).populationScore).toBeCloseTo(1 - 0.5 - 1);
    expect(elites(restoreArchive(stateOf(engine).prompts))).toHaveLength(0);
  });
});

describe('llmatic prompt-archive-only: a bounded population of networks', () => {
  it('keeps the fittest networks, draws parents from them, and scores curiosity by entry to the population, not the network archive', () => {
    const engine = make({ ablation: 'prompt-archive-only', ablationPopulation: 5, seedNetworks: 5, randomPromptShare: 0, mutationProbability: 1 });
    engine.tell(engine.ask(12).map((r, i) => ok(r, 10 + i, spread(i))));
    const fitness = (id: string) => engine.candidate(id)!.result!.outcome as { fitness: number };
    const population = stateOf(engine).population!;
    expect(population.map((id) => fitness(id).fitness).sort((x, y) => x - y)).toEqual([17, 18, 19, 20, 21]);
    expect(elites(restoreArchive(stateOf(engine).network))).toHaveLength(0);
    const mutations = engine.ask(40);
    expect(mutations.every((r) => population.includes(r.parents[0]!.id))).toBe(true);
    const curiosityOf = () => elites(restoreArchive(stateOf(engine).prompts)).reduce((a, e) => (e.payload.curiosity > a.payload.curiosity ? e : a));
    const curious = curiosityOf();
    // A new niche of the (absent) network archive, but below the population's weakest (17): rejected, −0.5.
    engine.tell([ok(mutations[0]!, 16, [31, 0])]);
    expect(restoreArchive(stateOf(engine).prompts).cells[curious.niche]!.payload.curiosity).toBeCloseTo(curious.payload.curiosity - 0.5);
    expect(stateOf(engine).population).toEqual(population);
    // Fitter than the weakest: joins in its place, +1.
    engine.tell([ok(mutations[1]!, 30, spread(3))]);
    expect(restoreArchive(stateOf(engine).prompts).cells[curious.niche]!.payload.curiosity).toBeCloseTo(curious.payload.curiosity + 0.5);
    expect(stateOf(engine).population!.map((id) => fitness(id).fitness).sort((x, y) => x - y)).toEqual([18, 19, 20, 21, 30]);
  });

  it('crosses a member with the members most similar to it by cosine similarity of normalised descriptors', () => {
    const engine = make({ ablation: 'prompt-archive-only', ablationPopulation: 8, seedNetworks: 8, mutationProbability: 0 });
    const descriptors = [[32, 8], [16, 4], [8, 2], [32, 0], [0, 8], [30, 1], [2, 7], [20, 6]];
    engine.tell(engine.ask(8).map((r, i) => ok(r, i, descriptors[i]!)));
    const norm = (id: string) => { const [x, y] = engine.candidate(id)!.result!.descriptors!; return [x! / 32, y! / 8]; };
    const crossovers = engine.ask(30).filter((r) => r.operator === 'crossover');
    expect(crossovers.length).toBeGreaterThan(20);
    for (const r of crossovers) {
      const [first, ...partners] = r.parents.map((p) => p.id);
      const others = stateOf(engine).population!.filter((id) => id !== first).map((id) => cosine(norm(id), norm(first!))).sort((x, y) => y - x);
      // The partners are the most similar members (ties allowed), in order of similarity.
      expect(partners.map((id) => cosine(norm(id), norm(first!)))).toEqual(others.slice(0, partners.length));
    }
  });
});
