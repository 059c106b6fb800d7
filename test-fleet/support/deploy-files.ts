import { execFile } from 'node:child_process';

/** One stage of a Dockerfile: its base, its name (after AS) and its instructions, continuation lines joined. */
export interface DockerStage {
  from: string;
  name: string | null;
  lines: string[];
}

/** A Dockerfile's stages, in order (comments and blank lines dropped, `\` continuations joined). */
export function dockerfileStages(text: string): DockerStage[] {
  const lines = text.replace(/\\\n\s*/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const stages: DockerStage[] = [];
  for (const line of lines) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?$/i.exec(line);
    if (from) stages.push({ from: from[1]!, name: from[2] ?? null, lines: [] });
    else if (stages.length > 0) stages.at(-1)!.lines.push(line);
    else if (!line.startsWith('ARG ')) throw new Error(`Dockerfile: ${line} before the first FROM`);
  }
  return stages;
}

/** A program's exit code and output; `env` is all of its environment but PATH. */
export function runFile(file: string, args: readonly string[], env: Record<string, string>, cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env: { PATH: '/usr/local/bin:/usr/bin:/bin', ...env }, ...(cwd ? { cwd } : {}) }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(new Error(`cannot run ${file}: ${error.message}`));
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
    });
  });
}

/** A TCP port on 127.0.0.1 that nothing listens on (the system handed it out and took it back). */
export { freePort } from '@nasfleet/metrics/testing';
