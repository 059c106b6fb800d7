import { z } from 'zod';
import type { Failure } from '@nasfleet/search';
import { Architecture } from './arch-schema.ts';
import { archFailure, fmtShape } from './arch-failure.ts';
import { countCost, type CostReport } from './count-cost.ts';
import { computeDescriptors, type ArchDescriptors } from './descriptors.ts';
import { inferShapes, type Shape } from './infer-shapes.ts';
import { nodeMap } from './graph-utils.ts';

/** What a network is checked against: the task and the search's caps (caps absent = no cap). */
export const CheckConfig = z.object({
  /** Classes of the dataset: the output must be a vector of this size. */
  numClasses: z.number().int().positive(),
  /** When given, the input node must have exactly this shape. */
  inputShape: z.array(z.number().int().positive()).min(1).max(3).optional(),
  /** Cap on all parameters (TF.js countParams). */
  maxParams: z.number().positive().optional(),
  /** Cap on multiply-adds per example. */
  maxFlops: z.number().positive().optional(),
  /** Cap on the summed activation bytes per example. */
  maxActivationBytes: z.number().positive().optional(),
});
export type CheckConfig = z.input<typeof CheckConfig>;

/** Everything the checks measured about a valid network. */
export interface ArchReport {
  shapes: Record<string, Shape>;
  params: number;
  trainableParams: number;
  flops: number;
  activationBytes: number;
  peakActivationBytes: number;
  descriptors: ArchDescriptors;
  cost: CostReport;
}

export type CheckResult = { ok: true; arch: Architecture; report: ArchReport } | { ok: false; failure: Failure };

function schemaFailure(error: z.ZodError): Failure {
  const issues = error.issues.slice(0, 8).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  const badOp = error.issues.some((i) => i.path.at(-1) === 'op');
  return archFailure(
    badOp ? 'unsupported-layer' : 'invalid-artifact',
    `the architecture description is not valid: ${issues.join('; ')}` +
      (badOp ? '; supported layers: conv2d, depthwiseConv2d, separableConv2d, batchNormalization, dense, dropout, maxPooling2d, averagePooling2d, globalAveragePooling2d, globalMaxPooling2d, flatten, activation, add, multiply, concatenate, zeroPadding2d' : ''),
  );
}

/**
 * The whole trusted check of a candidate, pure and fast: schema, shapes, output, cost,
 * descriptors and caps. Input is untrusted (parsed with the schema). Never throws on a bad
 * candidate: the failure (class 'invalid-artifact', 'unsupported-layer', 'shape', 'output' or
 * 'over-budget') is returned with a message naming the node and the fix.
 */
export function checkArchitecture(input: unknown, config: CheckConfig): CheckResult {
  const cfg = CheckConfig.parse(config);
  const parsed = Architecture.safeParse(input);
  if (!parsed.success) return { ok: false, failure: schemaFailure(parsed.error) };
  const arch = parsed.data;
  const inputNode = arch.nodes[0];
  if (cfg.inputShape && inputNode && inputNode.op === 'input' && fmtShape(inputNode.config.shape) !== fmtShape(cfg.inputShape)) {
    return {
      ok: false,
      failure: archFailure('shape', `input node "${inputNode.id}" has shape ${fmtShape(inputNode.config.shape)} but the data has shape ${fmtShape(cfg.inputShape)}; use tf.input({shape: inputShape})`),
    };
  }
  const inferred = inferShapes(arch);
  if (!inferred.ok) return inferred;
  const { shapes } = inferred;
  const out = shapes[arch.output] ?? [];
  if (out.length !== 1 || out[0] !== cfg.numClasses) {
    const node = nodeMap(arch).get(arch.output);
    const what = `output node "${arch.output}" (${node?.op}) produces shape ${fmtShape(out)} but the model must output a vector of ${cfg.numClasses} class scores`;
    const fix = out.length > 1
      ? 'add flatten or globalAveragePooling2d before the last dense layer'
      : `make the last layer a dense layer with ${cfg.numClasses} units (numClasses)`;
    return { ok: false, failure: archFailure('output', `${what}; ${fix}`) };
  }
  const cost = countCost(arch, shapes);
  const descriptors = computeDescriptors(arch, shapes, cost.flops);
  const over: string[] = [];
  if (cfg.maxParams !== undefined && cost.params > cfg.maxParams) over.push(`${cost.params} parameters (cap ${cfg.maxParams})`);
  if (cfg.maxFlops !== undefined && cost.flops > cfg.maxFlops) over.push(`${cost.flops} multiply-adds per example (cap ${cfg.maxFlops})`);
  if (cfg.maxActivationBytes !== undefined && cost.activationBytes > cfg.maxActivationBytes) {
    over.push(`${cost.activationBytes} activation bytes per example (cap ${cfg.maxActivationBytes})`);
  }
  if (over.length > 0) {
    const top = Object.entries(cost.nodes).sort((a, b) => b[1].params - a[1].params)[0];
    const hint = top ? `; the largest layer is "${top[0]}" with ${top[1].params} parameters and ${top[1].flops} multiply-adds` : '';
    return {
      ok: false,
      failure: archFailure('over-budget', `the network has ${over.join(', ')}${hint}; use fewer filters/units, more pooling or strides before flatten, or globalAveragePooling2d instead of flatten`),
    };
  }
  return {
    ok: true,
    arch,
    report: {
      shapes, params: cost.params, trainableParams: cost.trainableParams, flops: cost.flops,
      activationBytes: cost.activationBytes, peakActivationBytes: cost.peakActivationBytes, descriptors, cost,
    },
  };
}
