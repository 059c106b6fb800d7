/**
 * The bodies Ollama sends, shaped as Ollama 0.5/0.6 sends them (`/api/chat`, `/api/generate`, the
 * OpenAI-compatible `/v1/chat/completions`). Durations are nanoseconds, as in Ollama.
 */

/** Counts and durations of one answer, as Ollama reports them in its final message. */
export interface EvalStats {
  promptEvalCount: number;
  evalCount: number;
  /** Nanoseconds spent generating. */
  evalDurationNs: number;
}

const NS_PER_TOKEN = 20_000_000; // a plausible 50 tokens/s

/** Token counts the way a test can predict them: whitespace-separated pieces. */
export function countTokens(text: string): number {
  return text.split(/\s+/).filter((s) => s.length > 0).length;
}

/** The eval counts and durations for a prompt and an answer. */
export function evalStats(prompt: string, answer: string): EvalStats {
  const evalCount = Math.max(1, countTokens(answer));
  return { promptEvalCount: countTokens(prompt), evalCount, evalDurationNs: evalCount * NS_PER_TOKEN };
}

/** The final fields of an `/api/chat` or `/api/generate` answer (`done: true`). */
export function doneFields(stats: EvalStats, doneReason: 'stop' | 'length'): Record<string, unknown> {
  return {
    done: true,
    done_reason: doneReason,
    total_duration: stats.evalDurationNs + 5_000_000,
    load_duration: 1_000_000,
    prompt_eval_count: stats.promptEvalCount,
    prompt_eval_duration: stats.promptEvalCount * 1_000_000,
    eval_count: stats.evalCount,
    eval_duration: stats.evalDurationNs,
  };
}

/** Splits an answer into the pieces a stream sends: words with their following white space. */
export function streamPieces(answer: string): string[] {
  return answer.match(/\S+\s*|\s+/g) ?? [''];
}

/** The body of an OpenAI-style error, as Ollama's `/v1` routes send it. */
export function openAiError(message: string, type = 'api_error'): Record<string, unknown> {
  return { error: { message, type, param: null, code: null } };
}

/** One OpenAI `chat.completion.chunk`. */
export function openAiChunk(id: string, model: string, created: number, delta: Record<string, unknown>, finish: string | null): Record<string, unknown> {
  return { id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_ollama', choices: [{ index: 0, delta, finish_reason: finish }] };
}
