import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { extractCell, formatArchString, NB201_INITIAL_CELL } from '@nasfleet/nb201';
import { startOllamaDouble } from '@nasfleet/ollama-double';
import type { OllamaDouble, RecordedRequest } from '@nasfleet/ollama-double';
import { loadPromptSet } from '@nasfleet/prompts';
import { linesOf, npmRun } from './cli-run.ts';
import { createRuleResponder } from './support/rule-responder.ts';
import type { RuleResponder } from './support/rule-responder.ts';

// What is faked here: the LLM. The double is a real HTTP server speaking Ollama's API (and its
// OpenAI-compatible /v1), answering with the rule-based operators applied to what the prompt says.
// Everything else is real: the CLI as a user starts it, the sandbox, the NB201 table, TF.js training.
const SPAWN = 300_000;
const MODEL = 'qwen2.5-coder:7b';
let double: OllamaDouble | null = null;
afterEach(async () => {
  await double?.close();
  double = null;
});

async function start(): Promise<{ double: OllamaDouble; responder: RuleResponder }> {
  const responder = createRuleResponder({ inputShape: [28, 28, 1], numClasses: 10 });
  double = await startOllamaDouble({ models: [MODEL, 'deepseek-coder:6.7b'], respond: responder });
  return { double, responder };
}

