import { HOSTILE_ANSWERS } from '@nasfleet/sandbox/fixtures/hostile/hostile-answers.ts';
import type { HostileAnswer } from '@nasfleet/sandbox/fixtures/hostile/hostile-answers.ts';

/** The ways the responder can answer badly, played on demand. */
export const BROKEN_MODES = ['no-code', 'syntax-error', 'wrong-shape', 'endless-loop', 'hostile', 'python', 'ramble', 'bad-json'] as const;
export type BrokenMode = (typeof BROKEN_MODES)[number];

/**
 * The failure classes the code space's pipeline gives each broken answer (a hostile answer: its
 * fixture's classes). In NB201 every broken answer is simply no valid cell ('invalid-artifact').
 */
export const EXPECTED_CLASSES: Record<Exclude<BrokenMode, 'hostile' | 'bad-json'>, readonly string[]> = {
  'no-code': ['extraction'],
  'syntax-error': ['syntax'],
  'wrong-shape': ['shape'],
  'endless-loop': ['timeout'],
  python: ['extraction'],
  ramble: ['extraction'],
};

const fenced = (code: string) => `\`\`\`javascript\n${code}\n\`\`\``;
/** Code after its `function buildModel(...) {` line, with `line` inserted there. */
const insertAfterHead = (code: string, line: string) => code.replace(/^(function buildModel\([^)]*\)\s*\{\n)/, `$1${line}\n`);

/** Prose a model writes when it ignores the format; `words` long, no code, no cell, no JSON. */
export function ramble(words: number): string {
  const phrases = [
    'Let me think about this step by step.', 'The network could be improved in several ways.', 'Deeper networks tend to learn richer features,',
    'but they are also harder to train in a short run.', 'Normalisation often helps, and so does a sensible amount of pooling.',
    'On the other hand, too much pooling throws away spatial detail.', 'It is worth considering the trade-off between width and depth.',
  ];
  const out: string[] = [];
  for (let n = 0, i = 0; n < words; i++) {
    const phrase = phrases[i % phrases.length]!;
    out.push(phrase);
    n += phrase.split(' ').length;
  }
  return out.join(' ');
}

/**
 * A broken answer in the code space. Where there is code to break, `code` (what the cooperative
 * answer would have been) is broken so that the answer still looks like a real attempt at the task.
 */
export function brokenCodeAnswer(mode: Exclude<BrokenMode, 'hostile'>, code: string, seed: number): string {
  switch (mode) {
    case 'no-code':
      return 'I reviewed the network. Its structure is already sensible, so I would keep it as it is and train it for longer instead.';
    case 'syntax-error':
      // A declaration without a name: a SyntaxError wherever it stands.
      return `Here is the improved network.\n\n${fenced(insertAfterHead(code, '  const = tf.layers;'))}\n`;
    case 'wrong-shape': {
      const a = 8 + (seed % 8);
      return `I added a residual branch.\n\n${fenced(`function buildModel(tf, inputShape, numClasses) {
  const input = tf.input({ shape: inputShape });
  const a = tf.layers.conv2d({ filters: ${a}, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(input);
  const b = tf.layers.conv2d({ filters: ${2 * a}, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(input);
  let x = tf.layers.add().apply([a, b]);
  x = tf.layers.flatten().apply(x);
  const out = tf.layers.dense({ units: numClasses, activation: 'softmax' }).apply(x);
  return tf.model({ inputs: input, outputs: out });
}`)}\n`;
    }
    case 'endless-loop':
      return `This version searches for a good width before building.\n\n${fenced(insertAfterHead(code, '  let width = 1;\n  while (width > 0) width = (width * 3 + 1) % 1000003 + 1;'))}\n`;
    case 'python':
      return `Here is the network in PyTorch:\n\n\`\`\`python\nimport torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self, num_classes=10):\n        super().__init__()\n        self.features = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))\n        self.classifier = nn.Linear(32 * 14 * 14, num_classes)\n\n    def forward(self, x):\n        return self.classifier(self.features(x).flatten(1))\n\`\`\`\n`;
    case 'ramble':
      return ramble(3000);
    case 'bad-json':
      return 'Sure! {problem: the network is too small, suggestion: add more layers and train longer';
  }
}

/** A broken answer in the NB201 space: in every mode, no valid cell. */
export function brokenCellAnswer(mode: Exclude<BrokenMode, 'hostile'>, cell: string): string {
  switch (mode) {
    case 'syntax-error':
      // Node 3 lost its last input edge.
      return `The new cell:\n\n${cell.replace(/\|[a-z0-9_]+~2\|$/, '|')}\n`;
    case 'wrong-shape':
      // Node 2's first input named as node 1: edges that do not exist in the DAG.
      return `The new cell:\n\n${cell.replace(/\+\|([a-z0-9_]+)~0\|/, '+|$1~1|')}\n`;
    case 'python':
      return brokenCodeAnswer('python', '', 0);
    case 'bad-json':
      return brokenCodeAnswer('bad-json', '', 0);
    case 'no-code':
      return 'The cell is already strong; I would keep every edge as it is.';
    case 'endless-loop':
    case 'ramble':
      return ramble(3000);
  }
}

/** The hostile answers, played in turn. */
export function hostileAnswer(turn: number): HostileAnswer {
  return HOSTILE_ANSWERS[turn % HOSTILE_ANSWERS.length]!;
}
