import { describe, expect, it } from 'vitest';
import type { CandidateRef, CandidateRequest, MemoryEntry } from '@nasfleet/contracts';
import { loadPromptSet } from './prompt-set.ts';
import { renderRequest } from './render-request.ts';
import type { ChatMessage, SpaceBrief } from './render-request.ts';
import { describeTask, NB201_ANSWER_CONTRACT } from './space-brief.ts';

const set = loadPromptSet();
const CONTRACT = 'Answer with exactly one ```javascript code block that defines buildModel(tf, inputShape, numClasses).';
const codeBrief: SpaceBrief = {
  space: 'code',
  task: describeTask({ dataset: 'Fashion-MNIST', inputShape: [28, 28, 1], numClasses: 10, maxParams: 1_500_000, maxFlops: 50_000_000 }),
  answerContract: CONTRACT,
  fitnessUnit: 'fraction', // these tests' candidates score in [0, 1]
};
const nb201Brief: SpaceBrief = { space: 'nb201', task: 'Classify CIFAR-10 images (NAS-Bench-201, 200-epoch validation accuracy).', answerContract: NB201_ANSWER_CONTRACT };

// Code with what HTML escaping or a naive fence would break: < > & quotes, a template literal, a ``` line.
const net = (filters: number) => `function buildModel(tf, inputShape, numClasses) {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape, filters: ${filters}, kernelSize: 3, padding: "same", activation: 'relu' }));
  const note = \`a < b && c > d {{not a tag}}\`;
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: numClasses }));
  return model;
}`;
const wholeAnswer = `Here is my network:\n\n\`\`\`javascript\n${net(8)}\n\`\`\`\n`;
const ok = (fitness: number) => ({ status: 'ok' as const, fitness });
const failed = (cls: 'shape' | 'syntax', message: string) => ({ status: 'failed' as const, failure: { class: cls, message } });
const ref = (id: string, artifact: string, outcome: CandidateRef['outcome']): CandidateRef => ({ id, artifact, outcome });
const memory: MemoryEntry[] = [
  { candidateId: 'c3', problem: 'the network is shallow', suggestion: 'add a 3x3 convolution with 32 filters', intent: 'add-conv', outcome: ok(0.812), baseline: 0.79 },
  { candidateId: 'c4', problem: 'features are too large', suggestion: 'pool after the first block', intent: 'add-pooling', outcome: failed('shape', 'maxPooling2d: the 1x1 input is smaller than the 2x2 pool'), baseline: 0.812 },
  { candidateId: 'c5', problem: '', suggestion: '', outcome: failed('syntax', 'Unexpected token ) at line 3') },
];
const request = (over: Partial<CandidateRequest>): CandidateRequest => ({
  id: 'c9', index: 9, generation: 1, strategy: 'llmatic', operator: 'mutate', parents: [ref('c2', net(16), ok(0.803))],
  prompt: { id: 'add-conv', intent: 'add-conv' }, temperature: 0.6, memory: null, reference: null, improver: false, seed: 7, ...over,
});
const promptText = (id: string) => [...set.mutations, set.crossover].find((p) => p.id === id)!.text;
const text = (messages: ChatMessage[]) => messages.map((m) => m.content).join('\n');

function expectClean(messages: ChatMessage[]): void {
  expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
  // A leftover tag would be a placeholder the view lacks; the only `{{` allowed is the one inside the code.
  for (const m of messages) expect(m.content.replaceAll('{{not a tag}}', '')).not.toMatch(/\{\{|\}\}/);
  expect(messages[0]!.content).toContain('The task:');
}

