import { DEFAULT_MODEL } from '../cli-args.ts';
import { CliUsageError } from '../cli-errors.ts';
import type { SubmitOptions } from './fleet-args.ts';
import { FleetError } from './fleet-client.ts';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The object under `key` (a copy), or a new one; a non-object there is the file's mistake, named. */
function child(parent: Json, key: string, where: string): Json {
  const value = parent[key];
  if (value === undefined) return {};
  if (!isObject(value)) throw new FleetError(`${where}.${key} must be a JSON object, got ${JSON.stringify(value)}`);
  return { ...value };
}

/**
 * Parses a spec file's text: a JSON object (the body of POST /v1/searches). FleetError naming the
 * file and what is wrong with it.
 */
export function parseSpecText(text: string, file: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FleetError(`${file} is not JSON: ${(error as Error).message}`);
  }
  if (!isObject(value)) throw new FleetError(`${file} must hold a JSON object (a search spec: docs/api.md), got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`);
  return value;
}

const CODE_ONLY = ['trainSubset', 'epochs', 'learningRate', 'batchSize'] as const;
const CODE_FLAG: Record<(typeof CODE_ONLY)[number], string> = { trainSubset: '--train-subset', epochs: '--epochs', learningRate: '--learning-rate', batchSize: '--batch-size' };

/**
 * The submission: the file's spec (if any) with the flags written over it, and the defaults of a
 * local `npm run search` where neither says (an NB201 hybrid search of 500 evaluations, 12 in the
 * code space; the rule operators, no LLM). Flags that do not fit the space are refused (CliUsageError);
 * the orchestrator checks the rest and names any bad field.
 */
export function buildSubmission(file: Json | null, o: SubmitOptions, where = 'the spec'): Json {
  const spec: Json = { ...(file ?? {}) };
  const space = child(spec, 'space', where);
  if (o.space !== undefined && space.name !== undefined && space.name !== o.space) {
    // Another space: the file's options belong to the file's space.
    delete space.options;
  }
  space.name = o.space ?? space.name ?? 'nb201';
  const options = child(space, 'options', `${where}.space`);
  if (o.dataset !== undefined) options.dataset = o.dataset;
  if (o.signal !== undefined) options.signal = o.signal;
  const code = space.name === 'code';
  if (code && o.signal !== undefined) throw new CliUsageError('--signal applies to --space nb201 (the code space trains its candidates)');
  if (code && o.dataset !== undefined && o.dataset !== 'fashion-mnist') throw new CliUsageError(`--dataset ${o.dataset} is a NAS-Bench-201 dataset; the code space trains on fashion-mnist`);
  if (!code && o.dataset === 'fashion-mnist') throw new CliUsageError('--dataset fashion-mnist needs --space code (NAS-Bench-201 has cifar10, cifar100, imagenet16-120)');
  const given = CODE_ONLY.filter((k) => o[k] !== undefined);
  if (!code && given.length) throw new CliUsageError(`${CODE_FLAG[given[0]!]} applies to --space code (NAS-Bench-201 cells are looked up, not trained)`);
  if (given.length) {
    const train = child(options, 'train', `${where}.space.options`);
    for (const k of given) train[k] = o[k];
    options.train = train;
  }
  space.options = options;
  spec.space = space;

  const config = child(spec, 'config', where);
  config.strategy = o.strategy ?? config.strategy ?? 'hybrid';
  if (o.seed !== undefined) config.seed = o.seed;
  spec.config = config;
  spec.evaluations = o.evaluations ?? spec.evaluations ?? (code ? 12 : 500);

  const llm = child(spec, 'llm', where);
  llm.provider = o.llm ?? llm.provider ?? 'rule';
  if (llm.provider === 'rule') {
    const stray = ([['endpoint', '--endpoint'], ['model', '--model'], ['improverModel', '--improver-model']] as const).find(([k]) => o[k] !== undefined);
    if (stray) throw new CliUsageError(`${stray[1]} applies to --llm ollama or --llm openai (--llm rule uses no LLM)`);
  } else {
    if (o.endpoint !== undefined) llm.endpoint = o.endpoint;
    if (o.model !== undefined) llm.generatorModel = o.model;
    if (o.improverModel !== undefined) llm.improverModel = o.improverModel;
    llm.generatorModel ??= DEFAULT_MODEL;
  }
  if (o.maxTokens !== undefined) llm.maxTokens = o.maxTokens;
  spec.llm = llm;
  if (o.depth !== undefined) spec.depth = o.depth;
  if (o.replay !== undefined) spec.replay = o.replay;
  if (o.id !== undefined) spec.id = o.id;
  return spec;
}
