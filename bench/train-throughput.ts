/**
 * Benchmark (not a test): training images/s of the TF.js path this machine has (wasm with our
 * training kernels; tfjs-node(-gpu) when installed) for a small CNN and a ResNet-ish net on 32×32×3
 * and 28×28×1 inputs, batch 128, next to PyTorch on CPU training the same networks, built from the
 * same architecture descriptions, with the same thread count, the way a user would run it
 * (bench/torch_throughput.py: OpenBLAS, the faster of channels_last and NCHW, padding inside the
 * convolution, glibc malloc that keeps freed buffers); then the memory of 100 candidates trained
 * in one process.
 *
 * Rates are by wall clock and by process CPU time: on a shared machine other processes stretch
 * the wall clock, not the CPU time. Each figure is the median of `--repeats` runs, TF.js and
 * PyTorch interleaved. On wasm, TF.js runs twice per repeat: without this package's newer fast
 * paths (Identity / Cast without a copy, one-pass leading-axes Sum / Mean, Sum / Mean gradients
 * without a JS-side ones tensor: "before") and with them.
 *
 *   npm run bench:train -- [--images 1024] [--repeats 3] [--candidates 100] [--python /usr/bin/python3] [--prefer wasm]
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import type { Architecture } from '@nasfleet/arch';
import { Rng } from '@nasfleet/contracts';
import { BackendKind, restoreReduceGradients, selectBackend, smallResNet, trainProxy, twoConvNet } from '@nasfleet/train';
import type { BackendOptions, ImageDataset } from '@nasfleet/train';

const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '1024' },
    repeats: { type: 'string', default: '3' },
    candidates: { type: 'string', default: '100' },
    python: { type: 'string', default: '/usr/bin/python3' },
    prefer: { type: 'string' },
  },
});
const images = Number(values.images);
const repeats = Number(values.repeats);
const candidates = Number(values.candidates);
if (!(images >= 256) || images % 128 !== 0) throw new Error(`--images must be a multiple of 128 and ≥ 256, got ${values.images}`);
if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`--repeats must be a positive integer, got ${values.repeats}`);
if (!Number.isInteger(candidates) || candidates < 1) throw new Error(`--candidates must be a positive integer, got ${values.candidates}`);
const prefer = values.prefer === undefined ? undefined : BackendKind.parse(values.prefer);

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

const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

const backend = await selectBackend(prefer ? { prefer } : {});
console.log(`TF.js backend: ${backend.kind} (${backend.threads} thread${backend.threads > 1 ? 's' : ''}); kernels: ${backend.kernels.join(', ') || 'none'}`);
for (const s of backend.skipped) console.log(`  skipped ${s.kind}: ${s.reason.split('\n')[0]}`);
console.log(`load average at start: ${load()} (${cpus().length} CPUs)`);

const shapes: [string, [number, number, number]][] = [['32x32x3', [32, 32, 3]], ['28x28x1', [28, 28, 1]]];
const nets: [string, (shape: [number, number, number], classes: number) => Architecture][] = [['small CNN (2 conv)', twoConvNet], ['ResNet-ish', smallResNet]];
const cases = shapes.flatMap(([shapeName, shape]) => nets.map(([netName, make]) => ({ name: `${netName} ${shapeName}`, shape, arch: make(shape, 10), data: randomDataset(shape, images, 1) })));

// "before": the wasm kernels and gradients as they were before the Identity / Cast / Sum / Mean fast paths.
const variants: { name: string; options: BackendOptions; before?: boolean }[] = backend.kind === 'wasm'
  ? [{ name: 'before', options: { prefer: 'wasm', wasmKernels: { identity: false, leadingReduce: false } }, before: true }, { name: 'now', options: { prefer: 'wasm' } }]
  : [{ name: 'now', options: { prefer: backend.kind } }];

interface Rate { wall: number; cpu: number }
type Samples = Record<string, { wall: number[]; cpu: number[] }>;
const push = (samples: Samples, key: string, r: Rate) => {
  const s = (samples[key] ??= { wall: [], cpu: [] });
  s.wall.push(r.wall);
  s.cpu.push(r.cpu);
};

/** TF.js images/s: wall over the training steps (trainProxy's own figure); CPU as (n-step run − 1-step run) / (n − 1) steps, which cancels building, evaluation and setup. */
async function tfjsRate(c: (typeof cases)[number]): Promise<Rate> {
  const run = async (n: number) => {
    const c0 = cpuSeconds();
    const r = await trainProxy(c.arch, c.data, { trainSubset: n, testSubset: 10, augment: false });
    if (r.outcome.status !== 'ok') throw new Error(`${c.name}: ${r.outcome.failure.message}`);
    return { cpu: cpuSeconds() - c0, wallRate: r.metrics.imagesPerSec ?? NaN };
  };
  await run(128); // warm-up: kernel setup, first allocations
  const one = await run(128);
  const full = await run(images);
  return { wall: full.wallRate, cpu: (images - 128) / Math.max(full.cpu - one.cpu, 1e-9) };
}

