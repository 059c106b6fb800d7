import { z } from 'zod';

/**
 * How much the rule-based NB201 operator knows about good cells. The search strategies only ever
 * name an intent ("improve", "add-conv", …); the level decides how the operator carries it out.
 *
 * - `expert` (default): a stand-in for an LLM's prior about NB201. `improve` turns none, pooling,
 *   inner skip and 1×1 edges into 3×3 convolutions (weakest first); no edit touches the skip on edge
 *   0→3 except to restore it; added convolutions are 3×3 70% of the time; the feedback loop's
 *   improver tries intents in an expert order (improve, widen, add-conv, …). A search with this
 *   operator is measured as much as the strategy: it reaches the best cells in a handful of edits.
 * - `neutral`: the primary measure of a search *strategy*. Each intent is a uniform random edit of
 *   its kind: add-conv puts a convolution of uniformly drawn kernel size on a uniformly drawn edge
 *   that has none; improve sets a uniformly drawn edge to a uniformly drawn other op; no edge is
 *   protected; the improver breaks ties between intents uniformly at random. Edit counts per
 *   temperature, feedback memory (avoid / prefer) and crossover are the same at both levels.
 */
export const Nb201OperatorLevel = z.enum(['expert', 'neutral']);
export type Nb201OperatorLevel = z.infer<typeof Nb201OperatorLevel>;
