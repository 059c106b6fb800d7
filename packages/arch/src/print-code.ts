import type { Architecture, LayerNode } from './arch-schema.ts';
import { pruneDead } from './graph-utils.ts';

/** What the printed code may refer to by name instead of literals. */
export interface PrintOptions {
  /** When the input node has this shape, the code says `inputShape` (default: always). */
  inputShape?: readonly number[];
  /** When the output dense layer has this many units, the code says `numClasses` (default: always). */
  numClasses?: number;
}

const SHORT: Record<LayerNode['op'], string> = {
  input: 'input', conv2d: 'conv', depthwiseConv2d: 'dwconv', separableConv2d: 'sepconv', batchNormalization: 'bn',
  dense: 'dense', dropout: 'drop', maxPooling2d: 'pool', averagePooling2d: 'avgpool', globalAveragePooling2d: 'gap',
  globalMaxPooling2d: 'gmp', flatten: 'flat', activation: 'act', add: 'add', multiply: 'mul', concatenate: 'cat', zeroPadding2d: 'pad',
};

const NO_ARGS_OK = new Set(['flatten', 'add', 'multiply', 'concatenate', 'batchNormalization']);
const same = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const pairText = (p: readonly [number, number]): string => (p[0] === p[1] ? String(p[0]) : `[${p[0]}, ${p[1]}]`);

/** The layer's TF.js config with Keras/TF.js defaults left out, as a JS object literal ('' when empty). */
function configText(n: LayerNode, isOutput: boolean, opts: PrintOptions): string {
  const f: string[] = [];
  const act = (a: string): void => void (a !== 'linear' && f.push(`activation: '${a}'`));
  const conv = (c: { kernelSize: [number, number]; strides: [number, number]; padding: string; dilationRate: [number, number]; activation: string; useBias: boolean }): void => {
    f.push(`kernelSize: ${pairText(c.kernelSize)}`);
    if (!same(c.strides, [1, 1])) f.push(`strides: ${pairText(c.strides)}`);
    if (c.padding !== 'valid') f.push(`padding: '${c.padding}'`);
    if (!same(c.dilationRate, [1, 1])) f.push(`dilationRate: ${pairText(c.dilationRate)}`);
    act(c.activation);
    if (!c.useBias) f.push('useBias: false');
  };
  switch (n.op) {
    case 'input':
      break;
    case 'conv2d':
    case 'separableConv2d':
      f.push(`filters: ${n.config.filters}`);
      if (n.op === 'separableConv2d' && n.config.depthMultiplier !== 1) f.push(`depthMultiplier: ${n.config.depthMultiplier}`);
      conv(n.config);
      break;
    case 'depthwiseConv2d':
      conv(n.config);
      if (n.config.depthMultiplier !== 1) f.push(`depthMultiplier: ${n.config.depthMultiplier}`);
      break;
    case 'batchNormalization':
      if (n.config.momentum !== 0.99) f.push(`momentum: ${n.config.momentum}`);
      if (n.config.epsilon !== 1e-3) f.push(`epsilon: ${n.config.epsilon}`);
      break;
    case 'dense': {
      const named = isOutput && (opts.numClasses === undefined || opts.numClasses === n.config.units);
      f.push(`units: ${named ? 'numClasses' : n.config.units}`);
      act(n.config.activation);
      if (!n.config.useBias) f.push('useBias: false');
      break;
    }
    case 'dropout':
      f.push(`rate: ${n.config.rate}`);
      break;
    case 'maxPooling2d':
    case 'averagePooling2d':
      if (!same(n.config.poolSize, [2, 2])) f.push(`poolSize: ${pairText(n.config.poolSize)}`);
      if (!same(n.config.strides, n.config.poolSize)) f.push(`strides: ${pairText(n.config.strides)}`);
      if (n.config.padding !== 'valid') f.push(`padding: '${n.config.padding}'`);
      break;
    case 'activation':
      f.push(`activation: '${n.config.activation}'`);
      break;
    case 'concatenate':
      if (n.config.axis !== -1) f.push(`axis: ${n.config.axis}`);
      break;
    case 'zeroPadding2d': {
      const [[t, b], [l, r]] = n.config.padding;
      if (t === b && l === r) {
        if (t !== 1 || l !== 1) f.push(`padding: ${t === l ? t : `[${t}, ${l}]`}`);
      } else f.push(`padding: [[${t}, ${b}], [${l}, ${r}]]`);
      break;
    }
    default:
      break;
  }
  return f.length === 0 ? '' : `{ ${f.join(', ')} }`;
}

function isChain(arch: Architecture): boolean {
  return arch.nodes.every((n, i) => i === 0 || (n.inputs.length === 1 && n.inputs[0] === arch.nodes[i - 1]?.id)) && arch.nodes.at(-1)?.id === arch.output;
}

/**
 * Print a network as readable TF.js code following the LLM code contract
 * `function buildModel(tf, inputShape, numClasses) { ... }`: `tf.sequential` for a chain, the
 * functional API otherwise, Keras/TF.js defaults omitted, plain JS. Only the live part is printed
 * (TF.js drops the rest anyway). The output is stable: the same description prints the same text.
 */
export function printCode(input: Architecture, opts: PrintOptions = {}): string {
  const arch = pruneDead(input);
  const first = arch.nodes[0];
  const shape = first?.op === 'input' ? first.config.shape : [];
  const shapeText = opts.inputShape === undefined || same(opts.inputShape, shape) ? 'inputShape' : `[${shape.join(', ')}]`;
  const layer = (n: LayerNode, extra = ''): string => {
    const cfg = configText(n, n.id === arch.output, opts);
    const body = extra === '' ? cfg : cfg === '' ? `{ ${extra} }` : `{ ${extra}, ${cfg.slice(2)}`;
    // TF.js pooling and padding constructors read their args object unguarded: pass `{}` even when empty.
    return `tf.layers.${n.op}(${body === '' && !NO_ARGS_OK.has(n.op) ? '{}' : body})`;
  };
  const lines = ['function buildModel(tf, inputShape, numClasses) {'];
  if (isChain(arch)) {
    lines.push('  const model = tf.sequential();');
    arch.nodes.slice(1).forEach((n, i) => lines.push(`  model.add(${layer(n, i === 0 ? (shapeText === 'inputShape' ? 'inputShape' : `inputShape: ${shapeText}`) : '')});`));
    lines.push('  return model;');
  } else {
    const names = new Map<string, string>();
    const counts = new Map<string, number>();
    for (const n of arch.nodes) {
      const base = SHORT[n.op];
      const k = (counts.get(base) ?? 0) + 1;
      counts.set(base, k);
      const name = n.op === 'input' ? 'input' : `${base}${k}`;
      names.set(n.id, name);
      if (n.op === 'input') {
        lines.push(`  const input = tf.input({ shape: ${shapeText} });`);
        continue;
      }
      const ins = n.inputs.map((i) => names.get(i) as string);
      const arg = ins.length === 1 && !['add', 'multiply', 'concatenate'].includes(n.op) ? ins[0] : `[${ins.join(', ')}]`;
      lines.push(`  const ${name} = ${layer(n)}.apply(${arg});`);
    }
    lines.push(`  return tf.model({ inputs: input, outputs: ${names.get(arch.output)} });`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
