import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: every fleet process is started from here, as a user starts it. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** A fleet process this launcher started: its output goes to `logFile`, the last lines are kept for error messages. */
export interface FleetProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  /** The line that said it was ready. */
  readonly readyLine: string;
  /** Its last lines of output (at most 40). */
  tail(): string[];
  /** Resolves with how it ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (its graceful close), then SIGKILL if it is still there after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `node --import tsx <script>` from the repository root with `env`, writes everything it
 * prints to `<logDir>/<name>.log`, and resolves once a line matches `ready`; rejects with its last
 * lines when it exits first or stays silent past `readyTimeoutMs`.
 */
export function launchProcess(name: string, script: string, env: NodeJS.ProcessEnv, ready: RegExp, logDir: string, readyTimeoutMs = 120_000): Promise<FleetProcess> {
  const logFile = join(logDir, `${name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const last: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  void exited.then(() => log.end());
  return new Promise((resolve, reject) => {
    let partial = '';
    let readyLine: string | null = null;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not get ready within ${readyTimeoutMs / 1000} s; its last lines (${logFile}):\n${last.join('\n')}`));
    }, readyTimeoutMs);
    const take = (chunk: Buffer) => {
      log.write(chunk);
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        last.push(line);
        if (last.length > 40) last.shift();
        if (readyLine === null && ready.test(line)) {
          readyLine = line;
          clearTimeout(timer);
          resolve(process);
        }
      }
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${name}: ${error.message}`));
    });
    void exited.then(({ code, signal }) => {
      if (readyLine !== null) return;
      clearTimeout(timer);
      reject(new Error(`${name} exited (${signal ?? `code ${code}`}) before it was ready; its last lines (${logFile}):\n${last.join('\n')}`));
    });
    const process: FleetProcess = {
      name, child, logFile, exited,
      get readyLine() {
        return readyLine ?? '';
      },
      tail: () => [...last],
      async stop(graceMs = 15_000) {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(killer);
      },
    };
  });
}
