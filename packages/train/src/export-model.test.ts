import * as tf from '@tensorflow/tfjs';
import { Rng } from '@nasfleet/contracts';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smallResNet } from './arch-fixtures.ts';
import { selectBackend } from './backend.ts';
import { exportModel, loadExportedModel } from './export-model.ts';
import { buildNb201Network } from './nb201-network.ts';
import { randomDataset } from './test-helpers.ts';
import { trainProxy } from './train-proxy.ts';

describe('exportModel', () => {
  let dir = '';
  beforeAll(async () => {
    await selectBackend({ prefer: 'wasm' });
    dir = await mkdtemp(path.join(tmpdir(), 'nasfleet-export-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes model.json + weights.bin + code that load back to the same predictions', async () => {
    const ds = randomDataset(Rng.fromSeed(8), [8, 8, 3], 4, 64, 8);
    const r = await trainProxy(smallResNet([8, 8, 3], 4, 4), ds, { batchSize: 32 }, { keepModel: true });
    expect(r.outcome.status).toBe('ok');
    const model = r.model as tf.LayersModel;
    const out = await exportModel(model, path.join(dir, 'res'), { code: 'export default (tf) => {/* the network */}', metadata: { fitness: 0.5 } });
    const json = JSON.parse(await readFile(out.modelJson, 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(json.userDefinedMetadata).toEqual({ fitness: 0.5 });
    expect((await readFile(out.weightsBin)).byteLength).toBe(out.weightBytes);
    expect(await readFile(out.codeFile as string, 'utf8')).toMatch(/the network/);
    // Trained weights, BN moving statistics included: inference must agree exactly.
    const loaded = await loadExportedModel(out.dir);
    const x = tf.randomNormal([3, 8, 8, 3], 0, 1, 'float32', 2);
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (loaded.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
    tf.dispose([x]);
    model.dispose();
    loaded.dispose();
  }, 30_000);

  it('round-trips an NB201 network with its custom zeros layer', async () => {
    const model = buildNb201Network('|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|avg_pool_3x3~2|', { channels: 4, cellsPerStage: 1, inputShape: [8, 8, 3] });
    const out = await exportModel(model, path.join(dir, 'nb201'));
    expect(out.codeFile).toBeNull();
    const loaded = await loadExportedModel(out.dir);
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 3);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
    tf.dispose([x]);
    model.dispose();
    loaded.dispose();
  });
});
