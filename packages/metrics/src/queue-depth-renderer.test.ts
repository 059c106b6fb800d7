import { describe, expect, it } from 'vitest';
import { Counter, Registry } from 'prom-client';
import { queueDepthRenderer } from './queue-depth-renderer.ts';
import { promtoolCheckMetrics } from './testing/promtool.ts';
import { sampleValue } from './testing/samples.ts';

/** The registry's text and BullMQ's queue text as one scrape; a Redis miss costs only the queue families. */

const BULLMQ = [
  '# HELP bullmq_job_count Number of jobs in the queue by state',
  '# TYPE bullmq_job_count gauge',
  'bullmq_job_count{queue="llm", state="waiting"} 4',
  '# HELP bullmq_job_completed_total Total number of completed jobs',
  '# TYPE bullmq_job_completed_total counter',
  'bullmq_job_completed_total{queue="llm"} 7',
].join('\n');

describe('queueDepthRenderer', () => {
  it('merges the renamed queue families after the registry\'s; the text passes promtool', async () => {
    const registry = new Registry();
    new Counter({ name: 'nasfleet_search_results_total', help: 'r', registers: [registry] }).inc(2);
    const text = await queueDepthRenderer({ registry, readQueues: async () => BULLMQ })();
    expect(sampleValue(text, 'nasfleet_queue_jobs', { queue: 'llm', state: 'waiting' })).toBe(4);
    expect(sampleValue(text, 'nasfleet_queue_completed_jobs_total', { queue: 'llm' })).toBe(7);
    expect(sampleValue(text, 'nasfleet_search_results_total')).toBe(2);
    expect(sampleValue(text, 'nasfleet_queue_scrape_errors_total')).toBe(0);
    expect(await promtoolCheckMetrics(text)).toEqual({ code: 0, output: '' });
  });

  it('queues that cannot be read: the registry\'s metrics still, the miss counted in the same scrape and reported', async () => {
    const registry = new Registry();
    const errors: string[] = [];
    let down = true;
    const render = queueDepthRenderer({ registry, readQueues: async () => (down ? Promise.reject(new Error('Connection is closed.')) : BULLMQ), onError: (e) => errors.push(e.message) });
    const text = await render();
    expect(sampleValue(text, 'nasfleet_queue_scrape_errors_total')).toBe(1);
    expect(text).not.toContain('nasfleet_queue_jobs');
    expect(errors).toEqual(['Connection is closed.']);
    down = false;
    expect(sampleValue(await render(), 'nasfleet_queue_jobs', { queue: 'llm', state: 'waiting' })).toBe(4);
  });

  it('queues that never answer cost the scrape timeoutMs, not the scrape', async () => {
    const registry = new Registry();
    const errors: string[] = [];
    const render = queueDepthRenderer({ registry, readQueues: () => new Promise<string>(() => undefined), onError: (e) => errors.push(e.message), timeoutMs: 50 });
    expect(sampleValue(await render(), 'nasfleet_queue_scrape_errors_total')).toBe(1);
    expect(errors).toEqual(['the queues did not answer within 50 ms']);
  });
});
