#!/usr/bin/env node
// `npm run search` runs one search locally and prints its best network, coverage and QD score;
// `npm run check` (main.ts check FILE...) checks LLM answers without training them;
// `nasfleet submit|list|show|follow|cancel|export` talk to a fleet's HTTP API.
import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { lastResortHandler, runCli } from './cli-errors.ts';
import { readCliConfig } from './config.ts';
import { isFleetCommand } from './fleet/fleet-args.ts';
import { runSearchCommand } from './search-command.ts';

const argv = process.argv.slice(2);
const io = { stdout: (line: string) => console.log(line), stderr: (line: string) => console.error(line), progressStream: process.stderr };
const config = readCliConfig();
const errors = { stderr: io.stderr, debug: config.debug || argv.includes('--verbose') };
const lastResort = lastResortHandler(errors, (code) => process.exit(code));
process.on('uncaughtException', lastResort);
process.on('unhandledRejection', lastResort);
process.exitCode = await runCli(async () => {
  const command = argv[0] ?? '';
  if (command === 'check') {
    const { runCheckCommand } = await import('./check-command.ts');
    return runCheckCommand(argv.slice(1), io);
  }
  if (isFleetCommand(command)) {
    const { runFleetCommand } = await import('./fleet/fleet-command.ts');
    const fleetIo = { ...io, readFile: (path: string) => readFile(path, 'utf8'), readStdin: () => text(process.stdin) };
    return runFleetCommand(command, argv.slice(1), fleetIo, config);
  }
  return runSearchCommand(argv, io, config);
}, errors);
