import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { CHECK_USAGE, parseCheckCli } from './check-args.ts';
import { oneLine } from './cli-errors.ts';
import type { AnswerVerdict } from './check-answer.ts';
import type { CommandIo } from './search-command.ts';

/** One line of `npm run check --json`: the file and its verdict, or why it could not be read. */
export type CheckLine = { file: string } & (AnswerVerdict | { status: 'error'; message: string; ms: number });

/** How the check command reads its inputs; tests pass fakes. */
export interface CheckSources {
  readFile: (path: string) => Promise<string>;
  readStdin: () => Promise<string>;
}

const realSources: CheckSources = { readFile: (path) => readFile(path, 'utf8'), readStdin: () => text(process.stdin) };

/** Why a file could not be read, in words. */
function readProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const known: Record<string, string> = { ENOENT: 'no such file', EISDIR: 'is a folder, not a file', EACCES: 'permission denied' };
  return `cannot read it: ${(code && known[code]) ?? oneLine((error as Error).message)}`;
}

/** A line of the text output: status, file, what was measured or why it was rejected, time. */
export function formatCheckLine(line: CheckLine): string {
  const what = line.status === 'ok'
    ? `${line.params.toLocaleString('en-US')} params, ${(line.flops / 1e6).toFixed(2)} M FLOPs`
    : line.status === 'rejected' ? `${line.class}: ${oneLine(line.message)}` : line.message;
  return `${line.status.padEnd(8)}  ${line.file}  ${what}  (${line.ms} ms)`;
}

/** The summary line: counts of ok, rejected by class, and unreadable files. */
export function formatCheckSummary(lines: CheckLine[]): string {
  const byClass = new Map<string, number>();
  for (const l of lines) if (l.status === 'rejected') byClass.set(l.class, (byClass.get(l.class) ?? 0) + 1);
  const rejected = [...byClass.values()].reduce((a, b) => a + b, 0);
  const classes = [...byClass].sort(([a], [b]) => a.localeCompare(b)).map(([c, n]) => `${c} ${n}`).join(', ');
  const errors = lines.filter((l) => l.status === 'error').length;
  const ok = lines.filter((l) => l.status === 'ok').length;
  return `${lines.length} answer${lines.length === 1 ? '' : 's'}: ${ok} ok, ${rejected} rejected${rejected ? ` (${classes})` : ''}${errors ? `, ${errors} could not be read` : ''}`;
}

/**
 * `npm run check -- FILE... [--input-shape H,W,C] [--classes N] [--json]`: checks each answer
 * without training and prints one line per file (JSON with --json) and, in text mode, a summary.
 * Exit code 0 when every file was read (rejected answers are results), 1 when some could not be
 * read; throws CliUsageError for a bad command line.
 */
export async function runCheckCommand(argv: string[], io: CommandIo, sources: CheckSources = realSources): Promise<number> {
  const options = parseCheckCli(argv);
  if (options.help) {
    io.stdout(CHECK_USAGE);
    return 0;
  }
  // Loaded after the command line is known to be good: it brings the pipeline and TF.js (~1.5 s).
  const { checkAnswer, warmSandbox } = await import('./check-answer.ts');
  await warmSandbox();
  const task = { inputShape: options.inputShape, numClasses: options.classes };
  const lines: CheckLine[] = [];
  for (const file of options.files) {
    const started = performance.now();
    let answer: string;
    try {
      answer = file === '-' ? await sources.readStdin() : await sources.readFile(file);
    } catch (error) {
      lines.push({ file, status: 'error', message: readProblem(error), ms: Math.round(10 * (performance.now() - started)) / 10 });
      io.stdout(options.json ? JSON.stringify(lines.at(-1)) : formatCheckLine(lines.at(-1)!));
      continue;
    }
    const line: CheckLine = { file, ...(await checkAnswer(answer, task)) };
    lines.push(line);
    io.stdout(options.json ? JSON.stringify(line) : formatCheckLine(line));
  }
  if (!options.json) io.stdout(formatCheckSummary(lines));
  return lines.some((l) => l.status === 'error') ? 1 : 0;
}
