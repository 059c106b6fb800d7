import type { Architecture } from '@nasfleet/arch';
import type { Failure } from '@nasfleet/search';
import { extractCode } from './extract-code.ts';
import { runSandboxed } from './run-sandboxed.ts';

/** Options of `architectureFromAnswer`: the task's input and class count, and the sandbox limits. */
export interface AnswerOptions {
  inputShape: [number, number, number];
  numClasses: number;
  /** Wall-clock limit of the sandboxed run, ms (default 1000). */
  timeoutMs?: number;
  /** Heap limit of the sandbox, bytes (default 32 MiB). */
  memoryBytes?: number;
}

/** The architecture an answer's code builds, or the classified failure; `code` is what ran (or was found). */
export type AnswerResult =
  | { ok: true; architecture: Architecture; code: string; elapsedMs: number; notes: string[] }
  | { ok: false; failure: Failure; code: string | null; elapsedMs: number; notes: string[] };

/**
 * From an LLM's raw answer to a validated architecture: extract the code, run it in a fresh QuickJS
 * sandbox against the recording tf stand-in, validate what comes back. Never throws for anything in
 * the answer; `notes` say what extraction chose or changed. Throws `SandboxOptionsError` for bad
 * options and `SandboxUnavailableError` when the wasm engine cannot run (retryable).
 */
export async function architectureFromAnswer(answer: string, opts: AnswerOptions): Promise<AnswerResult> {
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  const found = extractCode(answer);
  if (!found.ok) return { ok: false, failure: found.failure, code: found.code, elapsedMs: elapsed(), notes: found.notes };
  const run = await runSandboxed(found.code, opts);
  if (!run.ok) return { ok: false, failure: run.failure, code: found.code, elapsedMs: elapsed(), notes: found.notes };
  return { ok: true, architecture: run.architecture, code: found.code, elapsedMs: elapsed(), notes: found.notes };
}
