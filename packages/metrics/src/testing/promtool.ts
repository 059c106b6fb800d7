import { spawn } from 'node:child_process';

/** What `promtool check metrics` said of an exposition text. */
export interface PromtoolReport {
  /** 0: valid and no lint problems; 1: not parseable; 3: lint problems. */
  code: number | null;
  /** Its output: one line per problem. */
  output: string;
}

/**
 * Runs Debian's `promtool check metrics` (package prometheus) on `text` given on stdin: it parses
 * the exposition format and lints names, units, counters' `_total` and HELP texts. For tests.
 */
export function promtoolCheckMetrics(text: string): Promise<PromtoolReport> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', (e) => reject(new Error(`cannot run promtool (install Debian's prometheus): ${e.message}`)));
    child.once('close', (code) => resolve({ code, output: output.trim() }));
    child.stdin.end(text);
  });
}
