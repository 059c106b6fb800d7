import { describe, expect, it } from 'vitest';
import { Outcome } from '@nasfleet/contracts';
import { describeBounds } from './cell-descriptors.ts';
import { createNb201Evaluator } from './nb201-evaluator.ts';
import { loadNb201Table } from './nb201-table.ts';

const table = loadNb201Table();
const RESNET = '|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|skip_connect~2|';

describe('createNb201Evaluator', () => {
  it('scores by validation accuracy and reports test accuracy as a metric', () => {
    const ev = createNb201Evaluator({ table, dataset: 'cifar10' });
    expect(ev.signal).toBe('val200');
    const r = ev.evaluate(table.archAt(6111));
    expect(Outcome.parse(r.outcome)).toEqual({ status: 'ok', fitness: expect.closeTo(91.6067, 4) });
    expect(r.metrics).toMatchObject({ index: 6111, test200: expect.closeTo(94.3733, 4), signalRank: 1, connected: 1 });
    expect(r.metrics!.flops).toBe(153.27297);
    expect(r.descriptors).toEqual([Math.log10(153.27297), expect.any(Number)]);
    expect(ev.spec).toEqual(describeBounds('cifar10'));
  });

  it('uses the 12-epoch column when asked, per dataset', () => {
    const ev = createNb201Evaluator({ table, dataset: 'cifar100', signal: 'val12' });
    const r = ev.evaluate(RESNET);
    expect(r.outcome).toEqual({ status: 'ok', fitness: table.value(11472, 'cifar100', 'val12') });
    expect(r.metrics!.test200).toBeCloseTo(70.89, 2);
    expect(r.metrics!.val200).toBeCloseTo(70.5, 2);
    expect(r.arch).toBe(RESNET);
  });

  it('accepts an LLM-style answer and an op code', () => {
    const ev = createNb201Evaluator({ table, dataset: 'imagenet16-120' });
    expect(ev.evaluate('Here you go:\n```\n' + table.archAt(857) + '\n```').metrics!.test200).toBeCloseTo(47.3111, 4);
    expect(ev.evaluate('303101').metrics!.index).toBe(11472);
  });

  it('turns malformed artifacts into invalid-artifact failures with actionable messages', () => {
    const ev = createNb201Evaluator({ table, dataset: 'cifar10' });
    const cases: [string, RegExp][] = [
      ['make it deeper', /no NB201 cell found.*answer with one arch string/],
      ['|nor_conv_5x5~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|skip_connect~2|', /unknown op 'nor_conv_5x5' on edge 0->1/],
      ['|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|', /3 node groups/],
    ];
    for (const [artifact, message] of cases) {
      const r = ev.evaluate(artifact);
      expect(Outcome.parse(r.outcome)).toMatchObject({ status: 'failed', failure: { class: 'invalid-artifact' } });
      expect(r.outcome.status === 'failed' && r.outcome.failure.message).toMatch(message);
      expect(r.descriptors).toBeUndefined();
    }
  });

  it('rejects bad options at the boundary', () => {
    expect(() => createNb201Evaluator({ table, dataset: 'mnist' as 'cifar10' })).toThrow();
    expect(() => createNb201Evaluator({ table, dataset: 'cifar10', signal: 'test200' as 'val200' })).toThrow();
  });
});
