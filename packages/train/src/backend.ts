import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import { z } from 'zod';
import { registerAvgPoolSameGradient } from './avg-pool-gradient.ts';
import { registerBatchNormGradient } from './batch-norm-gradient.ts';
import { registerReduceGradients } from './reduce-gradients.ts';
import { registerWasmTrainingKernels, restoreWasmKernels, type WasmKernelOptions } from './wasm-kernels/index.ts';

/** The training backends, best first. */
export const BackendKind = z.enum(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
export type BackendKind = z.infer<typeof BackendKind>;

const ORDER: readonly BackendKind[] = BackendKind.options;

/** Options of `selectBackend` (parsed; defaults here). */
export const BackendOptions = z.object({
  /** Start the fallback chain here instead of at the best backend (it still falls back below it). */
  prefer: BackendKind.optional(),
  /** wasm threads; > 1 needs WebAssembly threads, which tfjs-backend-wasm does not enable in Node. */
  wasmThreads: z.number().int().positive().default(1),
  /** Which of the wasm training kernels to install (all by default). */
  wasmKernels: z.object({
    conv2dBackpropInput: z.boolean().optional(),
    maxPoolGrad: z.boolean().optional(),
    tile: z.boolean().optional(),
    matMul: z.boolean().optional(),
    identity: z.boolean().optional(),
    leadingReduce: z.boolean().optional(),
  }).strict().default({}),
});
export type BackendOptions = z.input<typeof BackendOptions>;

/** What `selectBackend` got, and why it did not get the better ones. */
export interface BackendSelection {
  kind: BackendKind;
  /** The tfjs backend name now active ('tensorflow', 'wasm' or 'cpu'). */
  tfBackend: string;
  /** wasm threads actually in use (1 for other backends). */
  threads: number;
  /** Better backends that were tried or passed over, each with the reason. */
  skipped: { kind: BackendKind; reason: string }[];
  /** Notes on the chosen one (e.g. threads requested but unavailable). */
  notes: string[];
  /** Kernels this package installed on the chosen backend. */
  kernels: string[];
}

/** How a native binding is loaded; injectable so a test can stand in for an installed one. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

const defaultImporter: ModuleImporter = (specifier) => import(specifier);

const NATIVE: Partial<Record<BackendKind, string>> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

function describe(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0]?.slice(0, 300) ?? msg;
}

/** Points the wasm backend at the .wasm files of the installed package (no fetch in Node). */
export function configureWasmPaths(): string {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  setWasmPaths({
    'tfjs-backend-wasm.wasm': path.join(dir, 'tfjs-backend-wasm.wasm'),
    'tfjs-backend-wasm-simd.wasm': path.join(dir, 'tfjs-backend-wasm-simd.wasm'),
    'tfjs-backend-wasm-threaded-simd.wasm': path.join(dir, 'tfjs-backend-wasm-threaded-simd.wasm'),
  });
  return dir;
}

/**
 * Keeps tfjs's cpu backend from printing "Hi, looks like you are running TensorFlow.js in Node.js…"
 * (once per process, and again after every engine reset). The condition, in tfjs-backend-cpu 4.22's
 * MathBackendCPU.write(): the instance's `firstUse` flag is still set and the IS_NODE flag is true
 * (then log.warn prints unless IS_TEST or PROD). Clearing IS_NODE would break Node's platform
 * detection, and PROD or IS_TEST would hide every other tfjs warning too; so the instance is marked
 * as used. Creates the cpu backend instance if there is none yet (cheap; it stays inactive).
 */
export function silenceCpuBackendBanner(): void {
  const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu !== null && typeof cpu.firstUse === 'boolean') cpu.firstUse = false;
}

async function smokeTest(): Promise<void> {
  const t = tf.tidy(() => tf.sum(tf.mul(tf.ones([2, 2]), 2)));
  const v = (await t.data())[0];
  t.dispose();
  if (v !== 8) throw new Error(`backend computed 2·ones(2,2).sum() = ${v}`);
}

async function tryNative(kind: BackendKind, importer: ModuleImporter): Promise<string> {
  const specifier = NATIVE[kind] as string;
  await importer(specifier); // registers the 'tensorflow' backend as a side effect
  if (tf.findBackendFactory('tensorflow') === null) throw new Error(`${specifier} loaded but registered no 'tensorflow' backend`);
  if (!(await tf.setBackend('tensorflow'))) throw new Error(`the 'tensorflow' backend from ${specifier} failed to initialise`);
  await smokeTest();
  return 'tensorflow';
}

