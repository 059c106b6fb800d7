import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Everything the bench started (redis-server, fleet processes, servers, connections), undone in the
 * reverse order on the way out: at the end, on an exception, and on Ctrl-C / SIGTERM. A step that
 * fails, or takes longer than its timeout (a client closing against a Redis that Ctrl-C already
 * stopped retries for a while), is reported and the rest still run, so one stuck step never leaves
 * the others behind.
 */
export class Cleanup {
  private readonly steps: { name: string; run: () => Promise<unknown>; timeoutMs: number }[] = [];
  private running: Promise<void> | null = null;

  constructor(private readonly stepTimeoutMs = 20_000) {}

  /** Registers an undo step (given up on after `timeoutMs`); returns a function that runs it now (once) and unregisters it. */
  add(name: string, run: () => Promise<unknown>, timeoutMs = this.stepTimeoutMs): () => Promise<void> {
    const step = { name, run, timeoutMs };
    this.steps.push(step);
    return async () => {
      const i = this.steps.indexOf(step);
      if (i < 0) return;
      this.steps.splice(i, 1);
      await run();
    };
  }

  /** Runs every registered step, the last registered first; a second call waits for the first. */
  runAll(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<void> {
    this.running ??= (async () => {
      while (this.steps.length > 0) {
        const step = this.steps.pop()!;
        try {
          const timedOut = Symbol('timed out');
          const ended = await Promise.race([step.run(), sleep(step.timeoutMs, timedOut, { ref: false })]);
          if (ended === timedOut) log(`cleanup: ${step.name} did not finish within ${step.timeoutMs / 1000} s; going on`);
        } catch (error) {
          log(`cleanup: ${step.name} failed: ${(error as Error).message}`);
        }
      }
    })();
    return this.running;
  }
}
