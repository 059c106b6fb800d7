import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (getconf CLK_TCK; 100 on every common Linux). */
const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system, all threads) a process has used so far; null where /proc cannot tell (not Linux, gone). */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return null;
  }
}

/**
 * CPU seconds each named process uses between `start()` and the returned `stop()`: which process a
 * figure's time goes to (on a machine with few cores, the one near wall time is the bottleneck).
 */
export function cpuMeter(pids: Record<string, number>): () => Record<string, number | null> {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, processCpuSeconds(pid)]));
  return () => Object.fromEntries(Object.entries(pids).map(([name, pid]) => {
    const a = before[name];
    const b = processCpuSeconds(pid);
    return [name, a === null || a === undefined || b === null ? null : b - a];
  }));
}

/** "orchestrator 4.1 s (92% of wall), llm worker 1.0 s (22%), …" for a window of `wallSeconds`. */
export function describeCpu(used: Record<string, number | null>, wallSeconds: number, per?: { count: number; unit: string }): string {
  return Object.entries(used)
    .map(([name, s]) => (s === null ? `${name} n/a` : `${name} ${s.toFixed(2)} s (${((100 * s) / wallSeconds).toFixed(0)}%${per ? `, ${((1000 * s) / per.count).toFixed(2)} ms/${per.unit}` : ''})`))
    .join(', ');
}

/** "orchestrator 0.81, llm worker 0.55, …": each process's CPU milliseconds per one of `count` units (a round's short line). */
export function describeCpuPer(used: Record<string, number | null>, count: number): string {
  return Object.entries(used).map(([name, s]) => `${name} ${s === null ? 'n/a' : ((1000 * s) / count).toFixed(2)}`).join(', ');
}
