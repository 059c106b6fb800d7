import { execFile } from 'node:child_process';
import { parse } from 'yaml';
import { z } from 'zod';
import { REPO } from './deploy-dashboard.ts';

/** What `docker-compose config` printed, with its exit status. */
export interface ComposeRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The part of a resolved service the tests read (compose prints every other key too). */
const Service = z.looseObject({
  image: z.string().optional(),
  build: z.object({ context: z.string(), dockerfile: z.string(), target: z.string().optional() }).optional(),
  profiles: z.array(z.string()).optional(),
  environment: z.record(z.string(), z.string().nullable()).optional(),
  healthcheck: z.looseObject({ test: z.array(z.string()) }).optional(),
  deploy: z.looseObject({
    resources: z.looseObject({
      reservations: z.looseObject({
        devices: z.array(z.looseObject({ driver: z.string().optional(), device_ids: z.array(z.string()).optional(), count: z.union([z.string(), z.number()]).optional(), capabilities: z.array(z.string()) })).optional(),
      }).optional(),
    }).optional(),
  }).optional(),
  ports: z.array(z.string()).optional(),
  secrets: z.array(z.object({ source: z.string() })).optional(),
  network_mode: z.string().optional(),
  restart: z.string().optional(),
  user: z.string().optional(),
  command: z.union([z.string(), z.array(z.string())]).optional(),
});
export type ComposeService = z.infer<typeof Service>;

/** A resolved compose project, as `docker-compose config` prints it. */
export const ResolvedCompose = z.looseObject({
  services: z.record(z.string(), Service),
  secrets: z.record(z.string(), z.object({ file: z.string() })).optional(),
  volumes: z.record(z.string(), z.unknown().nullable()).optional(),
});
export type ResolvedCompose = z.infer<typeof ResolvedCompose>;

/**
 * Runs Debian's `docker-compose` (1.29) `config` in the repository with `args` before `config`
 * (e.g. `--env-file`, `-f`) and only `env` as its environment (plus PATH and HOME), so the caller's
 * shell cannot change what it resolves.
 */
export function composeConfig(args: readonly string[], env: Record<string, string> = {}, path = '/usr/bin:/bin'): Promise<ComposeRun> {
  return new Promise((resolve, reject) => {
    execFile('docker-compose', [...args, 'config'], { cwd: REPO, env: { PATH: path, HOME: '/tmp', ...env }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(new Error(`cannot run docker-compose (install Debian's docker-compose): ${error.message}`));
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
    });
  });
}

/** `docker-compose config` that must succeed, parsed; rejects with compose's own message otherwise. */
export async function resolveCompose(args: readonly string[], env: Record<string, string> = {}): Promise<ResolvedCompose> {
  const run = await composeConfig(args, env);
  if (run.code !== 0) throw new Error(`docker-compose ${args.join(' ')} config failed (${run.code}): ${run.stderr.trim()}`);
  return ResolvedCompose.parse(parse(run.stdout));
}

/** The services a box starts with these profiles: those in one of them (every service of ours has profiles). */
export function servicesFor(project: ResolvedCompose, profiles: readonly string[]): string[] {
  return Object.entries(project.services)
    .filter(([, s]) => (s.profiles ?? []).some((p) => profiles.includes(p)))
    .map(([name]) => name)
    .sort();
}

/** A settings file's KEY=value lines (comments and blanks skipped), as compose reads a .env file. */
export function readEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!.trim();
  }
  return out;
}
