import { describe, expect, it } from 'vitest';
import { checkingSpaces } from './checking-spaces.ts';

/** The spaces an LLM worker makes: the built-in names and options; the code space checks answers without reading any image. */

const ANSWER = [
  '```js',
  'function buildModel(tf, inputShape, numClasses) {',
  '  const model = tf.sequential();',
  '  model.add(tf.layers.flatten({ inputShape }));',
  "  model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));",
  '  return model;',
  '}',
  '```',
].join('\n');

describe('checkingSpaces', () => {
  it('registers the built-in spaces and checks their options', async () => {
    const spaces = checkingSpaces({ fashionMnistDir: '/nowhere' });
    expect(spaces.names()).toEqual(['code', 'nb201']);
    await expect(spaces.create('code', { caps: { maxParams: -1 } })).rejects.toThrow(/options of space "code" are invalid: caps\.maxParams/);
  });

  it('the code space checks answers with no dataset at all; the images are read only when something is evaluated', async () => {
    const space = await checkingSpaces({ fashionMnistDir: '/nowhere' }).create('code', { caps: { maxParams: 10_000 } });
    try {
      const checked = await space.check(ANSWER);
      expect(checked).toMatchObject({ ok: true, metrics: { params: 784 * 10 + 10 } });
      // A hidden layer of 64 units: 50,890 parameters, over the cap.
      const over = await space.check(ANSWER.replace('model.add(tf.layers.dense({ units: numClasses', 'model.add(tf.layers.dense({ units: 64 }));\n  model.add(tf.layers.dense({ units: numClasses'));
      expect(over).toMatchObject({ ok: false, failure: { class: 'over-budget' } });
      expect(() => (space as unknown as { data: unknown }).data).toThrow(/read at its first evaluate/);
      if (!checked.ok) throw new Error('expected an ok check');
      await expect(space.evaluate(checked, 'c1')).rejects.toThrow(/\/nowhere/);
    } finally {
      await space.close?.();
    }
  });

  it('with the images where they are, the first evaluate loads them and trains', async () => {
    const space = await checkingSpaces({ fashionMnistDir: '/usr/share/datasets/fashion-mnist' }).create('code', { train: { trainSubset: 256, batchSize: 64 } });
    try {
      const checked = await space.check(ANSWER);
      if (!checked.ok) throw new Error('expected an ok check');
      const evaluated = await space.evaluate(checked, 'c1');
      expect(evaluated.outcome.status).toBe('ok');
      expect((space as unknown as { data: { validation: { count: number } } }).data.validation.count).toBeGreaterThan(0);
    } finally {
      await space.close?.();
    }
  }, 120_000);
});
