import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { root } from './cli-run.ts';

const run = promisify(execFile);
const bin = join(root, 'apps', 'cli', 'bin', 'nasfleet.js');

describe('the nasfleet bin (apps/cli/bin/nasfleet.js)', () => {
  it('runs a search whose --json stdout is exactly one JSON document', async () => {
    const { stdout } = await run(bin, ['--evaluations', '100', '--json'], { cwd: root });
    const report = JSON.parse(stdout); // throws on anything but one document
    expect(report).toMatchObject({ space: 'nb201', evaluations: 100 });
  }, 180_000);

  it('runs check as a subcommand', async () => {
    const { stdout } = await run(bin, ['check', '--json', join(root, 'test', 'fixtures', 'answers', 'valid.md')], { cwd: root });
    expect(JSON.parse(stdout)).toMatchObject({ status: 'ok', params: 5130 });
  }, 180_000);
});