const chats = (d: OllamaDouble): RecordedRequest[] => d.requests.filter((r) => r.route !== '/api/generate');
const prompt = (r: RecordedRequest): string => r.messages.map((m) => m.content).join('\n');

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('npm run search --llm ollama: a local search through a real LLM protocol (NB201 cells)', () => {
  it('edits cells through /api/chat: each prompt carries a real parent cell, the request the search\'s model, temperature and seed', async () => {
    const { double, responder } = await start();
    // llmatic: its seeds are the LLM's edits of the initial cell (the hybrid's default seeds are the space's samples, no chat).
    const args = ['--llm', 'ollama', '--ollama-host', double.url, '--evaluations', '30', '--strategy', 'llmatic', '--seed', '4', '--json'];
    const run = await npmRun('search', args);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.llm).toMatchObject({ provider: 'ollama', endpoint: double.url, model: MODEL, improverModel: MODEL, promptSetHash: loadPromptSet().hash });
    expect(report.best.test200).toBeGreaterThan(80);
    const requests = chats(double);
    // The seed is the initial cell itself; every later candidate was one chat.
    expect(requests).toHaveLength(29);
    expect(report.llmUsage.calls).toBe(29);
    const seen = new Set([NB201_INITIAL_CELL]);
    requests.forEach((r, i) => {
      expect(r).toMatchObject({ route: '/api/chat', model: MODEL, stream: true, options: { num_predict: 2048, num_ctx: 8192 } });
      expect(r.options.temperature as number).toBeGreaterThanOrEqual(0.1);
      expect(r.options.temperature as number).toBeLessThanOrEqual(1);
      expect(Number.isInteger(r.options.seed)).toBe(true);
      // The parent in the prompt is a cell the search had already seen (the initial one, or an earlier answer).
      const parent = /## (?:Parent network|Network 1)[^\n]*\n```[a-z]*\n([^`]+)```/.exec(r.messages.at(-1)!.content)?.[1]?.trim();
      expect(parent && seen.has(parent), `parent ${parent} of request ${i}`).toBe(true);
      expect(prompt(r)).toContain('NAS-Bench-201'); // the cell-space prompt variant
      seen.add(formatArchString(extractCell(responder.turns[i]!.answer)));
    });
    expect(prompt(requests[0]!)).toContain(NB201_INITIAL_CELL);
    // Seeds are the engine's: a rerun with the same --seed sends the same seeds and temperatures.
    const again = await npmRun('search', args);
    expect(again.code).toBe(0);
    const replay = chats(double).slice(29);
    expect(replay.map((r) => [r.options.seed, r.options.temperature])).toEqual(requests.map((r) => [r.options.seed, r.options.temperature]));
    expect(JSON.parse(again.stdout).best).toEqual(report.best);
  }, SPAWN);

  it('feedback-memory: the improver is asked for JSON in a schema, and its triples come back in later prompts', async () => {
    const { double, responder } = await start();
    const run = await npmRun('search', ['--llm', 'ollama', '--ollama-host', double.url, '--evaluations', '8', '--strategy', 'feedback-memory', '--improver-model', 'deepseek-coder:6.7b', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const requests = chats(double);
    const improver = requests.filter((r) => r.format !== undefined && r.format !== null);
    const generator = requests.filter((r) => r.format === undefined || r.format === null);
    expect(improver).toHaveLength(7);
    expect(generator).toHaveLength(7);
    expect(improver.every((r) => r.model === 'deepseek-coder:6.7b' && typeof r.format === 'object')).toBe(true);
    expect(generator.every((r) => r.model === MODEL)).toBe(true);
    // Each improver suggestion is in the memory window of the prompts that follow it.
    const suggestions = responder.turns.filter((t) => t.role === 'improver').map((t) => JSON.parse(t.answer).suggestion as string);
    expect(suggestions).toHaveLength(7);
    expect(prompt(improver[6]!)).toContain(suggestions[5]!);
    expect(prompt(improver[6]!)).toMatch(/Result: accuracy \d+\.\d+%/);
    expect(prompt(generator[0]!)).toContain(suggestions[0]!);
  }, SPAWN);
});

describe('npm run search --llm openai: the open code space through an OpenAI-compatible server', () => {
  it('writes, sandboxes and trains networks from /v1/chat/completions, the parent\'s code in each prompt', async () => {
    const { double } = await start();
    const run = await npmRun('search', ['--space', 'code', '--llm', 'openai', '--base-url', `${double.url}/v1`, '--evaluations', '4', '--strategy', 'llmatic',
      '--train-subset', '256', '--test-subset', '200', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.llm).toMatchObject({ provider: 'openai', endpoint: `${double.url}/v1`, model: MODEL });
    const requests = chats(double);
    expect(requests).toHaveLength(3);
    expect(requests.every((r) => r.route === '/v1/chat/completions' && r.model === MODEL && Number.isInteger(r.options.seed))).toBe(true);
    // Seeding mutates the initial network: its code is in the first prompt, in a fenced block.
    expect(prompt(requests[0]!)).toMatch(/```javascript\nfunction buildModel\(tf, inputShape, numClasses\) \{\n {2}const model = tf\.sequential\(\);\n {2}model\.add\(tf\.layers\.conv2d\(\{ inputShape, filters: 1, kernelSize: 1/);
    expect(report.trained + report.duplicates + Object.values(report.failures as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(4);
    expect(report.best.code).toContain('function buildModel');
  }, SPAWN);

  it('survives broken answers: each becomes a failed candidate with its class, and nothing is trained for it', async () => {
    const { double, responder } = await start();
    responder.next('no-code', 'syntax-error', 'wrong-shape', 'endless-loop', 'hostile', 'python', 'ramble');
    const run = await npmRun('search', ['--space', 'code', '--llm', 'ollama', '--ollama-host', double.url, '--evaluations', '8', '--strategy', 'llmatic',
      '--max-tokens', '300', '--train-subset', '256', '--test-subset', '200', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    const failures = report.failures as Record<string, number>;
    expect(Object.values(failures).reduce((a, b) => a + b, 0)).toBe(7);
    const expected = new Set(responder.turns.slice(0, 7).flatMap((t) => t.expectedClasses ?? []));
    for (const cls of Object.keys(failures)) expect(expected.has(cls), cls).toBe(true);
    expect(report.trained).toBe(1); // only the initial network
    expect(report.llmUsage.truncated).toBeGreaterThanOrEqual(1); // the ramble hit --max-tokens
    expect(chats(double).at(-1)!.options.num_predict).toBe(300);
  }, SPAWN);
});

describe('npm run search --llm: the LLM server\'s errors', () => {
  it('a model that does not exist fails the search before it starts, with one line naming it and what is installed', async () => {
    const { double } = await start();
    const run = await npmRun('search', ['--llm', 'ollama', '--ollama-host', double.url, '--model', 'llama9:70b', '--evaluations', '20']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = linesOf(run.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: .*llama9:70b.*not.*(installed|found).*ollama pull llama9:70b.*qwen2\.5-coder:7b/);
    expect(chats(double)).toHaveLength(0); // no retry storm: not one chat was sent
  }, SPAWN);

  it('transient errors (busy, 500, an error line mid-stream, a dropped connection) are retried and the search completes', async () => {
    const { double } = await start();
    double.fail({ kind: 'busy' }, { kind: 'status', status: 500, message: 'llama runner process has terminated' }, { kind: 'stream-error', afterPieces: 2, message: 'an error was encountered while running the model' }, { kind: 'drop', afterPieces: 1 });
    const run = await npmRun('search', ['--llm', 'ollama', '--ollama-host', double.url, '--evaluations', '5', '--strategy', 'llmatic', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.failures).toBe(0);
    expect(chats(double)).toHaveLength(4 + 4);
    expect(report.llmUsage.calls).toBe(4);
  }, SPAWN);

  it('a server that is not there fails the search with a line naming it and the attempts made', async () => {
    const port = await closedPort();
    const run = await npmRun('search', ['--llm', 'openai', '--base-url', `http://127.0.0.1:${port}/v1`, '--evaluations', '5']);
    expect(run.code).toBe(1);
    const lines = linesOf(run.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^error: .*127\\.0\\.0\\.1:${port}`));
  }, SPAWN);

  it('refuses LLM options that do not fit --llm', async () => {
    const rule = await npmRun('search', ['--model', 'qwen2.5-coder:7b']);
    expect(rule.code).toBe(2);
    expect(rule.stderr).toMatch(/^error: --model applies to --llm ollama or --llm openai/);
    const host = await npmRun('search', ['--llm', 'openai', '--ollama-host', 'http://x:1']);
    expect(host.code).toBe(2);
    expect(host.stderr).toMatch(/--ollama-host applies to --llm ollama, not --llm openai/);
    const url = await npmRun('search', ['--llm', 'ollama', '--ollama-host', 'localhost:11434']);
    expect(url.code).toBe(2);
    expect(url.stderr).toMatch(/--ollama-host must be an http:\/\/ or https:\/\/ URL, got localhost:11434/);
  }, SPAWN);
});
