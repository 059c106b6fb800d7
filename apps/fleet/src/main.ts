import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readFleetEnv } from './config.ts';
import { FLEET_HELP, FleetUsageError, parseFleetArgs, searchSpecOf } from './fleet-args.ts';
import { apiClient, followSearch } from './follow.ts';
import { startFleet } from './start-fleet.ts';
import type { LocalFleet } from './start-fleet.ts';

/**
 * `npm run fleet -- [options]`: a whole fleet on this machine, one search submitted over its HTTP
 * API, progress on stdout, the result, then everything stopped (or kept with --keep). Exit 0 when
 * the search ended done, 1 when it failed or the fleet could not start, 2 on a usage error.
 */
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function main(): Promise<number> {
  const options = parseFleetArgs(process.argv.slice(2));
  if (!options) {
    process.stdout.write(FLEET_HELP);
    return 0;
  }
  const logDir = options.logs ? resolve(options.logs) : mkdtempSync(join(tmpdir(), 'nasfleet-fleet-'));
  mkdirSync(logDir, { recursive: true });
  let fleet: LocalFleet | null = null;
  let stopping = false;
  const shutdown = async (code: number): Promise<never> => {
    if (stopping) process.exit(code);
    stopping = true;
    say('stopping the fleet…');
    await fleet?.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(130));
  process.on('SIGTERM', () => void shutdown(143));
  fleet = await startFleet(options, logDir, readFleetEnv(), say);
  try {
    return await run(fleet, options, say);
  } catch (error) {
    await fleet.stop();
    throw error;
  }
}

/** Submits the search to a started fleet, follows it, prints the result; stops the fleet unless --keep. */
async function run(fleet: LocalFleet, options: NonNullable<ReturnType<typeof parseFleetArgs>>, say: (line: string) => void): Promise<number> {
  const api = apiClient(fleet.apiUrl, fleet.token);
  const spec = searchSpecOf(options);
  const id = await api.submit(spec);
  say(`search ${id} submitted: ${JSON.stringify(spec)}`);
  say(`dashboard: ${fleet.apiUrl}/dashboard/#token=${fleet.token}&search=${encodeURIComponent(id)} (live while the fleet runs; --keep keeps it after the end)`);
  const started = Date.now();
  const d = await followSearch(api, id, say);
  const seconds = (Date.now() - started) / 1000;
  const network = d.archives.network;
  say(`search ${id} ${d.search.status}${d.search.error ? `: ${d.search.error}` : ''}`);
  say(`  best: ${d.best ? `${d.best.fitness.toFixed(2)} (candidate ${d.best.id})` : 'none'}`);
  if (network) say(`  network archive: ${network.size} niches filled, coverage ${(100 * network.coverage).toFixed(1)}%, QD score ${network.qdScore?.toFixed(1) ?? '-'}`);
  const classes = Object.entries(d.outcomes.byFailureClass).map(([k, v]) => `${k} ${v}`).join(', ');
  say(`  outcomes: ${d.outcomes.ok} ok, ${d.outcomes.failed} failed${classes ? ` (${classes})` : ''}; ${d.distinct} distinct architectures`);
  say(`  ${d.progress.told} evaluations in ${seconds.toFixed(1)} s (${(d.progress.told / seconds).toFixed(2)} per s)`);
  say(`  the candidate with its code and lineage: GET ${fleet.apiUrl}/v1/searches/${id}/candidates/${d.best?.id ?? '<id>'}`);
  if (options.keep) {
    say(`the fleet keeps running: API ${fleet.apiUrl}, token ${fleet.token} (Authorization: Bearer …); Ctrl-C stops it`);
    return new Promise<number>(() => undefined);
  }
  await fleet.stop();
  return d.search.status === 'done' ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof FleetUsageError ? 2 : 1);
  },
);
