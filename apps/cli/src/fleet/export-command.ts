import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkExportDir } from '../preflight.ts';
import { ExportAnswer } from './fleet-answers.ts';
import { FleetError, searchPath } from './fleet-client.ts';
import type { FleetClient } from './fleet-client.ts';
import type { FleetIo } from './fleet-io.ts';
import { fitnessText } from './search-tally.ts';

/** What `nasfleet export` wrote (its --json output). */
export interface ExportReport {
  searchId: string;
  candidateId: string;
  dir: string;
  files: string[];
  fitness: number;
  validationAccuracy: number | null;
  weightBytes: number;
}

const STATE_TEXT: Record<string, string> = { waiting: 'waiting for a training worker', training: 'training on a worker' };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * `nasfleet export ID --out DIR`: checks DIR can be written, asks the fleet to train the best
 * network again (POST …/export), polls GET …/export until its weights are there, and writes
 * model.json, weights.bin, model.code.js and export.json (the API's answer) into DIR. A search
 * whose space has no weights (NAS-Bench-201) is a FleetError saying so, with its best cell.
 */
export async function runExport(client: FleetClient, id: string, options: { out: string; timeout: number; json: boolean }, io: FleetIo, pollMs = 1_000): Promise<number> {
  const dir = await checkExportDir(options.out, '--out');
  const path = searchPath(id, '/export');
  const best = (await client.json(ExportAnswer, 'GET', path)).data;
  let started: ExportAnswer;
  try {
    started = (await client.json(ExportAnswer, 'POST', path)).data;
  } catch (error) {
    if (error instanceof FleetError && error.code === 'no-weights') {
      throw new FleetError(`search ${id} runs in the ${best.space} space, whose candidates are looked up, never trained: there are no weights to export (HTTP 409 no-weights). Its best is ${best.candidateId}, ${best.code}, fitness ${fitnessText(best.fitness)}`);
    }
    throw error;
  }
  const deadline = Date.now() + options.timeout * 1000;
  let answer = started;
  let shown = '';
  for (;;) {
    const model = answer.model;
    if (!model) throw new FleetError(`search ${id}: the fleet answered no model state for ${answer.candidateId} in the ${answer.space} space`);
    if (model.state === 'done') break;
    if (model.state === 'failed') throw new FleetError(`the export of ${answer.candidateId} failed on its training worker: ${model.error ?? 'no reason given'}; run nasfleet export again to retry`);
    const text = STATE_TEXT[model.state] ?? model.state;
    if (text !== shown) io.stderr(`export of ${answer.candidateId} (search ${id}): ${text}`);
    shown = text;
    if (Date.now() > deadline) throw new FleetError(`the export of ${answer.candidateId} is still ${model.state} after ${options.timeout} s (--timeout); is a training worker running?`);
    await sleep(pollMs);
    answer = (await client.json(ExportAnswer, 'GET', path)).data;
  }
  const modelJson = await (await client.request('GET', searchPath(id, '/export/model.json'))).text();
  const weights = Buffer.from(await (await client.request('GET', searchPath(id, '/export/weights.bin'))).arrayBuffer());
  const expected = answer.model?.weightBytes;
  if (expected != null && expected !== weights.length) throw new FleetError(`weights.bin of ${answer.candidateId} came to ${weights.length} bytes, not the ${expected} its export announced; try again`);
  await mkdir(dir, { recursive: true });
  const files = { 'model.json': modelJson, 'weights.bin': weights, 'model.code.js': answer.code, 'export.json': `${JSON.stringify(answer, null, 2)}\n` };
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  const report: ExportReport = {
    searchId: id, candidateId: answer.candidateId, dir, files: Object.keys(files), fitness: answer.fitness,
    validationAccuracy: answer.model?.validationAccuracy ?? null, weightBytes: weights.length,
  };
  const accuracy = report.validationAccuracy === null ? '' : `; validation accuracy ${fitnessText(report.validationAccuracy)}% (the search scored it ${fitnessText(report.fitness)})`;
  io.stdout(options.json ? JSON.stringify(report, null, 2) : `exported ${report.candidateId} of search ${id} to ${dir}: ${report.files.join(', ')} (${weights.length} bytes of weights)${accuracy}`);
  return 0;
}
