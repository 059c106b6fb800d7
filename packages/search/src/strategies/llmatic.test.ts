import { describe, expect, it } from 'vitest';
import type { CandidateRequest, CandidateResult } from '@nasfleet/contracts';
import { elites, nearestElites, restoreArchive } from '../archive/cvt-archive.ts';
import type { ArchiveSnapshot } from '../archive/cvt-archive.ts';
import { SearchEngine } from '../engine/search-engine.ts';
import { TOY_BOUNDS, TOY_CROSSOVER, TOY_INITIAL, TOY_PROMPTS, runToy, toyEvaluate, toyOperate } from '../testing/toy-space.ts';
import type { PromptPayload } from './prompt-archive.ts';

const setup = { prompts: TOY_PROMPTS, crossoverPrompt: TOY_CROSSOVER, initialArtifact: TOY_INITIAL };
// Many children asked at once from the start: seeding fills every slot (the paper's cap on seeding in flight has its own tests, llmatic-seeding.test.ts).
function make(llmatic: Record<string, unknown> = {}, strategy: 'llmatic' | 'hybrid' = 'llmatic', seed = 1) {
  return SearchEngine.create(
    { strategy, seed, generationSize: 20, networkArchive: { niches: 30, bounds: TOY_BOUNDS, seed: 3 }, llmatic: { seedingInFlight: 'fill', ...llmatic } },
    setup,
  );
}
type StrategyState = { network: ArchiveSnapshot<null>; prompts: ArchiveSnapshot<PromptPayload>; collective: number[]; seedsTold: number };
const stateOf = (e: SearchEngine) => e.snapshot().strategy as StrategyState;

/** Results with descriptors spread over the space, so the network archive fills quickly. */
function spread(r: CandidateRequest, i: number, fitness = i): CandidateResult {
  return { id: r.id, artifact: toyOperate(r), outcome: { status: 'ok', fitness }, descriptors: [(i * 7) % 32, (i * 3) % 8] };
}

/** Results on a coarse grid of descriptors: the first 10 land in 10 different niches. */
function grid(r: CandidateRequest, i: number): CandidateResult {
  return { ...spread(r, i), descriptors: [(i % 5) * 8, Math.floor(i / 5) * 7] };
}

