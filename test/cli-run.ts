import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root, where `npm run` finds the scripts. */
export const root = fileURLToPath(new URL('..', import.meta.url));

/** What a finished command left: its exit code and both streams. */
export interface Finished {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `npm run --silent <script> -- ...args` from the repository root as a user would, resolving
 * (never rejecting) with the exit code and output; `stdin` is written to the command's input.
 */
export function npmRun(script: string, args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<Finished> {
  return new Promise((resolve) => {
    const child = execFile('npm', ['run', '--silent', script, '--', ...args], { cwd: root, env: { ...process.env, ...options.env }, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(options.stdin ?? '');
  });
}

/** Lines of a stream, without the empty last one. */
export const linesOf = (text: string): string[] => text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
