import { describe, expect, it } from 'vitest';
import type { MemoryEntry } from '@nasfleet/contracts';
import { formatSuggestion, parseSuggestion, readMemory, verdictOf } from './edit-memory.ts';

const entry = (suggestion: string, fitness: number | null, baseline: number | null, intent?: string): MemoryEntry => ({
  candidateId: 'x',
  problem: 'p',
  suggestion,
  ...(intent ? { intent } : {}),
  outcome: fitness === null ? { status: 'failed', failure: { class: 'invalid-artifact', message: 'bad' } } : { status: 'ok', fitness },
  baseline,
});

describe('edit memory', () => {
  it('round-trips suggestions and ignores prose around them', () => {
    const text = formatSuggestion([{ edge: 4, op: 3 }, { edge: 3, op: 1 }]);
    expect(text).toBe('set edge 1->3 to nor_conv_3x3; set edge 0->3 to skip_connect');
    expect(parseSuggestion(`I would ${text}.`)).toEqual([{ edge: 4, op: 3 }, { edge: 3, op: 1 }]);
    expect(parseSuggestion('Set edge 1→2 to AVG_POOL_3X3, set edge 3->1 to none, set edge 0->1 to maxpool')).toEqual([{ edge: 2, op: 4 }]);
  });

  it('judges entries against their baseline', () => {
    expect(verdictOf(entry('', 90, 85))).toBe('helped');
    expect(verdictOf(entry('', 80, 85))).toBe('hurt');
    expect(verdictOf(entry('', 85, 85))).toBe('neutral');
    expect(verdictOf(entry('', 85, null))).toBe('neutral');
    expect(verdictOf(entry('', null, 85))).toBe('failed');
  });

  it('collects what to avoid and prefer, later entries winning', () => {
    const lessons = readMemory([
      entry('set edge 0->1 to nor_conv_3x3', 80, 85, 'add-conv'),
      entry('set edge 0->2 to avg_pool_3x3', null, 85, 'add-pooling'),
      entry('set edge 1->2 to nor_conv_1x1', 90, 85, 'add-dense'),
      entry('set edge 0->1 to nor_conv_3x3', 91, 85, 'add-conv'),
    ]);
    expect([...lessons.avoid]).toEqual(['1:4']);
    expect([...lessons.prefer].sort()).toEqual(['0:3', '2:2']);
    expect(lessons.intentScore.get('add-pooling')).toBe(-2);
    expect(lessons.intentScore.get('add-conv')).toBe(0);
    expect(lessons.intentScore.get('add-dense')).toBe(1);
    expect(readMemory(null).avoid.size).toBe(0);
  });
});
