import { MAX_NODES } from '@nasfleet/arch';

/** The tf.layers factories the sandbox's stand-in records (aliases included). */
export const SUPPORTED_LAYERS: readonly string[] = [
  'conv2d', 'depthwiseConv2d', 'separableConv2d', 'batchNormalization', 'dense', 'dropout', 'maxPooling2d',
  'averagePooling2d', 'avgPool2d', 'avgPooling2d', 'globalAveragePooling2d', 'globalMaxPooling2d', 'flatten',
  'activation', 'reLU', 'elu', 'softmax', 'add', 'concatenate', 'multiply', 'zeroPadding2d',
];

/** Activation names accepted in `activation` options and by `tf.layers.activation`. */
export const SUPPORTED_ACTIVATIONS: readonly string[] = [
  'linear', 'relu', 'relu6', 'elu', 'selu', 'tanh', 'sigmoid', 'swish', 'gelu', 'softmax', 'softplus', 'hardSigmoid', 'mish',
];

/**
 * The code contract, worded for an LLM prompt: what the answer must contain and what the `tf` it
 * receives offers. Prompts include it verbatim; the README states the same.
 */
export const CODE_CONTRACT = `Answer with exactly one \`\`\`javascript code block that defines:

function buildModel(tf, inputShape, numClasses) {
  // ... build the network with the TensorFlow.js layers API ...
  return model;
}

- inputShape is [height, width, channels] (channels last); the model's output must have shape
  [null, numClasses] (one score per class), e.g. end with a dense layer of numClasses units.
- Plain, synchronous JavaScript only: buildModel is not async and returns the model itself, not a
  Promise; no imports, no require, no other functions of tf, no I/O, no timers.
  The code runs once, in an isolated sandbox, to record the architecture; the trainer builds,
  compiles and trains the real model, so do not call compile or fit (they are ignored).
- Build the model either with tf.sequential() + model.add(layer) (give the first layer
  inputShape: inputShape, or nothing), or functionally:
    const input = tf.input({shape: inputShape});
    let x = tf.layers.conv2d({filters: 32, kernelSize: 3, padding: 'same'}).apply(input);
    x = tf.layers.add().apply([x, shortcut]);   // merge layers take an array of 2 or more
    return tf.model({inputs: input, outputs: x});
- Symbolic tensors have .shape, e.g. [null, 16, 16, 32] (batch axis first), so x.shape[3] is the
  channel count.
- Each layer object is applied once (no shared layers). At most ${MAX_NODES - 1} layers in all.
- Supported layers (tf.layers.*): ${SUPPORTED_LAYERS.join(', ')}.
- Supported activations: ${SUPPORTED_ACTIVATIONS.join(', ')}.
- Options as in TF.js/Keras: kernelSize/strides/poolSize a number or [rows, cols]; padding 'same'
  or 'valid' (default 'valid'); strides default 1 (pooling: the pool size); activation default
  linear; useBias default true; concatenate axis default -1; batchNormalization momentum/epsilon;
  dropout rate; zeroPadding2d padding n, [rows, cols] or [[top, bottom], [left, right]].
  Sizes (filters, units, kernelSize, ...) are positive integers written as numbers, not strings.
  name and initializers are accepted and ignored; any other option is an error.`;
