import { z } from 'zod';
import { formatZodError } from '@nasfleet/contracts';
import { builtInStrategies, SearchConfig } from '@nasfleet/search';
import type { StrategyRegistry } from '@nasfleet/search';
import type { SpaceRegistry } from '@nasfleet/steps';
import type { SearchSpec } from '../search-spec.ts';

/** Placeholder network-archive bounds for checking a config whose bounds come from the space (its engine fills them in). */
const SOME_BOUNDS: [number, number][] = [[0, 1]];

/** Settings an object schema does not know: zod drops them silently, so a typo would quietly mean the default. */
function unknownKeys(schema: z.ZodType, value: unknown, path: string): string[] {
  if (!(schema instanceof z.ZodObject) || typeof value !== 'object' || value === null) return [];
  const known = Object.keys(schema.shape);
  return Object.keys(value)
    .filter((key) => !known.includes(key))
    .map((key) => `${path}.${key}: unknown setting (known: ${known.join(', ')})`);
}

/** A zod error's issues under a prefix, in formatZodError's words. */
function issuesUnder(error: z.ZodError, prefix: string): string[] {
  return formatZodError(new z.ZodError(error.issues.map((i) => ({ ...i, path: [prefix, ...i.path] }))), { separator: '\n' }).split('\n');
}

/**
 * What SearchSpec cannot check on its own, checked before a search is created so that a bad one is a
 * 400 and not a search that fails when its orchestrator makes its engine: the space exists and its
 * options fit the space's schema; the strategy is registered and the engine's config is valid. Returns
 * one "field.path: problem" line per problem (empty: fine).
 */
export function checkSubmission(spec: SearchSpec, spaces: SpaceRegistry, strategies: StrategyRegistry = builtInStrategies): string[] {
  const problems: string[] = [];
  if (!spaces.names().includes(spec.space.name)) {
    problems.push(`space.name: unknown search space '${spec.space.name}' (registered: ${spaces.names().join(', ')})`);
  } else {
    const options = spaces.get(spec.space.name).options;
    const parsed = options.safeParse(spec.space.options);
    if (!parsed.success) problems.push(...issuesUnder(parsed.error, 'space.options'));
    problems.push(...unknownKeys(options, spec.space.options, 'space.options'));
  }
  if (!strategies.has(spec.config.strategy)) {
    problems.push(`config.strategy: unknown strategy '${spec.config.strategy}' (registered: ${strategies.names().join(', ')})`);
  }
  const networkArchive = { bounds: SOME_BOUNDS, ...spec.config.networkArchive };
  const config = SearchConfig.safeParse({ ...spec.config, networkArchive });
  if (!config.success) problems.push(...issuesUnder(config.error, 'config'));
  problems.push(...unknownKeys(SearchConfig, spec.config, 'config'));
  return problems;
}
