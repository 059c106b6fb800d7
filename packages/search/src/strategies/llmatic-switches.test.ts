import { describe, expect, it } from 'vitest';
import type { CandidateRequest, CandidateResult } from '@nasfleet/contracts';
import { SearchEngine } from '../engine/search-engine.ts';
import { TOY_BOUNDS, TOY_CROSSOVER, TOY_INITIAL, TOY_PROMPTS, toyOperate } from '../testing/toy-space.ts';

// Issue 10, "Better than the anchors": the switches beyond the paper, each off by default.

const setup = { prompts: TOY_PROMPTS, crossoverPrompt: TOY_CROSSOVER, initialArtifact: TOY_INITIAL };
/**
 * Each switch on the paper's settings: the hybrid's own defaults (samples as seeds, exploitation, …) are set back to the paper's.
 * Seeding fills every slot: these tests ask many children at once (the paper's cap has its own tests, llmatic-seeding.test.ts).
 */
const PAPER = { seeding: 'initial', tournamentSize: 3, exploitShare: 0, crossoverPartners: 'nearest', seedingInFlight: 'fill' } as const;
const make = (llmatic: Record<string, unknown>, strategy = 'hybrid') =>
  SearchEngine.create({ strategy, seed: 4, generationSize: 20, networkArchive: { niches: 30, bounds: TOY_BOUNDS, seed: 3 }, llmatic: { ...PAPER, ...llmatic } }, setup);
const ok = (r: CandidateRequest, fitness: number, descriptors: number[], extra: Partial<CandidateResult> = {}): CandidateResult => ({
  id: r.id, artifact: toyOperate(r), outcome: { status: 'ok', fitness }, descriptors, ...extra,
});
const spread = (i: number) => [(i * 7) % 32, (i * 3) % 8];
/** Seeds the archive with 12 networks in distinct niches, the last one by far the fittest. */
function seeded(engine: SearchEngine): void {
  engine.tell(engine.ask(12).map((r, i) => ok(r, i === 11 ? 1000 : i, spread(i))));
}
const parentCounts = (requests: CandidateRequest[]) => {
  const counts = new Map<string, number>();
  for (const r of requests) counts.set(r.parents[0]!.id, (counts.get(r.parents[0]!.id) ?? 0) + 1);
  return counts;
};

