import { builtInSpaces } from '@nasfleet/spaces';
import type { SpaceRegistry } from '@nasfleet/steps';

/**
 * The built-in spaces as the orchestrator needs them: the code space never reads an image (its
 * datasetRef and trainConfig go into TrainJobs; reading would be a bug, and it says so); NB201 as it
 * is (its evaluate is the table look-up, done inline).
 */
export function orchestratorSpaces(): SpaceRegistry {
  return builtInSpaces({ codeImages: 'never' });
}
