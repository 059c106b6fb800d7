import type { Failure } from '@nasfleet/contracts';
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten';
import { SandboxUnavailableError } from './errors.ts';
import { discardQuickJSModule, quickJSModule, RETIRE_WASM_BYTES, wasmMemoryCaps } from './quickjs-module.ts';
import type { ParsedSandboxOptions } from './sandbox-options.ts';
import { VM_PRELUDE } from './vm-source.ts';
import { readVmReport, type ReportResult } from './vm-report.ts';

/** An architecture recorded from the code, or why there is none. */
export type SandboxResult = ReportResult;

/** One run in this thread's engine: the result, and why the engine should not be reused (null: it may). */
export interface EngineRun {
  result: SandboxResult;
  retire: 'memory' | 'engine' | null;
  /** Size of the wasm memory after the run, bytes (it never shrinks: only dropping the module frees it). */
  heapBytes: number;
}

const POS = /answer\.js:(\d+):(\d+)/;
const TOO_LARGE: Failure = { class: 'too-large', message: 'the code is too large to compile in the sandbox' };

/** A syntax error found by compiling (not running) the code: the error object is pristine, safe to read. */
function syntaxFailure(ctx: QuickJSContext, error: QuickJSHandle): Failure {
  const e = ctx.dump(error) as { name?: unknown; message?: unknown; stack?: unknown } | null;
  const name = typeof e?.name === 'string' ? e.name : 'Error';
  const message = typeof e?.message === 'string' ? e.message : String(e);
  if (name === 'InternalError' && message === 'out of memory') return TOO_LARGE;
  const pos = typeof e?.stack === 'string' ? POS.exec(e.stack) : null;
  const at = pos ? ` at line ${pos[1]}, column ${pos[2]}` : '';
  return { class: 'syntax', message: `${name}: ${message}${at}`.slice(0, 3900) };
}

/**
 * Runs `code` (already size-checked) in a fresh QuickJS runtime of this thread's capped wasm module,
 * against the recording tf stand-in. Never throws for anything the code does; throws
 * `SandboxUnavailableError` when the engine itself cannot run. The time limits are the interrupt
 * handler's (wall clock and `maxSteps`): a call that never reaches an interrupt check (a built-in
 * over a huge array-like) blocks this thread, which is why the pool runs this in a worker.
 */
export async function runInQuickJS(code: string, opts: ParsedSandboxOptions): Promise<EngineRun> {
  const caps = wasmMemoryCaps(opts.memoryBytes);
  const mod = await quickJSModule(caps.hardBytes);
  const memory = mod.getWasmMemory();
  let runtime;
  try {
    runtime = mod.newRuntime();
  } catch (err) {
    discardQuickJSModule();
    throw new SandboxUnavailableError(`cannot create a QuickJS runtime: ${String(err)}`);
  }
  let stop: 'timeout' | 'steps' | 'memory' | null = null;
  let steps = 0;
  const deadline = Date.now() + opts.timeoutMs;
  runtime.setMemoryLimit(opts.memoryBytes);
  runtime.setMaxStackSize(opts.stackBytes);
  runtime.setInterruptHandler(() => {
    steps += 1;
    if (stop === null) {
      // QuickJS's own limit does not bound the total (quickjs-emscripten #271): watch the wasm memory too.
      if (memory.buffer.byteLength > caps.softBytes) stop = 'memory';
      else if (opts.maxSteps !== undefined && steps > opts.maxSteps) stop = 'steps';
      else if (Date.now() > deadline) stop = 'timeout';
    }
    return stop !== null;
  });
  const stopped = (): Failure | null => {
    if (stop === 'memory') return { class: 'memory', message: `the code used more than ${caps.softBytes >> 20} MiB of sandbox memory (memory bomb?)` };
    if (stop === 'steps') return { class: 'timeout', message: `the code ran past the ${opts.maxSteps} step limit (endless loop?)` };
    if (stop === 'timeout') return { class: 'timeout', message: `the code ran past the ${opts.timeoutMs} ms limit (endless loop?)` };
    return null;
  };
  const ctx = runtime.newContext();
  let engineBroken = false;
  let compiling = true;
  const run = (): SandboxResult => {
    const compiled = ctx.evalCode(code, 'answer.js', { compileOnly: true });
    if (compiled.error) {
      const failure = stopped() ?? syntaxFailure(ctx, compiled.error);
      compiled.error.dispose();
      return { ok: false, failure };
    }
    compiled.value.dispose();
    compiling = false;
    const prelude = ctx.evalCode(VM_PRELUDE, 'stand-in.js');
    if (prelude.error) {
      prelude.error.dispose();
      const failure = stopped();
      if (failure) return { ok: false, failure };
      throw new SandboxUnavailableError('the stand-in prelude failed to evaluate');
    }
    const args = [ctx.newString(code), ...opts.inputShape.map((n) => ctx.newNumber(n)), ctx.newNumber(opts.numClasses)];
    const result = ctx.callFunction(prelude.value, ctx.undefined, ...args);
    for (const a of args) a.dispose();
    prelude.value.dispose();
    if (result.error) {
      // Only uncatchable engine errors get here (the driver catches everything else); their objects are not read.
      result.error.dispose();
      return { ok: false, failure: stopped() ?? { class: 'memory', message: 'the sandbox stopped with an uncatchable engine error (memory exhausted?)' } };
    }
    const isString = ctx.typeof(result.value) === 'string';
    const text = isString ? ctx.getString(result.value) : '';
    result.value.dispose();
    // The driver may have caught the interrupt and reported it; the host's own flag is what counts.
    const failure = stopped();
    if (failure) return { ok: false, failure };
    if (!isString) return { ok: false, failure: { class: 'sandbox-runtime', message: 'the sandbox returned no report' } };
    return readVmReport(text);
  };
  let result: SandboxResult;
  try {
    result = run();
  } catch (err) {
    if (err instanceof SandboxUnavailableError) throw err;
    // A host-level exception out of the wasm engine (some C recursions, e.g. JSON.stringify of deeply
    // nested arrays or recursive Proxy traps, skip QuickJS's stack check; a huge program overflows the
    // parser's). The engine's memory is now inconsistent: drop the whole module, never touch this runtime again.
    engineBroken = true;
    discardQuickJSModule();
    const failure: Failure = stopped() ?? (compiling
      ? TOO_LARGE
      : err instanceof RangeError
        ? { class: 'sandbox-runtime', message: 'stack overflow (recursion too deep, e.g. a deeply nested structure or recursive proxy)' }
        : { class: 'sandbox-runtime', message: `the sandbox engine failed: ${String(err).slice(0, 300)}` });
    result = { ok: false, failure };
  } finally {
    if (!engineBroken) {
      try {
        ctx.dispose();
        runtime.dispose();
      } catch {
        // A wasm-level failure while freeing: the module may be corrupt, so the next run gets a new one.
        engineBroken = true;
        discardQuickJSModule();
      }
    }
  }
  const heapBytes = memory.buffer.byteLength;
  const bomb = stop === 'memory' || (!result.ok && result.failure.class === 'memory') || heapBytes > RETIRE_WASM_BYTES;
  // Wasm memory never shrinks: after a bomb only a new module (in a worker: a new worker) frees it.
  if (bomb && !engineBroken) discardQuickJSModule();
  return { result, retire: engineBroken ? 'engine' : bomb ? 'memory' : null, heapBytes };
}
