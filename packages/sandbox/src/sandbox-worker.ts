/**
 * Entry of a sandbox worker thread: runs one job at a time in this thread's QuickJS engine and posts
 * the result back. The pool owns the hard deadline and the worker's life; this side only reports
 * whether its engine is still fit for reuse.
 */
import { parentPort } from 'node:worker_threads';
import { runInQuickJS } from './run-in-quickjs.ts';
import { quickJSModule } from './quickjs-module.ts';
import { SandboxOptions } from './sandbox-options.ts';
import type { WorkerReply, WorkerRequest } from './worker-protocol.ts';

const port = parentPort;
if (port === null) throw new Error('sandbox-worker.ts must run in a worker thread');

function reply(message: WorkerReply): void {
  port?.postMessage(message);
}

port.on('message', (request: WorkerRequest) => {
  runInQuickJS(request.code, request.options).then(
    (run) => reply({ type: 'result', id: request.id, ...run }),
    (err: unknown) => reply({ type: 'unavailable', id: request.id, message: String(err) }),
  );
});

/** A small valid network, run once before saying ready. */
const WARM_UP = `function buildModel(tf, inputShape, numClasses) {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape, filters: 4, kernelSize: 3, activation: 'relu' }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: numClasses }));
  return m;
}`;

// Loading the engine and running it once (wasm tiers, the report's schemas) before saying ready keeps
// a cold thread's cost out of the first job's deadline.
const warmUp = SandboxOptions.parse({ inputShape: [8, 8, 1], numClasses: 2, timeoutMs: 60_000 });
quickJSModule()
  .then(async () => {
    // A few runs: V8 moves the hot wasm functions to its optimising tier only after some use.
    for (let i = 0; i < 4; i++) await runInQuickJS(WARM_UP, warmUp);
    return runInQuickJS(WARM_UP, warmUp);
  })
  .then(
    (run) => reply(run.result.ok ? { type: 'ready' } : { type: 'unavailable', id: null, message: `the warm-up network failed: ${run.result.failure.message}` }),
    (err: unknown) => reply({ type: 'unavailable', id: null, message: String(err) }),
  );
