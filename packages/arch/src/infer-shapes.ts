import type { Failure } from '@nasfleet/contracts';
import type { Architecture, LayerNode } from './arch-schema.ts';
import { ArchCheckError, fmtShape } from './arch-failure.ts';

/** A tensor shape without the batch axis, NHWC for images: `[H, W, C]`, `[features]`. */
export type Shape = number[];

/** Output shape of every node, by id; or the first node whose shapes do not fit. */
export type ShapeResult = { ok: true; shapes: Record<string, Shape> } | { ok: false; failure: Failure };

type Conv = Extract<LayerNode, { op: 'conv2d' | 'depthwiseConv2d' | 'separableConv2d' }>;
type Pool = Extract<LayerNode, { op: 'maxPooling2d' | 'averagePooling2d' }>;

const where = (n: LayerNode): string => `node "${n.id}" (${n.op})`;

/** Keras/TF.js `convOutputLength`: 'same' keeps the size, 'valid' drops the dilated kernel's overhang; then ceil-divide by the stride. */
export function convOutputLength(size: number, kernel: number, padding: 'same' | 'valid', stride: number, dilation = 1): number {
  const dilated = kernel + (kernel - 1) * (dilation - 1);
  const len = padding === 'same' ? size : size - dilated + 1;
  return Math.floor((len + stride - 1) / stride);
}

function needRank3(n: LayerNode, s: Shape, fix: string): [number, number, number] {
  if (s.length !== 3) {
    throw new ArchCheckError('shape', `${where(n)} needs a rank-3 image input [height,width,channels] but gets ${fmtShape(s)}; ${fix}`);
  }
  return s as [number, number, number];
}

function spatialOut(n: Conv | Pool, s: Shape, kernel: [number, number], dilation: [number, number]): [number, number] {
  const [h, w] = s as [number, number];
  const { strides, padding } = n.config;
  const oh = convOutputLength(h, kernel[0], padding, strides[0], dilation[0]);
  const ow = convOutputLength(w, kernel[1], padding, strides[1], dilation[1]);
  if (oh <= 0 || ow <= 0) {
    const k = `${kernel[0]}x${kernel[1]}${dilation[0] > 1 || dilation[1] > 1 ? ` (dilation ${dilation.join('x')})` : ''}`;
    throw new ArchCheckError(
      'shape',
      `${where(n)}: its ${k} window with padding 'valid' does not fit the ${h}x${w} input ${fmtShape(s)} (output would be ${oh}x${ow}); ` +
        `use padding 'same', a smaller window, or fewer pooling/strided layers before it`,
    );
  }
  return [oh, ow];
}

function checkDilation(n: Conv): void {
  const { strides, dilationRate } = n.config;
  const dilated = dilationRate[0] > 1 || dilationRate[1] > 1;
  if (n.op === 'depthwiseConv2d' && dilated) {
    // tfjs-layers' DepthwiseConv2D ignores dilationRate when it runs (a TODO in its source): refuse rather than mis-count.
    throw new ArchCheckError('unsupported-layer', `${where(n)}: TF.js depthwiseConv2d does not apply dilationRate ${fmtShape(dilationRate)}; use dilationRate 1 or a conv2d/separableConv2d`);
  }
  if (dilated && (strides[0] > 1 || strides[1] > 1)) {
    throw new ArchCheckError('unsupported-layer', `${where(n)}: TF.js convolutions need strides or dilationRate to be 1, got strides ${fmtShape(strides)} and dilationRate ${fmtShape(dilationRate)}; drop one of them`);
  }
}

/** TF.js merge broadcasting (equal ranks; per axis the sizes must match or one must be 1). */
function broadcast(n: LayerNode, shapes: Shape[], ids: string[]): Shape {
  const first = shapes[0] as Shape;
  const listing = shapes.map((s, i) => `"${ids[i]}" ${fmtShape(s)}`).join(', ');
  if (shapes.some((s) => s.length !== first.length)) {
    throw new ArchCheckError('shape', `${where(n)}: inputs have different ranks (${listing}); add/multiply need tensors of the same rank, e.g. apply flatten or globalAveragePooling2d to the image-shaped input first`);
  }
  return first.map((_, axis) => {
    const sizes = shapes.map((s) => s[axis] as number);
    const big = sizes.filter((x) => x !== 1);
    if (new Set(big).size > 1) {
      const fix = axis === first.length - 1
        ? 'make the channel/feature counts equal (e.g. a 1x1 conv2d or a dense layer with the same number of filters/units on the shorter path)'
        : 'make the spatial sizes equal (same strides and pooling on both paths, or padding \'same\')';
      throw new ArchCheckError('shape', `${where(n)}: input shapes do not match (${listing}); ${n.op} needs equal shapes (or size 1 on an axis); ${fix}`);
    }
    return big[0] ?? 1;
  });
}