interface TorchReport {
  torch: string;
  threads: number;
  blas: { name: string; path: string; fair: boolean; note: string };
  malloc: string;
  results: { name: string; memoryFormat: string; imagesPerSecWall: number; imagesPerSecCpu: number; byFormat: Record<string, Rate> }[];
}
const script = fileURLToPath(new URL('./torch_throughput.py', import.meta.url));
function torchRun(): TorchReport {
  const input = JSON.stringify({ threads: backend.threads, batch: 128, steps: images / 128, warmup: 2, nets: cases.map((c) => ({ name: c.name, inputShape: c.shape, numClasses: 10, arch: c.arch })) });
  // Read at process start (the script re-runs itself without them): OpenBLAS / OpenMP threads, and
  // glibc malloc kept from handing activation buffers back to the kernel every step (3-7x here).
  const env = {
    ...process.env, OPENBLAS_NUM_THREADS: String(backend.threads), OMP_NUM_THREADS: String(backend.threads),
    MALLOC_MMAP_THRESHOLD_: String(32 << 20), MALLOC_TRIM_THRESHOLD_: String(256 << 20),
  };
  return JSON.parse(execFileSync(values.python, [script], { input, env, encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['pipe', 'pipe', 'inherit'] })) as TorchReport;
}

const samples: Samples = {};
let torch: TorchReport | null = null;
let torchError = '';
for (let rep = 0; rep < repeats; rep++) {
  for (const c of cases) {
    for (const v of variants) {
      await selectBackend(v.options); // (re)installs every kernel and gradient of this package
      if (v.before) restoreReduceGradients();
      push(samples, `${v.name}|${c.name}`, await tfjsRate(c));
    }
  }
  if (torchError) continue;
  try {
    torch = torchRun();
    for (const r of torch.results) {
      push(samples, `torch|${r.name}`, { wall: r.imagesPerSecWall, cpu: r.imagesPerSecCpu });
      for (const [format, rate] of Object.entries(r.byFormat)) push(samples, `torch ${format}|${r.name}`, rate);
    }
  } catch (error) {
    torchError = (error as Error).message.split('\n')[0] ?? String(error);
    console.log(`PyTorch side not run (${torchError}); install Debian's python3-torch and run with --python /usr/bin/python3`);
  }
}
await selectBackend(prefer ? { prefer } : {});

