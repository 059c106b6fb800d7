#!/usr/bin/env node
// `npm run search`: runs one search locally and prints its best network, coverage and QD score.
import { CliUsageError, parseCli, USAGE } from './cli-args.ts';
import type { CliOptions } from './cli-args.ts';
import { formatCodeReport, runCodeCommand } from './code-command.ts';
import { formatNb201Report, runNb201Command } from './nb201-command.ts';

async function main(argv: string[]): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCli(argv);
  } catch (error) {
    if (error instanceof CliUsageError) {
      console.error(`error: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  if (options.space === 'code') {
    const report = await runCodeCommand(options, (line) => console.error(line));
    console.log(options.json ? JSON.stringify(report, null, 2) : formatCodeReport(report));
    return 0;
  }
  const report = runNb201Command(options);
  console.log(options.json ? JSON.stringify(report, null, 2) : formatNb201Report(report));
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
