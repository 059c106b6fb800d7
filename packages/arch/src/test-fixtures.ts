import type { Architecture, LayerNode } from './arch-schema.ts';

/** Test helper: a description from terse node specs `[id, op, inputs, config]`; the output is the last node unless given. */
export function arch(specs: Array<[string, LayerNode['op'], string[], Record<string, unknown>]>, output?: string): Architecture {
  const nodes = specs.map(([id, op, inputs, config]) => ({ id, op, inputs, config }) as LayerNode);
  return { format: 'nasfleet.arch/v1', nodes, output: output ?? (nodes.at(-1)?.id as string) };
}

/** Test helper: conv2d config with TF.js defaults, overridable. */
export const conv = (filters: number, k = 3, o: Record<string, unknown> = {}): Record<string, unknown> => ({
  filters, kernelSize: [k, k], strides: [1, 1], padding: 'valid', dilationRate: [1, 1], activation: 'linear', useBias: true, ...o,
});
export const dense = (units: number, o: Record<string, unknown> = {}): Record<string, unknown> => ({ units, activation: 'linear', useBias: true, ...o });
export const pool = (k = 2, s = k, padding = 'valid'): Record<string, unknown> => ({ poolSize: [k, k], strides: [s, s], padding });
export const bn = { momentum: 0.99, epsilon: 1e-3 };
