import { z } from 'zod';
import { FASHION_MNIST_DEBIAN_DIR } from '@nasfleet/datasets';
import { LlmaticAblation, StrategyName } from '@nasfleet/search';
import { CliUsageError } from './cli-errors.ts';
import { flagOf, formatOptions, intOption, parseArgv, positiveOption, usageMessage } from './parse-argv.ts';
import type { OptionTable } from './parse-argv.ts';

export { CliUsageError } from './cli-errors.ts';

/** The default model: a 7B code model, the smallest size the feedback-loop paper found usable. */
export const DEFAULT_MODEL = 'qwen2.5-coder:7b';

const httpUrl = z.string().regex(/^https?:\/\/[^\s/]+/, 'must be an http:// or https:// URL');

/** Command-line options of `npm run search`, with their defaults (a small NB201 search, no LLM). */
export const CliOptions = z.object({
  /** Search space: the NAS-Bench-201 cell table (look-up, no training), or open TF.js code trained on Fashion-MNIST. */
  space: z.enum(['nb201', 'code']).default('nb201'),
  strategy: StrategyName.default('hybrid'),
  /** LLMatic ablation (llmatic and hybrid only). */
  ablation: LlmaticAblation.default('none'),
  /** nb201: cifar10 (default) | cifar100 | imagenet16-120; code: fashion-mnist. */
  dataset: z.enum(['cifar10', 'cifar100', 'imagenet16-120', 'fashion-mnist']).optional(),
  /** What the search sees: 200-epoch or 12-epoch validation accuracy. */
  signal: z.enum(['val200', 'val12']).default('val200'),
  /** Default 500 on nb201, 12 in the code space (each one trains a network). */
  evaluations: intOption(1, 1_000_000).optional(),
  /** Code space: training / test images used by the one-epoch proxy. */
  trainSubset: intOption(1).default(2048),
  testSubset: intOption(1).default(1000),
  /** Code space: proxy epochs and initial learning rate (SPEC §2: 1 and 0.01). */
  epochs: intOption(1, 1000).default(1),
  learningRate: positiveOption(10).default(0.01),
  /** Code space: where Debian's dataset-fashion-mnist puts the IDX files. */
  fashionMnistDir: z.string().min(1, 'must name a folder').default(FASHION_MNIST_DEBIAN_DIR),
  /** Code space: retrain the best network and save it here (TF.js model.json + weights + code). */
  export: z.string().min(1, 'must name a folder').optional(),
  /** Who writes candidates: the rule-based operators (no LLM), Ollama, or an OpenAI-compatible server. */
  llm: z.enum(['rule', 'ollama', 'openai']).default('rule'),
  /** --llm ollama: the Ollama server. */
  ollamaHost: httpUrl.optional(),
  /** --llm openai: the server's OpenAI base URL, /v1 included. */
  baseUrl: httpUrl.optional(),
  /** The model that writes the code (or cell); also the improver unless --improver-model. */
  model: z.string().min(1, 'must name a model').optional(),
  improverModel: z.string().min(1, 'must name a model').optional(),
  /** Cap on the tokens of one answer. */
  maxTokens: intOption(16, 65_536).default(2048),
  /** Seconds one LLM request may take (retries of transient errors come on top). */
  llmTimeout: positiveOption(86_400).default(300),
  /** A folder of prompt files to use instead of the repository's prompts/. */
  promptsDir: z.string().min(1, 'must name a folder').optional(),
  seed: intOption(0).default(0),
  /** Candidates in flight (asked before their results are told). */
  batch: intOption(1, 10_000).default(1),
  /** Print the report as JSON instead of text. */
  json: z.boolean().default(false),
  /** Print the stack of an unexpected error (as DEBUG=nasfleet does). */
  verbose: z.boolean().default(false),
  help: z.boolean().default(false),
});
/** Options with the per-space defaults resolved. */
export type CliOptions = Omit<z.infer<typeof CliOptions>, 'space' | 'dataset' | 'evaluations'> & (
  | { space: 'nb201'; dataset: 'cifar10' | 'cifar100' | 'imagenet16-120'; evaluations: number }
  | { space: 'code'; dataset: 'fashion-mnist'; evaluations: number }
);

