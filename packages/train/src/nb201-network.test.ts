import * as tf from '@tensorflow/tfjs';
import { Rng } from '@nasfleet/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './backend.ts';
import { countTrainableParams } from './build-model.ts';
import { buildNb201Network, Nb201CellError, parseNb201Cell } from './nb201-network.ts';
import { randomDataset } from './test-helpers.ts';
import { trainLayersModel } from './train-proxy.ts';

/**
 * arch_str → params_M_c10 (millions of trainable parameters, CIFAR-10 network: C=16, N=5), copied
 * from packages/nb201/data/nb201_table.csv (the NAS-Bench-201 table that ships with @nasfleet/nb201;
 * provenance in packages/nb201/data/README.md). Rows 0, 1, 7, 11472: pools/1×1/skips, mixes and the
 * ResNet-like cell; rows 3078 and 8421: a cell whose node 1 (with a 3×3 conv) reaches nothing, and
 * one whose output is all zeros.
 */
const TABLE_PARAMS = new Map<string, number>([
  ['|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|', 0.129306], // 0
  ['|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|', 0.802426], // 1
  ['|none~0|+|skip_connect~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|', 0.559386], // 7
  ['|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|skip_connect~2|', 0.559386], // 11472
  ['|nor_conv_3x3~0|+|nor_conv_1x1~0|none~1|+|none~0|none~1|skip_connect~2|', 0.344346], // 3078
  ['|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|', 0.316346], // 8421
]);

describe('NB201 network', () => {
  beforeAll(async () => {
    await selectBackend({ prefer: 'cpu' });
  });

  it('has exactly the table\'s params_M_c10 for several cells (C=16, N=5)', () => {
    for (const [cell, params] of TABLE_PARAMS) {
      const model = buildNb201Network(cell);
      expect(countTrainableParams(model) / 1e6).toBeCloseTo(params, 6);
      model.dispose();
    }
  });

  it('parses cells and rejects malformed ones', () => {
    const cell = parseNb201Cell('|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|skip_connect~2|');
    expect(cell).toEqual([['nor_conv_3x3'], ['none', 'nor_conv_3x3'], ['skip_connect', 'none', 'skip_connect']]);
    expect(() => parseNb201Cell('|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|')).toThrow(Nb201CellError);
    expect(() => parseNb201Cell('|none~0|+|none~0|none~1|')).toThrow(Nb201CellError);
    expect(() => parseNb201Cell('|none~1|+|none~0|none~1|+|none~0|none~1|none~2|')).toThrow(/should read node 0/);
  });

  it('trains (N=1, small C) on wasm, including a cell whose output node is all zeros, without leaking', async () => {
    await selectBackend({ prefer: 'wasm' });
    const ds = randomDataset(Rng.fromSeed(3), [16, 16, 3], 5, 64, 16);
    for (const cell of [
      '|nor_conv_3x3~0|+|none~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|skip_connect~2|',
      '|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|',
    ]) {
      const before = tf.memory().numTensors;
      const model = buildNb201Network(cell, { channels: 4, cellsPerStage: 1, inputShape: [16, 16, 3], numClasses: 5 });
      const r = await trainLayersModel(model, ds, { batchSize: 32, learningRate: 0.05 });
      expect(r.outcome.status).toBe('ok');
      expect(r.metrics.steps).toBe(2);
      expect(Number.isFinite(r.metrics.trainLoss)).toBe(true);
      expect(tf.memory().numTensors).toBe(before);
    }
  }, 30_000);
});
