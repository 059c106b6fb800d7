import * as tf from '@tensorflow/tfjs';
import { Architecture } from '@nasfleet/arch';
import { beforeAll, describe, expect, it } from 'vitest';
import { separableConcatNet, smallResNet, twoConvNet } from './arch-fixtures.ts';
import { selectBackend } from './backend.ts';
import { buildModel, countTrainableParams, isDecayedWeight, ModelBuildError } from './build-model.ts';

describe('buildModel', () => {
  beforeAll(async () => {
    await selectBackend({ prefer: 'cpu' });
  });

  it('drops a trailing softmax (dense activation or activation layer) so the model returns logits', () => {
    for (const arch of [twoConvNet([28, 28, 1], 10), separableConcatNet([28, 28, 1], 10)]) {
      const built = buildModel(arch);
      expect(built.strippedSoftmax).toBe(true);
      const sums = tf.tidy(() => tf.sum(built.model.predict(tf.randomNormal([3, 28, 28, 1], 0, 1, 'float32', 1)) as tf.Tensor, 1).dataSync());
      // Logits of an untrained net do not sum to 1 per row; softmax outputs would.
      expect(Array.from(sums).some((v) => Math.abs(v - 1) > 1e-3)).toBe(true);
      built.model.dispose();
    }
    const res = buildModel(smallResNet([32, 32, 3], 10));
    expect(res.strippedSoftmax).toBe(false);
    res.model.dispose();
  });

  it('decays kernels only, never biases or BatchNorm parameters', () => {
    const built = buildModel(smallResNet([16, 16, 3], 10, 4));
    const names = built.model.trainableWeights.map((w) => w.originalName);
    const decayed = names.filter(isDecayedWeight);
    expect(decayed.length).toBe(7); // 6 convs + 1 dense
    expect(decayed.every((n) => n.endsWith('kernel'))).toBe(true);
    expect(names.filter((n) => /gamma|beta|bias/.test(n)).some(isDecayedWeight)).toBe(false);
    expect(built.decayedWeights.size).toBe(7);
    expect(isDecayedWeight('n_s1/depthwise_kernel')).toBe(true);
    expect(isDecayedWeight('n_s1/pointwise_kernel_3')).toBe(true);
    built.model.dispose();
  });

  it('counts trainable parameters like the layer arithmetic', () => {
    const built = buildModel(twoConvNet([28, 28, 1], 10, 16));
    const expected = (3 * 3 * 1 * 16 + 16) + (3 * 3 * 16 * 32 + 32) + (7 * 7 * 32 * 64 + 64) + (64 * 10 + 10);
    expect(countTrainableParams(built.model)).toBe(expected);
    built.model.dispose();
  });

  it('reports shape mismatches as ModelBuildError naming the node', () => {
    const arch = Architecture.parse({
      format: 'nasfleet.arch/v1',
      nodes: [
        { id: 'in', inputs: [], op: 'input', config: { shape: [8, 8, 1] } },
        { id: 'a', inputs: ['in'], op: 'conv2d', config: { filters: 4, kernelSize: [3, 3], strides: [2, 2], padding: 'same', dilationRate: [1, 1], activation: 'relu', useBias: true } },
        { id: 'sum', inputs: ['a', 'in'], op: 'add', config: {} },
        { id: 'g', inputs: ['sum'], op: 'globalAveragePooling2d', config: {} },
        { id: 'out', inputs: ['g'], op: 'dense', config: { units: 3, activation: 'linear', useBias: true } },
      ],
      output: 'out',
    });
    expect(() => buildModel(arch)).toThrow(ModelBuildError);
    try {
      buildModel(arch);
    } catch (e) {
      expect((e as ModelBuildError).nodeId).toBe('sum');
    }
  });

  it('frees the weights of branches that never reach the output, and of a failed build', () => {
    const before = tf.memory().numTensors;
    const arch = Architecture.parse({
      format: 'nasfleet.arch/v1',
      nodes: [
        { id: 'in', inputs: [], op: 'input', config: { shape: [8, 8, 1] } },
        { id: 'dangling', inputs: ['in'], op: 'conv2d', config: { filters: 4, kernelSize: [3, 3], strides: [1, 1], padding: 'same', dilationRate: [1, 1], activation: 'relu', useBias: true } },
        { id: 'g', inputs: ['in'], op: 'globalAveragePooling2d', config: {} },
        { id: 'out', inputs: ['g'], op: 'dense', config: { units: 3, activation: 'linear', useBias: true } },
      ],
      output: 'out',
    });
    const built = buildModel(arch);
    expect(countTrainableParams(built.model)).toBe(1 * 3 + 3);
    built.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => buildModel({ ...arch, nodes: [...arch.nodes.slice(0, 2), { id: 'pooled', inputs: ['in'], op: 'maxPooling2d', config: { poolSize: [2, 2], strides: [2, 2], padding: 'valid' } }, { id: 'bad', inputs: ['dangling', 'pooled'], op: 'add', config: {} }, ...arch.nodes.slice(2)] })).toThrow(ModelBuildError);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects an output that is not one vector per image', () => {
    const arch = Architecture.parse({
      format: 'nasfleet.arch/v1',
      nodes: [
        { id: 'in', inputs: [], op: 'input', config: { shape: [8, 8, 1] } },
        { id: 'a', inputs: ['in'], op: 'conv2d', config: { filters: 4, kernelSize: [3, 3], strides: [1, 1], padding: 'same', dilationRate: [1, 1], activation: 'relu', useBias: true } },
      ],
      output: 'a',
    });
    expect(() => buildModel(arch)).toThrow(/one vector of class scores/);
  });
});
