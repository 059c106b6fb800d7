import { readWorkerConfig, WorkerConfigError } from './config.ts';
import { startWorker } from './start-worker.ts';

/**
 * Log lines are written together, at most every LOG_FLUSH_MS or once 64 KB wait: a busy worker logs a
 * line per job, and each write to a pipe is a syscall that blocks while the reader is behind.
 */
const LOG_FLUSH_MS = 50;
let buffered = '';
let timer: NodeJS.Timeout | null = null;
const flush = (): void => {
  if (timer) clearTimeout(timer);
  timer = null;
  if (buffered === '') return;
  const text = buffered;
  buffered = '';
  process.stderr.write(text);
};
const log = (line: string): void => {
  buffered += `${new Date().toISOString()} ${line}\n`;
  if (buffered.length >= 65_536) flush();
  else timer ??= setTimeout(flush, LOG_FLUSH_MS).unref();
};
// Whatever ends the process (an exit, an uncaught error), the last lines are written.
process.on('exit', flush);
const exit = (code: number): never => process.exit(code);

/**
 * A fleet worker process: `node --import tsx apps/worker/src/main.ts` with REDIS_URL and
 * WORKER_ROLE=llm|train (see config.ts for the rest). Logs to stderr: a line when ready, one per
 * job, one when closed. SIGTERM or SIGINT closes it gracefully (the jobs in progress finish, then
 * exit code 0); a second signal stops at once and leaves them to be retried as stalled. A bad
 * environment is one `error:` line and exit code 1.
 */
async function main(): Promise<void> {
  const config = readWorkerConfig();
  const running = await startWorker(config, log);
  const redis = new URL(config.redisUrl);
  if (running.metrics) log(`metrics on ${running.metrics.url}`);
  log(`worker ${running.info.id} ready: role ${config.role}, concurrency ${config.concurrency}, queue ${config.queue.prefix}:${running.queue} on ${redis.protocol}//${redis.host} (pid ${process.pid})`);
  let closing = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (closing) {
      log(`${signal} again: closing without waiting for the jobs in progress`);
      void running.close(true).finally(() => exit(1));
      return;
    }
    closing = true;
    log(`${signal}: closing, the jobs in progress finish first`);
    running.close().then(
      () => {
        log('closed');
        exit(0);
      },
      (error: unknown) => {
        log(`error while closing: ${(error as Error).message}`);
        exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  flush();
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${message}\n`);
  if (!(error instanceof WorkerConfigError) && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
