import { z } from 'zod';

/**
 * What a mutation prompt asks for, machine-readably. Prompt files under `prompts/` each name
 * one; rule-based operators carry the intent out as an edit, LLM operators read the prose.
 */
export const MutationIntent = z.enum([
  'add-layer', // insert one layer somewhere sensible
  'remove-layer', // remove one layer
  'improve', // make it better, free choice (also the random-generation ablation's prompt)
  'shrink-drastically', // cut size/compute a lot
  'grow-drastically', // add a lot of capacity
  'add-dense', // add a fully connected layer
  'add-conv', // add a convolution
  'add-pooling', // add a pooling layer
  'add-residual', // add one skip/residual connection
  'add-residuals', // add several residual connections
  'add-dropout', // add dropout
  'add-normalisation', // add batch normalisation
  'widen', // more channels/units
  'narrow', // fewer channels/units
  'change-activation', // swap an activation function
]);
export type MutationIntent = z.infer<typeof MutationIntent>;

/** The intent of the fixed crossover prompt. */
export const CROSSOVER_INTENT = 'crossover';
