import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@nasfleet/fleet-testing';
import { linesOf } from './cli-run.ts';
import { DOUBLE_MODEL, startCliTestFleet } from './support/cli-fleet-processes.ts';
import type { CliTestFleet } from './support/cli-fleet-processes.ts';
import { startCuttingProxy } from './support/cli-fleet-proxy.ts';
import { nasfleet, nasfleetOnTerminal } from './support/cli-fleet-run.ts';

/**
 * The fleet commands as a user runs them (`nasfleet …`, a process with pipes or a terminal) against
 * a real fleet: redis-server, the orchestrator process with its HTTP API, an LLM worker. The LLM is
 * the Ollama double answering as the rule operators would, 150 ms per answer, so that a search runs
 * for seconds and can be watched and cancelled.
 */

let fleet: CliTestFleet;
let env: Record<string, string>;
const scratch = () => mkdtempSync(join(tmpdir(), 'nasfleet-cli-fleet-'));
const SPAWN = 240_000;

beforeAll(async () => {
  fleet = await startCliTestFleet({ answerDelayMs: 150 });
  env = { NASFLEET_URL: fleet.url, NASFLEET_TOKEN: fleet.token };
}, 300_000);

afterAll(async () => {
  await fleet?.stop();
});

/** An NB201 search through the slowed double, one candidate in flight. */
const llmFlags = () => ['--llm', 'ollama', '--endpoint', fleet.llmUrl, '--model', DOUBLE_MODEL, '--depth', '1'];

/** Told counts of the plain progress lines (`[told/budget] …`). */
const toldCounts = (stderr: string) => [...stderr.matchAll(/^\[(\d+)\/\d+\]/gm)].map((m) => Number(m[1]));

