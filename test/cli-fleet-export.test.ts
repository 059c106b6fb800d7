import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOUBLE_MODEL, startCliTestFleet } from './support/cli-fleet-processes.ts';
import type { CliTestFleet } from './support/cli-fleet-processes.ts';
import { nasfleet } from './support/cli-fleet-run.ts';

/**
 * `nasfleet export` of a code-space search on a real fleet with a training worker: the best network
 * is trained again on the worker and lands in a folder as a TF.js model that loads and scores as the
 * search scored it.
 */

// tfjs's own flag for test runs: no "install the node backend" banner when the model is loaded.
tf.env().set('IS_TEST', true);

let fleet: CliTestFleet;
let env: Record<string, string>;

beforeAll(async () => {
  fleet = await startCliTestFleet({ trainWorkers: 1 });
  env = { NASFLEET_URL: fleet.url, NASFLEET_TOKEN: fleet.token };
}, 300_000);

afterAll(async () => {
  await fleet?.stop();
});

describe('nasfleet export of a code-space search', () => {
  it('has the best network trained again and writes model.json, weights.bin, its code and the export record', { timeout: 600_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nasfleet-export-'));
    const spec = join(dir, 'spec.json');
    writeFileSync(spec, JSON.stringify({ space: { name: 'code', options: { validation: { count: 64 } } }, config: { strategy: 'llmatic', seed: 2 } }));
    const submitted = await nasfleet([
      'submit', '--file', spec, '--evaluations', '3', '--depth', '2', '--train-subset', '256', '--batch-size', '64', '--learning-rate', '0.05',
      '--llm', 'ollama', '--endpoint', fleet.llmUrl, '--model', DOUBLE_MODEL, '--follow', '--json',
    ], { env });
    expect(submitted.code, `${submitted.stderr}\n${fleet.logs()}`).toBe(0);
    const detail = JSON.parse(submitted.stdout) as { search: { id: string; status: string }; best: { id: string; fitness: number } | null };
    expect(detail.search.status).toBe('done');
    expect(detail.best).not.toBeNull();

    const out = join(dir, 'model');
    const run = await nasfleet(['export', detail.search.id, '--out', out, '--json'], { env });
    expect(run.code, `${run.stderr}\n${fleet.logs()}`).toBe(0);
    expect(run.stderr).toMatch(new RegExp(`^export of ${detail.best!.id} \\(search ${detail.search.id}\\): (waiting for a training worker|training on a worker)$`, 'm'));
    const report = JSON.parse(run.stdout) as { candidateId: string; dir: string; files: string[]; fitness: number; validationAccuracy: number; weightBytes: number };
    expect(report).toMatchObject({ candidateId: detail.best!.id, dir: out, fitness: detail.best!.fitness, validationAccuracy: detail.best!.fitness });
    expect(readdirSync(out).sort()).toEqual(['export.json', 'model.code.js', 'model.json', 'weights.bin']);
    expect(readFileSync(join(out, 'model.code.js'), 'utf8')).toMatch(/^function buildModel\(tf, inputShape, numClasses\)/);
    expect(JSON.parse(readFileSync(join(out, 'export.json'), 'utf8'))).toMatchObject({ candidateId: detail.best!.id, model: { state: 'done' } });

    // The files load back as a TF.js model of the task's shape.
    const json = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as { modelTopology: object; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
    expect(json.weightsManifest[0]!.paths).toEqual(['weights.bin']);
    const weights = readFileSync(join(out, 'weights.bin'));
    expect(weights.length).toBe(report.weightBytes);
    await tf.ready();
    const model = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]!.weights, weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }));
    expect(model.outputs[0]!.shape).toEqual([null, 10]);
    model.dispose();
  });
});
