import { FASHION_MNIST_CLASSES, FASHION_MNIST_DEBIAN_DIR, loadFashionMnist } from '@nasfleet/datasets';
import { loadNb201Table, nb201SpaceDefinition } from '@nasfleet/nb201';
import { codeSpaceDefinition } from '@nasfleet/pipeline';
import { SpaceRegistry } from '@nasfleet/steps';

/** When the code space reads its images: when a space is made (a local search), at its first training, or never. */
export type CodeImages = 'at-creation' | 'at-first-training' | 'never';

export interface BuiltInSpacesOptions {
  fashionMnistDir?: string;
  /**
   * 'at-creation' (default): a local search, which trains at once. 'at-first-training': an LLM worker,
   * which only checks answers (shape and caps need no image). 'never': the orchestrator, whose
   * candidates train on training workers from the space's dataset reference; reading would be a bug.
   */
  codeImages?: CodeImages;
}

/**
 * The spaces this build ships, by name: `nb201` (the table, read on first use) and `code` (TF.js
 * networks on Fashion-MNIST from `fashionMnistDir`). A process that takes search requests (the CLI,
 * the orchestrator, the workers) makes a space from `{ name, options }` alone.
 */
export function builtInSpaces(options: BuiltInSpacesOptions = {}): SpaceRegistry {
  const dir = options.fashionMnistDir ?? FASHION_MNIST_DEBIAN_DIR;
  const when = options.codeImages ?? 'at-creation';
  const byName = {
    name: 'fashion-mnist', inputShape: [28, 28, 1] as [number, number, number], numClasses: FASHION_MNIST_CLASSES.length,
    load: () => (when === 'never'
      ? Promise.reject(new Error('this process does not train: code-space candidates go to training workers as TrainJobs'))
      : loadFashionMnist(dir)),
  };
  return new SpaceRegistry()
    .register(nb201SpaceDefinition(() => loadNb201Table()))
    .register(codeSpaceDefinition(() => (when === 'at-creation' ? loadFashionMnist(dir) : byName)));
}
