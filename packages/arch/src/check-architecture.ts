import { z } from 'zod';
import { formatZodError, type Failure } from '@nasfleet/contracts';
import { Architecture, MAX_NODES } from './arch-schema.ts';
import { archFailure, fmtShape } from './arch-failure.ts';
import { BYTES_PER_ELEMENT, countCost, type CostReport, type NodeCost } from './count-cost.ts';
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

function schemaFailure(error: z.ZodError, input: unknown): Failure {
  const tooMany = error.issues.some((i) => i.code === 'too_big' && i.path.length === 1 && i.path[0] === 'nodes');
  if (tooMany) {
    const n = (input as { nodes?: unknown[] }).nodes?.length ?? 0;
    return archFailure('over-budget', `the network has ${n} nodes, over the cap of ${MAX_NODES} (the input included); use fewer, wider layers`);
  }
  const issues = formatZodError(error, { max: 8 });
  const badOp = error.issues.some((i) => i.path.at(-1) === 'op');
  return archFailure(
    badOp ? 'unsupported-layer' : 'invalid-artifact',
    `the architecture description is not valid: ${issues}` +
      (badOp ? '; supported layers: conv2d, depthwiseConv2d, separableConv2d, batchNormalization, dense, dropout, maxPooling2d, averagePooling2d, globalAveragePooling2d, globalMaxPooling2d, flatten, activation, add, multiply, concatenate, zeroPadding2d' : ''),
  );
}

/** The live node (the input aside) with the largest `measure`, the first such in order; null when there is none. */
function largest(arch: Architecture, cost: CostReport, measure: (c: NodeCost) => number): [string, NodeCost] | null {
  let best: [string, NodeCost] | null = null;
  for (const n of arch.nodes) {
    const c = cost.nodes[n.id];
    if (n.op === 'input' || c === undefined) continue;
    if (best === null || measure(c) > measure(best[1])) best = [n.id, c];
  }
  return best;
}

/**
 * 'over-budget' when a cap is passed, naming for each cap passed the node that weighs most on it:
 * the most parameters, the most multiply-adds, the largest activation (output). Null within the caps.
 */
function budgetFailure(arch: Architecture, shapes: Record<string, Shape>, cost: CostReport, cfg: z.output<typeof CheckConfig>): Failure | null {
  const over: string[] = [];
  const fixes = new Set<string>();
  if (cfg.maxParams !== undefined && cost.params > cfg.maxParams) {
    const top = largest(arch, cost, (c) => c.params);
    over.push(`${cost.params} parameters (cap ${cfg.maxParams}${top ? `; most in "${top[0]}" with ${top[1].params} parameters` : ''})`);
    fixes.add('fewer filters/units').add('more pooling or strides before flatten, or globalAveragePooling2d instead of flatten');
  }
  if (cfg.maxFlops !== undefined && cost.flops > cfg.maxFlops) {
    const top = largest(arch, cost, (c) => c.flops);
    over.push(`${cost.flops} multiply-adds per example (cap ${cfg.maxFlops}${top ? `; most in "${top[0]}" with ${top[1].flops} multiply-adds` : ''})`);
    fixes.add('fewer filters/units').add('strides or pooling earlier, so that the convolutions run on smaller images');
  }
  if (cfg.maxActivationBytes !== undefined && cost.activationBytes > cfg.maxActivationBytes) {
    const top = largest(arch, cost, (c) => c.outputElements);
    const size = top ? `; the largest activation is the output of "${top[0]}", ${fmtShape(shapes[top[0]] ?? [])} = ${top[1].outputElements * BYTES_PER_ELEMENT} bytes` : '';
    over.push(`${cost.activationBytes} activation bytes per example (cap ${cfg.maxActivationBytes}${size})`);
    fixes.add('strides or pooling earlier, so that the convolutions run on smaller images').add('fewer filters at full resolution');
  }
  if (over.length === 0) return null;
  return archFailure('over-budget', `the network has ${over.join(', ')}; use ${[...fixes].join('; ')}`);
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
  if (!parsed.success) return { ok: false, failure: schemaFailure(parsed.error, input) };
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
  const budget = budgetFailure(arch, shapes, cost, cfg);
  if (budget !== null) return { ok: false, failure: budget };
  return {
    ok: true,
    arch,
    report: {
      shapes, params: cost.params, trainableParams: cost.trainableParams, flops: cost.flops,
      activationBytes: cost.activationBytes, peakActivationBytes: cost.peakActivationBytes, descriptors, cost,
    },
  };
}
