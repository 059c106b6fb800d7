import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { architectureFromAnswer, type AnswerResult } from './architecture-from-answer.ts';
import { createSandboxPool, type SandboxPool } from './sandbox-pool.ts';
import { HOSTILE_ANSWERS } from './fixtures/hostile/hostile-answers.ts';
import { RESIDUAL } from './fixtures/valid-models.ts';

// A wide wall clock by default, so that a loaded machine cannot turn a valid answer into 'timeout'.
const task = { inputShape: [16, 16, 3] as [number, number, number], numClasses: 10, timeoutMs: 60_000 };
const valid = `\`\`\`js\n${RESIDUAL}\n\`\`\``;
let pool: SandboxPool;

beforeAll(async () => {
  // One worker, so that every hostile answer and the valid one after it meet the same pool slot.
  pool = createSandboxPool({ size: 1 });
  await pool.warm();
});
afterAll(() => pool.close());

function failureClass(r: AnswerResult): string {
  if (r.ok) throw new Error(`expected a failure, got an architecture of ${r.architecture.nodes.length} nodes`);
  return r.failure.class;
}

/** The pool still answers a valid model correctly. */
async function expectPoolAlive(): Promise<void> {
  const r = await architectureFromAnswer(valid, task, pool);
  expect(r.ok && r.architecture.nodes.some((n) => n.op === 'add')).toBe(true);
}

describe('hostile answers through the pool', () => {
  // A short wall-clock limit, because only the hard deadline can end these: they never return to the
  // interpreter. Their class does not depend on the machine's speed, only that the deadline fires.
  it.each(HOSTILE_ANSWERS.filter((h) => h.kind === 'stuck').map((h) => [h.name, h] as const))('%s is stopped from outside as timeout', async (_name, h) => {
    const before = pool.stats().retired.timeout;
    const r = await architectureFromAnswer(h.answer, { ...task, timeoutMs: 1000 }, pool);
    expect(failureClass(r)).toBe('timeout');
    expect(!r.ok && r.failure.message).toContain('stopped from outside');
    expect(pool.stats().retired.timeout).toBe(before + 1);
    await expectPoolAlive();
  }, 120_000);

  // A wide wall clock: on a slow machine a bomb must still end on a memory cap, not on time.
  it.each(HOSTILE_ANSWERS.filter((h) => h.kind === 'bomb').map((h) => [h.name, h] as const))('%s ends on a memory cap and the worker is replaced', async (_name, h) => {
    const before = pool.stats();
    const r = await architectureFromAnswer(h.answer, { ...task, timeoutMs: 60_000 }, pool);
    expect(h.classes).toContain(failureClass(r));
    const after = pool.stats();
    expect(after.retired.memory + after.retired.engine).toBeGreaterThan(before.retired.memory + before.retired.engine);
    await expectPoolAlive();
  }, 120_000);

  it.each(HOSTILE_ANSWERS.filter((h) => h.kind === 'oversize').map((h) => [h.name, h] as const))('%s fails too-large', async (_name, h) => {
    const r = await architectureFromAnswer(h.answer, task, pool);
    expect(failureClass(r)).toBe('too-large');
    expect(!r.ok && r.failure.message).toMatch(/bytes, over the \d+-byte cap|too large to compile/);
    await expectPoolAlive();
  }, 120_000);

  it('size caps name the size and the cap, and are checked before any worker runs', async () => {
    const started = pool.stats().started;
    const answer = await architectureFromAnswer(valid, { ...task, maxAnswerBytes: 100 }, pool);
    expect(!answer.ok && answer.failure).toEqual({ class: 'too-large', message: expect.stringContaining(`the answer is ${valid.length} bytes, over the 100-byte cap (maxAnswerBytes)`) });
    expect(answer.code).toBeNull();
    const code = await architectureFromAnswer(valid, { ...task, maxCodeBytes: 100 }, pool);
    expect(!code.ok && code.failure.message).toContain('over the 100-byte cap (maxCodeBytes)');
    // Multi-byte characters count as UTF-8 bytes, not UTF-16 units.
    const wide = await architectureFromAnswer(`// ${'é'.repeat(60)}\n${valid}`, { ...task, maxAnswerBytes: valid.length + 100 }, pool);
    expect(!wide.ok && wide.failure.class).toBe('too-large');
    expect(pool.stats().started).toBe(started);
  });
});
