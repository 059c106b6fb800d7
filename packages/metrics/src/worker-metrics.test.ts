import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { promtoolCheckMetrics } from './testing/promtool.ts';
import { parseSamples, sampleValue } from './testing/samples.ts';
import { createWorkerMetrics } from './worker-metrics.ts';

/** A worker's instruments on a real prom-client registry, read back from the exposition text. */

const setup = (role: 'llm' | 'train' = 'llm', concurrency = 2) => {
  let t = 0;
  const registry = new Registry();
  const metrics = createWorkerMetrics(registry, { role, concurrency, busyWindowMs: 10_000, now: () => t });
  return { registry, metrics, advance: (ms: number) => void (t += ms) };
};

describe('createWorkerMetrics', () => {
  it('counts job tries by queue and outcome, and candidate steps by step, outcome and failure class', async () => {
    const { registry, metrics } = setup();
    metrics.job('llm', 'completed');
    metrics.job('llm', 'completed');
    metrics.job('llm', 'retried');
    metrics.candidate('generate', null);
    metrics.candidate('check', 'syntax');
    metrics.candidate('check', 'syntax');
    const text = await registry.metrics();
    expect(sampleValue(text, 'nasfleet_jobs_total', { queue: 'llm', outcome: 'completed' })).toBe(2);
    expect(sampleValue(text, 'nasfleet_jobs_total', { queue: 'llm', outcome: 'retried' })).toBe(1);
    // Every outcome of the role's queue is there from the start, at 0 (rate() cannot see a series' first value).
    expect(sampleValue(text, 'nasfleet_jobs_total', { queue: 'llm', outcome: 'failed' })).toBe(0);
    expect(sampleValue(text, 'nasfleet_candidates_total', { step: 'generate', outcome: 'ok', failure_class: 'none' })).toBe(1);
    expect(sampleValue(text, 'nasfleet_candidates_total', { step: 'check', outcome: 'failed', failure_class: 'syntax' })).toBe(2);
  });

  it("tokens per second divide by the server's generation time when it gave one, else by the whole request", async () => {
    const { registry, metrics } = setup();
    // Ollama's eval counts: 100 tokens in 2 s of generation, 5 s of request (prompt processing, a model load).
    metrics.llmCall({ model: 'coder:7b', durationMs: 5_000, promptTokens: 300, completionTokens: 100, generationMs: 2_000 });
    // A server that reports no generation time: 40 tokens over the 4 s request.
    metrics.llmCall({ model: 'gpt-x', durationMs: 4_000, promptTokens: null, completionTokens: 40, generationMs: null });
    const text = await registry.metrics();
    expect(sampleValue(text, 'nasfleet_llm_tokens_per_second_sum', { model: 'coder:7b' })).toBe(50);
    expect(sampleValue(text, 'nasfleet_llm_tokens_per_second_sum', { model: 'gpt-x' })).toBe(10);
    expect(sampleValue(text, 'nasfleet_llm_tokens_per_second_bucket', { model: 'coder:7b', le: '35' })).toBe(0);
    expect(sampleValue(text, 'nasfleet_llm_tokens_per_second_bucket', { model: 'coder:7b', le: '50' })).toBe(1);
    expect(sampleValue(text, 'nasfleet_llm_request_duration_seconds_sum', { model: 'coder:7b' })).toBe(5);
    expect(sampleValue(text, 'nasfleet_llm_request_duration_seconds_count', { model: 'gpt-x' })).toBe(1);
    expect(sampleValue(text, 'nasfleet_llm_completion_tokens_total', { model: 'coder:7b' })).toBe(100);
    expect(sampleValue(text, 'nasfleet_llm_generation_seconds_total', { model: 'coder:7b' })).toBe(2);
    expect(sampleValue(text, 'nasfleet_llm_prompt_tokens_total', { model: 'coder:7b' })).toBe(300);
    expect(sampleValue(text, 'nasfleet_llm_prompt_tokens_total', { model: 'gpt-x' })).toBeUndefined();
  });

  it('a call with no token count adds latency only', async () => {
    const { registry, metrics } = setup();
    metrics.llmCall({ model: 'm', durationMs: 1_000, promptTokens: null, completionTokens: null });
    const text = await registry.metrics();
    expect(sampleValue(text, 'nasfleet_llm_request_duration_seconds_count', { model: 'm' })).toBe(1);
    expect(sampleValue(text, 'nasfleet_llm_tokens_per_second_count', { model: 'm' })).toBeUndefined();
  });

  it('training: seconds by outcome (both there at 0 before any training), and images per second when the trainer measured them', async () => {
    const { registry, metrics } = setup('train', 1);
    const before = await registry.metrics();
    expect(sampleValue(before, 'nasfleet_train_duration_seconds_count', { outcome: 'ok' })).toBe(0);
    expect(sampleValue(before, 'nasfleet_train_duration_seconds_bucket', { outcome: 'failed', le: '+Inf' })).toBe(0);
    expect(sampleValue(before, 'nasfleet_jobs_total', { queue: 'train', outcome: 'completed' })).toBe(0);
    metrics.training({ seconds: 12, ok: true, imagesPerSecond: 800 });
    metrics.training({ seconds: 2700, ok: false });
    const text = await registry.metrics();
    expect(sampleValue(text, 'nasfleet_train_duration_seconds_sum', { outcome: 'ok' })).toBe(12);
    expect(sampleValue(text, 'nasfleet_train_duration_seconds_bucket', { outcome: 'failed', le: '2700' })).toBe(1);
    expect(sampleValue(text, 'nasfleet_train_images_per_second_sum')).toBe(800);
    expect(sampleValue(text, 'nasfleet_train_images_per_second_count')).toBe(1);
  });

  it('busy seconds and fraction are read at each scrape: a job counts while it runs, divided by the concurrency', async () => {
    const { registry, metrics, advance } = setup('train', 2);
    advance(2_000);
    const end = metrics.busy();
    advance(3_000);
    let text = await registry.metrics();
    expect(sampleValue(text, 'nasfleet_worker_busy_seconds_total', { role: 'train' })).toBe(3);
    expect(sampleValue(text, 'nasfleet_worker_busy_ratio', { role: 'train' })).toBeCloseTo(3 / (5 * 2));
    advance(5_000);
    end();
    advance(10_000);
    text = await registry.metrics();
    expect(sampleValue(text, 'nasfleet_worker_busy_seconds_total', { role: 'train' })).toBe(8);
    expect(sampleValue(text, 'nasfleet_worker_busy_ratio', { role: 'train' })).toBe(0);
    expect(sampleValue(text, 'nasfleet_worker_concurrency', { role: 'train' })).toBe(2);
  });

  it("every family passes promtool's check and lint, with samples and without", async () => {
    const { registry, metrics } = setup();
    expect(await promtoolCheckMetrics(await registry.metrics())).toEqual({ code: 0, output: '' });
    metrics.job('llm', 'failed');
    metrics.candidate('train', 'training-nan');
    metrics.llmCall({ model: 'qwen2.5-coder:7b', durationMs: 900, promptTokens: 10, completionTokens: 30, generationMs: 600 });
    metrics.training({ seconds: 3, ok: true, imagesPerSecond: 1000 });
    metrics.busy()();
    const text = await registry.metrics();
    expect(await promtoolCheckMetrics(text)).toEqual({ code: 0, output: '' });
    expect(new Set(parseSamples(text).map((s) => s.name.replace(/_(bucket|sum|count)$/, ''))).size).toBe(10);
    expect(parseSamples(text).every((s) => s.name.startsWith('nasfleet_'))).toBe(true);
  });

  it("each role shows its own families only: no empty training histograms on an LLM worker, nor LLM ones on a trainer", async () => {
    const llm = setup('llm');
    llm.metrics.training({ seconds: 3, ok: true, imagesPerSecond: 1000 });
    const llmText = await llm.registry.metrics();
    expect(llmText).toContain('# TYPE nasfleet_llm_tokens_per_second histogram');
    expect(llmText).not.toContain('nasfleet_train_');
    const train = setup('train');
    train.metrics.llmCall({ model: 'm', durationMs: 1_000, promptTokens: 1, completionTokens: 1 });
    const trainText = await train.registry.metrics();
    expect(trainText).toContain('# TYPE nasfleet_train_images_per_second histogram');
    expect(trainText).not.toContain('nasfleet_llm_');
    expect(await promtoolCheckMetrics(trainText)).toEqual({ code: 0, output: '' });
  });
});