/** The options of `npm run search`, in --help order; the README's options paragraph lists the same set (a test compares). */
export const SEARCH_OPTIONS = {
  space: {
    type: 'string', value: 'NAME', help: [
      'nb201 (default): the NAS-Bench-201 table, looked up',
      'code: TF.js networks written by the rule-based operator, sandboxed, checked',
      'and trained for one epoch on Fashion-MNIST (wasm/cpu backend; minutes)',
    ],
  },
  strategy: { type: 'string', value: 'NAME', help: [`${StrategyName.options.join(' | ')} (default hybrid)`] },
  ablation: {
    type: 'string', value: 'NAME', help: [`${LlmaticAblation.options.slice(0, 4).join(' | ')} |`, `${LlmaticAblation.options.slice(4).join(' | ')}   (llmatic, hybrid)`],
  },
  dataset: { type: 'string', value: 'NAME', help: ['nb201: cifar10 (default) | cifar100 | imagenet16-120; code: fashion-mnist'] },
  signal: { type: 'string', value: 'NAME', help: ['val200 (default) | val12: the validation accuracy the search sees'] },
  evaluations: { type: 'string', value: 'N', help: ['candidates to evaluate (default 500 on nb201, 12 in the code space)'] },
  'train-subset': { type: 'string', value: 'N', help: ['code space: training images of the proxy (default 2048)'] },
  'test-subset': { type: 'string', value: 'N', help: ['code space: test images the returned network is scored on (default 1000)'] },
  epochs: { type: 'string', value: 'N', help: ['code space: proxy epochs (default 1)'] },
  'learning-rate': { type: 'string', value: 'X', help: ['code space: initial SGD learning rate, cosine-decayed (default 0.01)'] },
  'fashion-mnist-dir': {
    type: 'string', value: 'DIR', help: ['code space: the folder of the four Fashion-MNIST IDX files', `(default ${FASHION_MNIST_DEBIAN_DIR}, where`, '`apt-get install dataset-fashion-mnist` puts them)'],
  },
  export: {
    type: 'string', value: 'DIR', help: ['code space: retrain the best network and save it as a TF.js model', '(model.json + weights.bin) with its code; checked before the search starts'],
  },
  llm: { type: 'string', value: 'NAME', help: ['rule (default): the rule-based operators, no LLM', 'ollama: an Ollama server; openai: any OpenAI-compatible server (vLLM, llama.cpp)'] },
  'ollama-host': { type: 'string', value: 'URL', help: ['--llm ollama: the server (default http://127.0.0.1:11434)'] },
  'base-url': { type: 'string', value: 'URL', help: ['--llm openai: the base URL, /v1 included (default http://127.0.0.1:11434/v1);', 'an API key, if the server needs one, comes from OPENAI_API_KEY'] },
  model: { type: 'string', value: 'NAME', help: [`the model that writes networks (default ${DEFAULT_MODEL})`] },
  'improver-model': { type: 'string', value: 'NAME', help: ['feedback-memory: the improver\'s model (default: --model)'] },
  'max-tokens': { type: 'string', value: 'N', help: ['cap on the tokens of one answer (default 2048)'] },
  'llm-timeout': { type: 'string', value: 'S', help: ['seconds one LLM request may take before it is retried (default 300)'] },
  'prompts-dir': { type: 'string', value: 'DIR', help: ['prompt files to use instead of the repository\'s prompts/'] },
  seed: { type: 'string', value: 'N', help: ['random seed (default 0)'] },
  batch: { type: 'string', value: 'N', help: ['candidates in flight at once (default 1)'] },
  json: { type: 'boolean', help: ['print the report as one JSON document on stdout (progress goes to stderr)'] },
  verbose: { type: 'boolean', help: ['on an error, print its stack too (as DEBUG=nasfleet does)'] },
  help: { type: 'boolean', short: 'h', help: ['print this help'] },
} satisfies OptionTable;

export const USAGE = `usage: npm run --silent search -- [options]
       npm run --silent check -- FILE... [--json]   (check LLM answers without training; --help there)
       nasfleet submit|list|show|follow|cancel|export ...   (a fleet's HTTP API: docs/cli.md; --help there)

${formatOptions(SEARCH_OPTIONS)}
`;

/** Parses argv (without node and script) into validated options; throws CliUsageError saying what is wrong. */
export function parseCli(argv: string[]): CliOptions {
  const { values } = parseArgv(argv, SEARCH_OPTIONS, false);
  const parsed = CliOptions.safeParse(values);
  if (!parsed.success) throw new CliUsageError(usageMessage(parsed.error, values));
  if (parsed.data.ablation !== 'none' && parsed.data.strategy !== 'llmatic' && parsed.data.strategy !== 'hybrid') {
    throw new CliUsageError(`--ablation ${parsed.data.ablation} applies to llmatic and hybrid, not ${parsed.data.strategy}`);
  }
  const o = parsed.data;
  checkLlmOptions(o);
  if (o.space === 'code') {
    if (o.dataset !== undefined && o.dataset !== 'fashion-mnist') throw new CliUsageError(`--dataset ${o.dataset} is a NAS-Bench-201 dataset; the code space trains on fashion-mnist`);
    return { ...o, space: 'code', dataset: 'fashion-mnist', evaluations: o.evaluations ?? 12 };
  }
  if (o.export !== undefined) throw new CliUsageError('--export applies to --space code (NAS-Bench-201 cells are looked up, not trained)');
  if (o.dataset === 'fashion-mnist') throw new CliUsageError('--dataset fashion-mnist needs --space code (NAS-Bench-201 has cifar10, cifar100, imagenet16-120)');
  return { ...o, space: 'nb201', dataset: o.dataset ?? 'cifar10', evaluations: o.evaluations ?? 500 };
}

/** LLM options that do not fit the chosen --llm are refused, not silently ignored. */
function checkLlmOptions(o: z.infer<typeof CliOptions>): void {
  if (o.llm === 'rule') {
    const stray = (['ollamaHost', 'baseUrl', 'model', 'improverModel'] as const).find((k) => o[k] !== undefined);
    if (stray) throw new CliUsageError(`${flagOf(stray)} applies to --llm ollama or --llm openai (the default, --llm rule, uses no LLM)`);
  }
  if (o.ollamaHost !== undefined && o.llm !== 'ollama') throw new CliUsageError(`--ollama-host applies to --llm ollama, not --llm ${o.llm}`);
  if (o.baseUrl !== undefined && o.llm !== 'openai') throw new CliUsageError(`--base-url applies to --llm openai, not --llm ${o.llm}`);
}
