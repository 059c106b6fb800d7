import { CodeSpaceOptions, createCodeSpace } from '@nasfleet/pipeline';
import type { DeferredDataset } from '@nasfleet/pipeline';
import { builtInSpaces } from '@nasfleet/spaces';
import { SpaceRegistry } from '@nasfleet/steps';
import type { SpaceDefinition } from '@nasfleet/steps';
import type { z } from 'zod';

/**
 * Fashion-MNIST by name and shape only: the orchestrator never trains (training workers do, from
 * the space's datasetRef), so reading its images would be a bug, and it says so.
 */
const fashionMnistByName: DeferredDataset = {
  name: 'fashion-mnist', inputShape: [28, 28, 1], numClasses: 10,
  load: () => Promise.reject(new Error('the orchestrator does not train: code-space candidates go to training workers as TrainJobs')),
};

/**
 * The built-in spaces as the orchestrator needs them: the same names and option schemas as
 * builtInSpaces(), the code space made on a deferred dataset (its datasetRef and trainConfig go into
 * TrainJobs, no image is read); NB201 as it is (its evaluate is the table look-up, done inline).
 */
export function orchestratorSpaces(): SpaceRegistry {
  const builtIn = builtInSpaces();
  const registry = new SpaceRegistry();
  for (const name of builtIn.names()) {
    const definition = builtIn.get(name);
    if (name !== 'code') {
      registry.register(definition);
      continue;
    }
    const code: SpaceDefinition<z.output<typeof CodeSpaceOptions>> = {
      name, description: definition.description, options: CodeSpaceOptions,
      create: ({ dataset: _dataset, ...config }) => createCodeSpace(fashionMnistByName, config),
    };
    registry.register(code);
  }
  return registry;
}
