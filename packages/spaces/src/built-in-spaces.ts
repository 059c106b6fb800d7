import { loadFashionMnist } from '@nasfleet/datasets';
import { loadNb201Table, nb201SpaceDefinition } from '@nasfleet/nb201';
import { codeSpaceDefinition } from '@nasfleet/pipeline';
import { SpaceRegistry } from '@nasfleet/steps';

/**
 * The spaces this build ships, by name: `nb201` (the table, read on first use) and `code` (TF.js
 * networks on Fashion-MNIST, read from `fashionMnistDir` on first use). A process that takes search
 * requests (the CLI now, the orchestrator later) makes a space from `{ name, options }` alone.
 */
export function builtInSpaces(options: { fashionMnistDir?: string } = {}): SpaceRegistry {
  return new SpaceRegistry()
    .register(nb201SpaceDefinition(() => loadNb201Table()))
    .register(codeSpaceDefinition(() => loadFashionMnist(options.fashionMnistDir)));
}
