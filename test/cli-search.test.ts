import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadNb201Table } from '@nasfleet/nb201';

const run = promisify(execFile);
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
  }, 60_000);

  it('rejects bad options with a message and exit code 2', async () => {
    const failed = await run('npm', ['run', '--silent', 'search', '--', '--dataset', 'mnist'], { cwd: root }).catch((e: { code: number; stderr: string }) => e);
    expect('code' in failed && failed.code).toBe(2);
    expect((failed as { stderr: string }).stderr).toMatch(/--dataset/);
  }, 60_000);
});
