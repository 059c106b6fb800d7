import type { ProgressStream } from '../progress-bar.ts';

/** Where a fleet command writes and reads: results on stdout, progress and messages on stderr; tests pass fakes. */
export interface FleetIo {
  stdout: (text: string) => void;
  stderr: (line: string) => void;
  /** stderr as a stream, for the progress bar (drawn only when it is a terminal). */
  progressStream: ProgressStream;
  readFile: (path: string) => Promise<string>;
  readStdin: () => Promise<string>;
}
