// The shared test settings (pool, timeouts for a busy machine: see vitest.shared.ts at the top), with
// two files at once here: these tests mostly wait on the processes they start (the CLI, a fleet, the
// Ollama double answering at its set pace), and this is the suite's longest workspace.
import { mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.ts';

export default mergeConfig(shared, { test: { maxWorkers: 2, minWorkers: 1 } });