describe('llmatic', () => {
  it('starts by evaluating the initial network, then mutates it with random prompts until an archive holds 10', () => {
    const engine = make({ seedingBudget: 1000 });
    const [first] = engine.ask(1);
    expect(first).toMatchObject({ operator: 'seed', parents: [{ artifact: TOY_INITIAL }] });
    engine.tell([grid(first!, 0)]);
    const seeding = engine.ask(9);
    expect(seeding.every((r) => r.operator === 'mutate' && r.parents[0]!.id === first!.id && r.prompt !== null)).toBe(true);
    expect(new Set(seeding.map((r) => r.prompt!.id)).size).toBeGreaterThan(1);
    // Only 8 of them are told: the archive holds 9 < 10, so seeding continues.
    engine.tell(seeding.slice(0, 8).map((r, i) => grid(r, i + 1)));
    expect(engine.ask(5).every((r) => r.parents[0]!.id === first!.id)).toBe(true);
    engine.tell(seeding.slice(8).map((r) => grid(r, 9)));
    expect(elites(restoreArchive(stateOf(engine).network)).length).toBeGreaterThanOrEqual(10);
    const evolving = engine.ask(60);
    expect(evolving.some((r) => r.operator === 'crossover')).toBe(true);
    expect(evolving.some((r) => r.operator === 'mutate' && r.parents[0]!.id !== first!.id)).toBe(true);
  });

  it('ends seeding after the seeding budget when the descriptors cannot fill the archive', () => {
    const engine = make({ seedingBudget: 12 });
    const requests = engine.ask(13);
    engine.tell(requests.map((r, i) => ({ ...spread(r, i, i), descriptors: [1, 1] }))); // all in one niche
    expect(stateOf(engine).seedsTold).toBe(12);
    expect(engine.ask(30).some((r) => r.operator === 'crossover' || r.parents[0]!.id !== requests[0]!.id)).toBe(true);
  });

  it('mutates with probability 0.7 and crosses a random elite with its 2–3 nearest neighbours otherwise', () => {
    const engine = make();
    const seeded = engine.ask(40);
    engine.tell(seeded.map((r, i) => spread(r, i)));
    const network = restoreArchive(stateOf(engine).network);
    const requests = engine.ask(1000);
    const crossovers = requests.filter((r) => r.operator === 'crossover');
    expect(crossovers.length / requests.length).toBeGreaterThan(0.25);
    expect(crossovers.length / requests.length).toBeLessThan(0.35);
    for (const r of crossovers) {
      expect(r.prompt).toEqual(TOY_CROSSOVER);
      expect(r.parents.length === 3 || r.parents.length === 4).toBe(true);
      const [first, ...rest] = r.parents;
      const nearest = nearestElites(network, first!.descriptors!, rest.length, new Set([first!.id])).map((e) => e.id);
      expect(rest.map((p) => p.id)).toEqual(nearest);
    }
    const mutations = requests.filter((r) => r.operator === 'mutate');
    // Parents are drawn from the archive's elites, uniformly: many distinct parents.
    expect(new Set(mutations.map((r) => r.parents[0]!.id)).size).toBeGreaterThan(15);
  });

  it('picks the most curious prompt individual, whose curiosity moves +1 / −0.5 / −1', () => {
    const engine = make({ randomPromptShare: 0 });
    engine.tell(engine.ask(30).map((r, i) => spread(r, i)));
    const before = stateOf(engine);
    const curious = elites(restoreArchive(before.prompts)).reduce((a, b) => (b.payload.curiosity > a.payload.curiosity ? b : a));
    const mutations = engine.ask(40).filter((r) => r.operator === 'mutate');
    expect(mutations.length).toBeGreaterThan(10);
    expect(mutations.every((r) => r.prompt!.id === TOY_PROMPTS[curious.payload.promptIndex]!.id)).toBe(true);
    // Fail one child of the curious prompt: the source individual loses 1.
    const child = mutations[0]!;
    engine.tell([{ id: child.id, artifact: '9', outcome: { status: 'failed', failure: { class: 'shape', message: 'x' } } }]);
    const after = restoreArchive(stateOf(engine).prompts);
    expect(after.cells[curious.niche]!.payload.curiosity).toBeCloseTo(curious.payload.curiosity - 1);
    // A child rejected by the network archive: −0.5.
    const second = mutations[1]!;
    engine.tell([{ ...spread(second, 0, -100) }]);
    const after2 = restoreArchive(stateOf(engine).prompts);
    expect(after2.cells[curious.niche]!.payload.curiosity).toBeCloseTo(curious.payload.curiosity - 1.5);
    // A child that takes a new niche: +1.
    const third = mutations[2]!;
    engine.tell([{ ...spread(third, 0, 1000), descriptors: [31, 0] }]);
    const after3 = restoreArchive(stateOf(engine).prompts);
    expect(after3.cells[curious.niche]!.payload.curiosity).toBeCloseTo(curious.payload.curiosity - 0.5);
  });

  it('jitters the temperature of half the mutations by U(−0.1, 0.1), clipped to [0.1, 1], and steps it ±0.05 after evaluation', () => {
    const engine = make({ randomPromptShare: 0 });
    engine.tell(engine.ask(30).map((r, i) => spread(r, i)));
    const curious = elites(restoreArchive(stateOf(engine).prompts)).reduce((a, b) => (b.payload.curiosity > a.payload.curiosity ? b : a));
    const mutations = engine.ask(200).filter((r) => r.operator === 'mutate');
    const exact = mutations.filter((r) => Math.abs(r.temperature - curious.payload.temperature) < 1e-12).length;
    expect(exact / mutations.length).toBeGreaterThan(0.35);
    expect(exact / mutations.length).toBeLessThan(0.65);
    for (const r of mutations) expect(Math.abs(r.temperature - curious.payload.temperature)).toBeLessThanOrEqual(0.1 + 1e-12);
    // Beating the previous generation's best raises the new individual's temperature by 0.05.
    const child = mutations.find((r) => r.temperature > 0.2 && r.temperature < 0.9)!;
    engine.tell([{ ...spread(child, 0, 10_000), descriptors: [30, 7] }]);
    const added = elites(restoreArchive(stateOf(engine).prompts)).find((e) => e.id === child.id);
    expect(added?.payload.temperature).toBeCloseTo(child.temperature + 0.05);
    expect(stateOf(engine).collective[added!.payload.promptIndex]).toBeGreaterThanOrEqual(1);
    const clipped = make({ initialTemperature: 0.05, temperatureRange: [0.1, 1] }).ask(3);
    for (const r of clipped.slice(1)) expect(r.temperature).toBeGreaterThanOrEqual(0.1);
  });

  it('counts a prompt\'s collective fitness only when its network beats the previous generation\'s best', () => {
    const engine = make({ randomPromptShare: 1 });
    const gen0 = engine.ask(20);
    engine.tell(gen0.map((r, i) => spread(r, i, 50)));
    const sumBefore = stateOf(engine).collective.reduce((a, b) => a + b, 0);
    const gen1 = engine.ask(20).filter((r) => r.operator === 'mutate');
    engine.tell(gen1.slice(0, 3).map((r, i) => spread(r, i, 10))); // worse than 50: no credit
    expect(stateOf(engine).collective.reduce((a, b) => a + b, 0)).toBe(sumBefore);
    engine.tell(gen1.slice(3, 5).map((r, i) => spread(r, i, 60))); // better: +1 each
    expect(stateOf(engine).collective.reduce((a, b) => a + b, 0)).toBe(sumBefore + 2);
  });

  it.each(['llmatic', 'hybrid'] as const)('%s runs on when the initial network and every seeding child fail without code', (strategy) => {
    // Seeding from the initial network (the paper's; the hybrid's default seeds with samples).
    const engine = make({ seedingBudget: 6, seeding: 'initial' }, strategy);
    const noCode = (r: CandidateRequest): CandidateResult => ({ id: r.id, artifact: null, outcome: { status: 'failed', failure: { class: 'extraction', message: `no code in ${r.id}` } } });
    const [seed] = engine.ask(1);
    engine.tell([{ id: seed!.id, artifact: null, outcome: { status: 'failed', failure: { class: 'training-nan', message: 'loss is NaN' } } }]);
    const seeding = engine.ask(6);
    engine.tell(seeding.map(noCode));
    // Seeding is over (budget spent) but nothing trained: evolution can only mutate the initial network again.
    expect(stateOf(engine).seedsTold).toBe(6);
    const requests = engine.ask(30);
    expect(requests.every((r) => r.operator === 'mutate' && r.parents.length === 1)).toBe(true);
    expect(requests.every((r) => r.parents[0]!.id === seed!.id && r.parents[0]!.artifact === TOY_INITIAL)).toBe(true);
    if (strategy === 'hybrid') expect(requests[0]!.memory!.map((m) => m.outcome.status === 'failed' && m.outcome.failure.class)).toEqual(Array(5).fill('extraction'));
    // The first network that trains becomes the parent pool.
    engine.tell([spread(requests[0]!, 0, 5), ...requests.slice(1).map(noCode)]);
    expect(engine.ask(20).filter((r) => r.operator === 'mutate').every((r) => r.parents[0]!.id === requests[0]!.id)).toBe(true);
  });

  describe('ablations', () => {
    const run = (ablation: string) => {
      const engine = make({ ablation });
      const asked = runToy(engine, 400);
      return { engine, asked: asked.slice(60) };
    };
    it('mutation-only never crosses over; crossover-only never mutates after seeding', () => {
      expect(run('mutation-only').asked.some((r) => r.operator === 'crossover')).toBe(false);
      const crossoverOnly = run('crossover-only');
      expect(crossoverOnly.asked.every((r) => r.operator === 'crossover')).toBe(true);
    });
    it('network-archive-only keeps no prompt archive; prompt-archive-only keeps no network archive (llmatic-ablations.test.ts has their rules)', () => {
      const netOnly = run('network-archive-only');
      expect(elites(restoreArchive(stateOf(netOnly.engine).prompts))).toHaveLength(0);
      expect(elites(restoreArchive(stateOf(netOnly.engine).network)).length).toBeGreaterThan(0);
      const promptOnly = run('prompt-archive-only');
      expect(elites(restoreArchive(stateOf(promptOnly.engine).network))).toHaveLength(0);
      expect(elites(restoreArchive(stateOf(promptOnly.engine).prompts)).length).toBeGreaterThan(0);
    });
    it('random-generation always asks the initial network to be improved', () => {
      const { asked } = run('random-generation');
      expect(asked.every((r) => r.operator === 'mutate' && r.parents[0]!.id === 'c000000' && r.prompt!.intent === 'improve')).toBe(true);
    });
  });
});

