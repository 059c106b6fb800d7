import type { Rng } from '@nasfleet/contracts';
import type { Architecture } from './arch-schema.ts';
import { checkArchitecture } from './check-architecture.ts';
import type { EditContext } from './edit-architecture.ts';
import { ArchBuilder, layer } from './layers.ts';

/**
 * SPEC §1's tiny seed network: one 1x1 conv with 1 output channel (ReLU) → flatten → dense 1024
 * (ReLU) → dense numClasses (softmax). For inputs that are not images the conv is left out.
 */
export function initialArchitecture(ctx: Pick<EditContext, 'inputShape' | 'numClasses'>): Architecture {
  const b = new ArchBuilder(ctx.inputShape);
  let x = 'input';
  if (ctx.inputShape.length === 3) x = b.push('conv', (id) => layer.conv2d(id, x, 1, 1, { padding: 'valid' }));
  if (ctx.inputShape.length > 1) x = b.push('flatten', (id) => layer.flatten(id, x));
  x = b.push('dense', (id) => layer.dense(id, x, 1024));
  const out = b.push('dense', (id) => layer.dense(id, x, ctx.numClasses, 'softmax'));
  return b.build(out);
}

function drawOnce(rng: Rng, ctx: EditContext, scale: number): Architecture {
  const b = new ArchBuilder(ctx.inputShape);
  let x = 'input';
  if (ctx.inputShape.length === 3) {
    const [h, w] = ctx.inputShape as [number, number, number];
    const maxStages = Math.max(0, Math.floor(Math.log2(Math.min(h, w))) - 1);
    const stages = rng.int(Math.min(1, maxStages), Math.min(3, maxStages));
    let filters = Math.max(4, Math.round(rng.pick([8, 16, 32]) * scale));
    for (let s = 0; s < stages; s++) {
      let stageIn: string | null = null;
      const convs = rng.int(1, 3);
      for (let c = 0; c < convs; c++) {
        const k = rng.pick([3, 3, 3, 1, 5]);
        const bn = rng.chance(0.4);
        const src = x;
        x = b.push('conv', (id) => layer.conv2d(id, src, filters, k, { activation: bn ? 'linear' : rng.pick(['relu', 'relu', 'elu', 'swish']) }));
        if (bn) {
          const conv = x;
          x = b.push('bn', (id) => layer.batchNorm(id, conv));
          const norm = x;
          x = b.push('act', (id) => layer.activation(id, norm, 'relu'));
        }
        if (c === 0) stageIn = x;
      }
      if (convs > 1 && stageIn !== null && rng.chance(0.35)) {
        const ins = [x, stageIn];
        x = b.push('add', (id) => layer.add(id, ins));
      }
      const src = x;
      x = b.push('pool', (id) => layer.pool(id, src, rng.chance(0.7) ? 'max' : 'avg'));
      filters *= 2;
    }
    const src = x;
    x = rng.chance(0.5) ? b.push('gap', (id) => layer.gap(id, src)) : b.push('flatten', (id) => layer.flatten(id, src));
  } else if (ctx.inputShape.length === 2) {
    x = b.push('flatten', (id) => layer.flatten(id, 'input'));
  }
  const hidden = rng.int(0, 2);
  for (let i = 0; i < hidden; i++) {
    const src = x;
    const units = Math.max(8, Math.round(rng.pick([64, 128, 256, 512]) * scale));
    x = b.push('dense', (id) => layer.dense(id, src, units));
    if (rng.chance(0.3)) {
      const d = x;
      x = b.push('dropout', (id) => layer.dropout(id, d, rng.pick([0.2, 0.3, 0.5])));
    }
  }
  const src = x;
  return b.build(b.push('dense', (id) => layer.dense(id, src, ctx.numClasses, 'softmax')));
}

/**
 * A random, checked-valid network for the context (random-search baseline and exploration):
 * conv stages (1–3 convs, optional batch norm and residual, then pooling) → flatten or global
 * pooling → 0–2 dense layers → dense numClasses. Redrawn smaller while over the caps; falls back
 * to `initialArchitecture` when nothing fits.
 */
export function randomArchitecture(rng: Rng, ctx: EditContext): Architecture {
  for (let i = 0; i < 10; i++) {
    const arch = drawOnce(rng, ctx, 0.7 ** i);
    if (checkArchitecture(arch, ctx).ok) return arch;
  }
  return initialArchitecture(ctx);
}
