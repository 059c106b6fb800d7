import { UnrecoverableError } from 'bullmq';
import type { GenerateJob } from '@nasfleet/contracts';
import { LlmError } from '@nasfleet/llm';
import type { WorkerMetrics } from '@nasfleet/metrics';
import type { PromptSet } from '@nasfleet/prompts';
import type { QueueHandler, WorkerInfo } from '@nasfleet/queues';
import { createGenerateStep } from '@nasfleet/steps';
import type { GeneratorSettings, SearchSpace } from '@nasfleet/steps';
import type { ProviderCache } from './provider-cache.ts';
import type { SpaceCache } from './space-cache.ts';

/** What the LLM role's handler works with. */
export interface LlmHandlerDeps {
  spaces: SpaceCache;
  providers: ProviderCache;
  /** This worker's prompt set: jobs rendered with another (another hash) are refused. */
  prompts: PromptSet;
  worker: WorkerInfo;
  now: () => Date;
  /** Told of each result's generate and check outcomes. */
  metrics: Pick<WorkerMetrics, 'candidate'>;
}

/** Who writes the answer for a job: the space's rule operator, or the job's LLM with this worker's prompts. */
function generatorFor(job: GenerateJob, deps: LlmHandlerDeps): GeneratorSettings {
  const { llm } = job;
  if (llm.provider === 'rule') return { kind: 'rule' };
  if (!llm.generatorModel) throw new UnrecoverableError(`llm.generatorModel: required with provider ${llm.provider}`);
  return {
    kind: 'llm', provider: deps.providers(llm.provider, llm.endpoint), prompts: deps.prompts,
    generatorModel: llm.generatorModel, ...(llm.improverModel ? { improverModel: llm.improverModel } : {}), maxTokens: llm.maxTokens,
  };
}

/**
 * Whether trying the job again later can help: only an LLM server that stayed unavailable through the
 * provider's own retries (or timed out) can come back. Anything else generate or check throws — a
 * missing model, a request the server rejects, a bug in an operator or a check — would fail the same
 * way on every try: the job fails at once, and the orchestrator tells the candidate as `job-failed`.
 */
const retryable = (error: unknown): boolean => error instanceof LlmError && error.retryable;

/**
 * The LLM role: a GenerateJob → generate (the rule operator or the job's LLM) → the space's check
 * (the sandbox: hostile code is stopped there and is a failed check, never a failed job) → the
 * job's return value, a ResultMessage `{ generate, check }` (the orchestrator reads it as the job
 * completes; a job completes once, so one result per candidate). What a retry cannot fix fails
 * the job at once (UnrecoverableError): another prompt set, an unknown space, a missing model, a
 * request the server rejects, an operator or check that throws. An LLM server that stays unavailable
 * through the provider's own retries is an ordinary Error, so BullMQ tries the job again later, with
 * backoff. Each result's generate and check outcomes go to `metrics` (the LLM calls' own figures
 * come from the providers).
 */
export function createLlmHandler(deps: LlmHandlerDeps): QueueHandler<'llm'> {
  return async (job) => {
    const startedAt = deps.now().toISOString();
    if (job.promptSetHash !== deps.prompts.hash) {
      throw new UnrecoverableError(`the job was rendered with prompt set ${job.promptSetHash}, this worker has ${deps.prompts.hash} (${deps.prompts.dir}): run workers with the search's prompt files`);
    }
    const space: SearchSpace = await deps.spaces.get(job.space);
    let generate;
    let check;
    try {
      generate = await createGenerateStep(space, generatorFor(job, deps))(job.request);
      check = generate.answer === null ? null : await space.check(generate.answer);
    } catch (error) {
      throw retryable(error) ? error : new UnrecoverableError(`${error instanceof LlmError ? '' : 'generate or check failed: '}${(error as Error).message}`);
    }
    deps.metrics.candidate('generate', generate.failure?.class ?? null);
    if (check) deps.metrics.candidate('check', check.ok ? null : check.failure.class);
    return { searchId: job.searchId, candidateId: job.request.id, step: 'generate', worker: deps.worker, startedAt, finishedAt: deps.now().toISOString(), payload: { generate, check } };
  };
}
