#!/usr/bin/env node
// `npm run search` runs one search locally and prints its best network, coverage and QD score;
// `npm run check` (main.ts check FILE...) checks LLM answers without training them.
import { lastResortHandler, runCli } from './cli-errors.ts';
import { readCliConfig } from './config.ts';
import { runSearchCommand } from './search-command.ts';

const argv = process.argv.slice(2);
const io = { stdout: (text: string) => console.log(text), stderr: (line: string) => console.error(line) };
const config = readCliConfig();
const errors = { stderr: io.stderr, debug: config.debug || argv.includes('--verbose') };
const lastResort = lastResortHandler(errors, (code) => process.exit(code));
process.on('uncaughtException', lastResort);
process.on('unhandledRejection', lastResort);
process.exitCode = await runCli(async () => {
  if (argv[0] !== 'check') return runSearchCommand(argv, io, config);
  const { runCheckCommand } = await import('./check-command.ts');
  return runCheckCommand(argv.slice(1), io);
}, errors);
