import { describe, expect, it } from 'vitest';
import { Counter, Histogram, Registry } from 'prom-client';
import { ExpositionError, mergeExposition, queueExposition, renameFamilies } from './exposition.ts';
import { promtoolCheckMetrics } from './testing/promtool.ts';

/** Several exposition sources as one valid document, checked by Debian's promtool. */

/** What @nasfleet/queues' queueMetrics gives for two queues (BullMQ's exportPrometheusMetrics, merged). */
const BULLMQ = [
  '# HELP bullmq_job_count Number of jobs in the queue by state',
  '# TYPE bullmq_job_count gauge',
  'bullmq_job_count{queue="llm", state="waiting"} 2',
  'bullmq_job_count{queue="train", state="waiting"} 1',
  '# HELP bullmq_job_completed_total Total number of completed jobs',
  '# TYPE bullmq_job_completed_total counter',
  'bullmq_job_completed_total{queue="llm"} 5',
  'bullmq_job_completed_total{queue="train"} 0',
  '# HELP bullmq_job_failed_total Total number of failed jobs',
  '# TYPE bullmq_job_failed_total counter',
  'bullmq_job_failed_total{queue="llm"} 0',
  'bullmq_job_failed_total{queue="train"} 1',
].join('\n');

describe('mergeExposition', () => {
  it('each family once, its header before every source\'s samples; histogram samples stay with their family', async () => {
    const a = new Registry();
    new Histogram({ name: 'nasfleet_x_seconds', help: 'x', buckets: [1], registers: [a] }).observe(0.5);
    new Counter({ name: 'nasfleet_y_total', help: 'y', labelNames: ['q'], registers: [a] }).inc({ q: 'a' });
    const b = '# HELP nasfleet_y_total y\n# TYPE nasfleet_y_total counter\nnasfleet_y_total{q="b"} 2\n';
    const merged = mergeExposition([await a.metrics(), b]);
    const lines = merged.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('# TYPE nasfleet_y_total'))).toHaveLength(1);
    expect(lines.slice(lines.indexOf('# TYPE nasfleet_y_total counter') + 1)).toEqual(['nasfleet_y_total{q="a"} 1', 'nasfleet_y_total{q="b"} 2']);
    expect(lines.slice(0, 6)).toEqual([
      '# HELP nasfleet_x_seconds x', '# TYPE nasfleet_x_seconds histogram',
      'nasfleet_x_seconds_bucket{le="1"} 1', 'nasfleet_x_seconds_bucket{le="+Inf"} 1', 'nasfleet_x_seconds_sum 0.5', 'nasfleet_x_seconds_count 1',
    ]);
    expect(await promtoolCheckMetrics(merged)).toEqual({ code: 0, output: '' });
    expect(mergeExposition([])).toBe('');
  });

  it('two types for one family is an error naming it', () => {
    expect(() => mergeExposition(['# TYPE a_total counter\na_total 1', '# TYPE a_total gauge\na_total 2'])).toThrow(ExpositionError);
    expect(() => mergeExposition(['# TYPE a_total counter\na_total 1', '# TYPE a_total gauge\na_total 2'])).toThrow('metric family a_total has two types: "counter" and "gauge"');
  });
});

describe('queueExposition', () => {
  it("BullMQ's text as it is fails promtool (a gauge named _count); renamed it passes, samples and labels kept", async () => {
    const asIs = await promtoolCheckMetrics(`${BULLMQ}\n`);
    expect(asIs.code).not.toBe(0);
    expect(asIs.output).toContain('bullmq_job_count non-histogram and non-summary metrics should not have "_count" suffix');
    const renamed = queueExposition(BULLMQ);
    expect(renamed).toContain('# TYPE nasfleet_queue_jobs gauge');
    expect(renamed).toContain('nasfleet_queue_jobs{queue="llm", state="waiting"} 2');
    expect(renamed).toContain('nasfleet_queue_completed_jobs_total{queue="llm"} 5');
    expect(renamed).toContain('# HELP nasfleet_queue_failed_jobs_total Total number of failed jobs');
    expect(renamed).not.toContain('bullmq');
    expect(await promtoolCheckMetrics(`${renamed}\n`)).toEqual({ code: 0, output: '' });
  });

  it('renameFamilies leaves other names (and prefixes of renamed ones) alone', () => {
    expect(renameFamilies('a 1\nab 2\n# HELP a h\n# comment a', { a: 'z' })).toBe('z 1\nab 2\n# HELP z h\n# comment a');
  });
});
