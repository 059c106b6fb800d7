import { z } from 'zod';

/**
 * The plain architecture description: what comes out of the sandbox (untrusted code ran
 * against a recording stand-in of tf.layers) and what trusted code turns into a model.
 * A graph of layer nodes in topological order; node 0 is the input.
 */

const pos = z.number().int().positive();
const pair = z.tuple([pos, pos]);
const nnPair = z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]);
const Padding = z.enum(['same', 'valid']);

export const ActivationName = z.enum([
  'linear', 'relu', 'relu6', 'elu', 'selu', 'tanh', 'sigmoid', 'swish', 'gelu', 'softmax', 'softplus', 'hardSigmoid', 'mish',
]);
export type ActivationName = z.infer<typeof ActivationName>;

const NodeBase = { id: z.string().min(1).max(64), inputs: z.array(z.string()) };

export const LayerNode = z.discriminatedUnion('op', [
  z.object({ ...NodeBase, op: z.literal('input'), config: z.object({ shape: z.array(pos).min(1).max(3) }) }),
  z.object({
    ...NodeBase, op: z.literal('conv2d'),
    config: z.object({ filters: pos, kernelSize: pair, strides: pair, padding: Padding, dilationRate: pair, activation: ActivationName, useBias: z.boolean() }),
  }),
  z.object({
    ...NodeBase, op: z.literal('depthwiseConv2d'),
    config: z.object({ depthMultiplier: pos, kernelSize: pair, strides: pair, padding: Padding, dilationRate: pair, activation: ActivationName, useBias: z.boolean() }),
  }),
  z.object({
    ...NodeBase, op: z.literal('separableConv2d'),
    config: z.object({ filters: pos, depthMultiplier: pos, kernelSize: pair, strides: pair, padding: Padding, dilationRate: pair, activation: ActivationName, useBias: z.boolean() }),
  }),
  z.object({ ...NodeBase, op: z.literal('batchNormalization'), config: z.object({ momentum: z.number().min(0).max(1), epsilon: z.number().positive() }) }),
  z.object({ ...NodeBase, op: z.literal('dense'), config: z.object({ units: pos, activation: ActivationName, useBias: z.boolean() }) }),
  z.object({ ...NodeBase, op: z.literal('dropout'), config: z.object({ rate: z.number().min(0).max(1) }) }),
  z.object({ ...NodeBase, op: z.literal('maxPooling2d'), config: z.object({ poolSize: pair, strides: pair, padding: Padding }) }),
  z.object({ ...NodeBase, op: z.literal('averagePooling2d'), config: z.object({ poolSize: pair, strides: pair, padding: Padding }) }),
  z.object({ ...NodeBase, op: z.literal('globalAveragePooling2d'), config: z.object({}) }),
  z.object({ ...NodeBase, op: z.literal('globalMaxPooling2d'), config: z.object({}) }),
  z.object({ ...NodeBase, op: z.literal('flatten'), config: z.object({}) }),
  z.object({ ...NodeBase, op: z.literal('activation'), config: z.object({ activation: ActivationName }) }),
  z.object({ ...NodeBase, op: z.literal('add'), config: z.object({}) }),
  z.object({ ...NodeBase, op: z.literal('multiply'), config: z.object({}) }),
  z.object({ ...NodeBase, op: z.literal('concatenate'), config: z.object({ axis: z.number().int() }) }),
  z.object({ ...NodeBase, op: z.literal('zeroPadding2d'), config: z.object({ padding: z.tuple([nnPair, nnPair]) }) }), // [[top, bottom], [left, right]]
]);
export type LayerNode = z.infer<typeof LayerNode>;
export type LayerOp = LayerNode['op'];

/** Most nodes a network may have, the input included. The sandbox's stand-in enforces the same cap as layers are added. */
export const MAX_NODES = 512;

/** A whole network: nodes in topological order (every input refers to an earlier node), one output. */
export const Architecture = z
  .object({
    format: z.literal('nasfleet.arch/v1'),
    nodes: z.array(LayerNode).min(2).max(MAX_NODES),
    output: z.string(),
  })
  .superRefine((arch, ctx) => {
    const seen = new Set<string>();
    arch.nodes.forEach((node, i) => {
      if (seen.has(node.id)) ctx.addIssue({ code: 'custom', path: ['nodes', i, 'id'], message: `duplicate node id "${node.id}"` });
      if ((i === 0) !== (node.op === 'input')) {
        ctx.addIssue({ code: 'custom', path: ['nodes', i, 'op'], message: 'exactly the first node must be the input' });
      }
      for (const input of node.inputs) {
        if (!seen.has(input)) ctx.addIssue({ code: 'custom', path: ['nodes', i, 'inputs'], message: `input "${input}" is not an earlier node` });
      }
      seen.add(node.id);
    });
    if (!seen.has(arch.output)) ctx.addIssue({ code: 'custom', path: ['output'], message: `output "${arch.output}" is not a node` });
  });
export type Architecture = z.infer<typeof Architecture>;
