import type { Architecture, LayerNode } from './arch-schema.ts';
import { liveIds } from './graph-utils.ts';
import type { Shape } from './infer-shapes.ts';

/** Bytes per activation element: float32. */
export const BYTES_PER_ELEMENT = 4;

/** Cost of one node. */
export interface NodeCost {
  /** All weights, as TF.js `countParams()` counts them (BN's moving mean/variance included). */
  params: number;
  /** Weights the optimiser updates (BN: gamma and beta only). */
  trainableParams: number;
  /** Multiply-adds, NAS-Bench-201 convention (see `countCost`). */
  flops: number;
  /** Elements of the node's output per example. */
  outputElements: number;
}

/** Cost of a whole network, per example. */
export interface CostReport {
  nodes: Record<string, NodeCost>;
  params: number;
  trainableParams: number;
  flops: number;
  /** Sum over live nodes (input included) of output elements × 4 bytes. */
  activationBytes: number;
  /** Largest total of tensors alive at once when the nodes run in order, each freed after its last reader. */
  peakActivationBytes: number;
}

const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/**
 * Parameters and multiply-adds of one node given its input and output shapes. FLOPs follow the
 * convention of NAS-Bench-201's `get_model_infos` for conv and dense layers: k·k·Cin·Cout·Hout·Wout
 * (divided by the groups, i.e. Cin, for depthwise), separable = depthwise + pointwise 1x1, dense =
 * in·units (+ units for the bias) per position; conv biases, pooling, batch norm, activations and
 * merges count 0 (NB201 cells have no conv biases and it counts its pooling, which we do not).
 */
export function nodeCost(n: LayerNode, inputShapes: Shape[], out: Shape): NodeCost {
  const outputElements = prod(out);
  const inC = inputShapes[0]?.at(-1) ?? 0;
  const spatial = out.length === 3 ? (out[0] as number) * (out[1] as number) : 1;
  let params = 0;
  let trainable = -1;
  let flops = 0;
  switch (n.op) {
    case 'conv2d': {
      const [kh, kw] = n.config.kernelSize;
      params = kh * kw * inC * n.config.filters + (n.config.useBias ? n.config.filters : 0);
      flops = kh * kw * inC * n.config.filters * spatial;
      break;
    }
    case 'depthwiseConv2d': {
      const [kh, kw] = n.config.kernelSize;
      const outC = inC * n.config.depthMultiplier;
      params = kh * kw * outC + (n.config.useBias ? outC : 0);
      flops = kh * kw * outC * spatial;
      break;
    }
    case 'separableConv2d': {
      const [kh, kw] = n.config.kernelSize;
      const mid = inC * n.config.depthMultiplier;
      params = kh * kw * mid + mid * n.config.filters + (n.config.useBias ? n.config.filters : 0);
      flops = (kh * kw * mid + mid * n.config.filters) * spatial;
      break;
    }
    case 'dense': {
      const positions = prod(out.slice(0, -1));
      params = inC * n.config.units + (n.config.useBias ? n.config.units : 0);
      flops = (inC * n.config.units + (n.config.useBias ? n.config.units : 0)) * positions;
      break;
    }
    case 'batchNormalization': {
      const c = out.at(-1) ?? 0;
      params = 4 * c; // gamma, beta (trainable), moving mean, moving variance (not trainable)
      trainable = 2 * c;
      break;
    }
    default:
      break;
  }
  return { params, trainableParams: trainable < 0 ? params : trainable, flops, outputElements };
}

/**
 * Cost of the live part of a network (nodes the output depends on; TF.js drops the rest) from
 * shapes computed by `inferShapes`. FLOPs are multiply-adds per example, NAS-Bench-201's
 * convention (see `nodeCost`); NB201's table lists them in millions.
 */
export function countCost(arch: Architecture, shapes: Record<string, Shape>): CostReport {
  const live = liveIds(arch);
  const nodes: Record<string, NodeCost> = {};
  const order = arch.nodes.filter((n) => live.has(n.id));
  const lastUse = new Map<string, number>();
  order.forEach((n, i) => n.inputs.forEach((id) => lastUse.set(id, i)));
  let params = 0;
  let trainableParams = 0;
  let flops = 0;
  let total = 0;
  let alive = 0;
  let peak = 0;
  order.forEach((n, i) => {
    const c = nodeCost(n, n.inputs.map((id) => shapes[id] ?? []), shapes[n.id] ?? []);
    nodes[n.id] = c;
    params += c.params;
    trainableParams += c.trainableParams;
    flops += c.flops;
    total += c.outputElements;
    alive += c.outputElements;
    peak = Math.max(peak, alive);
    for (const id of new Set(n.inputs)) {
      if (lastUse.get(id) === i && id !== arch.output) alive -= nodes[id]?.outputElements ?? 0;
    }
  });
  return {
    nodes, params, trainableParams, flops,
    activationBytes: total * BYTES_PER_ELEMENT,
    peakActivationBytes: peak * BYTES_PER_ELEMENT,
  };
}
