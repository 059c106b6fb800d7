import * as tf from '@tensorflow/tfjs';
import { SGD_MOMENTUM_KERNEL, type SgdMomentumAttrs } from './wasm-kernels/sgd-momentum-kernel.ts';

/**
 * One SGD-momentum step with PyTorch's rule (coupled weight decay): vel' = m·vel + (g + wd·v),
 * v' = v − lr·vel'. Returns the new [weight, velocity] tensors; the caller assigns them. One fused
 * kernel where the active backend has it (wasm), else tfjs ops. Float32 tensors of one shape.
 */
export function sgdMomentumStep(v: tf.Tensor, g: tf.Tensor, vel: tf.Tensor, attrs: SgdMomentumAttrs): [tf.Tensor, tf.Tensor] {
  if (!tf.util.arraysEqual(v.shape, g.shape) || !tf.util.arraysEqual(v.shape, vel.shape)) {
    throw new Error(`sgdMomentumStep: weight [${v.shape}], gradient [${g.shape}] and velocity [${vel.shape}] must have one shape`);
  }
  const float = v.dtype === 'float32' && g.dtype === 'float32' && vel.dtype === 'float32';
  if (float && tf.getKernel(SGD_MOMENTUM_KERNEL, tf.getBackend()) !== undefined) {
    return tf.engine().runKernel(SGD_MOMENTUM_KERNEL, { v, g, vel }, attrs as unknown as tf.NamedAttrMap) as [tf.Tensor, tf.Tensor];
  }
  return tf.tidy(() => {
    const decayed = attrs.weightDecay > 0 ? tf.add(g, tf.mul(v, attrs.weightDecay)) : g;
    const nextVel = tf.add(tf.mul(vel, attrs.momentum), decayed);
    return [tf.sub(v, tf.mul(nextVel, attrs.learningRate)), nextVel];
  });
}
