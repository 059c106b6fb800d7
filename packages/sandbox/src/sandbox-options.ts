import { z } from 'zod';
import { SandboxOptionsError } from './errors.ts';

const dim = z.number().int().positive().max(4096);

/** Options of one sandboxed run. Limits are per run; the defaults suit a few-KB network definition. */
export const SandboxOptions = z.object({
  inputShape: z.tuple([dim, dim, dim]),
  numClasses: z.number().int().positive().max(100_000),
  /** Wall-clock limit for compiling and running the code, ms; the host stops the worker shortly after it. */
  timeoutMs: z.number().int().positive().max(60_000).default(1000),
  /** Heap limit of the QuickJS runtime, bytes; the wasm memory as a whole is capped a little above it. */
  memoryBytes: z.number().int().min(4 << 20).max(1 << 30).default(32 << 20),
  /** Native stack limit of the QuickJS runtime, bytes (deep recursion becomes a 'stack overflow' error). */
  stackBytes: z.number().int().min(64 << 10).max(1 << 20).default(256 << 10),
  /**
   * Deterministic time limit: the number of interrupt checks QuickJS may make (one per ~10,000
   * bytecode branches or calls) before the run is a 'timeout'. Unset: only the wall clock limits it.
   */
  maxSteps: z.number().int().positive().optional(),
  /** Largest code accepted, UTF-8 bytes; larger code fails 'too-large' before anything runs. */
  maxCodeBytes: z.number().int().positive().max(16 << 20).default(64 << 10),
});
export type SandboxOptions = z.input<typeof SandboxOptions>;
export type ParsedSandboxOptions = z.output<typeof SandboxOptions>;

/** Validates sandbox options and fills in defaults; throws `SandboxOptionsError` saying what is wrong. */
export function parseSandboxOptions(options: unknown): ParsedSandboxOptions {
  const parsed = SandboxOptions.safeParse(options);
  if (!parsed.success) throw new SandboxOptionsError(`invalid sandbox options: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
