import { FASHION_MNIST_CLASSES, loadFashionMnist } from '@nasfleet/datasets';
import { CodeSpaceOptions, createCodeSpace } from '@nasfleet/pipeline';
import type { DeferredDataset } from '@nasfleet/pipeline';
import { builtInSpaces } from '@nasfleet/spaces';
import { SpaceRegistry } from '@nasfleet/steps';
import type { SpaceDefinition } from '@nasfleet/steps';
import type { z } from 'zod';

/** Fashion-MNIST by name and shape; read only if something evaluates (an LLM worker never does). */
function deferredFashionMnist(dir: string): DeferredDataset {
  return { name: 'fashion-mnist', inputShape: [28, 28, 1], numClasses: FASHION_MNIST_CLASSES.length, load: () => loadFashionMnist(dir) };
}

/**
 * The built-in spaces (builtInSpaces(): same names, same option schemas) as an LLM worker needs
 * them: to generate and check. The code space is made from a deferred dataset, so checking answers
 * reads no images (the built-in definition loads Fashion-MNIST and draws the hold-out when the
 * space is made); the other spaces are the built-in definitions as they are.
 */
export function checkingSpaces(options: { fashionMnistDir: string }): SpaceRegistry {
  const builtIn = builtInSpaces({ fashionMnistDir: options.fashionMnistDir });
  const registry = new SpaceRegistry();
  for (const name of builtIn.names()) {
    const definition = builtIn.get(name);
    if (name !== 'code') {
      registry.register(definition);
      continue;
    }
    const code: SpaceDefinition<z.output<typeof CodeSpaceOptions>> = {
      name, description: definition.description, options: CodeSpaceOptions,
      // CodeSpaceOptions allows only fashion-mnist for now; its config is the rest.
      create: ({ dataset: _dataset, ...config }) => createCodeSpace(deferredFashionMnist(options.fashionMnistDir), config),
    };
    registry.register(code);
  }
  return registry;
}