describe('llmatic switches beyond the paper', () => {
  it("parentSelection 'fittest': every mutation's parent is one of the fittestCount fittest elites, each of them drawn (LLMatic's released code)", () => {
    const fitnessOf = (r: CandidateRequest) => {
      const outcome = r.parents[0]!.outcome;
      return outcome?.status === 'ok' ? outcome.fitness : null;
    };
    const fittest = make({ parentSelection: 'fittest' }, 'llmatic');
    seeded(fittest);
    const parents = fittest.ask(60).filter((r) => r.operator === 'mutate').map(fitnessOf);
    expect(parents.length).toBeGreaterThan(20);
    expect(new Set(parents)).toEqual(new Set([1000, 10, 9]));
    const wider = make({ parentSelection: 'fittest', fittestCount: 5 }, 'llmatic');
    seeded(wider);
    expect(new Set(wider.ask(60).filter((r) => r.operator === 'mutate').map(fitnessOf))).toEqual(new Set([1000, 10, 9, 8, 7]));
    // The paper's text: a uniformly random elite, the weaker ones too.
    const paper = make({}, 'llmatic');
    seeded(paper);
    expect(paper.ask(60).filter((r) => r.operator === 'mutate').map(fitnessOf).some((f) => f !== null && f < 9)).toBe(true);
  });

  it('inFlightCap: no parent gets more children in flight than the cap while others are open', () => {
    const plain = make({ tournamentSize: 12 });
    seeded(plain);
    expect(Math.max(...parentCounts(plain.ask(24)).values())).toBeGreaterThan(3); // a strong tournament piles onto the best
    const capped = make({ tournamentSize: 12, inFlightCap: 3 });
    seeded(capped);
    const asked = capped.ask(24);
    expect(Math.max(...parentCounts(asked).values())).toBeLessThanOrEqual(3);
    // Once the best's children come back it is open again.
    capped.tell(asked.map((r, i) => ok(r, 1, spread(i + 12))));
    expect(capped.ask(6).filter((r) => r.parents[0]!.outcome?.status === 'ok' && r.parents[0]!.outcome.fitness === 1000).length).toBeGreaterThan(0);
  });

  it('inFlightDiscount: parents with children in flight are drawn less, so asks ahead of results spread; 0 draws exactly as before', () => {
    const plain = make({ tournamentSize: 12 });
    seeded(plain);
    const piled = Math.max(...parentCounts(plain.ask(40)).values());
    expect(piled).toBeGreaterThan(10);
    const spreadOut = make({ tournamentSize: 12, inFlightDiscount: 2 });
    seeded(spreadOut);
    const asked = spreadOut.ask(40);
    expect(Math.max(...parentCounts(asked).values())).toBeLessThan(piled / 2);
    // Once the children come back the best is favoured again.
    spreadOut.tell(asked.map((r, i) => ok(r, 1, spread(i + 12))));
    const best = spreadOut.best()!.id;
    expect(spreadOut.ask(3).filter((r) => r.parents[0]!.id === best).length).toBeGreaterThan(0);
    const zero = make({ tournamentSize: 12, inFlightDiscount: 0 });
    const again = make({ tournamentSize: 12 });
    seeded(zero);
    seeded(again);
    expect(zero.ask(40)).toEqual(again.ask(40));
  });

  it("crossoverPartners 'tournament': partners are fit elites from any niche, not the first parent's nearest; distinct, 2–3 of them", () => {
    const partnersOf = (crossoverPartners: 'nearest' | 'tournament') => {
      const engine = make({ tournamentSize: 12, mutationProbability: 0, crossoverPartners });
      seeded(engine);
      const best = engine.best()!.id;
      const crossovers = engine.ask(30).filter((r) => r.operator === 'crossover');
      expect(crossovers.length).toBeGreaterThan(20);
      for (const r of crossovers) {
        expect(new Set(r.parents.map((p) => p.id)).size).toBe(r.parents.length);
        expect(r.parents.length - 1).toBeGreaterThanOrEqual(2);
        expect(r.parents.length - 1).toBeLessThanOrEqual(3);
      }
      // How many crossovers whose first parent is not the best take the best as a partner.
      const others = crossovers.filter((r) => r.parents[0]!.id !== best);
      expect(others.length).toBeGreaterThan(5);
      return others.filter((r) => r.parents.slice(1).some((p) => p.id === best)).length / Math.max(1, others.length);
    };
    // The best (fitness 1000) sits in a niche of its own, far from most: fit partners include it nearly always.
    expect(partnersOf('tournament')).toBeGreaterThan(0.8);
    expect(partnersOf('nearest')).toBeLessThan(0.5);
  });

  it('saturation: a parent whose last N children repeated known architectures is passed over', () => {
    const engine = make({ tournamentSize: 12, saturation: 2, mutationProbability: 1 });
    seeded(engine);
    const best = engine.best()!.id;
    const children = engine.ask(10).filter((r) => r.parents[0]!.id === best);
    expect(children.length).toBeGreaterThanOrEqual(2);
    // Two children of the best come back as the best's own architecture (a hash it already owns).
    engine.claimHash(best, 'best-hash');
    engine.tell(children.slice(0, 2).map((r) => ok(r, 5, spread(3), { canonicalHash: 'best-hash' })));
    expect(engine.snapshot().strategy).toMatchObject({ streaks: { [best]: 2 } });
    expect(engine.ask(40).filter((r) => r.parents[0]!.id === best)).toHaveLength(0);
    // A child with a new architecture resets the streak.
    engine.tell([ok(children[2] ?? children[0]!, 5, spread(4), { canonicalHash: 'new' })]);
    expect(engine.snapshot().strategy).toMatchObject({ streaks: { [best]: children[2] ? 0 : 2 } });
  });

  it('seeding "sample": the seeding phase samples the space instead of mutating the initial network', () => {
    const engine = make({ seeding: 'sample' });
    const [first, ...rest] = engine.ask(15);
    expect(first!.operator).toBe('seed');
    expect(rest.every((r) => r.operator === 'sample' && r.parents.length === 0 && r.prompt === null)).toBe(true);
    engine.tell([first, ...rest].map((r, i) => ok(r!, i, spread(i))));
    expect(engine.ask(20).some((r) => r.operator === 'mutate' || r.operator === 'crossover')).toBe(true);
  });

  it('lineageSteering: a random-prompt mutation reuses a prompt whose edit improved on this lineage', () => {
    const engine = make({ lineageSteering: true, randomPromptShare: 1, mutationProbability: 1, seedNetworks: 1, seedingBudget: 1, tournamentSize: 30 });
    const [initial] = engine.ask(1);
    engine.tell([ok(initial!, 10, spread(0))]);
    // The one seeding child: its prompt's edit improved on the initial network (10 → 20).
    const [child] = engine.ask(1);
    engine.tell([ok(child!, 20, spread(1), { feedback: { problem: '', suggestion: '', intent: child!.prompt!.intent } })]);
    const next = engine.ask(30).filter((r) => r.parents[0]!.id === child!.id || r.parents[0]!.id === initial!.id);
    expect(next.length).toBeGreaterThan(10);
    expect(next.every((r) => r.prompt!.id === child!.prompt!.id)).toBe(true);
    const plain = make({ randomPromptShare: 1, mutationProbability: 1, seedNetworks: 1, seedingBudget: 1 });
    plain.tell([ok(plain.ask(1)[0]!, 10, spread(0))]);
    const [c] = plain.ask(1);
    plain.tell([ok(c!, 20, spread(1), { feedback: { problem: '', suggestion: '', intent: c!.prompt!.intent } })]);
    expect(new Set(plain.ask(30).map((r) => r.prompt!.id)).size).toBeGreaterThan(1);
  });

  it('exploitShare: once exploitAfter results were told, parents come from a tournament among the most recent successes', () => {
    const recentOnly = (after: number) => {
      const engine = make({ exploitShare: 1, exploitAfter: after, exploitPopulation: 4, exploitTournament: 2, mutationProbability: 1, tournamentSize: 1 });
      seeded(engine);
      const recent = engine.candidates().filter((c) => c.result).sort((a, b) => a.toldAt! - b.toldAt!).slice(-4).map((c) => c.id);
      const parents = engine.ask(40).map((r) => r.parents[0]!.id);
      return { parents, inRecent: parents.filter((id) => recent.includes(id)).length };
    };
    // After 12 told results (the 4 most recent hold the fittest, 1000): every parent is one of those 4, not only the fittest.
    const on = recentOnly(12);
    expect(on.inRecent).toBe(40);
    expect(new Set(on.parents).size).toBeGreaterThan(1);
    // Not yet (13 results needed): uniform draws among the 12 elites, most of them older than the last 4.
    expect(recentOnly(13).inRecent).toBeLessThan(30);
  });

  it('exploitPopulation 0: the exploiting draw is the fittest elite not passed over', () => {
    const engine = make({ exploitShare: 1, exploitAfter: 0, exploitPopulation: 0, mutationProbability: 1 });
    seeded(engine);
    const best = engine.best()!.id;
    expect(engine.ask(20).every((r) => r.parents[0]!.id === best)).toBe(true);
  });

  it('elitesPerNiche: a niche keeps its runners-up as parents beside its elite', () => {
    const runnerUpParents = (elitesPerNiche: number) => {
      const engine = make({ elitesPerNiche, tournamentSize: 1, mutationProbability: 1, exploitShare: 0 });
      seeded(engine);
      // Three more networks in the niche of the fittest (same descriptors), less fit than it, one a repeat.
      const [a, b, c] = engine.ask(3);
      engine.claimHash(a!.id, 'a-hash');
      engine.tell([ok(a!, 900, spread(11), { canonicalHash: 'a-hash' }), ok(b!, 800, spread(11), { canonicalHash: 'b-hash' }), ok(c!, 900, spread(11), { canonicalHash: 'a-hash' })]);
      const parents = engine.ask(300).map((r) => r.parents[0]!.id);
      return { a: parents.includes(a!.id), b: parents.includes(b!.id), c: parents.includes(c!.id) };
    };
    expect(runnerUpParents(1)).toEqual({ a: false, b: false, c: false });
    // Room for two runners-up: the 900 and the 800; the repeat of the 900 adds no parent.
    expect(runnerUpParents(3)).toEqual({ a: true, b: true, c: false });
  });
});
