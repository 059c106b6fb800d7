import type { ActivationName, Architecture, LayerNode } from './arch-schema.ts';

/** Node configs with TF.js defaults filled in, for code that builds or edits descriptions. */
export const layer = {
  conv2d: (id: string, input: string, filters: number, k = 3, o: { strides?: number; activation?: ActivationName; padding?: 'same' | 'valid' } = {}): LayerNode => ({
    id, op: 'conv2d', inputs: [input],
    config: { filters, kernelSize: [k, k], strides: [o.strides ?? 1, o.strides ?? 1], padding: o.padding ?? 'same', dilationRate: [1, 1], activation: o.activation ?? 'relu', useBias: true },
  }),
  dense: (id: string, input: string, units: number, activation: ActivationName = 'relu'): LayerNode => ({
    id, op: 'dense', inputs: [input], config: { units, activation, useBias: true },
  }),
  batchNorm: (id: string, input: string): LayerNode => ({ id, op: 'batchNormalization', inputs: [input], config: { momentum: 0.99, epsilon: 1e-3 } }),
  dropout: (id: string, input: string, rate: number): LayerNode => ({ id, op: 'dropout', inputs: [input], config: { rate } }),
  activation: (id: string, input: string, activation: ActivationName): LayerNode => ({ id, op: 'activation', inputs: [input], config: { activation } }),
  pool: (id: string, input: string, kind: 'max' | 'avg' = 'max', size = 2, padding: 'same' | 'valid' = 'valid'): LayerNode => ({
    id, op: kind === 'max' ? 'maxPooling2d' : 'averagePooling2d', inputs: [input], config: { poolSize: [size, size], strides: [size, size], padding },
  }),
  flatten: (id: string, input: string): LayerNode => ({ id, op: 'flatten', inputs: [input], config: {} }),
  gap: (id: string, input: string): LayerNode => ({ id, op: 'globalAveragePooling2d', inputs: [input], config: {} }),
  add: (id: string, inputs: string[]): LayerNode => ({ id, op: 'add', inputs, config: {} }),
};

/** Builds a chain-or-graph description node by node with generated ids (`<op><n>`). */
export class ArchBuilder {
  readonly nodes: LayerNode[] = [];
  private count = 0;

  constructor(inputShape: readonly number[]) {
    this.nodes.push({ id: 'input', op: 'input', inputs: [], config: { shape: [...inputShape] } });
  }

  /** A fresh id. */
  id(prefix: string): string {
    this.count += 1;
    return `${prefix}${this.count}`;
  }

  /** Append a node made by `make(id)`; returns its id. */
  push(prefix: string, make: (id: string) => LayerNode): string {
    const node = make(this.id(prefix));
    this.nodes.push(node);
    return node.id;
  }

  /** The description, with `output` as its output. */
  build(output: string): Architecture {
    return { format: 'nasfleet.arch/v1', nodes: this.nodes, output };
  }
}
