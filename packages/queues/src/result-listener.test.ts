import { describe, expect, it } from 'vitest';
import { waitFor } from '@nasfleet/fleet-testing';
import { createQueueWorker } from './create-queue-worker.ts';
import { jobIdFor } from './job-id.ts';
import { createQueueProducer } from './queue-producer.ts';
import type { QueueProducer } from './queue-producer.ts';
import { listenForResults, readJobResult } from './result-listener.ts';
import type { ResultMessage } from './result-message.ts';
import { generateJob, generateResult, trainJob, trainResult } from './testing/fixtures.ts';
import { useQueueTestRedis } from './testing/test-redis.ts';

/** Results as job return values, read by listenForResults from the queues' event streams, on a real redis-server and real BullMQ. */

const redis = useQueueTestRedis();
const { open } = redis;
const config = { prefix: '{nasfleet}', llm: { attempts: 1 }, train: { attempts: 1 } };
let producer: QueueProducer;
const newProducer = () => {
  producer = createQueueProducer({ redisUrl: redis.url, config });
  open.push(producer);
};

/** Workers on both queues whose jobs return what `results` says for their candidate (the fixtures' messages by default). */
function workers(results: (candidateId: string, searchId: string) => unknown = (c, s) => resultFor(s, c)) {
  const llm = createQueueWorker('llm', async (job) => results(job.request.id, job.searchId) as never, { redisUrl: redis.url, config });
  const train = createQueueWorker('train', async (job) => results(job.candidateId, job.searchId) as never, { redisUrl: redis.url, config });
  open.push(llm, train);
}
const resultFor = (searchId: string, candidateId: string) => (candidateId.startsWith('g') ? generateResult(searchId, candidateId) : trainResult(searchId, candidateId));

describe('listenForResults', () => {
  it('hands over each completed job\'s result once, parsed, from both queues; an export\'s is nobody\'s tell', async () => {
    newProducer();
    const got: ResultMessage[] = [];
    const invalid: string[] = [];
    open.push(await listenForResults({ redisUrl: redis.url, config, onResult: (m) => got.push(m), onInvalid: (r) => invalid.push(r) }));
    workers();
    await producer.enqueueGenerate(generateJob('s1', 'g1'));
    await producer.enqueueTrain(trainJob('s1', 't1'));
    await producer.enqueueTrain({ ...trainJob('s1', 't2'), export: true });
    // An enqueue repeated after a crash adds nothing, so nothing more completes.
    await producer.enqueueGenerate(generateJob('s1', 'g1'));
    await waitFor(async () => (await producer.queue('train').getJobCounts('completed')).completed === 2 || undefined, 'both train jobs');
    await waitFor(() => got.length >= 2 || undefined, 'two results');
    expect(got.sort((a, b) => a.candidateId.localeCompare(b.candidateId))).toEqual([generateResult('s1', 'g1'), trainResult('s1', 't1')]);
    expect(invalid).toEqual([]);
  });

  it('a result that is not its job\'s (another candidate) is reported as invalid, never handed over', async () => {
    newProducer();
    const got: ResultMessage[] = [];
    const invalid: string[] = [];
    open.push(await listenForResults({ redisUrl: redis.url, config, onResult: (m) => got.push(m), onInvalid: (r) => invalid.push(r) }));
    workers((candidateId, searchId) => trainResult(searchId, candidateId === 't1' ? 'someone-else' : candidateId));
    await producer.enqueueTrain(trainJob('s1', 't1'));
    await producer.enqueueTrain(trainJob('s1', 't2'));
    await waitFor(() => got.length + invalid.length >= 2 || undefined, 'both jobs to be read');
    expect(got.map((m) => m.candidateId)).toEqual(['t2']);
    expect(invalid).toEqual([`train job ${jobIdFor('train', 's1', 't1')} returned the train result of candidate someone-else of search s1`]);
  });

  it('reads on from where the stream ended when it started: earlier completions are left to their jobs, where readJobResult finds them', async () => {
    newProducer();
    workers();
    await producer.enqueueTrain(trainJob('s1', 't1'));
    await waitFor(async () => (await producer.queue('train').getJobCounts('completed')).completed === 1 || undefined, 'the first job');
    const got: ResultMessage[] = [];
    open.push(await listenForResults({ redisUrl: redis.url, config, onResult: (m) => got.push(m) }));
    await producer.enqueueTrain(trainJob('s1', 't2'));
    await waitFor(() => got.length >= 1 || undefined, 'the second result');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(got.map((m) => m.candidateId)).toEqual(['t2']);
    const first = await producer.queue('train').getJob(jobIdFor('train', 's1', 't1'));
    expect(readJobResult('train', first!.id!, first!.returnvalue)).toEqual({ kind: 'result', message: expect.objectContaining({ candidateId: 't1', step: 'train' }) });
  });
});

describe('readJobResult', () => {
  it('checks the schema, the step of the queue and the job id', () => {
    const id = jobIdFor('train', 's1', 't1');
    expect(readJobResult('train', id, trainResult('s1', 't1'))).toMatchObject({ kind: 'result' });
    expect(readJobResult('llm', jobIdFor('generate', 's1', 't1'), trainResult('s1', 't1'))).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('train result') });
    expect(readJobResult('train', id, { ...trainResult('s1', 't1'), payload: { outcome: 'great' } })).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/returned an invalid result: payload\./) });
    expect(readJobResult('train', id, null)).toMatchObject({ kind: 'invalid' });
    expect(readJobResult('train', jobIdFor('export', 's1', 't1'), null)).toEqual({ kind: 'other' });
  });
});
