import { newQuickJSWASMModule, type QuickJSWASMModule } from 'quickjs-emscripten';
import { SandboxUnavailableError } from './errors.ts';

let modulePromise: Promise<QuickJSWASMModule> | null = null;

/**
 * The process's QuickJS wasm module (loaded once, ~15 ms). Runtimes are created fresh per run from it;
 * the module itself is only replaced after `discardQuickJSModule` (a wasm-level crash).
 */
export function quickJSModule(): Promise<QuickJSWASMModule> {
  if (modulePromise === null) {
    modulePromise = newQuickJSWASMModule().catch((err: unknown) => {
      modulePromise = null;
      throw new SandboxUnavailableError(`cannot load the QuickJS wasm module: ${String(err)}`);
    });
  }
  return modulePromise;
}

/** Drops the module after a wasm-level failure so that the next run starts on a fresh one. */
export function discardQuickJSModule(): void {
  modulePromise = null;
}
