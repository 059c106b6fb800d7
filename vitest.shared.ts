/**
 * The one vitest configuration every workspace's `vitest.config.ts` re-exports. Chosen so that the
 * suite passes on a loaded 2-core machine (CI runs three workspaces at once under turbo: many tests
 * mostly wait on the processes they start):
 * - `forks`: each test file in a child process, so a test that keeps its thread busy (TF.js training,
 *   a sandbox run) cannot starve another file's worker, and a crash in native or wasm code stays there.
 * - `maxWorkers: 1` per workspace: turbo already runs three workspaces in parallel; more forks than
 *   cores only multiplies the time every test waits for a core.
 * - wide timeouts: a test's own `{ timeout }` where it is slow; this default covers the rest. No test
 *   asserts on wall-clock time; limits that must trigger are deterministic (sizes, interpreter steps).
 * - `vitest.setup.ts`: the event loop turns after every test, so vitest's own RPC replies are read in
 *   time even in a file of long synchronous tests.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 1,
    minWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    setupFiles: [fileURLToPath(new URL('./vitest.setup.ts', import.meta.url))],
  },
});
