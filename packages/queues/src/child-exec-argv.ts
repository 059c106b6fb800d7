/**
 * The node flags a sandboxed child is forked with. BullMQ forks its children with the parent's
 * `process.execArgv` unless told otherwise, and the flags given here replace those entirely, so this
 * starts from the parent's: under `node --import tsx` (or the `tsx` command) the tsx loader comes
 * along and the child can import a .ts processor file. A parent started without any tsx flag (a test
 * runner's process) gets `--import tsx` added for a .ts file. `memoryMb` replaces any heap limit of
 * the parent's with `--max-old-space-size`, so a child that outgrows it dies alone (V8's heap only:
 * wasm and native memory are not bounded by it). The parent's --inspect flags are dropped: a child
 * would clash on the parent's debugger port.
 */
export function childExecArgv(parentExecArgv: readonly string[], options: { processorFile: string; memoryMb?: number }): string[] {
  const argv: string[] = [];
  for (let i = 0; i < parentExecArgv.length; i += 1) {
    const arg = parentExecArgv[i]!;
    if (arg.startsWith('--inspect')) continue;
    if (arg.startsWith('--max-old-space-size')) {
      if (!arg.includes('=')) i += 1; // its value is the next argument
      continue;
    }
    argv.push(arg);
  }
  const isTs = /\.[cm]?ts$/.test(options.processorFile);
  if (isTs && !argv.some((a) => a.includes('tsx'))) argv.push('--import', 'tsx');
  if (options.memoryMb !== undefined) argv.push(`--max-old-space-size=${Math.floor(options.memoryMb)}`);
  return argv;
}
