/**
 * Where a training step's time goes on the wasm backend: wraps every registered wasm kernel
 * with a process-CPU-time timer (exclusive, so a composed kernel does not count the kernels it
 * calls; CPU time, so other processes on a busy machine do not inflate it) and trains the
 * ResNet-ish fixture for a few steps. Not a test; prints a table.
 *
 *   npx tsx packages/train/scripts/profile-train-step.ts [--steps 4] [--batch 128] [--net resnet|cnn] [--baseline]
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '@nasfleet/contracts';
import { restoreReduceGradients, selectBackend, smallResNet, trainProxy, twoConvNet } from '../src/index.ts';
import type { ImageDataset } from '../src/index.ts';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '4' },
    batch: { type: 'string', default: '128' },
    net: { type: 'string', default: 'resnet' },
    baseline: { type: 'boolean', default: false },
  },
});
const steps = Number(values.steps);
const batch = Number(values.batch);
if (!(steps >= 1) || !(batch >= 1)) throw new Error('--steps and --batch must be positive integers');

// --baseline: without the Identity / Cast / Sum / Mean fast paths and the Sum / Mean gradients.
const off = { identity: false, leadingReduce: false };
const selection = await selectBackend({ prefer: 'wasm', wasmKernels: values.baseline ? off : {} });
if (values.baseline) restoreReduceGradients();
console.log(`kernels: ${selection.kernels.join(', ')}`);

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const totals = new Map<string, { ms: number; calls: number }>();
const stack: number[] = [];
for (const config of tf.getKernelsForBackend('wasm')) {
  const inner = config.kernelFunc;
  tf.unregisterKernel(config.kernelName, 'wasm');
  tf.registerKernel({
    ...config,
    kernelFunc: (args) => {
      const t0 = cpuMs();
      stack.push(0);
      try {
        return inner(args);
      } finally {
        const child = stack.pop() as number;
        const ms = cpuMs() - t0;
        if (stack.length > 0) stack[stack.length - 1]! += ms;
        const entry = totals.get(config.kernelName) ?? { ms: 0, calls: 0 };
        entry.ms += ms - child;
        entry.calls++;
        totals.set(config.kernelName, entry);
      }
    },
  });
}

const shape: [number, number, number] = [32, 32, 3];
const rng = Rng.fromSeed(1);
const n = batch * steps;
const data: ImageDataset = {
  name: 'random', inputShape: shape, numClasses: 10,
  train: { images: Uint8Array.from({ length: n * 32 * 32 * 3 }, () => rng.int(0, 255)), labels: Uint8Array.from({ length: n }, () => rng.int(0, 9)), count: n },
  test: { images: new Uint8Array(10 * 32 * 32 * 3), labels: new Uint8Array(10), count: 10 },
};
const arch = values.net === 'cnn' ? twoConvNet(shape, 10) : smallResNet(shape, 10);
await trainProxy(arch, data, { trainSubset: batch, testSubset: 10, batchSize: batch, augment: false }); // warm-up
totals.clear();
const cpu0 = cpuMs();
const r = await trainProxy(arch, data, { trainSubset: n, testSubset: 10, batchSize: batch, augment: false });
const cpuStep = (cpuMs() - cpu0) / steps;
const all = [...totals].sort((a, b) => b[1].ms - a[1].ms);
const sum = all.reduce((s, [, e]) => s + e.ms, 0);
console.log(`${values.net} 32x32x3, batch ${batch}: ${((n / (r.metrics.imagesPerSec ?? NaN)) * 1000 / steps).toFixed(0)} ms/step wall, ${cpuStep.toFixed(0)} ms/step CPU (incl. build + eval), kernels ${(sum / steps).toFixed(0)} ms/step CPU`);
for (const [name, e] of all.slice(0, 25)) console.log(`${name.padEnd(32)} ${(e.ms / steps).toFixed(1).padStart(8)} ms/step CPU ${(e.calls / steps).toFixed(1).padStart(7)} calls/step`);
