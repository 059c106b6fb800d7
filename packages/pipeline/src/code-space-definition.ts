import { z } from 'zod';
import type { ImageDataset } from '@nasfleet/datasets';
import type { SpaceDefinition } from '@nasfleet/steps';
import { CodeSpaceConfig, createCodeSpace } from './code-space.ts';

/** The code space's options as a search request names them: the dataset, and the caps, sandbox, training and hold-out. */
export const CodeSpaceOptions = CodeSpaceConfig.extend({
  /** The images networks are trained on; the loader the definition was given reads them. */
  dataset: z.enum(['fashion-mnist']).default('fashion-mnist'),
});
export type CodeSpaceOptions = z.input<typeof CodeSpaceOptions>;

/** The open code space for a registry; `loadDataset` reads the named dataset (once per name). */
export function codeSpaceDefinition(loadDataset: (name: z.output<typeof CodeSpaceOptions>['dataset']) => Promise<ImageDataset>): SpaceDefinition<z.output<typeof CodeSpaceOptions>> {
  const loaded = new Map<string, Promise<ImageDataset>>();
  return {
    name: 'code',
    description: 'TF.js networks an LLM writes, sandboxed, checked and trained for a short proxy (fashion-mnist)',
    options: CodeSpaceOptions,
    async create({ dataset, ...config }) {
      let images = loaded.get(dataset);
      if (!images) loaded.set(dataset, (images = loadDataset(dataset)));
      return createCodeSpace(await images, config);
    },
  };
}