describe('nasfleet against a running fleet', () => {
  it('submits from a spec file and flags, follows the search to its end in plain lines and prints the summary table', async () => {
    const dir = scratch();
    const file = join(dir, 'spec.json');
    writeFileSync(file, JSON.stringify({ space: { name: 'nb201', options: { dataset: 'cifar100' } }, config: { strategy: 'llmatic', seed: 3 }, evaluations: 999 }));
    const run = await nasfleet(['submit', '--file', file, '--evaluations', '30', ...llmFlags(), '--follow'], { env });
    expect(run.code, `${run.stderr}\n${fleet.logs()}`).toBe(0);
    const id = /^submitted search (\S+) \(nb201, llmatic, 30 evaluations\)/m.exec(run.stderr)?.[1];
    expect(id, run.stderr).toBeDefined();
    // Plain lines (stderr is a pipe): no control codes; the tally reached the budget exactly once.
    expect(run.stderr).not.toContain('\x1b[');
    expect(run.stderr).toMatch(/^status: running$/m);
    const counts = toldCounts(run.stderr);
    expect(counts.at(-1)).toBe(30);
    expect(Math.max(...counts)).toBe(30);
    expect(run.stderr).toMatch(/^\[\d+\/30\] best \d+\.\d\d \(c\d{6}\), failed \d+, in flight \d: new best$/m);
    // The summary table on stdout.
    expect(run.stdout).toMatch(new RegExp(`^search +${id}$`, 'm'));
    expect(run.stdout).toMatch(/^status +done$/m);
    expect(run.stdout).toMatch(/^space +nb201\/cifar100$/m);
    expect(run.stdout).toMatch(/^strategy +llmatic, seed 3$/m);
    expect(run.stdout).toMatch(/^told +30 of 30$/m);
    expect(run.stdout).toMatch(/^best +c\d{6}, fitness \d+\.\d\d$/m);
    expect(run.stdout).toMatch(/^network archive +coverage \d+\.\d% \(\d+ of \d+ niches\), QD score \d/m);

    // show --json: the API's detail, the spec as merged (the flag's budget, the file's strategy and dataset).
    const show = await nasfleet(['show', id!, '--json'], { env });
    expect(show.code, show.stderr).toBe(0);
    const detail = JSON.parse(show.stdout) as { search: { status: string; spec: Record<string, unknown> }; progress: { told: number } };
    expect(detail.search.status).toBe('done');
    expect(detail.progress.told).toBe(30);
    expect(detail.search.spec).toMatchObject({ evaluations: 30, config: { strategy: 'llmatic', seed: 3 }, space: { name: 'nb201', options: { dataset: 'cifar100' } }, llm: { provider: 'ollama', generatorModel: DOUBLE_MODEL } });
    const table = await nasfleet(['show', id!], { env });
    expect(table.stdout).toMatch(/^told +30 of 30$/m);

    // Following an ended search prints its summary at once.
    const again = await nasfleet(['follow', id!], { env });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(table.stdout);
  }, SPAWN);

  it('draws a progress bar on a terminal, then the summary table', async () => {
    const run = await nasfleetOnTerminal(['submit', '--evaluations', '20', ...llmFlags(), '--follow'], env);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/[\u2588\u2591]{30} \d+\/20 \| best (-|\d+\.\d\d) \| failed \d+ \| in flight \d \| running/);
    expect(run.output).toMatch(/[\u2588]{30} 20\/20 \| best \d+\.\d\d/);
    expect(run.output).not.toMatch(/^\[\d+\/20\]/m);
    expect(run.output).toMatch(/^told +20 of 20\r?$/m);
  }, SPAWN);

  it('resumes a dropped event stream with Last-Event-ID: every candidate counted once', async () => {
    const proxy = await startCuttingProxy(fleet.url, 5);
    try {
      const run = await nasfleet(['submit', '--evaluations', '25', ...llmFlags(), '--follow', '--url', proxy.url], { env });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/^the event stream was cut \(.+\); reconnecting after event \d+$/m);
      expect(proxy.eventRequests.length).toBeGreaterThanOrEqual(2);
      expect(proxy.eventRequests[0]).toBeNull();
      expect(proxy.eventRequests[1]).toMatch(/^\d+$/);
      const counts = toldCounts(run.stderr);
      expect(counts.at(-1)).toBe(25);
      expect(Math.max(...counts)).toBe(25);
      expect(run.stderr).toMatch(/^\[25\/25\] best \d+\.\d\d \(c\d{6}\), failed \d+, in flight 0: done$/m);
      expect(run.stdout).toMatch(/^told +25 of 25$/m);
    } finally {
      await proxy.close();
    }
  }, SPAWN);

  it('lists searches as a table and as JSON, filtered by status', async () => {
    const text = await nasfleet(['list'], { env });
    expect(text.code, text.stderr).toBe(0);
    const lines = linesOf(text.stdout);
    expect(lines.length, text.stdout).toBeGreaterThan(3);
    expect(lines[0]).toMatch(/^ID +STATUS +STRATEGY +SPACE +TOLD +CREATED$/);
    for (const line of lines.slice(1)) expect(line).toMatch(/^\S+ +done +(llmatic|hybrid) +nb201 +(\d+)\/\2 +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const json = await nasfleet(['list', '--json', '--status', 'done', '--limit', '2'], { env });
    const { searches } = JSON.parse(json.stdout) as { searches: { status: string }[] };
    expect(searches).toHaveLength(2);
    expect(searches.every((s) => s.status === 'done')).toBe(true);
  }, SPAWN);

  it('cancels a running search and waits until its orchestrator has stopped it', async () => {
    const submitted = await nasfleet(['submit', '--evaluations', '100000', ...llmFlags()], { env });
    expect(submitted.code, submitted.stderr).toBe(0);
    const id = submitted.stdout.trim();
    await waitFor(async () => {
      const d = JSON.parse((await nasfleet(['show', id, '--json'], { env })).stdout) as { progress: { told: number } };
      return d.progress.told > 0;
    }, 'the search to tell a candidate', 120_000, 500);
    const cancel = await nasfleet(['cancel', id, '--wait'], { env });
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stderr).toMatch(new RegExp(`^cancel of search ${id} requested \\(status running\\)`, 'm'));
    expect(cancel.stdout).toMatch(new RegExp(`^${id} cancelled after \\d+ of 100000 candidates\n$`));
    const show = await nasfleet(['show', id], { env });
    expect(show.stdout).toMatch(/^status +cancelled$/m);
    const again = await nasfleet(['cancel', id], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`error: search "${id}" has ended (cancelled): it cannot be paused, resumed or cancelled any more (HTTP 409 search-ended)\n`);
  }, SPAWN);

  it('submits once per idempotency key', async () => {
    const args = ['submit', '--evaluations', '3', '--idempotency-key', 'cli-test-once'];
    const first = await nasfleet(args, { env });
    const second = await nasfleet(args, { env });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toMatch(/was submitted before with idempotency key cli-test-once \(status \w+\): nothing new was created/);
  }, SPAWN);

  it('explains why an NB201 search has no export, and writes nothing', async () => {
    const submitted = await nasfleet(['submit', '--evaluations', '5', '--follow', '--json'], { env });
    const id = (JSON.parse(submitted.stdout) as { search: { id: string } }).search.id;
    const out = join(scratch(), 'model');
    const run = await nasfleet(['export', id, '--out', out], { env });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^error: search ${id} runs in the nb201 space, whose candidates are looked up, never trained: there are no weights to export \\(HTTP 409 no-weights\\)\\. Its best is c\\d{6}, \\|.+\\|, fitness \\d+\\.\\d\\d\n$`));
    expect(readdirSync(join(out, '..'))).toEqual([]);
  }, SPAWN);

  it('names what was wrong: an unknown search, a bad token, a spec the orchestrator refuses', async () => {
    const unknown = await nasfleet(['show', 'no-such-search'], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('error: no search "no-such-search" (HTTP 404 not-found)\n');
    const token = await nasfleet(['list'], { env: { ...env, NASFLEET_TOKEN: 'wrong-token-wrong-token' } });
    expect(token.code).toBe(1);
    expect(token.stderr).toBe(`error: the fleet at ${fleet.url}/ refused the token (HTTP 401): pass the orchestrator's API_TOKEN with --token or NASFLEET_TOKEN\n`);
    const spec = await nasfleet(['submit', '--strategy', 'llmatc', '--evaluations', '3'], { env });
    expect(spec.code).toBe(1);
    expect(spec.stderr).toMatch(/^error: invalid body: config\.strategy: unknown strategy 'llmatc' \(registered: .*\) \(HTTP 400 invalid-request\)\n$/);
  }, SPAWN);
});
