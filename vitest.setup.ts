/**
 * Runs in every test file (see vitest.shared.ts). Vitest's worker talks to the main process over RPC
 * calls that time out after 60 s, and their replies are read only when the event loop reaches its
 * poll phase. A file of synchronous tests (the engine's property tests, table look-ups) never gets
 * there between tests, so on a busy machine a reply can wait past the timeout and the run fails with
 * "Timeout calling onTaskUpdate" although every test passed. One setImmediate after each test lets
 * the loop read pending replies before their timers are checked again.
 */
import { afterEach } from 'vitest';

afterEach(async () => {
  await new Promise<void>((resolve) => setImmediate(resolve));
});
