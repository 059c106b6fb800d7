import { describe, expect, it } from 'vitest';
import { UnrecoverableError } from 'bullmq';
import type { GenerateJob } from '@nasfleet/contracts';
import { freePort } from '@nasfleet/fleet-testing';
import { createProvider, LlmUnavailableError } from '@nasfleet/llm';
import { loadPromptSet } from '@nasfleet/prompts';
import { jobIdFor, readJobResult } from '@nasfleet/queues';
import type { JobContext } from '@nasfleet/queues';
import { builtInSpaces } from '@nasfleet/spaces';
import type { SearchSpace } from '@nasfleet/steps';
import { createLlmHandler } from './llm-handler.ts';

/** Which failures of a GenerateJob BullMQ may retry (an LLM server that may come back) and which fail the job at once. */

const prompts = loadPromptSet();
const space = await builtInSpaces().create('nb201', { dataset: 'cifar10' });
const job = (llm: GenerateJob['llm']): GenerateJob => ({
  searchId: 's', space: { name: 'nb201', options: { dataset: 'cifar10' } }, llm, promptSetHash: prompts.hash,
  request: {
    id: 'c000001', index: 1, generation: 0, strategy: 'llmatic', operator: 'mutate', prompt: { id: 'widen', intent: 'widen' }, temperature: 0.5,
    parents: [{ id: 'c000000', artifact: space.initialArtifact, outcome: { status: 'ok', fitness: 80 } }], memory: null, reference: null, improver: false, seed: 7,
  },
});
const rule = { provider: 'rule', endpoint: null, generatorModel: null, improverModel: null, maxTokens: 2048 } as const;
const ctx = {} as JobContext;

function handlerWith(spaceUsed: SearchSpace, providerHost = 'http://127.0.0.1:9') {
  const counted: string[] = [];
  const handler = createLlmHandler({
    spaces: { get: async () => spaceUsed, close: async () => undefined } as never,
    providers: () => createProvider({ kind: 'ollama', host: providerHost, retry: { attempts: 1 } }),
    prompts, worker: { id: 'w', host: 'h', pid: 1 }, now: () => new Date(), metrics: { candidate: (step) => counted.push(step) },
  });
  return { handler, counted };
}

describe('the LLM role: what a retry can fix', () => {
  it('returns a cooperative job\'s result, a valid ResultMessage of its candidate, and counts its steps', async () => {
    const { handler, counted } = handlerWith(space);
    const result = await handler(job(rule), ctx);
    expect(readJobResult('llm', jobIdFor('generate', result.searchId, result.candidateId), result)).toMatchObject({ kind: 'result', message: { step: 'generate', payload: { check: { ok: true } } } });
    expect(counted).toEqual(['generate', 'check']);
  });

  it('fails at once (UnrecoverableError) when the operator or the check throws: a bug fails every try the same way', async () => {
    const broken: SearchSpace = { ...space, check: async () => { throw new TypeError("Cannot read properties of undefined (reading 'join')"); } };
    const { handler, counted } = handlerWith(broken);
    const error = await handler(job(rule), ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect((error as Error).message).toMatch(/generate or check failed: Cannot read properties of undefined/);
    expect(counted).toEqual([]);
  });

  it('leaves an LLM server that stays unavailable to BullMQ\'s retries (an ordinary error)', async () => {
    const { handler, counted } = handlerWith(space, `http://127.0.0.1:${await freePort()}`);
    const error = await handler(job({ ...rule, provider: 'ollama', endpoint: null, generatorModel: 'm' }), ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error).not.toBeInstanceOf(UnrecoverableError);
    expect(counted).toEqual([]);
  });
});
