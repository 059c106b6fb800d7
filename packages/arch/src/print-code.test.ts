import { describe, expect, it } from 'vitest';
import { printCode } from './print-code.ts';
import { initialArchitecture } from './random-architecture.ts';
import { arch, conv, dense } from './test-fixtures.ts';

describe('printCode', () => {
  it('prints a chain as tf.sequential with defaults omitted and inputShape/numClasses by name', () => {
    const code = printCode(initialArchitecture({ inputShape: [32, 32, 3], numClasses: 10 }));
    expect(code).toBe([
      'function buildModel(tf, inputShape, numClasses) {',
      '  const model = tf.sequential();',
      "  model.add(tf.layers.conv2d({ inputShape, filters: 1, kernelSize: 1, activation: 'relu' }));",
      '  model.add(tf.layers.flatten());',
      "  model.add(tf.layers.dense({ units: 1024, activation: 'relu' }));",
      "  model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));",
      '  return model;',
      '}',
      '',
    ].join('\n'));
  });

  it('prints a graph with the functional API, literals where the context differs, and is stable', () => {
    const a = arch([
      ['in', 'input', [], { shape: [8, 8, 3] }],
      ['c', 'conv2d', ['in'], conv(4, 3, { padding: 'same', strides: [2, 1], useBias: false })],
      ['p', 'maxPooling2d', ['in'], { poolSize: [2, 2], strides: [2, 1], padding: 'same' }],
      ['s', 'add', ['c', 'p'], {}],
      ['f', 'flatten', ['s'], {}],
      ['o', 'dense', ['f'], dense(10)],
    ]);
    const code = printCode(a, { inputShape: [8, 8, 3], numClasses: 5 });
    expect(code).toContain('const input = tf.input({ shape: inputShape });');
    expect(code).toContain("const conv1 = tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: [2, 1], padding: 'same', useBias: false }).apply(input);");
    expect(code).toContain("const pool1 = tf.layers.maxPooling2d({ strides: [2, 1], padding: 'same' }).apply(input);");
    expect(code).toContain('const add1 = tf.layers.add().apply([conv1, pool1]);');
    expect(code).toContain('tf.layers.dense({ units: 10 }).apply(flat1);');
    expect(code).toContain('return tf.model({ inputs: input, outputs: dense1 });');
    expect(printCode(a, { inputShape: [8, 8, 3], numClasses: 5 })).toBe(code);
    expect(printCode(a, { inputShape: [9, 9, 3] })).toContain('tf.input({ shape: [8, 8, 3] })');
  });
});
