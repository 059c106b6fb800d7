import { z } from 'zod';
import type { Failure } from '@nasfleet/search';
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten';
import { SandboxOptionsError, SandboxUnavailableError } from './errors.ts';
import { discardQuickJSModule, quickJSModule } from './quickjs-module.ts';
import { VM_PRELUDE } from './vm-source.ts';
import { readVmReport, type ReportResult } from './vm-report.ts';

const dim = z.number().int().positive().max(4096);

/** Options of one sandboxed run. Limits are per run; the defaults suit a few-KB network definition. */
export const SandboxOptions = z.object({
  inputShape: z.tuple([dim, dim, dim]),
  numClasses: z.number().int().positive().max(100_000),
  /** Wall-clock limit for compiling and running the code, ms. */
  timeoutMs: z.number().int().positive().max(60_000).default(1000),
  /** Heap limit of the QuickJS runtime, bytes. */
  memoryBytes: z.number().int().min(4 << 20).max(1 << 30).default(32 << 20),
  /** Native stack limit of the QuickJS runtime, bytes (deep recursion becomes a 'stack overflow' error). */
  stackBytes: z.number().int().min(64 << 10).max(1 << 20).default(256 << 10),
});
export type SandboxOptions = z.input<typeof SandboxOptions>;

/** An architecture recorded from the code, or why there is none. */
export type SandboxResult = ReportResult;

const POS = /answer\.js:(\d+):(\d+)/;

/** A syntax error found by compiling (not running) the code: the error object is pristine, safe to read. */
function syntaxFailure(ctx: QuickJSContext, error: QuickJSHandle): Failure {
  const e = ctx.dump(error) as { name?: unknown; message?: unknown; stack?: unknown } | null;
  const name = typeof e?.name === 'string' ? e.name : 'Error';
  const message = typeof e?.message === 'string' ? e.message : String(e);
  if (name === 'InternalError' && message === 'out of memory') return { class: 'memory', message: 'the code is too large to compile within the sandbox memory limit' };
  const pos = typeof e?.stack === 'string' ? POS.exec(e.stack) : null;
  const at = pos ? ` at line ${pos[1]}, column ${pos[2]}` : '';
  return { class: 'syntax', message: `${name}: ${message}${at}`.slice(0, 3900) };
}

/**
 * Runs untrusted `code` (which must define `buildModel(tf, inputShape, numClasses)`) in a fresh QuickJS
 * runtime against the recording tf stand-in, and returns the validated architecture or a classified
 * failure. Never throws for anything the code does; throws `SandboxOptionsError` for bad options and
 * `SandboxUnavailableError` when the wasm engine itself cannot run.
 */
export async function runSandboxed(code: string, options: SandboxOptions): Promise<SandboxResult> {
  const parsed = SandboxOptions.safeParse(options);
  if (!parsed.success) throw new SandboxOptionsError(`invalid sandbox options: ${parsed.error.message}`);
  const opts = parsed.data;
  const mod = await quickJSModule();
  let runtime;
  try {
    runtime = mod.newRuntime();
  } catch (err) {
    discardQuickJSModule();
    throw new SandboxUnavailableError(`cannot create a QuickJS runtime: ${String(err)}`);
  }
  let interrupted = false;
  const deadline = Date.now() + opts.timeoutMs;
  runtime.setMemoryLimit(opts.memoryBytes);
  runtime.setMaxStackSize(opts.stackBytes);
  runtime.setInterruptHandler(() => {
    if (Date.now() > deadline) interrupted = true;
    return interrupted;
  });
  const ctx = runtime.newContext();
  let engineBroken = false;
  const timeoutFailure: Failure = { class: 'timeout', message: `the code ran past the ${opts.timeoutMs} ms limit (endless loop?)` };
  const timeout = (): SandboxResult => ({ ok: false, failure: timeoutFailure });
  try {
    const compiled = ctx.evalCode(code, 'answer.js', { compileOnly: true });
    if (compiled.error) {
      const failure = interrupted ? timeoutFailure : syntaxFailure(ctx, compiled.error);
      compiled.error.dispose();
      return { ok: false, failure };
    }
    compiled.value.dispose();

    const prelude = ctx.evalCode(VM_PRELUDE, 'stand-in.js');
    if (prelude.error) {
      prelude.error.dispose();
      if (interrupted) return timeout();
      throw new SandboxUnavailableError('the stand-in prelude failed to evaluate');
    }
    const args = [ctx.newString(code), ...opts.inputShape.map((n) => ctx.newNumber(n)), ctx.newNumber(opts.numClasses)];
    const result = ctx.callFunction(prelude.value, ctx.undefined, ...args);
    for (const a of args) a.dispose();
    prelude.value.dispose();
    if (result.error) {
      // Only uncatchable engine errors get here (the driver catches everything else); their objects are not read.
      result.error.dispose();
      if (interrupted) return timeout();
      return { ok: false, failure: { class: 'memory', message: 'the sandbox stopped with an uncatchable engine error (memory exhausted?)' } };
    }
    const isString = ctx.typeof(result.value) === 'string';
    const text = isString ? ctx.getString(result.value) : '';
    result.value.dispose();
    if (!isString) return { ok: false, failure: { class: 'sandbox-runtime', message: 'the sandbox returned no report' } };
    return readVmReport(text);
  } catch (err) {
    if (err instanceof SandboxUnavailableError) throw err;
    // A host-level exception out of the wasm engine (some C recursions, e.g. JSON.stringify of deeply
    // nested arrays or recursive Proxy traps, skip QuickJS's stack check and overflow V8's stack).
    // The engine's memory is now inconsistent: drop the whole module, never touch this runtime again.
    engineBroken = true;
    discardQuickJSModule();
    if (interrupted) return timeout();
    const failure: Failure = err instanceof RangeError
      ? { class: 'sandbox-runtime', message: 'stack overflow (recursion too deep, e.g. a deeply nested structure or recursive proxy)' }
      : { class: 'sandbox-runtime', message: `the sandbox engine failed: ${String(err).slice(0, 300)}` };
    return { ok: false, failure };
  } finally {
    if (!engineBroken) {
      try {
        ctx.dispose();
        runtime.dispose();
      } catch {
        // A wasm-level failure while freeing: the module may be corrupt, so the next run gets a new one.
        discardQuickJSModule();
      }
    }
  }
}
