import { randomUUID } from 'node:crypto';
import type { CliConfig } from '../config.ts';
import { CancelOptions, CommonOptions, ExportOptions, ListOptions, SubmitOptions, fleetTarget, fleetUsage, parseFleetArgv } from './fleet-args.ts';
import type { FleetCommand } from './fleet-args.ts';
import { ENDED, SearchEnvelope, SearchList } from './fleet-answers.ts';
import { FleetError, createFleetClient, searchPath } from './fleet-client.ts';
import type { FleetClient } from './fleet-client.ts';
import type { FleetIo } from './fleet-io.ts';
import { runExport } from './export-command.ts';
import { getDetail, runFollow } from './follow-command.ts';
import { detailText, listText, statusText } from './search-text.ts';
import { buildSubmission, parseSpecText } from './submit-spec.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Reads a spec file (`-`: stdin), naming the file when it cannot be read. */
async function readSpecFile(file: string, io: FleetIo): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = file === '-' ? await io.readStdin() : await io.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FleetError(`cannot read --file ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (code ?? (error as Error).message)}`);
  }
  return parseSpecText(text, file === '-' ? 'the spec on stdin' : file);
}

// Connections that failed before anything was sent: retrying the submission cannot help.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** POST /v1/searches with an Idempotency-Key, tried once more (same key) when no answer came back. */
async function postSearch(client: FleetClient, body: Record<string, unknown>, key: string) {
  const post = () => client.json(SearchEnvelope, 'POST', 'v1/searches', { body, headers: { 'idempotency-key': key } });
  try {
    return await post();
  } catch (error) {
    // No answer, but the request may have arrived: the same key makes the second try safe.
    const maybeSent = error instanceof FleetError && error.status === null && error.code !== null && !NOT_SENT.has(error.code);
    if (!maybeSent) throw error;
    await sleep(1_000);
    return post();
  }
}

async function runSubmit(argv: string[], io: FleetIo, config: CliConfig): Promise<number> {
  const parsed = parseFleetArgv('submit', argv, SubmitOptions, false);
  if (!parsed) return help('submit', io);
  const { options } = parsed;
  const target = fleetTarget(options, config);
  const file = options.file === undefined ? null : await readSpecFile(options.file, io);
  const body = buildSubmission(file, options, options.file ?? 'the spec');
  const client = createFleetClient(target);
  const key = options.idempotencyKey ?? randomUUID();
  const { status, data } = await postSearch(client, body, key);
  const s = data.search;
  const what = `${String((body.space as { name: string }).name)}, ${String((body.config as { strategy: string }).strategy)}, ${String(body.evaluations)} evaluations`;
  io.stderr(status === 201
    ? `submitted search ${s.id} (${what}); follow it with: nasfleet follow ${s.id}`
    : `search ${s.id} was submitted before with idempotency key ${key} (status ${s.status}): nothing new was created`);
  if (options.follow) return runFollow(client, s.id, io, options.json);
  io.stdout(options.json ? JSON.stringify(data, null, 2) : s.id);
  return 0;
}

async function runCancel(client: FleetClient, id: string, options: { wait: boolean; timeout: number; json: boolean }, io: FleetIo): Promise<number> {
  const { data } = await client.json(SearchEnvelope, 'POST', searchPath(id, '/cancel'));
  io.stderr(`cancel of search ${id} requested (status ${data.search.status}); its orchestrator stops it at its next poll`);
  if (!options.wait) {
    io.stdout(options.json ? JSON.stringify(data, null, 2) : `${id} ${statusText(data.search.status, data.search.requested)}`);
    return 0;
  }
  const deadline = Date.now() + options.timeout * 1000;
  for (;;) {
    const detail = await getDetail(client, id);
    if (ENDED.has(detail.search.status)) {
      if (detail.search.status !== 'cancelled') io.stderr(`search ${id} ended ${detail.search.status} before the cancel was applied`);
      io.stdout(options.json ? JSON.stringify(detail, null, 2) : `${id} ${detail.search.status} after ${detail.progress.told} of ${detail.progress.evaluations ?? '?'} candidates`);
      return 0;
    }
    if (Date.now() > deadline) throw new FleetError(`search ${id} is still ${detail.search.status} ${options.timeout} s after the cancel: no orchestrator has applied it (is one running?)`);
    await sleep(500);
  }
}

function help(command: FleetCommand, io: FleetIo): number {
  io.stdout(fleetUsage(command));
  return 0;
}

/**
 * `nasfleet submit|list|show|follow|cancel|export …` against a fleet's HTTP API. Returns the exit
 * code; throws CliUsageError (exit 2) for a bad command line or a missing URL or token, FleetError
 * (exit 1) for what the fleet answered or why it could not be reached.
 */
export async function runFleetCommand(command: FleetCommand, argv: string[], io: FleetIo, config: CliConfig): Promise<number> {
  switch (command) {
    case 'submit':
      return runSubmit(argv, io, config);
    case 'list': {
      const parsed = parseFleetArgv(command, argv, ListOptions, false);
      if (!parsed) return help(command, io);
      const { options } = parsed;
      const client = createFleetClient(fleetTarget(options, config));
      const query = new URLSearchParams({ limit: String(options.limit), ...(options.status ? { status: options.status } : {}) });
      const { data } = await client.json(SearchList, 'GET', `v1/searches?${query}`);
      io.stdout(options.json ? JSON.stringify(data, null, 2) : listText(data.searches));
      return 0;
    }
    case 'show':
    case 'follow': {
      const parsed = parseFleetArgv(command, argv, CommonOptions, true);
      if (!parsed) return help(command, io);
      const { options, id } = parsed;
      const client = createFleetClient(fleetTarget(options, config));
      if (command === 'follow') return runFollow(client, id, io, options.json);
      const detail = await getDetail(client, id);
      io.stdout(options.json ? JSON.stringify(detail, null, 2) : detailText(detail));
      return 0;
    }
    case 'cancel': {
      const parsed = parseFleetArgv(command, argv, CancelOptions, true);
      if (!parsed) return help(command, io);
      return runCancel(createFleetClient(fleetTarget(parsed.options, config)), parsed.id, parsed.options, io);
    }
    case 'export': {
      const parsed = parseFleetArgv(command, argv, ExportOptions, true);
      if (!parsed) return help(command, io);
      return runExport(createFleetClient(fleetTarget(parsed.options, config)), parsed.id, parsed.options, io);
    }
  }
}
