import cliProgress from 'cli-progress';

/** Where progress goes: stderr, or a test's stand-in (a bar is drawn only when it is a terminal). */
export interface ProgressStream {
  write(text: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

/** A progress display: a bar redrawn in place on a terminal; on anything else, nothing but the lines logged. */
export interface Progress {
  /** True when a bar is drawn (the stream is a terminal). */
  readonly tty: boolean;
  /** Where things stand: `value` of the total, and the named fields the format shows. */
  update(value: number, fields?: Record<string, string | number>, total?: number): void;
  /** A line of its own: above the bar on a terminal, as it is otherwise. */
  log(line: string): void;
  /** Draws the bar a last time and leaves it there (no-op off a terminal). */
  stop(): void;
}

/**
 * A progress display on `stream` (cli-progress's bar, only when the stream is a terminal, so logs
 * and pipes get plain lines, never control codes). `format` is cli-progress's: {bar}, {value},
 * {total}, {percentage}, {duration_formatted}, {eta_formatted} and the fields passed to update.
 */
export function createProgress(stream: ProgressStream, total: number, format: string, fields: Record<string, string | number> = {}): Progress {
  if (!stream.isTTY) {
    return { tty: false, update: () => undefined, log: (line) => void stream.write(`${line}\n`), stop: () => undefined };
  }
  const multi = new cliProgress.MultiBar({
    stream: stream as NodeJS.WritableStream, format, barsize: 30, hideCursor: false, clearOnComplete: false, stopOnComplete: false,
    autopadding: true, etaBuffer: 50, fps: 5,
  }, cliProgress.Presets.shades_classic);
  const bar = multi.create(Math.max(1, total), 0, fields);
  let stopped = false;
  return {
    tty: true,
    update(value, more = {}, newTotal) {
      if (stopped) return;
      if (newTotal !== undefined) bar.setTotal(Math.max(1, newTotal));
      bar.update(value, more);
    },
    log(line) {
      if (stopped) stream.write(`${line}\n`);
      else multi.log(`${line}\n`);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      // cli-progress's stop() drops lines logged since its last redraw: redraw (which writes them) first.
      multi.update();
      multi.stop();
    },
  };
}
