import { parseCli, USAGE } from './cli-args.ts';
import { checkExportDir, checkFashionMnistDir } from './preflight.ts';
import { formatNb201Report, runNb201Command } from './nb201-command.ts';
import type { ProgressStream } from './progress-bar.ts';
import { searchProgress } from './search-progress.ts';

/** Where a command writes: the report to stdout, progress and diagnostics to stderr. */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (line: string) => void;
  /** stderr as a stream: a progress bar is drawn on it while a search runs, when it is a terminal. */
  progressStream?: ProgressStream;
}

/**
 * `npm run search -- [options]`: parses the options, checks everything checkable before the search
 * starts (the dataset folder, the export folder), runs the search and prints its report (one JSON
 * document with --json). Returns the exit code; throws CliUsageError / CliPreflightError.
 */
export async function runSearchCommand(argv: string[], io: CommandIo, env: { openAiApiKey: string | null } = { openAiApiKey: null }): Promise<number> {
  const options = parseCli(argv);
  if (options.help) {
    io.stdout(USAGE);
    return 0;
  }
  // Off a terminal (or without a stream) the bar is not drawn and logged lines go to stderr as they are.
  const stream = io.progressStream ?? { write: (text: string) => (io.stderr(text.replace(/\n$/, '')), true) };
  if (options.space === 'code') {
    await checkFashionMnistDir(options.fashionMnistDir);
    if (options.export !== undefined) await checkExportDir(options.export);
    // Loaded only now: it brings TF.js, whose wasm backend is not needed to look up NB201 cells.
    const { formatCodeReport, runCodeCommand } = await import('./code-command.ts');
    const progress = searchProgress(stream, options.evaluations);
    const report = await runCodeCommand(options, env, progress.log, progress.told).finally(() => progress.stop());
    io.stdout(options.json ? JSON.stringify(report, null, 2) : formatCodeReport(report));
    return 0;
  }
  const progress = searchProgress(stream, options.evaluations);
  const report = await runNb201Command(options, env, progress.told).finally(() => progress.stop());
  io.stdout(options.json ? JSON.stringify(report, null, 2) : formatNb201Report(report));
  return 0;
}
