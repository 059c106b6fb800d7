import { describe, expect, it } from 'vitest';
import { jobIdFor } from './job-id.ts';
import { parseQueueConfig } from './queue-config.ts';
import { queueMetrics } from './queue-metrics.ts';
import { createQueueProducer, QueuePayloadError } from './queue-producer.ts';
import type { QueueProducer } from './queue-producer.ts';
import { generateJob, trainJob } from './testing/fixtures.ts';
import { useQueueTestRedis } from './testing/test-redis.ts';

/** The producers on a real redis-server and real BullMQ: key layout, de-duplication, metrics. */

const redis = useQueueTestRedis();
const producer = (prefix?: string): QueueProducer => {
  const p = createQueueProducer({ redisUrl: redis.url, config: prefix ? { prefix } : {} });
  redis.open.push(p);
  return p;
};

async function keys(pattern = '*'): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    found.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return found.sort();
}


describe('queue names under a hash tag', () => {
  it('every key of both queues lies under {nasfleet}: <prefix>:<queue>:…', async () => {
    const p = producer();
    await p.enqueueGenerate(generateJob('s1', 'c1'));
    await p.enqueueTrain(trainJob('s1', 'c2'));
    const all = await keys();
    expect(all.length).toBeGreaterThan(3);
    for (const key of all) expect(key).toMatch(/^\{nasfleet\}:(llm|train):/);
    for (const queue of ['llm', 'train']) expect(all.some((k) => k.startsWith(`{nasfleet}:${queue}:`))).toBe(true);
    // A job's hash holds the payload under the derived id.
    expect(await redis.client.hget(`{nasfleet}:llm:${jobIdFor('generate', 's1', 'c1')}`, 'data')).toContain('"searchId":"s1"');
  });

  it('another prefix moves every key; a prefix that is not a hash tag is refused', async () => {
    await producer('{fleet-b}').enqueueTrain(trainJob('s1', 'c1'));
    const all = await keys();
    expect(all.length).toBeGreaterThan(0);
    for (const key of all) expect(key.startsWith('{fleet-b}:train:')).toBe(true);
    expect(() => parseQueueConfig({ prefix: 'nasfleet' })).toThrow(/prefix: the prefix must be a Redis Cluster hash tag/);
  });
});

describe('job ids derived from search + candidate (+ step)', () => {
  it('a repeated enqueue of the same candidate adds nothing, also from a fresh producer (a restarted orchestrator); another candidate is added', async () => {
    const first = producer();
    const id = await first.enqueueGenerate(generateJob('s1', 'c000001'));
    expect(id).toBe(jobIdFor('generate', 's1', 'c000001'));
    expect(await first.enqueueGenerate(generateJob('s1', 'c000001'))).toBe(id);
    await first.close();
    const again = producer();
    expect(await again.enqueueGenerate(generateJob('s1', 'c000001'))).toBe(id);
    expect(await again.queue('llm').getJobCounts('waiting')).toEqual({ waiting: 1 });
    await again.enqueueGenerate(generateJob('s1', 'c000002'));
    await again.enqueueGenerate(generateJob('s2', 'c000001'));
    expect(await again.queue('llm').getJobCounts('waiting')).toEqual({ waiting: 3 });
  });

  it('ids with the characters BullMQ refuses in custom ids (":" and integers) still work and stay distinct', async () => {
    const p = producer();
    const a = await p.enqueueTrain(trainJob('search:1', 'c:1'));
    const b = await p.enqueueTrain(trainJob('search', '1:c:1'));
    const c = await p.enqueueTrain(trainJob('1', '2'));
    expect(new Set([a, b, c]).size).toBe(3);
    for (const id of [a, b, c]) expect(id).not.toContain(':');
    expect((await p.queue('train').getJob(a))?.data).toMatchObject({ searchId: 'search:1', candidateId: 'c:1' });
    expect(await p.queue('train').getJobCounts('waiting')).toEqual({ waiting: 3 });
  });

  it('jobs carry the queue\'s attempts, exponential backoff with jitter and retention bounds', async () => {
    const p = producer();
    const job = await p.queue('train').getJob(await p.enqueueTrain(trainJob('s1', 'c1')));
    expect(job?.opts).toMatchObject({
      attempts: 2, backoff: { type: 'exponential', delay: 5000, jitter: 0.5 },
      removeOnComplete: { count: 1000, age: 86400 }, removeOnFail: { count: 10000, age: 604800 },
    });
  });

  it('a malformed payload is refused before anything is added, naming the field', async () => {
    const p = producer();
    const bad = { ...trainJob('s1', 'c1'), dataset: { name: 'mnist' } };
    await expect(p.enqueueTrain(bad as never)).rejects.toThrow(QueuePayloadError);
    await expect(p.enqueueTrain(bad as never)).rejects.toThrow(/cannot add to queue train: dataset\.name/);
    expect(await keys('*:train:*')).toEqual([]);
  });
});

describe('queueMetrics', () => {
  it('one Prometheus text for all queues: each family once, a sample per queue and state', async () => {
    const p = producer();
    await p.enqueueGenerate(generateJob('s1', 'c1'));
    await p.enqueueGenerate(generateJob('s1', 'c2'));
    await p.enqueueTrain(trainJob('s1', 'c1'));
    const text = await queueMetrics([p.queue('llm'), p.queue('train')]);
    const lines = text.trim().split('\n');
    expect(lines.filter((l) => l === '# HELP bullmq_job_count Number of jobs in the queue by state')).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('# TYPE bullmq_job_completed_total'))).toHaveLength(1);
    expect(lines).toContain('bullmq_job_count{queue="llm", state="waiting"} 2');
    expect(lines).toContain('bullmq_job_count{queue="train", state="waiting"} 1');
    expect(lines).toContain('bullmq_job_count{queue="train", state="active"} 0');
    expect(lines.filter((l) => l.startsWith('bullmq_job_failed_total{'))).toHaveLength(2);
    // Each family's header comes before its samples.
    const header = lines.indexOf('# TYPE bullmq_job_count gauge');
    expect(lines.findIndex((l) => l.startsWith('bullmq_job_count{'))).toBeGreaterThan(header);
  });
});
