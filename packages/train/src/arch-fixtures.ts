import { Architecture } from '@nasfleet/arch';

/**
 * Small valid architectures (sequential, residual, separable + concat) used by this
 * package's tests and by benchmarks. Each is parsed through the schema, so they stay valid.
 */

const conv = (id: string, inputs: string[], filters: number, k = 3, s = 1, activation = 'relu') => ({
  id, inputs, op: 'conv2d' as const,
  config: { filters, kernelSize: [k, k], strides: [s, s], padding: 'same', dilationRate: [1, 1], activation, useBias: true },
});
const bn = (id: string, input: string) => ({ id, inputs: [input], op: 'batchNormalization' as const, config: { momentum: 0.9, epsilon: 1e-3 } });
const relu = (id: string, input: string) => ({ id, inputs: [input], op: 'activation' as const, config: { activation: 'relu' } });
const dense = (id: string, input: string, units: number, activation = 'linear') => ({ id, inputs: [input], op: 'dense' as const, config: { units, activation, useBias: true } });
const input = (shape: number[]) => ({ id: 'in', inputs: [], op: 'input' as const, config: { shape } });
const pool = (id: string, input: string, op: 'maxPooling2d' | 'averagePooling2d' = 'maxPooling2d', padding = 'valid') => ({ id, inputs: [input], op, config: { poolSize: [2, 2], strides: [2, 2], padding } });
const gap = (id: string, input: string) => ({ id, inputs: [input], op: 'globalAveragePooling2d' as const, config: {} });

/** conv-pool-conv-pool-dense, ending in a softmax (which the builder must drop). */
export function twoConvNet(shape: [number, number, number], classes: number, width = 16): Architecture {
  return Architecture.parse({
    format: 'nasfleet.arch/v1',
    nodes: [
      input(shape), conv('c1', ['in'], width), pool('p1', 'c1'), conv('c2', ['p1'], width * 2), pool('p2', 'c2'),
      { id: 'f', inputs: ['p2'], op: 'flatten', config: {} }, dense('d1', 'f', 64, 'relu'), dense('out', 'd1', classes, 'softmax'),
    ],
    output: 'out',
  });
}

/** A small ResNet: stem, two residual blocks with BN (the second downsamples with a 1×1 shortcut), GAP. */
export function smallResNet(shape: [number, number, number], classes: number, width = 16): Architecture {
  return Architecture.parse({
    format: 'nasfleet.arch/v1',
    nodes: [
      input(shape), conv('stem', ['in'], width, 3, 1, 'linear'), bn('stem_bn', 'stem'), relu('stem_r', 'stem_bn'),
      conv('a1', ['stem_r'], width, 3, 1, 'linear'), bn('a1_bn', 'a1'), relu('a1_r', 'a1_bn'),
      conv('a2', ['a1_r'], width, 3, 1, 'linear'), bn('a2_bn', 'a2'),
      { id: 'a_add', inputs: ['a2_bn', 'stem_r'], op: 'add', config: {} }, relu('a_out', 'a_add'),
      conv('b1', ['a_out'], width * 2, 3, 2, 'linear'), bn('b1_bn', 'b1'), relu('b1_r', 'b1_bn'),
      conv('b2', ['b1_r'], width * 2, 3, 1, 'linear'), bn('b2_bn', 'b2'),
      conv('b_sc', ['a_out'], width * 2, 1, 2, 'linear'),
      { id: 'b_add', inputs: ['b2_bn', 'b_sc'], op: 'add', config: {} }, relu('b_out', 'b_add'),
      gap('gap', 'b_out'), dense('out', 'gap', classes),
    ],
    output: 'out',
  });
}

/** Separable and depthwise branches joined by concatenation, with average pooling ('same'). */
export function separableConcatNet(shape: [number, number, number], classes: number, width = 16): Architecture {
  const sep = (id: string, inp: string, filters: number) => ({
    id, inputs: [inp], op: 'separableConv2d' as const,
    config: { filters, depthMultiplier: 1, kernelSize: [3, 3], strides: [1, 1], padding: 'same', dilationRate: [1, 1], activation: 'relu', useBias: true },
  });
  return Architecture.parse({
    format: 'nasfleet.arch/v1',
    nodes: [
      input(shape), conv('stem0', ['in'], width, 3, 1, 'linear'), bn('stem_bn', 'stem0'), relu('stem', 'stem_bn'), sep('s1', 'stem', width),
      { id: 'dw', inputs: ['stem'], op: 'depthwiseConv2d', config: { depthMultiplier: 2, kernelSize: [3, 3], strides: [1, 1], padding: 'same', dilationRate: [1, 1], activation: 'relu', useBias: false } },
      { id: 'cat', inputs: ['s1', 'dw'], op: 'concatenate', config: { axis: -1 } },
      bn('cat_bn', 'cat'),
      { id: 'ap', inputs: ['cat_bn'], op: 'averagePooling2d', config: { poolSize: [3, 3], strides: [2, 2], padding: 'same' } },
      sep('s2', 'ap', width * 2), { id: 'mp', inputs: ['s2'], op: 'maxPooling2d', config: { poolSize: [2, 2], strides: [2, 2], padding: 'valid' } },
      { id: 'f', inputs: ['mp'], op: 'flatten', config: {} }, dense('out', 'f', classes),
      { id: 'sm', inputs: ['out'], op: 'activation', config: { activation: 'softmax' } },
    ],
    output: 'sm',
  });
}
