import { z } from 'zod';
import type { Architecture } from '@nasfleet/arch';
import type { Failure } from '@nasfleet/contracts';
import { SandboxOptionsError } from './errors.ts';
import { extractCode } from './extract-code.ts';
import { runSandboxed } from './run-sandboxed.ts';
import type { SandboxPool } from './sandbox-pool.ts';
import { SandboxOptions } from './sandbox-options.ts';
import { DEFAULT_MAX_ANSWER_BYTES, sizeCapFailure } from './size-caps.ts';

/** Options of `architectureFromAnswer`: the task's input and class count, the answer cap and the sandbox limits. */
export const AnswerOptions = SandboxOptions.extend({
  /** Largest raw answer accepted, UTF-8 bytes; larger answers fail 'too-large' before extraction. */
  maxAnswerBytes: z.number().int().positive().max(64 << 20).default(DEFAULT_MAX_ANSWER_BYTES),
});
export type AnswerOptions = z.input<typeof AnswerOptions>;

/** The architecture an answer's code builds, or the classified failure; `code` is what ran (or was found). */
export type AnswerResult =
  | { ok: true; architecture: Architecture; code: string; elapsedMs: number; notes: string[] }
  | { ok: false; failure: Failure; code: string | null; elapsedMs: number; notes: string[] };

/**
 * From an LLM's raw answer to a validated architecture: check its size, extract the code, run it in a
 * fresh QuickJS sandbox (in a worker of `pool`, default the shared one) against the recording tf
 * stand-in, validate what comes back. Never throws for anything in the answer; `notes` say what
 * extraction chose or changed. Throws `SandboxOptionsError` for bad options and
 * `SandboxUnavailableError` when the wasm engine cannot run (retryable).
 */
export async function architectureFromAnswer(answer: string, opts: AnswerOptions, pool?: SandboxPool): Promise<AnswerResult> {
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  const parsed = AnswerOptions.safeParse(opts);
  if (!parsed.success) throw new SandboxOptionsError(`invalid sandbox options: ${z.prettifyError(parsed.error)}`);
  const { maxAnswerBytes, ...sandbox } = parsed.data;
  const tooLarge = sizeCapFailure('answer', answer, maxAnswerBytes);
  if (tooLarge) return { ok: false, failure: tooLarge, code: null, elapsedMs: elapsed(), notes: [] };
  const found = extractCode(answer);
  if (!found.ok) return { ok: false, failure: found.failure, code: found.code, elapsedMs: elapsed(), notes: found.notes };
  const run = await runSandboxed(found.code, sandbox, pool);
  if (!run.ok) return { ok: false, failure: run.failure, code: found.code, elapsedMs: elapsed(), notes: found.notes };
  return { ok: true, architecture: run.architecture, code: found.code, elapsedMs: elapsed(), notes: found.notes };
}