const fmt = (x: number | undefined, w = 7) => (x === undefined || !Number.isFinite(x) ? 'n/a' : x >= 100 ? x.toFixed(0) : x.toFixed(2)).padStart(w);
const med = (key: string) => {
  const s = samples[key];
  return s ? { wall: median(s.wall), cpu: median(s.cpu) } : undefined;
};
console.log(`\nload average at the end: ${load()}`);
if (torch) {
  const b = torch.blas;
  console.log(`PyTorch ${torch.torch}, ${torch.threads} thread(s), BLAS: ${b.name} (${b.path || 'none mapped'}), ${torch.malloc}, conv padding, weight decay on kernels only${b.fair ? '' : ` — NOT FAIR: ${b.note}`}`);
  const formats = (name: string) => ['channels_last', 'contiguous'].map((f) => `${f} ${fmt(med(`torch ${f}|${name}`)?.cpu, 0).trim()}`).join(', ');
  console.log('PyTorch memory format: the faster by CPU time per network (img/s by CPU time, medians):');
  for (const c of cases) console.log(`  ${c.name.padEnd(28)}${formats(c.name)}`);
}
console.log(`training images/s, batch 128, ${images} images per net, ${backend.threads} thread(s) on both sides, median of ${repeats} interleaved runs; wall clock / process CPU time`);
const cols = [...variants.map((v) => `TF.js ${v.name}`), 'PyTorch', ...variants.map((v) => `ratio ${v.name}`)];
console.log(`${'network'.padEnd(28)}${cols.map((c) => c.padStart(17)).join('')}`);
for (const c of cases) {
  const t = med(`torch|${c.name}`);
  const js = variants.map((v) => med(`${v.name}|${c.name}`));
  const ratio = (r: Rate | undefined) => (r && t ? { wall: r.wall / t.wall, cpu: r.cpu / t.cpu } : undefined);
  const cells = [...js, t, ...js.map(ratio)].map((r) => `${fmt(r?.wall)} /${fmt(r?.cpu)}`);
  console.log(`${c.name.padEnd(28)}${cells.map((x) => x.padStart(17)).join('')}`);
}
if (torch) {
  const key = 'small CNN (2 conv) 32x32x3';
  const now = med(`now|${key}`)!;
  const t = med(`torch|${key}`)!;
  const ratio = now.cpu / t.cpu;
  const label = torch.blas.fair ? 'fair' : 'NOT fair (PyTorch on the reference BLAS)';
  console.log(`${ratio >= 0.5 ? 'PASS' : 'FAIL'} small CNN 32x32x3 ratio TF.js/PyTorch by CPU time = ${ratio.toFixed(2)} (target ≥ 0.5; ${label})`);
}

// Memory: many candidates in one process must leave no tensors and no growing heap behind.
const data = randomDataset([28, 28, 1], 256, 2);
const tensorsBefore = tf.memory().numTensors;
let rssAfterWarmup = 0;
const started = performance.now();
for (let i = 0; i < candidates; i++) {
  const arch = i % 2 ? twoConvNet([28, 28, 1], 10, 4 + (i % 5)) : smallResNet([28, 28, 1], 10, 4 + (i % 3));
  await trainProxy(arch, data, { trainSubset: 128, testSubset: 10, batchSize: 64, augment: false, seed: i });
  if (i === Math.min(9, candidates - 1)) rssAfterWarmup = process.memoryUsage().rss;
}
const rssEnd = process.memoryUsage().rss;
console.log(`\nmemory over ${candidates} candidates in one process: tensors ${tensorsBefore} → ${tf.memory().numTensors}, RSS after 10: ${(rssAfterWarmup / 2 ** 20).toFixed(0)} MiB, after ${candidates}: ${(rssEnd / 2 ** 20).toFixed(0)} MiB (${((performance.now() - started) / 1000).toFixed(0)} s)`);
console.log(`${tf.memory().numTensors === tensorsBefore ? 'PASS' : 'FAIL'} no tensor leaked; ${rssEnd - rssAfterWarmup < 64 * 2 ** 20 ? 'PASS' : 'FAIL'} RSS grew ${((rssEnd - rssAfterWarmup) / 2 ** 20).toFixed(0)} MiB after warm-up (limit 64 MiB)`);
