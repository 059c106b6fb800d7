import { z } from 'zod';
import type { ImageDataset } from '@nasfleet/datasets';
import type { SpaceDefinition } from '@nasfleet/steps';
import { CodeSpaceConfig, createCodeSpace } from './code-space.ts';
import type { DeferredDataset } from './code-space.ts';

/** The code space's options as a search request names them: the dataset, and the caps, sandbox, training and hold-out. */
export const CodeSpaceOptions = CodeSpaceConfig.extend({
  /** The images networks are trained on; the loader the definition was given reads them. */
  dataset: z.enum(['fashion-mnist']).default('fashion-mnist'),
});
export type CodeSpaceOptions = z.input<typeof CodeSpaceOptions>;

/**
 * The open code space for a registry. `dataset` gives the named dataset: its images (read once per
 * name, when a space is made), or a DeferredDataset (its name and shape; the images are read at the
 * first training, or never by a process that only checks answers).
 */
export function codeSpaceDefinition(dataset: (name: z.output<typeof CodeSpaceOptions>['dataset']) => Promise<ImageDataset> | DeferredDataset): SpaceDefinition<z.output<typeof CodeSpaceOptions>> {
  const loaded = new Map<string, Promise<ImageDataset>>();
  return {
    name: 'code',
    description: 'TF.js networks an LLM writes, sandboxed, checked and trained for a short proxy (fashion-mnist)',
    options: CodeSpaceOptions,
    async create({ dataset: name, ...config }) {
      let images = loaded.get(name);
      if (!images) {
        const source = dataset(name);
        if (!(source instanceof Promise)) return createCodeSpace(source, config);
        loaded.set(name, (images = source));
      }
      return createCodeSpace(await images, config);
    },
  };
}
