import { describe, expect, it } from 'vitest';
import { apiBaseOf } from './api-client.ts';
import { diffLines, displayCode } from './code-diff.ts';
import { fitnessScale, shortNumber, viridis } from './colour-scale.ts';
import { lineageTree } from './lineage-tree.ts';
import { fragmentOf, parseFragment } from './page-location.ts';
import type { CandidateSummary } from './api-types.ts';

const summary = (id: string, parentIds: string[]): CandidateSummary => ({
  id, index: Number(id.slice(1)), generation: 0, operator: parentIds.length > 1 ? 'crossover' : 'mutate', parentIds, status: 'ok', fitness: 1, failureClass: null, promptId: null, temperature: 0.5,
});

describe('the page\'s helpers', () => {
  it('diffs a parent\'s code against the child\'s as unified hunks (jsdiff)', () => {
    const lines = diffLines('a\nb\nc\n', 'a\nB\nc\nd');
    expect(lines.map((l) => `${l.kind}:${l.text}`)).toEqual(['hunk:@@ -1,3 +1,4 @@', 'context: a', 'removed:-b', 'added:+B', 'context: c', 'added:+d']);
    expect(diffLines('same', 'same')).toEqual([]);
  });

  it('shows an NB201 cell one node per line, and code as it is', () => {
    expect(displayCode('nb201', '|nor_conv_3x3~0|+|skip_connect~0|none~1|')).toBe('|nor_conv_3x3~0|\n|skip_connect~0|none~1|');
    expect(displayCode('code', 'a+b')).toBe('a+b');
  });

  it('colours fitness on viridis over the occupants\' range', () => {
    expect(viridis(0)).toBe('rgb(68, 1, 84)');
    expect(viridis(1)).toBe('rgb(253, 231, 37)');
    expect(viridis(2)).toBe(viridis(1));
    const scale = fitnessScale([10, 20, 30]);
    expect([scale.min, scale.max]).toEqual([10, 30]);
    expect(scale.colour(10)).toBe(viridis(0));
    expect(fitnessScale([5]).colour(5)).toBe(viridis(0.5));
    expect([shortNumber(2.6e9), shortNumber(0.25), shortNumber(123.456)]).toEqual(['2.6e9', '0.25', '123']);
  });

  it('builds the lineage root first, with crossover partners and the children that name the candidate', () => {
    const lineage = [
      { id: 'c2', operator: 'crossover', parentIds: ['c1', 'c0'], status: 'ok' as const, fitness: 3 },
      { id: 'c1', operator: 'seed', parentIds: [], status: 'ok' as const, fitness: 2 },
    ];
    const tree = lineageTree({ id: 'c5', operator: 'mutate', parentIds: ['c2'], status: 'ok', fitness: 4 }, lineage,
      [summary('c6', ['c5']), summary('c7', ['c3', 'c5']), summary('c8', ['c6'])]);
    expect(tree.ancestors.map((n) => [n.id, n.partners])).toEqual([['c1', []], ['c2', ['c0']]]);
    expect(tree.children.map((n) => [n.id, n.partners])).toEqual([['c6', []], ['c7', ['c3']]]);
  });

  it('reads the fragment, never writes the token back, and finds the API under the page', () => {
    expect(parseFragment('#token=abc&search=s1&candidate=c000003')).toEqual({ token: 'abc', search: 's1', candidate: 'c000003' });
    expect(fragmentOf({ search: 's 1', candidate: null })).toBe('#search=s+1');
    expect(parseFragment(fragmentOf({ search: 's 1', candidate: 'c1' }))).toEqual({ token: null, search: 's 1', candidate: 'c1' });
    expect(apiBaseOf('http://h:8080/dashboard/#search=x')).toBe('http://h:8080/');
    expect(apiBaseOf('https://h/nas/dashboard/')).toBe('https://h/nas/');
  });
});
