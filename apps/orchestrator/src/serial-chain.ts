/** Runs an operation after every one handed in before it has settled; resolves or rejects as it does. */
export type Serial = <T>(label: string, f: () => Promise<T>) => Promise<T>;

/**
 * One operation at a time, in the order they are handed in (one promise chain): a failed operation
 * does not stop the next. Everything an orchestrator does to its searches goes through one such chain,
 * so a single operation that never settles (a Redis call lost in a reconnect) would stop it silently:
 * an operation still running `slowMs` after it started is logged, again every `slowMs`, and once more
 * when it settles, each line naming it and how long it has run.
 */
export function createSerial(options: { slowMs: number; log: (line: string) => void; now?: () => number }): Serial {
  const now = options.now ?? Date.now;
  let chain: Promise<unknown> = Promise.resolve();
  const watched = async <T>(label: string, f: () => Promise<T>): Promise<T> => {
    const started = now();
    let slow = false;
    const seconds = () => `${Math.round((now() - started) / 1000)} s`;
    const timer = setInterval(() => {
      slow = true;
      options.log(`${label}: still running after ${seconds()}; nothing else this orchestrator does to its searches runs until it settles`);
    }, options.slowMs);
    timer.unref();
    try {
      return await f();
    } finally {
      clearInterval(timer);
      if (slow) options.log(`${label}: settled after ${seconds()}`);
    }
  };
  return (label, f) => {
    const run = () => watched(label, f);
    const next = chain.then(run, run);
    chain = next.catch(() => undefined);
    return next;
  };
}
