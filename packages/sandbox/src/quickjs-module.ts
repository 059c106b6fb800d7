import { newQuickJSWASMModuleFromVariant, newVariant, RELEASE_SYNC, type QuickJSWASMModule } from 'quickjs-emscripten';
import { SandboxUnavailableError } from './errors.ts';

const PAGE = 64 << 10;
/** What the engine, the stand-in and a small network need besides the runtime's own heap limit. */
const HEADROOM_BYTES = 32 << 20;

/**
 * Wasm memory past which a worker is dropped after its job rather than reused: the memory never
 * shrinks, and a valid network needs well under this (the module starts at 16 MiB).
 */
export const RETIRE_WASM_BYTES = 32 << 20;

/**
 * The wasm memory caps for a runtime heap limit of `memoryBytes`: past `softBytes` the interrupt
 * handler stops the run, and the wasm memory itself cannot grow past `hardBytes` (a malloc inside
 * a built-in fails there, whatever QuickJS's own accounting says).
 */
export function wasmMemoryCaps(memoryBytes: number): { softBytes: number; hardBytes: number } {
  const hardBytes = Math.ceil((memoryBytes + HEADROOM_BYTES) / PAGE) * PAGE;
  return { softBytes: hardBytes - (HEADROOM_BYTES >> 1), hardBytes };
}

type WasmMemoryHandle = ReturnType<QuickJSWASMModule['getWasmMemory']>;

/** The engine's memory constructor (Node has it; the shared tsconfig's libs do not declare it as a value). */
const WasmMemory = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum: number }) => WasmMemoryHandle } }).WebAssembly.Memory;

let cached: { hardBytes: number; module: Promise<QuickJSWASMModule> } | null = null;

/**
 * This thread's QuickJS wasm module whose memory cannot grow past `hardBytes` (loaded once, ~15 ms,
 * then reused: runtimes are created fresh per run). A different cap, or `discardQuickJSModule`
 * after a wasm-level crash, gives a new module.
 */
export function quickJSModule(hardBytes: number = wasmMemoryCaps(32 << 20).hardBytes): Promise<QuickJSWASMModule> {
  if (cached === null || cached.hardBytes !== hardBytes) {
    // Memory is imported by the emscripten build: our own Memory with a maximum is the total cap that holds.
    const wasmMemory = new WasmMemory({ initial: 256, maximum: hardBytes / PAGE });
    const entry = {
      hardBytes,
      module: newQuickJSWASMModuleFromVariant(newVariant(RELEASE_SYNC, { wasmMemory })).catch((err: unknown) => {
        if (cached === entry) cached = null;
        throw new SandboxUnavailableError(`cannot load the QuickJS wasm module: ${String(err)}`);
      }),
    };
    cached = entry;
  }
  return cached.module;
}

/** Drops the module after a wasm-level failure so that the next run starts on a fresh one. */
export function discardQuickJSModule(): void {
  cached = null;
}
