import { parseCli, USAGE } from './cli-args.ts';
import { checkExportDir, checkFashionMnistDir } from './preflight.ts';
import { formatNb201Report, runNb201Command } from './nb201-command.ts';

/** Where a command writes: the report to stdout, progress and diagnostics to stderr. */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (line: string) => void;
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
  if (options.space === 'code') {
    await checkFashionMnistDir(options.fashionMnistDir);
    if (options.export !== undefined) await checkExportDir(options.export);
    // Loaded only now: it brings TF.js, whose wasm backend is not needed to look up NB201 cells.
    const { formatCodeReport, runCodeCommand } = await import('./code-command.ts');
    const report = await runCodeCommand(options, env, io.stderr);
    io.stdout(options.json ? JSON.stringify(report, null, 2) : formatCodeReport(report));
    return 0;
  }
  const report = await runNb201Command(options, env);
  io.stdout(options.json ? JSON.stringify(report, null, 2) : formatNb201Report(report));
  return 0;
}
