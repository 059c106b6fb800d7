import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@nasfleet/fleet-testing';
import { linesOf } from './cli-run.ts';
import { nasfleet, nasfleetOnTerminal } from './support/cli-fleet-run.ts';

/**
 * The fleet commands where no fleet answers: a bad command line (exit 2), a missing or malformed URL
 * or token (exit 2), nothing listening, a server that is not the API, a spec file that cannot be used
 * (exit 1), each one `error:` line naming what was wrong. And `npm run search`'s own progress bar.
 */

const SPAWN = 180_000;
const token = { NASFLEET_TOKEN: 'a-token-of-some-length' };
let notApi: Server;
let notApiUrl: string;

beforeAll(async () => {
  notApi = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>a web page</html>'));
  await new Promise<void>((resolve) => notApi.listen(0, '127.0.0.1', resolve));
  notApiUrl = `http://127.0.0.1:${(notApi.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => notApi.close(() => resolve())));

/** One `error:` line on stderr, nothing on stdout. */
function expectError(run: { code: number; stdout: string; stderr: string }, code: number, message: string | RegExp): void {
  expect(run.code, run.stderr).toBe(code);
  expect(run.stdout).toBe('');
  expect(linesOf(run.stderr)).toHaveLength(1);
  if (typeof message === 'string') expect(run.stderr).toBe(`error: ${message}\n`);
  else expect(run.stderr).toMatch(message);
}

describe('nasfleet fleet commands without a fleet', () => {
  it('refuses a bad command line (exit 2), naming the flag', async () => {
    expectError(await nasfleet(['submit', '--evaluations', '0'], { env: token }), 2, '--evaluations must be a positive integer, got 0');
    expectError(await nasfleet(['list', '--bogus']), 2, 'unknown option --bogus (--help lists the options)');
    expectError(await nasfleet(['show']), 2, 'nasfleet show needs a search ID (nasfleet list shows them)');
    expectError(await nasfleet(['export', 'abc']), 2, '--out is required: the folder to write the model to');
    expectError(await nasfleet(['submit', '--epochs', '2', '--url', 'http://x', '--token', 't']), 2, '--epochs applies to --space code (NAS-Bench-201 cells are looked up, not trained)');
  }, SPAWN);

  it('needs a URL and a token, from the flags or the environment (exit 2)', async () => {
    expectError(await nasfleet(['list'], { env: token }), 2, 'no fleet to talk to: pass --url URL or set NASFLEET_URL (the orchestrator\'s API, e.g. http://127.0.0.1:8080)');
    expectError(await nasfleet(['list', '--url', 'ftp://head'], { env: token }), 2, '--url must be an http:// or https:// URL, got "ftp://head"');
    expectError(await nasfleet(['list'], { env: { ...token, NASFLEET_URL: 'head:8080' } }), 2, 'NASFLEET_URL must be an http:// or https:// URL, got "head:8080"');
    expectError(await nasfleet(['list', '--url', 'http://head:8080']), 2, 'no API token: pass --token TOKEN or set NASFLEET_TOKEN (the orchestrator\'s API_TOKEN)');
  }, SPAWN);

  it('names the URL nothing listens on, and a server that is not the API (exit 1)', async () => {
    const port = await freePort();
    expectError(await nasfleet(['list', '--url', `http://127.0.0.1:${port}`], { env: token }), 1,
      `cannot reach the fleet at http://127.0.0.1:${port}/: connection refused (is the orchestrator running, with API_TOKEN set, on that port?)`);
    expectError(await nasfleet(['show', 'abc', '--url', notApiUrl], { env: token }), 1,
      `GET ${notApiUrl}v1/searches/abc answered HTTP 200 with something that is not JSON: is --url / NASFLEET_URL the orchestrator's API?`);
  }, SPAWN);

  it('names a spec file that cannot be read or is not a spec (exit 1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nasfleet-spec-'));
    const env = { ...token, NASFLEET_URL: notApiUrl };
    expectError(await nasfleet(['submit', '--file', join(dir, 'none.json')], { env }), 1, `cannot read --file ${join(dir, 'none.json')}: no such file`);
    writeFileSync(join(dir, 'bad.json'), '{"space": ');
    expectError(await nasfleet(['submit', '--file', join(dir, 'bad.json')], { env }), 1, new RegExp(`^error: ${join(dir, 'bad.json')} is not JSON: `));
    expectError(await nasfleet(['submit', '--file', '-'], { env, stdin: '[]' }), 1, 'the spec on stdin must hold a JSON object (a search spec: docs/api.md), got an array');
  }, SPAWN);

  it('prints each command\'s help (exit 0)', async () => {
    const run = await nasfleet(['follow', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^usage: nasfleet follow ID \[options\]/);
    expect(run.stdout).toContain('  --url URL');
  }, SPAWN);
});

describe('npm run search on a terminal', () => {
  it('draws a progress bar of the candidates told, and the report after it', async () => {
    const run = await nasfleetOnTerminal(['--evaluations', '300'], {});
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/search [\u2588]{30} 300\/300 \| best \d+\.\d\d \| failed \d+ \|/);
    expect(run.output).toMatch(/^best cell: +\|/m);
  }, SPAWN);

  it('keeps stdout one JSON document with --json while the bar is drawn on the terminal', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'nasfleet-json-')), 'report.json');
    const run = await nasfleetOnTerminal(['--evaluations', '200', '--json'], {}, file);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/search [\u2588]{30} 200\/200 \|/);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ space: 'nb201', evaluations: 200 });
  }, SPAWN);
});
