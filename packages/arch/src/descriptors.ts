import type { Architecture, LayerOp } from './arch-schema.ts';
import { liveIds } from './graph-utils.ts';
import type { Shape } from './infer-shapes.ts';

/** The network archive's raw descriptors (SPEC §1), before normalisation to [0,1]. */
export interface ArchDescriptors {
  /** Largest number of output channels/features of a conv, depthwise, separable or dense layer. */
  width: number;
  /** Number of layers (see DEPTH_EXCLUDED). */
  depth: number;
  /** width / depth (0 when depth is 0). */
  widthToDepth: number;
  /** Multiply-adds per example (count-cost's convention). */
  flops: number;
}

/** Ops whose output count is a width: layers that learn a number of channels/features. */
const WIDTH_OPS = new Set<LayerOp>(['conv2d', 'depthwiseConv2d', 'separableConv2d', 'dense']);

/**
 * Ops that do not count as layers for depth: the input, and the decorations of a layer
 * (activation, dropout, batch norm), so that adding dropout or normalisation does not move a
 * network across the archive. Every other live node counts: conv, dense, pooling, flatten,
 * padding and merges.
 */
export const DEPTH_EXCLUDED = new Set<LayerOp>(['input', 'activation', 'dropout', 'batchNormalization']);

/**
 * Descriptors of the live part of a network. Width is not taken over flatten/pooling outputs
 * (a flatten of a 32x32 map is not a 1024-wide layer).
 */
export function computeDescriptors(arch: Architecture, shapes: Record<string, Shape>, flops: number): ArchDescriptors {
  const live = liveIds(arch);
  let width = 0;
  let depth = 0;
  for (const n of arch.nodes) {
    if (!live.has(n.id)) continue;
    if (!DEPTH_EXCLUDED.has(n.op)) depth++;
    if (WIDTH_OPS.has(n.op)) width = Math.max(width, shapes[n.id]?.at(-1) ?? 0);
  }
  return { width, depth, widthToDepth: depth === 0 ? 0 : width / depth, flops };
}

/** The descriptor vector in SPEC §1's order: [width-to-depth ratio, FLOPs]. */
export function descriptorVector(d: ArchDescriptors): [number, number] {
  return [d.widthToDepth, d.flops];
}
