import * as tf from '@tensorflow/tfjs';
import type { ActivationName, Architecture, LayerNode } from '@nasfleet/arch';

/**
 * Trusted code: turns a validated `Architecture` into a real tf.LayersModel with the
 * functional API. The model outputs logits; a trailing softmax in the description is
 * dropped (the trainer applies softmax cross-entropy, so keeping it would soft-max twice).
 */

/** Raised when a description cannot become a model (shapes, unsupported options). */
export class ModelBuildError extends Error {
  override name = 'ModelBuildError';
  constructor(message: string, readonly nodeId?: string) {
    super(message);
  }
}

/** The built model and what trusted code needs to train it. */
export interface BuiltModel {
  model: tf.LayersModel;
  /** True when the description ended in softmax and it was removed. */
  strippedSoftmax: boolean;
  /** Names of the variables weight decay applies to (conv / depthwise / pointwise / dense kernels). */
  decayedWeights: Set<string>;
}

type TfActivation = Parameters<typeof tf.layers.activation>[0]['activation'];

function act(name: ActivationName): TfActivation {
  return name as TfActivation;
}

/** True for variables weight decay applies to: kernels, never biases or BatchNorm parameters. */
export function isDecayedWeight(name: string): boolean {
  return /(^|\/)(kernel|depthwise_kernel|pointwise_kernel)(_\d+)?$/.test(name);
}

function layerName(id: string): string {
  return `n_${id.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

function makeLayer(node: LayerNode, activation: ActivationName | null, seed: number): tf.layers.Layer | null {
  const name = layerName(node.id);
  const a = (x: ActivationName) => act(activation ?? x);
  // tfjs-layers' default glorot-uniform, seeded so that a candidate trains reproducibly.
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed + k });
  switch (node.op) {
    case 'input':
      return null;
    case 'conv2d': {
      const c = node.config;
      return tf.layers.conv2d({ name, filters: c.filters, kernelSize: c.kernelSize, strides: c.strides, padding: c.padding, dilationRate: c.dilationRate, activation: a(c.activation), useBias: c.useBias, kernelInitializer: init(0) });
    }
    case 'depthwiseConv2d': {
      const c = node.config;
      return tf.layers.depthwiseConv2d({ name, kernelSize: c.kernelSize, depthMultiplier: c.depthMultiplier, strides: c.strides, padding: c.padding, dilationRate: c.dilationRate, activation: a(c.activation), useBias: c.useBias, depthwiseInitializer: init(0) });
    }
    case 'separableConv2d': {
      const c = node.config;
      return tf.layers.separableConv2d({ name, filters: c.filters, kernelSize: c.kernelSize, depthMultiplier: c.depthMultiplier, strides: c.strides, padding: c.padding, dilationRate: c.dilationRate, activation: a(c.activation), useBias: c.useBias, depthwiseInitializer: init(0), pointwiseInitializer: init(1) });
    }
    case 'batchNormalization':
      return tf.layers.batchNormalization({ name, momentum: node.config.momentum, epsilon: node.config.epsilon });
    case 'dense':
      return tf.layers.dense({ name, units: node.config.units, activation: a(node.config.activation), useBias: node.config.useBias, kernelInitializer: init(0) });
    case 'dropout':
      return tf.layers.dropout({ name, rate: node.config.rate });
    case 'maxPooling2d':
      return tf.layers.maxPooling2d({ name, poolSize: node.config.poolSize, strides: node.config.strides, padding: node.config.padding });
    case 'averagePooling2d':
      return tf.layers.averagePooling2d({ name, poolSize: node.config.poolSize, strides: node.config.strides, padding: node.config.padding });
    case 'globalAveragePooling2d':
      return tf.layers.globalAveragePooling2d({ name });
    case 'globalMaxPooling2d':
      return tf.layers.globalMaxPooling2d({ name });
    case 'flatten':
      return tf.layers.flatten({ name });
    case 'activation':
      return tf.layers.activation({ name, activation: a(node.config.activation) });
    case 'add':
      return tf.layers.add({ name });
    case 'multiply':
      return tf.layers.multiply({ name });
    case 'concatenate':
      return tf.layers.concatenate({ name, axis: node.config.axis });
    case 'zeroPadding2d':
      return tf.layers.zeroPadding2d({ name, padding: node.config.padding });
  }
}

/** The softmax at the output, if any: which node carries it. */
function trailingSoftmax(arch: Architecture): LayerNode | undefined {
  const out = arch.nodes.find((n) => n.id === arch.output);
  if (!out) return undefined;
  const config = out.config as { activation?: ActivationName };
  return config.activation === 'softmax' ? out : undefined;
}

/**
 * Builds the model. Throws `ModelBuildError` with the offending node when tf.layers rejects
 * it (shape mismatch, bad concat axis, ...). Weights are initialised from `seed` (same seed,
 * same weights). Call `model.dispose()` when done.
 */
export function buildModel(arch: Architecture, seed = 0): BuiltModel {
  const softmax = trailingSoftmax(arch);
  const created: tf.layers.Layer[] = [];
  try {
    const tensors = new Map<string, tf.SymbolicTensor>();
    let input: tf.SymbolicTensor | undefined;
    let outputId = arch.output;
    for (const node of arch.nodes) {
      if (node.op === 'input') {
        input = tf.input({ shape: node.config.shape, name: layerName(node.id) });
        tensors.set(node.id, input);
        continue;
      }
      const ins = node.inputs.map((id) => tensors.get(id) as tf.SymbolicTensor);
      if (node === softmax && node.op === 'activation') {
        // A bare softmax layer at the end: the logits are its input.
        if (ins.length !== 1) throw new ModelBuildError(`activation takes one input, got ${ins.length}`, node.id);
        outputId = node.inputs[0] as string;
        tensors.set(node.id, ins[0] as tf.SymbolicTensor);
        continue;
      }
      const layer = makeLayer(node, node === softmax ? 'linear' : null, seed + 2 * created.length);
      if (!layer) continue;
      created.push(layer);
      try {
        const applied = layer.apply(ins.length === 1 ? (ins[0] as tf.SymbolicTensor) : ins) as tf.SymbolicTensor;
        tensors.set(node.id, applied);
      } catch (e) {
        throw new ModelBuildError(`node "${node.id}" (${node.op}): ${(e as Error).message}`, node.id);
      }
    }
    const output = tensors.get(outputId);
    if (!input || !output) throw new ModelBuildError('architecture has no input or no output');
    if (output.shape.length !== 2) {
      throw new ModelBuildError(`output must be one vector of class scores per image, got shape [${output.shape.join(', ')}]`, arch.output);
    }
    const model = tf.model({ inputs: input, outputs: output });
    // Layers off the input→output path are not part of the model; free their weights now.
    const inModel = new Set(model.layers);
    for (const layer of created) if (!inModel.has(layer)) layer.dispose();
    const decayedWeights = new Set(model.trainableWeights.filter((w) => isDecayedWeight(w.originalName)).map((w) => w.name));
    return { model, strippedSoftmax: softmax !== undefined, decayedWeights };
  } catch (e) {
    // Weights of layers built before the failure would otherwise stay allocated.
    for (const layer of created) {
      try {
        layer.dispose();
      } catch {
        // never built: nothing allocated
      }
    }
    throw e;
  }
}

/** Trainable parameter count (BatchNorm moving statistics excluded, as in PyTorch's count). */
export function countTrainableParams(model: tf.LayersModel): number {
  return model.trainableWeights.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
}
