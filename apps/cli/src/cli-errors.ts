import { ChecksumMismatchError, DatasetFormatError, FASHION_MNIST_DEBIAN_DIR } from '@nasfleet/datasets';
import { Nb201TableError } from '@nasfleet/nb201';
import { SandboxUnavailableError } from '@nasfleet/sandbox';

/** The command line itself is wrong (unknown option, bad value, missing file argument): exit 2. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

/**
 * Something a pre-flight check found before any work started (the export folder cannot be
 * written, the dataset is not installed): exit 1, with a message that says what to do.
 */
export class CliPreflightError extends Error {
  override name = 'CliPreflightError';
}

/** The hint every missing or damaged Fashion-MNIST message ends with. */
export const FASHION_MNIST_HINT =
  `install it with \`apt-get install dataset-fashion-mnist\` (it goes to ${FASHION_MNIST_DEBIAN_DIR}) or pass --fashion-mnist-dir DIR`;

// A message longer than this is some library's dump (tfjs-backend-wasm can carry its whole
// minified glue in one line); the first part says what happened, the rest would drown it.
const MAX_MESSAGE = 400;

/** One line, at most MAX_MESSAGE characters: newlines folded, the tail cut with an ellipsis. */
export function oneLine(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ').trim();
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE - 1)}…` : flat;
}

/**
 * What to tell the user about an error that ended a command: the message of the known error
 * classes rewritten to say what to do, any other error's message as it is; always one line.
 */
export function describeError(error: unknown): string {
  if (error instanceof DatasetFormatError && /file not found/.test(error.reason)) {
    return oneLine(`Fashion-MNIST is missing: ${error.file} (${error.reason}); ${FASHION_MNIST_HINT}`);
  }
  if (error instanceof DatasetFormatError || error instanceof ChecksumMismatchError) {
    return oneLine(`a dataset file is damaged: ${error.message}; reinstall it (\`apt-get install --reinstall dataset-fashion-mnist\`) or pass --fashion-mnist-dir DIR`);
  }
  if (error instanceof Nb201TableError) return oneLine(`the NAS-Bench-201 table cannot be read: ${error.message}`);
  if (error instanceof SandboxUnavailableError) return oneLine(`the QuickJS sandbox could not start (a retry may work): ${error.message}`);
  if (error instanceof Error) return oneLine(error.message || error.name);
  return oneLine(String(error));
}

/** Where runCli writes, and whether stacks are shown. */
export interface CliIo {
  stderr: (line: string) => void;
  /** Print the stack of an unexpected error too (DEBUG=nasfleet or --verbose). */
  debug: boolean;
}

/**
 * Runs a command and turns every error it throws into one `error: ...` line on stderr and an exit
 * code: 2 for a usage error, 1 for anything else. Catching here, inside the awaited chain, keeps
 * errors away from the process's uncaughtException handlers (tfjs-backend-wasm installs one that
 * rethrows and prints a 36 KB line of its glue code).
 */
export async function runCli(command: () => Promise<number>, io: CliIo): Promise<number> {
  try {
    return await command();
  } catch (error) {
    io.stderr(`error: ${describeError(error)}`);
    if (io.debug && error instanceof Error && error.stack && !(error instanceof CliUsageError)) io.stderr(error.stack);
    return error instanceof CliUsageError ? 2 : 1;
  }
}

/**
 * The handler for errors that escape every await (a promise nobody awaited rejects): one line and
 * exit 1. main.ts registers it for uncaughtException and unhandledRejection before TF.js loads, so
 * it runs before, and instead of, tfjs-backend-wasm's own handler, which rethrows the error and
 * makes Node print a line of minified glue code tens of kilobytes long.
 */
export function lastResortHandler(io: CliIo, exit: (code: number) => void): (error: unknown) => void {
  return (error) => {
    io.stderr(`error: ${describeError(error)}`);
    if (io.debug && error instanceof Error && error.stack) io.stderr(error.stack);
    exit(1);
  };
}
