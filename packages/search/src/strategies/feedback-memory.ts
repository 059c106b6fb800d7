import { z } from 'zod';
import { MemoryEntry } from '@nasfleet/contracts';
import { candidateId } from '../engine/candidate-log.ts';
import type { Strategy } from './strategy.ts';
import type { StrategyDefinition } from './strategy-definition.ts';

const State = z.object({
  window: z.array(MemoryEntry),
  /** The attempt whose code the next request improves: the latest told attempt that has code. */
  current: z.string().nullable(),
  /** What each in-flight child was built on (the reference, else the current attempt): its baseline. */
  basis: z.record(z.string(), z.string()),
});

/**
 * The feedback-memory loop (Gu, Ignatov, Timofte 2026): every request is 'improve' on the current
 * attempt (the latest told candidate with code), with the best so far as reference code and the sliding
 * window of the K most recent diagnostic triples, failures included. Ablations: no improver, no
 * reference, no history. The first request evaluates the initial network.
 *
 * "The latest attempt" when it has no code (an LLM answer without code, a generator that failed):
 * the paper's improver reads "the current code and its result or error message" and the generator
 * rewrites that code. An attempt without code still enters the memory window as a diagnostic triple,
 * so both roles see that the last answer had no code and why; but there is no code in it to diagnose
 * or rewrite, so the current code stays the latest attempt that has some (a failed one included: its
 * error is what the improver must fix), else the initial network. It is never handed out itself.
 */
export function createFeedbackMemory(snapshot?: unknown): Strategy {
  const state = snapshot === undefined ? { window: [] as MemoryEntry[], current: null as string | null, basis: {} as Record<string, string> } : State.parse(snapshot);
  return {
    name: 'feedback-memory',
    startsFromInitial: true,
    propose(ctx, slot) {
      const m = ctx.config.memory;
      // A snapshot written before attempts without code were skipped may still name one: fall back.
      const current = state.current !== null && ctx.log.hasArtifact(state.current) ? state.current : ctx.initialId!;
      const best = ctx.log.best();
      state.basis[candidateId(slot.index)] = m.reference && best ? best.id : current;
      return {
        operator: 'improve',
        parents: [ctx.log.ref(current)],
        prompt: null,
        temperature: m.temperature,
        memory: m.history ? structuredClone(state.window) : null,
        reference: m.reference && best ? ctx.log.ref(best.id) : null,
        improver: m.improver,
      };
    },
    observe(ctx, record) {
      if (record.operator === 'seed') {
        state.current = record.id;
        return;
      }
      const feedback = record.result.feedback;
      const basis = state.basis[record.id];
      delete state.basis[record.id];
      // Keys in MemoryEntry's schema order (a validated restore rebuilds them in that order).
      const entry: MemoryEntry = {
        candidateId: record.id,
        problem: feedback?.problem ?? '',
        suggestion: feedback?.suggestion ?? '',
        ...(feedback?.intent === undefined ? {} : { intent: feedback.intent }),
        outcome: record.result.outcome,
        baseline: basis === undefined ? null : ctx.log.fitness(basis),
      };
      state.window.push(entry);
      while (state.window.length > ctx.config.memory.window) state.window.shift();
      if (record.artifact !== null) state.current = record.id;
    },
    stats: () => ({ memory: state.window.length }),
    snapshot: () => structuredClone(state),
  };
}

/** Registry entry of the feedback-memory loop. */
export const feedbackMemoryStrategy: StrategyDefinition = {
  name: 'feedback-memory',
  description: 'feedback memory (Gu, Ignatov, Timofte 2026): improve the latest attempt with the best as reference and a window of diagnostic triples',
  needsDescriptors: false,
  create: (_config, snapshot) => createFeedbackMemory(snapshot),
};
