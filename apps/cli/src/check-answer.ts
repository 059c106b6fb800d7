import { checkArchitecture } from '@nasfleet/arch';
import { CodeSpaceConfig } from '@nasfleet/pipeline';
import { architectureFromAnswer, defaultSandboxPool } from '@nasfleet/sandbox';
import type { FailureClass } from '@nasfleet/contracts';

/** The verdict on one answer: a line of `npm run check --json` without its file name. */
export type AnswerVerdict =
  | { status: 'ok'; params: number; flops: number; ms: number }
  | { status: 'rejected'; class: FailureClass; message: string; ms: number };

/** The task an answer is checked for. */
export interface CheckTask {
  inputShape: [number, number, number];
  numClasses: number;
}

// The code-space evaluator's own caps and sandbox limits, so an answer passes here exactly when
// the search would train it.
const { caps, sandbox } = CodeSpaceConfig.parse({});

/**
 * Checks an LLM's raw answer as the code-space evaluator does before training: extraction, the
 * sandboxed run, then shapes, output and the evaluator's default caps. Never throws for anything in
 * the answer (it is untrusted data); throws only when the sandbox itself cannot run.
 */
export async function checkAnswer(answer: string, task: CheckTask): Promise<AnswerVerdict> {
  const started = performance.now();
  const ms = (): number => Math.round(10 * (performance.now() - started)) / 10;
  const parsed = await architectureFromAnswer(answer, { ...task, ...sandbox });
  if (!parsed.ok) return { status: 'rejected', class: parsed.failure.class, message: parsed.failure.message, ms: ms() };
  const checked = checkArchitecture(parsed.architecture, { ...task, ...caps });
  if (!checked.ok) return { status: 'rejected', class: checked.failure.class, message: checked.failure.message, ms: ms() };
  return { status: 'ok', params: checked.report.params, flops: checked.report.flops, ms: ms() };
}

/**
 * Starts the sandbox's worker threads and waits until they are ready, so that the first answer's
 * `ms` measures its check, not the workers' start (about a second on a loaded machine).
 */
export async function warmSandbox(): Promise<void> {
  await defaultSandboxPool().warm();
}