let lastWasmKernels: WasmKernelOptions = {};

/** True when the active backend still computes (a wasm abort leaves it dead). */
export function backendHealthy(): boolean {
  try {
    return tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)).dataSync()[0]) === 2;
  } catch {
    return false;
  }
}

/**
 * Brings the wasm backend back after the wasm module aborted (e.g. XNNPACK out of memory): every
 * later call would fail and be mistaken for a failure of the next candidate. Resets the engine
 * (all tensors are gone: call between candidates), starts a fresh wasm module with wasm's own
 * kernels set up, then re-installs ours. Throws if the backend cannot be brought back.
 */
export async function recoverWasmBackend(): Promise<void> {
  restoreWasmKernels();
  try {
    tf.engine().reset();
  } catch {
    // reset() disposes tensors and the backend first, which throws on the dead module and
    // leaves it registered; drop it and the engine state by hand (tfjs-core 4.22's fields).
    const engine = tf.engine() as unknown as {
      registry: Record<string, unknown>; state: object; backendName: string | null; backendInstance: unknown; pendingBackendInit: unknown;
    };
    delete engine.registry.wasm;
    engine.state = new (engine.state.constructor as new () => object)();
    engine.backendName = null;
    engine.backendInstance = null;
    engine.pendingBackendInit = null;
  }
  silenceCpuBackendBanner();
  configureWasmPaths();
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend could not be restarted');
  registerWasmTrainingKernels(lastWasmKernels);
  registerAvgPoolSameGradient();
  try {
    tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)).dataSync());
  } catch (e) {
    throw new Error(`the restarted wasm backend does not compute: ${(e as Error).message}`);
  }
}

/**
 * Activates the best usable tfjs backend: tfjs-node-gpu → tfjs-node → wasm → cpu, starting at
 * `prefer` when given. Native bindings are dynamic imports (they are optional dependencies,
 * absent where their install could not download libtensorflow). On wasm it installs this
 * package's training kernels; on every backend the corrected AvgPool gradient, the leaner
 * BatchNorm gradient and Sum / Mean gradients without a JS-side `ones`. Keeps tfjs's "install our node backend" banner from printing. Never
 * throws while a fallback remains; the cpu backend always works.
 */
export async function selectBackend(options: BackendOptions = {}, importer: ModuleImporter = defaultImporter): Promise<BackendSelection> {
  const opts = BackendOptions.parse(options);
  const start = opts.prefer ? ORDER.indexOf(opts.prefer) : 0;
  const skipped: BackendSelection['skipped'] = ORDER.slice(0, start).map((kind) => ({ kind, reason: `prefer=${opts.prefer} starts below it` }));
  silenceCpuBackendBanner();
  const gradients = [...registerAvgPoolSameGradient(), ...registerBatchNormGradient(), ...registerReduceGradients()];
  for (const kind of ORDER.slice(start)) {
    try {
      if (kind === 'tensorflow-gpu' || kind === 'tensorflow') {
        const tfBackend = await tryNative(kind, importer);
        return { kind, tfBackend, threads: 1, skipped, notes: [], kernels: gradients };
      }
      if (kind === 'wasm') {
        const notes: string[] = [];
        configureWasmPaths();
        // tfjs-backend-wasm disables its threaded build in Node (tfjs#3830: its pthread
        // workers are blob URLs, which Node's Worker rejects), so more threads cannot be had here.
        if (opts.wasmThreads > 1 && !(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'))) {
          notes.push(`wasmThreads=${opts.wasmThreads} requested, but WebAssembly threads are unavailable in this runtime; using 1`);
        }
        if (tf.getBackend() !== 'wasm') setThreadsCount(opts.wasmThreads);
        if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend failed to initialise');
        await smokeTest();
        const kernels = registerWasmTrainingKernels(opts.wasmKernels as WasmKernelOptions);
        lastWasmKernels = opts.wasmKernels as WasmKernelOptions;
        if (!(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'))) notes.push('no WebAssembly SIMD: using the slower scalar build');
        return { kind, tfBackend: 'wasm', threads: getThreadsCount(), skipped, notes, kernels: [...gradients, ...kernels] };
      }
      if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend failed to initialise');
      await smokeTest();
      return { kind, tfBackend: 'cpu', threads: 1, skipped, notes: [], kernels: gradients };
    } catch (e) {
      skipped.push({ kind, reason: describe(e) });
    }
  }
  throw new Error(`no tfjs backend could be initialised: ${skipped.map((s) => `${s.kind}: ${s.reason}`).join('; ')}`);
}
