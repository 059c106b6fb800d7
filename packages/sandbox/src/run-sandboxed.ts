import { runInQuickJS, type SandboxResult } from './run-in-quickjs.ts';
import { createSandboxPool, type SandboxPool } from './sandbox-pool.ts';
import { parseSandboxOptions, type SandboxOptions } from './sandbox-options.ts';
import { sizeCapFailure } from './size-caps.ts';

export type { SandboxResult } from './run-in-quickjs.ts';

let shared: SandboxPool | null = null;

/** The process's shared sandbox pool (default options), created on first use; idle, it keeps nothing alive. */
export function defaultSandboxPool(): SandboxPool {
  shared ??= createSandboxPool();
  return shared;
}

/** Closes the shared pool, if any (graceful shutdown); a later run starts a new one. */
export async function closeDefaultSandboxPool(): Promise<void> {
  const pool = shared;
  shared = null;
  await pool?.close();
}

/**
 * Runs untrusted `code` (which must define `buildModel(tf, inputShape, numClasses)`) in a fresh QuickJS
 * runtime against the recording tf stand-in, in a worker of `pool` (default: the shared pool) under a
 * hard deadline, and returns the validated architecture or a classified failure. Code over
 * `maxCodeBytes` fails 'too-large' before anything runs. Never throws for anything the code does;
 * throws `SandboxOptionsError` for bad options and `SandboxUnavailableError` when no engine can run.
 */
export async function runSandboxed(code: string, options: SandboxOptions, pool?: SandboxPool): Promise<SandboxResult> {
  const opts = parseSandboxOptions(options);
  const tooLarge = sizeCapFailure('code', code, opts.maxCodeBytes);
  if (tooLarge) return { ok: false, failure: tooLarge };
  return (pool ?? defaultSandboxPool()).run(code, opts);
}

/**
 * `runSandboxed` in this thread, without a worker: the same checks and result, but only the interrupt
 * handler limits time, so a built-in that never returns blocks the caller. For comparison benchmarks
 * and for code that is already inside a worker.
 */
export async function runSandboxedInProcess(code: string, options: SandboxOptions): Promise<SandboxResult> {
  const opts = parseSandboxOptions(options);
  const tooLarge = sizeCapFailure('code', code, opts.maxCodeBytes);
  if (tooLarge) return { ok: false, failure: tooLarge };
  return (await runInQuickJS(code, opts)).result;
}
