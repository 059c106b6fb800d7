import { setTimeout as sleep } from 'node:timers/promises';
import type { CandidateRequest } from '@nasfleet/contracts';
import { startOllamaDouble } from '@nasfleet/ollama-double';
import type { OllamaDouble } from '@nasfleet/ollama-double';
import { createCodeRuleOperator } from '@nasfleet/pipeline';

/** The model name the double serves and the searches ask for. */
export const SLOW_LLM_MODEL = 'qwen2.5-coder:7b';

/** The slow LLM server and how long each of its answers took (ms, from request to answer, in answer order). */
export interface SlowLlm {
  double: OllamaDouble;
  latencies: number[];
  /** Distinct networks it had to answer with (it answers the last one again when they run out). */
  prepared: number;
}

/**
 * Distinct valid code-space answers, made before anything is timed: random networks from the code
 * space's rule operator (Fashion-MNIST's 28×28×1 input, 10 classes, the space's default caps), each
 * wrapped the way a model answers (prose and one ```javascript block). Identical code is dropped, so
 * each answer is a network the orchestrator has not seen and sends to training.
 */
async function prepareAnswers(count: number): Promise<string[]> {
  const operator = createCodeRuleOperator({ inputShape: [28, 28, 1], numClasses: 10, maxParams: 5_000_000, maxFlops: 500_000_000, maxActivationBytes: 64 * 1024 * 1024 });
  const seen = new Set<string>();
  for (let seed = 0; seen.size < count && seed < 4 * count; seed++) {
    const request: CandidateRequest = {
      id: `bench-${seed}`, index: seed, generation: 0, strategy: 'bench', operator: 'sample', parents: [], prompt: null,
      temperature: 0.7, memory: null, reference: null, improver: false, seed,
    };
    const made = await operator.apply(request);
    if (made.artifact !== null) seen.add(made.artifact.trimEnd());
  }
  if (seen.size === 0) throw new Error('the code rule operator made no network to answer with');
  return [...seen].map((code) => `Here is the changed network.\n\n\`\`\`javascript\n${code}\n\`\`\`\n`);
}

/**
 * An LLM server that takes `latencyMs` per answer: the Ollama double (Ollama's HTTP API, served on
 * 127.0.0.1 in this process) answering every chat with the next of `answers` prepared networks,
 * after `latencyMs`. The double has no latency option of its own; its `respond` may be async, so the
 * wait is there, before the first byte of the answer, as a model's time to generate would be. The
 * answers are made beforehand so that the double costs this machine's CPU next to nothing while the
 * fleet is measured (a model would run elsewhere) and its latency is the one asked for. They do not
 * follow the prompt (a mutation of the parent): for throughput only their validity and novelty matter.
 */
export async function startSlowLlm(latencyMs: number, answers: number): Promise<SlowLlm> {
  const prepared = await prepareAnswers(answers);
  const latencies: number[] = [];
  let next = 0;
  const double = await startOllamaDouble({
    models: [SLOW_LLM_MODEL],
    respond: async () => {
      const started = performance.now();
      const answer = prepared[Math.min(next++, prepared.length - 1)]!;
      await sleep(latencyMs);
      latencies.push(performance.now() - started);
      return answer;
    },
  });
  return { double, latencies, prepared: prepared.length };
}
