import { countTokens, type OllamaDouble } from '@nasfleet/ollama-double';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CODE_THEN_RAMBLE, KITS, MODEL, PLAIN, startDouble } from './provider-test-kit.ts';
import { completeCodeBlock } from './stop-predicates.ts';

/**
 * The generation time each provider reports, against the real Ollama double (which says it
 * generates 50 tokens/s: eval_duration = eval_count × 20 ms): Ollama's figure when its final message
 * arrives, the streamed time when the stream stops before it; nothing from an OpenAI-compatible server.
 */

const [ollama, openAi] = KITS as [(typeof KITS)[0], (typeof KITS)[0]];
const user = (content: string) => [{ role: 'user' as const, content }];
let double: OllamaDouble;
beforeEach(async () => {
  double = await startDouble({ pieceDelayMs: 2 });
});
afterEach(() => double.close());

describe('generationMs', () => {
  it("Ollama: a whole answer reports Ollama's eval_duration, so tokens per second are its eval counts' 50", async () => {
    const r = await ollama.make(double.url).chat({ model: MODEL, messages: user('hello'), temperature: 0 });
    expect(r.text).toBe(PLAIN);
    expect(r.completionTokens).toBe(countTokens(PLAIN));
    expect(r.generationMs).toBe(countTokens(PLAIN) * 20);
    expect(r.completionTokens! / (r.generationMs! / 1000)).toBeCloseTo(50, 9);
  });

  it('Ollama: a stream stopped early has no eval counts; the time its pieces took stands in', async () => {
    const r = await ollama.make(double.url).chat({ model: MODEL, messages: user('code'), temperature: 0, stopWhen: completeCodeBlock });
    expect(r.stoppedEarly).toBe(true);
    expect(r.completionTokens).toBeLessThan(countTokens(CODE_THEN_RAMBLE));
    expect(r.generationMs).toBeGreaterThan(0);
    // Not the double's figure for the pieces read: this one was measured, not reported.
    expect(r.generationMs).not.toBe(r.completionTokens! * 20);
  });

  it('an OpenAI-compatible server reports no generation time', async () => {
    const r = await openAi.make(double.url).chat({ model: MODEL, messages: user('hello'), temperature: 0 });
    expect(r.generationMs ?? null).toBeNull();
  });
});
