import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { root } from '../cli-run.ts';
import type { Finished } from '../cli-run.ts';

/** The `nasfleet` bin, as a user (or npm's bin link) runs it. */
export const bin = join(root, 'apps', 'cli', 'bin', 'nasfleet.js');

/** The test's environment without the fleet variables a developer may have set, plus `env`. */
function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const { NASFLEET_URL: _u, NASFLEET_TOKEN: _t, DEBUG: _d, ...rest } = process.env;
  return { ...rest, ...env };
}

/** Runs `nasfleet ...args` (stdin, stdout and stderr pipes: no terminal), resolving with its exit code and output. */
export function nasfleet(args: string[], options: { env?: Record<string, string>; stdin?: string; cwd?: string } = {}): Promise<Finished> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [bin, ...args], { cwd: options.cwd ?? root, env: cleanEnv(options.env ?? {}), maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
    child.stdin?.end(options.stdin ?? '');
  });
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Runs `nasfleet ...args` on a pseudo-terminal (util-linux `script`), as in a user's terminal: what
 * it printed (stdout and stderr together, terminal line endings; stdout alone goes to `stdoutFile`
 * when given, as `> file` in a shell) and its exit code.
 */
export function nasfleetOnTerminal(args: string[], env: Record<string, string>, stdoutFile?: string): Promise<{ code: number; output: string }> {
  const command = [process.execPath, bin, ...args].map(quote).join(' ') + (stdoutFile ? ` > ${quote(stdoutFile)}` : '');
  return new Promise((resolve) => {
    execFile('script', ['--quiet', '--return', '--flush', '--command', command, '/dev/null'], { cwd: root, env: cleanEnv({ ...env, COLUMNS: '120' }), maxBuffer: 64 << 20 }, (error, stdout) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout });
    });
  });
}
