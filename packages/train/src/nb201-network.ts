import * as tf from '@tensorflow/tfjs';

/**
 * The NAS-Bench-201 skeleton as a trainable tf.LayersModel: stem conv3×3 + BN, three stages
 * of N cells (C, 2C, 4C) joined by ResNet basic-block reductions, then BN-ReLU-GAP-dense.
 * Every edge op is instantiated, also on nodes that are all-zero, so the parameter count is
 * NB201's (which counts every op's parameters).
 */

/** The five NB201 edge operations, in the table's op_code order (0..4). */
export const NB201_OPS = ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'] as const;
export type Nb201Op = (typeof NB201_OPS)[number];

/** Raised for a string that is not an NB201 cell. */
export class Nb201CellError extends Error {
  override name = 'Nb201CellError';
}

/** A parsed cell: edges[i-1][j] is the op on edge j → i, for nodes i = 1..3. */
export type Nb201Cell = Nb201Op[][];

/** Parses `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`; throws Nb201CellError on anything else. */
export function parseNb201Cell(cell: string): Nb201Cell {
  const nodes = cell.split('+');
  if (nodes.length !== 3) throw new Nb201CellError(`an NB201 cell has 3 nodes separated by '+', got ${nodes.length}: ${cell}`);
  return nodes.map((node, i) => {
    const parts = node.split('|').filter((p) => p.length > 0);
    if (parts.length !== i + 1) throw new Nb201CellError(`node ${i + 1} needs ${i + 1} input edges, got ${parts.length}: "${node}"`);
    return parts.map((p, j) => {
      const [op, src] = p.split('~');
      if (!(NB201_OPS as readonly string[]).includes(op ?? '')) throw new Nb201CellError(`unknown op "${op}" on edge ${j}→${i + 1}`);
      if (src !== String(j)) throw new Nb201CellError(`edge "${p}" of node ${i + 1} should read node ${j}`);
      return op as Nb201Op;
    });
  });
}

/**
 * A tensor of zeros shaped like its (first) input: NB201's all-`none` nodes. Extra inputs are
 * ignored; they keep otherwise dead branches inside the model (see `cellBlock`).
 */
export class ZerosLike extends tf.layers.Layer {
  static readonly className = 'NasfleetZerosLike';
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return Array.isArray(inputShape[0]) ? (inputShape[0] as tf.Shape) : inputShape;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.zerosLike(Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs);
  }
}
tf.serialization.registerClass(ZerosLike);

/** Skeleton size; defaults are NB201's CIFAR-10 network. */
export interface Nb201NetworkOptions {
  /** Channels of the first stage (NB201: 16). */
  channels?: number;
  /** Cells per stage (NB201: 5). */
  cellsPerStage?: number;
  inputShape?: [number, number, number];
  numClasses?: number;
}

type Sym = tf.SymbolicTensor;

const bn = (x: Sym): Sym => tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }).apply(x) as Sym;
const relu = (x: Sym): Sym => tf.layers.activation({ activation: 'relu' }).apply(x) as Sym;
const conv = (x: Sym, filters: number, k: number, stride = 1): Sym =>
  tf.layers.conv2d({ filters, kernelSize: k, strides: stride, padding: 'same', useBias: false }).apply(x) as Sym;
const reluConvBn = (x: Sym, filters: number, k: number, stride = 1): Sym => bn(conv(relu(x), filters, k, stride));
const add = (xs: Sym[]): Sym => (xs.length === 1 ? (xs[0] as Sym) : (tf.layers.add().apply(xs) as Sym));

function edge(op: Nb201Op, x: Sym, c: number): Sym | null {
  switch (op) {
    case 'none': return null;
    case 'skip_connect': return x;
    case 'nor_conv_1x1': return reluConvBn(x, c, 1);
    case 'nor_conv_3x3': return reluConvBn(x, c, 3);
    case 'avg_pool_3x3': return tf.layers.averagePooling2d({ poolSize: 3, strides: 1, padding: 'same' }).apply(x) as Sym;
  }
}

/** Which nodes (0..3) reach the cell output through non-`none` edges. */
function liveNodes(cell: Nb201Cell): boolean[] {
  const live = [false, false, false, true];
  for (let i = 3; i >= 1; i--) {
    if (!live[i]) continue;
    (cell[i - 1] as Nb201Op[]).forEach((op, j) => {
      if (op !== 'none') live[j] = true;
    });
  }
  return live;
}

function cellBlock(cell: Nb201Cell, x: Sym, c: number): Sym {
  const nodes: Sym[] = [x];
  const live = liveNodes(cell);
  const dead: Sym[] = [];
  cell.forEach((incoming, k) => {
    const terms = incoming.map((op, j) => edge(op, nodes[j] as Sym, c)).filter((t): t is Sym => t !== null);
    const node = terms.length > 0 ? add(terms) : (new ZerosLike({}).apply(x) as Sym);
    if (!live[k + 1]) dead.push(node);
    nodes.push(node);
  });
  const out = nodes[3] as Sym;
  if (dead.length === 0) return out;
  // A branch that never reaches the output would fall out of the tf.model (its weights
  // orphaned, NB201's parameter count wrong); + zeros(out, dead…) keeps it in at no effect.
  return add([out, new ZerosLike({}).apply([out, ...dead]) as Sym]);
}

function reduction(x: Sym, c: number): Sym {
  const branch = reluConvBn(reluConvBn(x, c, 3, 2), c, 3, 1);
  const pooled = tf.layers.averagePooling2d({ poolSize: 2, strides: 2, padding: 'valid' }).apply(x) as Sym;
  const shortcut = conv(pooled, c, 1);
  return add([branch, shortcut]);
}

/** Builds the NB201 network for `cell` (logits out). Throws Nb201CellError for a malformed cell. */
export function buildNb201Network(cell: string, options: Nb201NetworkOptions = {}): tf.LayersModel {
  const parsed = parseNb201Cell(cell);
  const c0 = options.channels ?? 16;
  const n = options.cellsPerStage ?? 5;
  const input = tf.input({ shape: options.inputShape ?? [32, 32, 3] });
  let x = bn(conv(input, c0, 3));
  [c0, 2 * c0, 4 * c0].forEach((c, stage) => {
    if (stage > 0) x = reduction(x, c);
    for (let i = 0; i < n; i++) x = cellBlock(parsed, x, c);
  });
  const pooled = tf.layers.globalAveragePooling2d({}).apply(relu(bn(x))) as Sym;
  const logits = tf.layers.dense({ units: options.numClasses ?? 10 }).apply(pooled) as Sym;
  return tf.model({ inputs: input, outputs: logits });
}
