/**
 * Benchmark (not a test): training images/s of the TF.js path this machine has (wasm with our
 * training kernels; tfjs-node(-gpu) when installed) for a small CNN and a ResNet-ish net on 32×32×3
 * and 28×28×1 inputs, batch 128, next to PyTorch on CPU (Debian's python3-torch) training the same
 * networks, built from the same architecture descriptions, with the same thread count, in the same
 * run; then the memory of 100 candidates trained in one process.
 *
 *   npm run bench:train -- [--images 1024] [--candidates 100] [--python /usr/bin/python3]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import type { Architecture } from '@nasfleet/arch';
import { Rng } from '@nasfleet/search';
import { selectBackend, smallResNet, trainProxy, twoConvNet } from '@nasfleet/train';
import type { ImageDataset } from '@nasfleet/train';

const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '1024' },
    candidates: { type: 'string', default: '100' },
    python: { type: 'string', default: '/usr/bin/python3' },
    prefer: { type: 'string' },
  },
});
const images = Number(values.images);
const candidates = Number(values.candidates);
if (!(images >= 128) || !(candidates >= 1)) throw new Error('--images must be ≥ 128 and --candidates ≥ 1');

function randomDataset(shape: [number, number, number], n: number, seed: number): ImageDataset {
  const rng = Rng.fromSeed(seed);
  const size = shape[0] * shape[1] * shape[2];
  const split = (count: number) => ({
    images: Uint8Array.from({ length: count * size }, () => rng.int(0, 255)),
    labels: Uint8Array.from({ length: count }, () => rng.int(0, 9)),
    count,
  });
  return { name: `random-${shape.join('x')}`, inputShape: shape, numClasses: 10, train: split(n), test: split(10) };
}

const backend = await selectBackend(values.prefer ? { prefer: values.prefer as 'wasm' | 'cpu' } : {});
console.log(`TF.js backend: ${backend.kind} (${backend.threads} thread${backend.threads > 1 ? 's' : ''}); kernels: ${backend.kernels.join(', ') || 'none'}`);
for (const s of backend.skipped) console.log(`  skipped ${s.kind}: ${s.reason.split('\n')[0]}`);

const shapes: [string, [number, number, number]][] = [['32x32x3', [32, 32, 3]], ['28x28x1', [28, 28, 1]]];
const nets: [string, (shape: [number, number, number], classes: number) => Architecture][] = [['small CNN (2 conv)', twoConvNet], ['ResNet-ish', smallResNet]];
const cases = shapes.flatMap(([shapeName, shape]) => nets.map(([netName, make]) => ({ name: `${netName} ${shapeName}`, shape, arch: make(shape, 10) })));

const tfjs: Record<string, number> = {};
for (const c of cases) {
  const data = randomDataset(c.shape, images, 1);
  await trainProxy(c.arch, data, { trainSubset: 128, testSubset: 10, augment: false }); // warm-up: kernel setup, first allocations
  const r = await trainProxy(c.arch, data, { trainSubset: images, testSubset: 10, augment: false });
  if (r.outcome.status !== 'ok') throw new Error(`${c.name}: ${r.outcome.failure.message}`);
  tfjs[c.name] = r.metrics.imagesPerSec ?? NaN;
}

let torch: { torch: string; results: { name: string; imagesPerSec: number }[] } | null = null;
const script = fileURLToPath(new URL('./torch_throughput.py', import.meta.url));
try {
  const input = JSON.stringify({ threads: backend.threads, batch: 128, steps: Math.max(4, Math.floor(images / 128)), warmup: 2, nets: cases.map((c) => ({ name: c.name, inputShape: c.shape, numClasses: 10, arch: c.arch })) });
  torch = JSON.parse(execFileSync(values.python, [script], { input, encoding: 'utf8', maxBuffer: 1 << 20 }));
} catch (error) {
  console.log(`PyTorch side not run (${(error as Error).message.split('\n')[0]}); install Debian's python3-torch`);
}

console.log(`\ntraining images/s, batch 128, ${images} images per net, ${backend.threads} thread(s) on both sides${torch ? `, PyTorch ${torch.torch}` : ''}`);
console.log(`${'network'.padEnd(28)} ${'TF.js ' + backend.kind}`.padEnd(48) + ' PyTorch CPU      ratio');
for (const c of cases) {
  const t = torch?.results.find((r) => r.name === c.name)?.imagesPerSec;
  console.log(`${c.name.padEnd(28)} ${tfjs[c.name]!.toFixed(0).padStart(12)}        ${t ? t.toFixed(0).padStart(8) : '     n/a'}    ${t ? (tfjs[c.name]! / t).toFixed(2) : 'n/a'}`);
}
if (torch) {
  const small = torch.results.find((r) => r.name === 'small CNN (2 conv) 32x32x3')!.imagesPerSec;
  const ratio = tfjs['small CNN (2 conv) 32x32x3']! / small;
  console.log(`${ratio >= 0.5 ? 'PASS' : 'FAIL'} small CNN 32x32x3 ratio TF.js/PyTorch = ${ratio.toFixed(2)} (target ≥ 0.5)`);
}

// Memory: many candidates in one process must leave no tensors and no growing heap behind.
const data = randomDataset([28, 28, 1], 256, 2);
const tensorsBefore = tf.memory().numTensors;
let rssAfterWarmup = 0;
const started = performance.now();
for (let i = 0; i < candidates; i++) {
  const arch = i % 2 ? twoConvNet([28, 28, 1], 10, 4 + (i % 5)) : smallResNet([28, 28, 1], 10, 4 + (i % 3));
  await trainProxy(arch, data, { trainSubset: 128, testSubset: 10, batchSize: 64, augment: false, seed: i });
  if (i === 9) rssAfterWarmup = process.memoryUsage().rss;
}
const rssEnd = process.memoryUsage().rss;
console.log(`\nmemory over ${candidates} candidates in one process: tensors ${tensorsBefore} → ${tf.memory().numTensors}, RSS after 10: ${(rssAfterWarmup / 2 ** 20).toFixed(0)} MiB, after ${candidates}: ${(rssEnd / 2 ** 20).toFixed(0)} MiB (${((performance.now() - started) / 1000).toFixed(0)} s)`);
console.log(`${tf.memory().numTensors === tensorsBefore ? 'PASS' : 'FAIL'} no tensor leaked; ${rssEnd - rssAfterWarmup < 64 * 2 ** 20 ? 'PASS' : 'FAIL'} RSS grew ${((rssEnd - rssAfterWarmup) / 2 ** 20).toFixed(0)} MiB after warm-up (limit 64 MiB)`);
