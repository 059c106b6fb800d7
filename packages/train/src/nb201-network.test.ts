import * as tf from '@tensorflow/tfjs';
import { Rng } from '@nasfleet/search';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './backend.ts';
import { countTrainableParams } from './build-model.ts';
import { buildNb201Network, Nb201CellError, parseNb201Cell } from './nb201-network.ts';
import { randomDataset } from './test-helpers.ts';
import { trainLayersModel } from './train-proxy.ts';

const TABLE = '/work/shared/data/nb201/nb201_table.csv';

/** arch_str → params_M_c10 for the given table indices and cell strings, read from the shipped table. */
function tableParams(indices: number[], cells: string[]): Map<string, number> {
  const lines = readFileSync(TABLE, 'utf8').split('\n');
  const header = (lines[0] ?? '').split(',');
  const col = header.indexOf('params_M_c10');
  const out = new Map<string, number>();
  for (const line of lines.slice(1)) {
    const row = line.split(',');
    if (row.length < 2) continue;
    if (indices.includes(Number(row[0])) || cells.includes(row[1] as string)) out.set(row[1] as string, Number(row[col]));
  }
  return out;
}

describe('NB201 network', () => {
  beforeAll(async () => {
    await selectBackend({ prefer: 'cpu' });
  });

  it('has exactly the table\'s params_M_c10 for several cells (C=16, N=5)', () => {
    // 0: pools/1×1/skips; 11472: the ResNet-like cell; 1 and 7: mixes; then a cell whose node 1
    // (with a 3×3 conv) reaches nothing, and one whose output is all zeros.
    const cells = tableParams([0, 1, 11472, 7], [
      '|nor_conv_3x3~0|+|nor_conv_1x1~0|none~1|+|none~0|none~1|skip_connect~2|',
      '|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|',
    ]);
    expect(cells.size).toBe(6);
    for (const [cell, params] of cells) {
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