describe('renderRequest: mutate (LLMatic, and the hybrid with lineage memory)', () => {
  it('has the task, the parent code verbatim with its accuracy, the instruction and the contract; no improver', () => {
    const rendered = renderRequest(request({}), set, codeBrief);
    expect(rendered.improver).toBeNull();
    const messages = rendered.generator(null);
    expectClean(messages);
    expect(messages[0]!.content).toContain(codeBrief.task);
    expect(messages[0]!.content).toContain('at most 1.5 million parameters');
    const user = messages[1]!.content;
    expect(user).toContain(`\`\`\`javascript\n${net(16)}\n\`\`\``);
    expect(user).toContain('(result: accuracy 80.3%)');
    expect(user).toContain(promptText('add-conv'));
    expect(user).toContain(CONTRACT);
    expect(user).not.toContain('Earlier attempts');
    expect(user).not.toContain('&lt;');
  });

  it('with lineage memory lists every triple, failed ones with their class and message', () => {
    const user = renderRequest(request({ strategy: 'hybrid', memory }), set, codeBrief).generator(null)[1]!.content;
    expect(user).toContain('1. Problem: the network is shallow\n   Change: add a 3x3 convolution with 32 filters (intent: add-conv)\n   Result: accuracy 81.2% (before: 79.0%)');
    expect(user).toContain('Result: failed (shape): maxPooling2d: the 1x1 input is smaller than the 2x2 pool (before: 81.2%)');
    expect(user).toContain('3. Problem: (not recorded)\n   Change: (not recorded)\n   Result: failed (syntax): Unexpected token ) at line 3');
  });

  it('fences a whole stored answer with a longer fence, so its own ``` cannot end the block', () => {
    const user = renderRequest(request({ parents: [ref('c2', wholeAnswer, null)] }), set, codeBrief).generator(null)[1]!.content;
    expect(user).toContain(`\`\`\`\`javascript\n${wholeAnswer.trimEnd()}\n\`\`\`\``);
    expect(user).toContain('(result: not evaluated yet)');
  });

  it('a failed parent (the initial network while seeding) comes with its failure to fix', () => {
    const user = renderRequest(request({ parents: [ref('c0', net(4), failed('shape', 'conv2d: kernel 3 > input 2'))] }), set, codeBrief).generator(null)[1]!.content;
    expect(user).toContain('(result: failed (shape))');
    expect(user).toContain('conv2d: kernel 3 > input 2');
  });

  it('no prompt (regularized evolution) reads as the improve prompt; an unknown prompt id falls back to its intent, else throws', () => {
    expect(text(renderRequest(request({ prompt: null }), set, codeBrief).generator(null))).toContain(promptText('improve'));
    expect(text(renderRequest(request({ prompt: { id: 'renamed', intent: 'widen' } }), set, codeBrief).generator(null))).toContain(promptText('widen'));
    expect(() => renderRequest(request({ prompt: { id: 'gone', intent: 'fly' } }), set, codeBrief)).toThrow(/prompt "gone"/);
  });

  it('in NB201 the framing explains the cell and the parent is the arch string, accuracy in percent as the table has it', () => {
    const cell = '|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|skip_connect~2|';
    const messages = renderRequest(request({ parents: [ref('c2', cell, ok(91.234))], prompt: { id: 'add-pooling', intent: 'add-pooling' } }), set, nb201Brief).generator(null);
    expectClean(messages);
    expect(messages[0]!.content).toMatch(/NAS-Bench-201[\s\S]*avg_pool_3x3[\s\S]*add-pooling: turn an edge into avg_pool_3x3/);
    expect(messages[0]!.content).toContain(nb201Brief.task);
    expect(messages[1]!.content).toContain(`\`\`\`text\n${cell}\n\`\`\``);
    expect(messages[1]!.content).toContain('(result: accuracy 91.2%)');
    expect(messages[1]!.content).toContain(NB201_ANSWER_CONTRACT);
    expect(messages[1]!.content).toContain(promptText('add-pooling'));
  });
});

describe('renderRequest: crossover', () => {
  it('shows every parent with its code and accuracy, the crossover instruction and the first parent\'s memory', () => {
    const parents = [ref('a', net(8), ok(0.7)), ref('b', net(24), ok(0.755)), ref('c', net(40), ok(0.9))];
    const r = renderRequest(request({ operator: 'crossover', parents, prompt: { id: 'crossover', intent: 'crossover' }, memory: memory.slice(0, 1) }), set, codeBrief);
    expect(r.improver).toBeNull();
    const messages = r.generator(null);
    expectClean(messages);
    const user = messages[1]!.content;
    expect(user).toContain('Below are 3 networks');
    parents.forEach((p, i) => expect(user).toContain(`## Network ${i + 1} (result: accuracy ${[70, 75.5, 90][i]!.toFixed(1)}%)\n\`\`\`javascript\n${p.artifact}\n\`\`\``));
    expect(user).toContain(set.crossover.text);
    expect(user).toContain('Result: accuracy 81.2%');
    expect(user).toContain(CONTRACT);
  });
});

