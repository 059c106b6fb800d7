import * as tf from '@tensorflow/tfjs';
import { broadcastTile } from './broadcast-tile.ts';
import { conv2dBackpropFilter, conv2dBackpropInput } from './conv2d-backprop.ts';
import { depthwiseBackpropFilter, depthwiseBackpropInput } from './depthwise-backprop.ts';
import { identityView } from './identity-view.ts';
import { leadingAxesReduce } from './leading-axes-reduce.ts';
import { wasmMaxPoolGrad } from './max-pool-grad.ts';
import { explicitTransposeMatMul } from './transposed-matmul.ts';

/**
 * Makes the wasm backend able to train convolutional networks, and right while doing it:
 * registers composed Conv2DBackpropFilter / Conv2DBackpropInput and both depthwise
 * backprops, a correct MaxPoolGrad and a broadcasting Tile; then makes it cheaper: Identity
 * and same-dtype Cast without a copy, Sum / Mean over the leading axes without a transpose. Kernels nested inside a kernel are not taped, so composing them from
 * other ops leaves gradients intact.
 */

/** Which kernels `registerWasmTrainingKernels` installs; each can be switched off (for A/B measurements). */
export interface WasmKernelOptions {
  /** Replace wasm's own Conv2DBackpropInput (the composed one measured faster). */
  conv2dBackpropInput?: boolean;
  /** Replace wasm's MaxPoolGrad (wrong for negative maxima and ties). */
  maxPoolGrad?: boolean;
  /** Fast path for broadcast-like Tile (BatchNorm gradient). */
  tile?: boolean;
  /** Transpose matmul operands explicitly (wasm's transposed BatchMatMul is off its fast path). */
  matMul?: boolean;
  /** Identity and same-dtype Cast share their input's buffer instead of copying it. */
  identity?: boolean;
  /** Sum / Mean over the leading (batch, height, width) axes in one pass, without a transpose. */
  leadingReduce?: boolean;
}

const BACKEND = 'wasm';

type Attrs = Record<string, unknown>;

function replaceKernel(kernelName: string, kernelFunc: tf.KernelFunc): void {
  if (tf.getKernel(kernelName, BACKEND) !== undefined) tf.unregisterKernel(kernelName, BACKEND);
  tf.registerKernel({ kernelName, backendName: BACKEND, kernelFunc });
}

const originals = new Map<string, tf.KernelConfig>();

function remember(kernelName: string): tf.KernelConfig | undefined {
  if (!originals.has(kernelName)) {
    const k = tf.getKernel(kernelName, BACKEND);
    if (k !== undefined) originals.set(kernelName, k);
  }
  return originals.get(kernelName);
}

/** Names of the kernels `registerWasmTrainingKernels` may replace or add. */
const MANAGED = [
  'Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput', 'Conv2DBackpropInput', 'MaxPoolGrad',
  'Tile', 'BatchMatMul', '_FusedMatMul', 'Identity', 'Cast', 'Sum', 'Mean',
];

/** Replaces wasm's own `name` with `wrap(original)` when `enabled`, else puts the original back. */
function wrapOriginal(name: string, enabled: boolean, wrap: (original: tf.KernelFunc) => tf.KernelFunc, installed: string[]): void {
  const original = remember(name);
  if (!original) return;
  replaceKernel(name, enabled ? wrap(original.kernelFunc) : original.kernelFunc);
  if (enabled) installed.push(name);
}

/**
 * Puts wasm's own kernels back (and removes the ones it lacks), so that a fresh wasm backend runs
 * their setup functions again; `registerWasmTrainingKernels` re-installs ours afterwards.
 */
export function restoreWasmKernels(): void {
  for (const name of MANAGED) {
    if (tf.getKernel(name, BACKEND) !== undefined) tf.unregisterKernel(name, BACKEND);
    const original = originals.get(name);
    if (original) tf.registerKernel(original);
  }
}

/**
 * Installs the training kernels for the 'wasm' backend. Call after the wasm backend has been
 * initialised (the original Tile kernel must have run its setup). Idempotent.
 * Returns the names of the kernels installed.
 */
export function registerWasmTrainingKernels(options: WasmKernelOptions = {}): string[] {
  for (const name of MANAGED) remember(name);
  const installed: string[] = [];
  replaceKernel('Conv2DBackpropFilter', ({ inputs, attrs }) => {
    const { x, dy } = inputs as unknown as { x: tf.Tensor4D; dy: tf.Tensor4D };
    const a = attrs as Attrs;
    return conv2dBackpropFilter(x, dy, a.filterShape as [number, number, number, number], a as never);
  });
  installed.push('Conv2DBackpropFilter');
  replaceKernel('DepthwiseConv2dNativeBackpropFilter', ({ inputs, attrs }) => {
    const { x, dy } = inputs as unknown as { x: tf.Tensor4D; dy: tf.Tensor4D };
    const a = attrs as Attrs;
    return depthwiseBackpropFilter(x, dy, a.filterShape as [number, number, number, number], a as never);
  });
  installed.push('DepthwiseConv2dNativeBackpropFilter');
  replaceKernel('DepthwiseConv2dNativeBackpropInput', ({ inputs, attrs }) => {
    const { dy, filter } = inputs as unknown as { dy: tf.Tensor4D; filter: tf.Tensor4D };
    const a = attrs as Attrs;
    return depthwiseBackpropInput(a.inputShape as [number, number, number, number], dy, filter, a as never);
  });
  installed.push('DepthwiseConv2dNativeBackpropInput');
  const originalInput = remember('Conv2DBackpropInput');
  if (options.conv2dBackpropInput ?? true) {
    replaceKernel('Conv2DBackpropInput', ({ inputs, attrs }) => {
      const { dy, filter } = inputs as unknown as { dy: tf.Tensor4D; filter: tf.Tensor4D };
      const a = attrs as Attrs;
      return conv2dBackpropInput(a.inputShape as [number, number, number, number], dy, filter, a as never);
    });
    installed.push('Conv2DBackpropInput');
  } else if (originalInput) {
    replaceKernel('Conv2DBackpropInput', originalInput.kernelFunc);
  }
  const originalPool = remember('MaxPoolGrad');
  if (options.maxPoolGrad ?? true) {
    replaceKernel('MaxPoolGrad', wasmMaxPoolGrad);
    installed.push('MaxPoolGrad');
  } else if (originalPool) {
    replaceKernel('MaxPoolGrad', originalPool.kernelFunc);
  }
  wrapOriginal('Tile', options.tile ?? true, broadcastTile, installed);
  for (const name of ['BatchMatMul', '_FusedMatMul']) wrapOriginal(name, options.matMul ?? true, explicitTransposeMatMul, installed);
  wrapOriginal('Identity', options.identity ?? true, identityView, installed);
  wrapOriginal('Cast', options.identity ?? true, identityView, installed);
  wrapOriginal('Sum', options.leadingReduce ?? true, (k) => leadingAxesReduce(k, false), installed);
  wrapOriginal('Mean', options.leadingReduce ?? true, (k) => leadingAxesReduce(k, true), installed);
  return installed;
}
