import { describe, expect, it } from 'vitest';
import { CandidateRequest, MutationIntent, Rng } from '@nasfleet/contracts';
import type { Outcome } from '@nasfleet/contracts';
import { applyIntent } from './cell-edits.ts';
import type { EditResult } from './cell-edits.ts';
import { formatArchString, hammingDistance, OP, parseArchString } from './cell-space.ts';
import type { Cell, OpCode } from './cell-space.ts';
import { createNb201Space, Nb201SpaceOptions } from './nb201-space.ts';
import { loadNb201Table } from './nb201-table.ts';
import { createNb201RuleOperator } from './rule-operator.ts';

/** The operator levels: `neutral` carries each intent out as a uniform edit of its kind; `expert` (default) is unchanged. */

const { none, skip, conv1x1: c1, conv3x3: c3, avgPool: pool } = OP;
const ALL: OpCode[] = [none, skip, c1, c3, pool];
const SEEDS = Array.from({ length: 60 }, (_, i) => i);
const edit = (cell: Cell, intent: MutationIntent, level: 'neutral' | 'expert', seed: number, temperature = 0.1): EditResult =>
  applyIntent(cell, intent, { rng: Rng.fromSeed(seed), temperature, level });

describe("applyIntent at the neutral level: each intent is a uniform edit of its kind", () => {
  const mixed: Cell = [c1, none, pool, c3, skip, none];
  const kinds: [MutationIntent, OpCode[], OpCode[]][] = [
    ['add-conv', [none, skip, pool], [c1, c3]],
    ['add-layer', [none], [c1, c3]],
    ['remove-layer', [skip, c1, c3, pool], [none]],
    ['add-dropout', [skip, c1, c3, pool], [none]],
    ['shrink-drastically', [c1, c3, pool], [none, skip]],
    ['grow-drastically', [none, skip, c1, pool], [c1, c3]],
    ['add-dense', [none, skip, c3, pool], [c1]],
    ['add-pooling', [none, skip, c1, c3], [pool]],
    ['add-residual', [none, c1, c3, pool], [skip]],
    ['add-residuals', [none, c1, c3, pool], [skip]],
    ['add-normalisation', [none, skip, pool], [c1, c3]],
    ['widen', [c1], [c3]],
    ['narrow', [c3], [c1]],
    ['change-activation', [skip, c1, c3, pool], [skip, c1, c3, pool]],
    ['improve', ALL, ALL],
  ];
  it.each(kinds)('%s changes only ops of its kind, never leaving the cell as it was', (intent, from, to) => {
    for (const seed of SEEDS) {
      const r = edit(mixed, intent, 'neutral', seed, seed % 2 ? 1 : 0.1);
      expect(r.applied).toBe(intent);
      expect(hammingDistance(mixed, r.cell)).toBe(r.changes.length);
      expect(r.changes.length).toBeGreaterThan(0);
      for (const c of r.changes) {
        expect(from).toContain(mixed[c.edge]);
        expect(to).toContain(c.op);
      }
    }
  });

  it('improve draws the edge and the new op uniformly, the skip on 0->3 included (the expert never touches it)', () => {
    const resnet = parseArchString('|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|skip_connect~2|');
    const edges = Array(6).fill(0);
    const ops = Array(5).fill(0);
    const n = 3000;
    for (let seed = 0; seed < n; seed++) {
      const [c] = edit(resnet, 'improve', 'neutral', seed).changes;
      edges[c!.edge]++;
      ops[c!.op]++;
      expect(c!.op).not.toBe(resnet[c!.edge]);
      expect(edit(resnet, 'improve', 'expert', seed).changes.every((e) => e.edge !== 3 && e.op === c3)).toBe(true);
    }
    edges.forEach((k) => expect(Math.abs(k / n - 1 / 6)).toBeLessThan(0.03));
    // The new op is uniform over the 4 other ops: an op is drawn a quarter of the time on each edge where it is not the current one.
    const expected = ALL.map((op) => resnet.filter((cur) => cur !== op).length / 6 / 4);
    ops.forEach((k, op) => expect(Math.abs(k / n - expected[op]!)).toBeLessThan(0.03));
  });

  it('add-conv draws the kernel 50/50 (the expert: 3×3 about 70% of the time)', () => {
    const cell: Cell = [none, none, none, skip, none, none];
    const share3x3 = (level: 'neutral' | 'expert') => {
      let k = 0;
      for (let seed = 0; seed < 2000; seed++) k += edit(cell, 'add-conv', level, seed).changes[0]!.op === c3 ? 1 : 0;
      return k / 2000;
    };
    expect(Math.abs(share3x3('neutral') - 0.5)).toBeLessThan(0.04);
    expect(Math.abs(share3x3('expert') - 0.7)).toBeLessThan(0.04);
  });

  it('the expert level is the default', () => {
    for (const intent of MutationIntent.options) {
      for (const seed of SEEDS.slice(0, 10)) {
        const cell: Cell = [c1, none, pool, c3, skip, none];
        expect(applyIntent(cell, intent, { rng: Rng.fromSeed(seed), temperature: 0.5 })).toEqual(edit(cell, intent, 'expert', seed, 0.5));
      }
    }
  });
});

describe('the rule operator and the space at each level', () => {
  const ok = (fitness: number): Outcome => ({ status: 'ok', fitness });
  const improveRequest = (seed: number) => CandidateRequest.parse({
    id: 'r', index: 0, generation: 0, strategy: 'feedback-memory', operator: 'improve', prompt: null, temperature: 0.1, memory: null, improver: true, seed,
    parents: [{ id: 'cur', artifact: formatArchString([c3, none, c3, skip, pool, skip]), outcome: ok(80) }],
    reference: { id: 'best', artifact: formatArchString([c3, none, c3, skip, none, skip]), outcome: ok(90) },
  });

  it("the improver with no memory: the expert's first intent every time; neutral, intents in a uniformly random order", () => {
    const intents = (level: 'neutral' | 'expert') => {
      const op = createNb201RuleOperator({ level });
      return new Set(SEEDS.map((seed) => op.apply(improveRequest(seed)).feedback!.intent));
    };
    expect(intents('expert')).toEqual(new Set(['improve']));
    expect(intents('neutral').size).toBeGreaterThan(8);
  });

  it("createNb201RuleOperator() is the expert's, and the space's operator follows its `operator` option", async () => {
    const table = loadNb201Table();
    const mutate = (seed: number) => CandidateRequest.parse({ ...improveRequest(seed), operator: 'mutate', prompt: { id: 'i', intent: 'improve' }, reference: null });
    const plain = createNb201RuleOperator();
    const expert = createNb201RuleOperator({ level: 'expert' });
    const neutralSpace = createNb201Space(table, { operator: 'neutral' });
    const defaultSpace = createNb201Space(table);
    const differs = SEEDS.map(async (seed) => {
      expect(plain.apply(mutate(seed))).toEqual(expert.apply(mutate(seed)));
      expect(await defaultSpace.ruleOperator.apply(mutate(seed))).toEqual(expert.apply(mutate(seed)));
      return (await neutralSpace.ruleOperator.apply(mutate(seed))).artifact !== expert.apply(mutate(seed)).artifact;
    });
    expect((await Promise.all(differs)).filter(Boolean).length).toBeGreaterThan(SEEDS.length / 2);
  });

  it('a bad level is refused, naming the option and the levels', () => {
    const parsed = Nb201SpaceOptions.safeParse({ operator: 'genius' });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]).toMatchObject({ path: ['operator'], message: expect.stringMatching(/"expert"\|"neutral"/) });
  });
});
