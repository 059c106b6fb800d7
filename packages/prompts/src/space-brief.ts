/**
 * How an answer must look in the NB201 space, worded for the prompt (the code space's counterpart
 * is the sandbox's CODE_CONTRACT). The evaluator's extractCell takes the last arch string found.
 */
export const NB201_ANSWER_CONTRACT = `Answer with the new cell as one arch string in the format above, on a line of its own, e.g.
|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|nor_conv_3x3~2|
Use only the 5 operations none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3; node 1 has
1 input (~0), node 2 has 2 (~0, ~1), node 3 has 3 (~0, ~1, ~2). You may explain your change in a
sentence before it; write no other arch string after it.`;

/** What `describeTask` words. */
export interface TaskFacts {
  dataset: string;
  /** [height, width, channels]. */
  inputShape: readonly [number, number, number];
  numClasses: number;
  maxParams?: number;
  maxFlops?: number;
  maxActivationBytes?: number;
  /** A sentence on how a network is trained and scored, when the caller has one. */
  training?: string;
}

const count = (n: number): string =>
  n >= 1e9 ? `${+(n / 1e9).toFixed(2)} billion` : n >= 1e6 ? `${+(n / 1e6).toFixed(2)} million` : n >= 1e4 ? `${+(n / 1e3).toFixed(1)} thousand` : String(n);

/**
 * The task paragraph a `SpaceBrief` carries: dataset, input shape, classes and the budget caps, in
 * plain words ("... at most 1.5 million parameters ..."). Caps left out are not mentioned.
 */
export function describeTask(facts: TaskFacts): string {
  const [h, w, c] = facts.inputShape;
  const caps = [
    facts.maxParams === undefined ? null : `at most ${count(facts.maxParams)} parameters`,
    facts.maxFlops === undefined ? null : `at most ${count(facts.maxFlops)} FLOPs per image`,
    facts.maxActivationBytes === undefined ? null : `at most ${count(facts.maxActivationBytes)} bytes of activations per image`,
  ].filter((s): s is string => s !== null);
  const parts = [
    `Classify ${facts.dataset} images into ${facts.numClasses} classes. Each input is ${h}x${w} pixels with ${c} channel${c === 1 ? '' : 's'} (inputShape [${h}, ${w}, ${c}], channels last).`,
    caps.length > 0 ? `Budget: ${caps.join(', ')}.` : '',
    facts.training ?? '',
  ];
  return parts.filter((p) => p !== '').join(' ');
}