describe('renderRequest: improve (feedback-memory)', () => {
  const current = ref('c8', net(12), failed('shape', 'dense: expected 2 dimensions, got a [null, 7, 7, 12] input'));
  const reference = ref('c6', net(32), ok(0.874));
  const improve = (over: Partial<CandidateRequest> = {}) =>
    request({ strategy: 'feedback-memory', operator: 'improve', prompt: null, parents: [current], reference, memory, improver: true, ...over });

  it('the improver sees the current attempt, its failure diagnostics, the reference with accuracy, the memory and the intents; no code contract', () => {
    const r = renderRequest(improve(), set, codeBrief);
    expectClean(r.improver!);
    const user = r.improver![1]!.content;
    expect(user).toContain(`## Current attempt (result: failed (shape))\n\`\`\`javascript\n${net(12)}\n\`\`\``);
    expect(user).toContain('shape error.\ndense: expected 2 dimensions, got a [null, 7, 7, 12] input');
    expect(user).toContain(`## Reference: the best network so far (result: accuracy 87.4%)\n\`\`\`javascript\n${net(32)}\n\`\`\``);
    for (const m of memory) expect(user).toContain(m.outcome.status === 'ok' ? 'accuracy 81.2%' : m.outcome.failure.message);
    for (const p of set.mutations) expect(user).toContain(`- ${p.intent}: ${p.text}`);
    expect(user).toContain('"problem"');
    expect(user).not.toContain(CONTRACT);
  });

  it('the generator gets the improver\'s feedback and the instruction of the intent it named, plus the same context', () => {
    const messages = renderRequest(improve(), set, codeBrief).generator({ problem: 'the dense layer gets a 4-D input', suggestion: 'flatten before the dense layer', intent: 'add-pooling' });
    expectClean(messages);
    const user = messages[1]!.content;
    expect(user).toContain('Problem: the dense layer gets a 4-D input\nSuggestion: flatten before the dense layer (intent: add-pooling)');
    expect(user).toContain(promptText('add-pooling'));
    expect(user).toContain(net(12));
    expect(user).toContain(net(32));
    expect(user).toContain('dense: expected 2 dimensions');
    expect(user).toContain('Result: failed (syntax): Unexpected token ) at line 3');
    expect(user).toContain(CONTRACT);
  });

  it('without the improver (ablation) there is no improver conversation and the generator has the improve instruction, no feedback', () => {
    const r = renderRequest(improve({ improver: false }), set, codeBrief);
    expect(r.improver).toBeNull();
    const user = r.generator(null)[1]!.content;
    expect(user).toContain(promptText('improve'));
    expect(user).not.toContain("improver's feedback");
  });

  it('without reference and history (ablations) those sections are left out, not rendered empty', () => {
    const r = renderRequest(improve({ reference: null, memory: null, parents: [ref('c8', net(12), ok(0.6))] }), set, codeBrief);
    for (const messages of [r.improver!, r.generator(null)]) {
      expectClean(messages);
      expect(messages[1]!.content).not.toMatch(/Reference:|Feedback memory|Why the current attempt failed/);
      expect(messages[1]!.content).toContain('(result: accuracy 60.0%)');
    }
  });

  it('reads fitness as percent unless told otherwise, in both spaces (what the code space tells the engine)', () => {
    const { fitnessUnit: _unit, ...percentBrief } = codeBrief;
    const user = renderRequest(improve({ reference: ref('c6', net(32), ok(87.4)), memory: null }), set, percentBrief).improver![1]!.content;
    expect(user).toContain('(result: accuracy 87.4%)');
    expect(user).not.toContain('8740');
  });
});

describe('renderRequest: requests that need no LLM', () => {
  it('throws a clear error for seed and sample', () => {
    expect(() => renderRequest(request({ operator: 'seed' }), set, codeBrief)).toThrow(/'seed' request needs no LLM/);
    expect(() => renderRequest(request({ operator: 'sample', parents: [] }), set, codeBrief)).toThrow(/'sample' request needs no LLM/);
    expect(() => renderRequest(request({ parents: [] }), set, codeBrief)).toThrow(/at least one parent/);
  });
});
