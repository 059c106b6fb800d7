/**
 * Entry of a sandbox worker thread: runs one job at a time in this thread's QuickJS engine and posts
 * the result back. The pool owns the hard deadline and the worker's life; this side only reports
 * whether its engine is still fit for reuse.
 */
import { parentPort } from 'node:worker_threads';
import { runInQuickJS } from './run-in-quickjs.ts';
import { quickJSModule } from './quickjs-module.ts';
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

// Loading the module before saying ready keeps its cost out of the first job's deadline.
quickJSModule().then(
  () => reply({ type: 'ready' }),
  (err: unknown) => reply({ type: 'unavailable', id: null, message: String(err) }),
);
