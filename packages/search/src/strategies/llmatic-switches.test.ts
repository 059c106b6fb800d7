import { describe, expect, it } from 'vitest';
import type { CandidateRequest, CandidateResult } from '@nasfleet/contracts';
import { SearchEngine } from '../engine/search-engine.ts';
import { TOY_BOUNDS, TOY_CROSSOVER, TOY_INITIAL, TOY_PROMPTS, toyOperate } from '../testing/toy-space.ts';

// Issue 10, "Better than the anchors": the switches beyond the paper, each off by default.

const setup = { prompts: TOY_PROMPTS, crossoverPrompt: TOY_CROSSOVER, initialArtifact: TOY_INITIAL };
const make = (llmatic: Record<string, unknown>, strategy = 'hybrid') =>
  SearchEngine.create({ strategy, seed: 4, generationSize: 20, networkArchive: { niches: 30, bounds: TOY_BOUNDS, seed: 3 }, llmatic }, setup);
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
});
