import type { ResultMessageInput } from '../result-message.ts';
import type { PayloadInputOf } from '../queue-specs.ts';

/** Payloads for the queue tests: plain JSON as producers send it. */

/** A GenerateJob for candidate `candidateId` of search `searchId` (an NB201 mutation with the rule operator). */
export function generateJob(searchId: string, candidateId: string): PayloadInputOf<'llm'> {
  return {
    searchId,
    request: {
      id: candidateId, index: 3, generation: 0, strategy: 'llmatic', operator: 'mutate',
      parents: [{ id: 'c0', artifact: '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|', outcome: null }],
      prompt: { id: 'add-conv', intent: 'add-conv' }, temperature: 0.6, memory: null, reference: null, improver: false, seed: 7,
    },
    space: { name: 'nb201' },
    llm: { provider: 'rule' },
    promptSetHash: 'hash-of-the-prompts',
  };
}

/** A TrainJob for candidate `candidateId`. */
export function trainJob(searchId: string, candidateId: string): PayloadInputOf<'train'> {
  return { searchId, candidateId, architecture: { format: 'any' }, dataset: { name: 'fashion-mnist', trainSubset: 256 } };
}

const worker = { id: 'w1', host: 'box', pid: 123 };
const times = { startedAt: '2025-01-01T00:00:00.000Z', finishedAt: '2025-01-01T00:00:01.500Z' };

/** A train step's result message. */
export function trainResult(searchId: string, candidateId: string, fitness = 81.5): ResultMessageInput {
  return { searchId, candidateId, step: 'train', worker, ...times, payload: { candidateId, outcome: { status: 'ok', fitness }, metrics: { trainMs: 1500, steps: 2 } } };
}

/** A generate step's result message whose answer failed its check. */
export function generateResult(searchId: string, candidateId: string): ResultMessageInput {
  return {
    searchId, candidateId, step: 'generate', worker, ...times,
    payload: {
      generate: { id: candidateId, answer: 'no code here', feedback: null, calls: [] },
      check: { ok: false, artifact: 'no code here', failure: { class: 'extraction', message: 'no code block' }, metrics: { checkMs: 1 } },
    },
  };
}
