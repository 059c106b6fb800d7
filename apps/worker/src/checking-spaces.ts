import { builtInSpaces } from '@nasfleet/spaces';
import type { SpaceRegistry } from '@nasfleet/steps';

/**
 * The built-in spaces as an LLM worker needs them: to generate and check. The code space reads no
 * image until something trains (checking needs only the input shape); an LLM worker never does.
 */
export function checkingSpaces(options: { fashionMnistDir: string }): SpaceRegistry {
  return builtInSpaces({ fashionMnistDir: options.fashionMnistDir, codeImages: 'at-first-training' });
}