describe('hybrid', () => {
  it('hands each mutation the feedback memory of its lineage: attempts on the parent and its ancestors, not others', () => {
    const engine = make({}, 'hybrid');
    runToy(engine, 300);
    const requests = engine.ask(50).filter((r) => r.operator === 'mutate');
    const withMemory = requests.filter((r) => r.memory && r.memory.length > 0);
    expect(withMemory.length).toBeGreaterThan(0);
    for (const r of withMemory) {
      expect(r.memory!.length).toBeLessThanOrEqual(5);
      // Every remembered attempt was made on the parent or one of its ancestors.
      const line = new Set<string>();
      for (let id: string | undefined = r.parents[0]!.id; id; id = engine.candidate(id)?.parentIds[0]) line.add(id);
      for (const m of r.memory!) expect(line.has(engine.candidate(m.candidateId)!.parentIds[0]!)).toBe(true);
      for (const m of r.memory!) expect(m.outcome).toEqual(engine.candidate(m.candidateId)!.result!.outcome);
    }
    // Plain llmatic hands out no memory.
    const plain = make();
    runToy(plain, 300);
    expect(plain.ask(20).every((r) => r.memory === null)).toBe(true);
  });

  it('keeps failures in the lineage memory with their diagnostics', () => {
    const engine = make({}, 'hybrid');
    runToy(engine, 200, 10, (r) => (Number(r.id.slice(1)) % 3 === 0 ? { ...r, outcome: { status: 'failed', failure: { class: 'shape', message: 'boom' } }, descriptors: undefined } : r));
    const memories = engine.ask(60).flatMap((r) => r.memory ?? []);
    expect(memories.some((m) => m.outcome.status === 'failed' && m.outcome.failure.message === 'boom')).toBe(true);
  });

  it('selects parents by tournament, favouring fitter elites than uniform selection', () => {
    const mean = (engine: SearchEngine) => {
      const seeded = engine.ask(40);
      engine.tell(seeded.map((r, i) => spread(r, i)));
      const parents = engine.ask(400).filter((r) => r.operator === 'mutate').map((r) => r.parents[0]!.outcome);
      return parents.reduce((s, o) => s + (o?.status === 'ok' ? o.fitness : 0), 0) / parents.length;
    };
    expect(mean(make({}, 'hybrid'))).toBeGreaterThan(mean(make({}, 'llmatic')) + 2);
  });
});

void toyEvaluate;
