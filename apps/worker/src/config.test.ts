import { describe, expect, it } from 'vitest';
import { readTrainChildConfig, readWorkerConfig, WorkerConfigError } from './config.ts';

/** The worker's environment: what is required, what the defaults are, and how a bad value is worded. */

const base = { REDIS_URL: 'redis://10.0.0.5:6380', WORKER_ROLE: 'llm' };

describe('readWorkerConfig', () => {
  it('a missing REDIS_URL (and role) is one clear error naming each variable', () => {
    expect(() => readWorkerConfig({})).toThrow(WorkerConfigError);
    expect(() => readWorkerConfig({})).toThrow(
      "bad environment: REDIS_URL: is required: the Redis the fleet's queues live on, e.g. redis://127.0.0.1:6379; WORKER_ROLE: is required: llm (generate + check) or train (training)",
    );
  });

  it('wrong values say what they must be', () => {
    expect(() => readWorkerConfig({ ...base, REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(() => readWorkerConfig({ ...base, WORKER_ROLE: 'gpu' })).toThrow(/WORKER_ROLE: must be llm \(generate \+ check\) or train \(training\)/);
    expect(() => readWorkerConfig({ ...base, WORKER_CONCURRENCY: '0' })).toThrow(/WORKER_CONCURRENCY: /);
    expect(() => readWorkerConfig({ ...base, QUEUE_PREFIX: 'nasfleet' })).toThrow(/QUEUE_PREFIX \/ QUEUE_CONFIG: .*prefix: the prefix must be a Redis Cluster hash tag/);
    expect(() => readWorkerConfig({ ...base, QUEUE_CONFIG: '{train:' })).toThrow(/QUEUE_CONFIG: not JSON/);
    expect(() => readWorkerConfig({ ...base, QUEUE_CONFIG: '{"train":{"attempts":0}}' })).toThrow(/train\.attempts/);
    for (const port of ['70000', '-1', 'on', '94.5']) {
      expect(() => readWorkerConfig({ ...base, METRICS_PORT: port })).toThrow(/METRICS_PORT: must be a TCP port \(0 for any free one\) or off/);
    }
    expect(() => readWorkerConfig({ ...base, METRICS_HOST: '' })).toThrow(/METRICS_HOST: /);
  });

  it('fills in the defaults', () => {
    const config = readWorkerConfig(base);
    expect(config).toMatchObject({
      role: 'llm', redisUrl: 'redis://10.0.0.5:6380', concurrency: 1, fashionMnistDir: '/usr/share/datasets/fashion-mnist',
      trainJobTimeoutMs: 45 * 60_000, trainMemoryMb: 4096, llmTimeoutMs: 300_000, openAiApiKey: null, metrics: { host: '0.0.0.0', port: 9464, orFreePort: true },
    });
    expect(config.workerId).toMatch(new RegExp(`-${process.pid}$`));
    expect(config.queue).toMatchObject({ prefix: '{nasfleet}', train: { attempts: 2 } });
  });

  it('takes every variable it documents', () => {
    const config = readWorkerConfig({
      ...base, WORKER_ROLE: 'train', WORKER_CONCURRENCY: '3', QUEUE_PREFIX: '{lab}', QUEUE_CONFIG: '{"train":{"attempts":4}}', WORKER_ID: 'gpu-7',
      FASHION_MNIST_DIR: '/data/fm', TRAIN_JOB_TIMEOUT_MS: '60000', TRAIN_MEMORY_MB: '2048', PROMPTS_DIR: '/p', LLM_TIMEOUT_MS: '5000', OPENAI_API_KEY: 'k',
      METRICS_PORT: '9100', METRICS_HOST: '127.0.0.1',
    });
    expect(config).toMatchObject({
      role: 'train', concurrency: 3, queue: { prefix: '{lab}', train: { attempts: 4 } }, workerId: 'gpu-7', fashionMnistDir: '/data/fm',
      trainJobTimeoutMs: 60_000, trainMemoryMb: 2048, promptsDir: '/p', llmTimeoutMs: 5000, openAiApiKey: 'k', metrics: { host: '127.0.0.1', port: 9100, orFreePort: false },
    });
    expect(readWorkerConfig({ ...base, METRICS_PORT: '0' }).metrics).toEqual({ host: '0.0.0.0', port: 0, orFreePort: false });
    expect(readWorkerConfig({ ...base, METRICS_PORT: '9464' }).metrics).toEqual({ host: '0.0.0.0', port: 9464, orFreePort: false });
    expect(readWorkerConfig({ ...base, METRICS_PORT: 'off' }).metrics).toBeNull();
    expect(readTrainChildConfig({ FASHION_MNIST_DIR: '/data/fm' })).toEqual({ fashionMnistDir: '/data/fm' });
  });
});
