import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadNb201Table } from '@nasfleet/nb201';

const run = promisify(execFile);
// tfjs's own flag for test runs: loading the exported model prints no "install our node backend" banner.
tf.env().set('IS_TEST', true);

/** model.json + weights.bin as the in-memory artifacts tf.io.fromMemory takes. */
async function loadArtifacts(dir: string): Promise<tf.io.ModelArtifacts> {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const weights = readFileSync(join(dir, json.weightsManifest[0].paths[0]));
  return { modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) };
}
const root = fileURLToPath(new URL('..', import.meta.url));

describe('npm run search (the README main-job command)', () => {
  it('runs a search on the NB201 table and prints its best cell, coverage and QD score', async () => {
    const { stdout } = await run('npm', ['run', '--silent', 'search', '--', '--evaluations', '200', '--json', '--dataset', 'cifar100'], { cwd: root });
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ space: 'nb201', strategy: 'hybrid', dataset: 'cifar100', evaluations: 200 });
    // The honest protocol: the reported test accuracy is the table's for the cell with the best validation.
    const table = loadNb201Table();
    const index = table.indexOf(report.best.arch);
    expect(report.best.test200).toBe(table.value(index, 'cifar100', 'test200'));
    expect(report.best.validation).toBe(table.value(index, 'cifar100', 'val200'));
    expect(report.best.test200).toBeGreaterThan(70);
    expect(report.archive.coverage).toBeGreaterThan(0.2);
  }, 180_000);

  const out = mkdtempSync(join(tmpdir(), 'nasfleet-export-'));
  it('runs a small open-code-space search on Fashion-MNIST and prints the best network\'s code, accuracy, parameters and FLOPs', async () => {
    const { stdout, stderr } = await run(
      'npm', ['run', '--silent', 'search', '--', '--space', 'code', '--evaluations', '3', '--train-subset', '256', '--test-subset', '200', '--json', '--export', out],
      { cwd: root },
    );
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ space: 'code', dataset: 'fashion-mnist', evaluations: 3 });
    expect(['wasm', 'tensorflow', 'tensorflow-gpu', 'cpu']).toContain(report.backend);
    expect(report.best.code).toMatch(/^function buildModel\(tf, inputShape, numClasses\)/);
    expect(report.best.validationAccuracy).toBeGreaterThan(0);
    expect(report.best.testAccuracy).toBeGreaterThan(0);
    expect(report.exported.testAccuracy).toBeGreaterThan(0);
    expect(stderr).toMatch(/\] c000000 validation accuracy \d/);
    expect(report.best.params).toBeGreaterThan(1000);
    expect(report.best.flops).toBeGreaterThan(1000);
    expect(stderr).toMatch(/\[3\/3\] c000002/);
    // The exported model loads back with TF.js and its code is the best network's.
    const model = await tf.loadLayersModel(tf.io.fromMemory(await loadArtifacts(out)));
    expect(model.outputs[0]!.shape).toEqual([null, 10]);
    expect(readFileSync(join(out, 'model.code.js'), 'utf8')).toBe(report.best.code);
  }, 300_000);

  it('rejects bad options with a message and exit code 2', async () => {
    const failed = await run('npm', ['run', '--silent', 'search', '--', '--dataset', 'mnist'], { cwd: root }).catch((e: { code: number; stderr: string }) => e);
    expect('code' in failed && failed.code).toBe(2);
    expect((failed as { stderr: string }).stderr).toMatch(/--dataset/);
  }, 180_000);
});