function concat(n: Extract<LayerNode, { op: 'concatenate' }>, shapes: Shape[], ids: string[]): Shape {
  const first = shapes[0] as Shape;
  const listing = shapes.map((s, i) => `"${ids[i]}" ${fmtShape(s)}`).join(', ');
  const rank = first.length;
  if (shapes.some((s) => s.length !== rank)) {
    throw new ArchCheckError('shape', `${where(n)}: inputs have different ranks (${listing}); concatenate needs tensors of the same rank`);
  }
  // The axis counts the batch axis as 0 (TF.js convention): -1 and `rank` are the last axis.
  const { axis } = n.config;
  const a = axis < 0 ? rank + axis : axis - 1;
  if (a < 0 || a >= rank) {
    throw new ArchCheckError('shape', `${where(n)}: axis ${axis} is not a feature axis of inputs of shape ${fmtShape(first)} (axis 0 is the batch); use axis -1 to join channels`);
  }
  const out = [...first];
  out[a] = 0;
  for (const s of shapes) {
    for (let i = 0; i < rank; i++) {
      if (i !== a && s[i] !== first[i]) {
        throw new ArchCheckError('shape', `${where(n)}: inputs must match on every axis except the concatenation axis ${axis} (${listing}); make their spatial sizes equal`);
      }
    }
    out[a] = (out[a] as number) + (s[a] as number);
  }
  return out;
}

/** The output shape of one node from its input shapes. Throws ArchCheckError. */
export function nodeOutputShape(n: LayerNode, inputs: Shape[]): Shape {
  const arity = n.op === 'input' ? 0 : n.op === 'add' || n.op === 'multiply' || n.op === 'concatenate' ? 'many' : 1;
  if (arity === 'many' && inputs.length < 2) {
    throw new ArchCheckError('shape', `${where(n)} merges tensors and needs at least 2 inputs, got ${inputs.length}; pass a list of two or more tensors to .apply([a, b])`);
  }
  if (typeof arity === 'number' && inputs.length !== arity) {
    throw new ArchCheckError('shape', `${where(n)} takes ${arity === 0 ? 'no inputs' : 'exactly one input'}, got ${inputs.length}; use an add/concatenate layer to combine tensors`);
  }
  const s = inputs[0] as Shape;
  switch (n.op) {
    case 'input':
      return [...n.config.shape];
    case 'conv2d':
    case 'depthwiseConv2d':
    case 'separableConv2d': {
      const [, , c] = needRank3(n, s, 'convolutions run on images; apply them before flatten/global pooling (or reshape vector data into an image)');
      checkDilation(n);
      const [oh, ow] = spatialOut(n, s, n.config.kernelSize, n.config.dilationRate);
      const channels = n.op === 'depthwiseConv2d' ? c * n.config.depthMultiplier : n.config.filters;
      return [oh, ow, channels];
    }
    case 'maxPooling2d':
    case 'averagePooling2d': {
      const [, , c] = needRank3(n, s, 'pooling runs on images; apply it before flatten/global pooling');
      const [oh, ow] = spatialOut(n, s, n.config.poolSize, [1, 1]);
      return [oh, ow, c];
    }
    case 'globalAveragePooling2d':
    case 'globalMaxPooling2d':
      return [needRank3(n, s, 'global pooling turns an image [h,w,c] into a vector [c]; remove it or move it before flatten/dense')[2]];
    case 'zeroPadding2d': {
      const [h, w, c] = needRank3(n, s, 'zero padding runs on images');
      const [[t, b], [l, r]] = n.config.padding;
      return [h + t + b, w + l + r, c];
    }
    case 'flatten':
      if (s.length < 2) {
        throw new ArchCheckError('shape', `${where(n)}: input ${fmtShape(s)} is already a vector; TF.js flatten needs an input of rank 2 or more, so remove this flatten`);
      }
      return [s.reduce((a, b) => a * b, 1)];
    case 'dense':
      // TF.js Dense acts on the last axis of any input ([h,w,c] -> [h,w,units]); the output check catches a forgotten flatten.
      return [...s.slice(0, -1), n.config.units];
    case 'batchNormalization':
    case 'dropout':
    case 'activation':
      return [...s];
    case 'add':
    case 'multiply':
      return broadcast(n, inputs, n.inputs);
    case 'concatenate':
      return concat(n, inputs, n.inputs);
  }
}

/**
 * Infer every node's output shape (batch axis left out) with TF.js layer semantics. Assumes a
 * schema-valid architecture (inputs refer to earlier nodes). Every node is checked, dead ones
 * too, because TF.js builds each `.apply` call when the code runs. Never throws.
 */
export function inferShapes(arch: Architecture): ShapeResult {
  const shapes: Record<string, Shape> = {};
  try {
    for (const n of arch.nodes) {
      const inputs = n.inputs.map((i) => {
        const shape = shapes[i];
        // A graph whose references were not checked (an edit's intermediate): a failure, never a TypeError.
        if (!shape) throw new ArchCheckError('shape', `${where(n)} reads "${i}", which is not a node before it`);
        return shape;
      });
      shapes[n.id] = nodeOutputShape(n, inputs);
    }
  } catch (e) {
    if (e instanceof ArchCheckError) return { ok: false, failure: e.failure };
    throw e;
  }
  return { ok: true, shapes };
}
