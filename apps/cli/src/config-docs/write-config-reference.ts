import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONFIG_REFERENCE_PATH, configReference } from './config-reference.ts';

/**
 * `npm run config-docs`: writes docs/configuration.md from the zod schemas of every process's
 * environment and of a search. A test compares the committed file with what the code generates,
 * so run this after changing a schema.
 */
const text = configReference();
writeFileSync(CONFIG_REFERENCE_PATH, text);
process.stdout.write(`wrote ${fileURLToPath(CONFIG_REFERENCE_PATH)} (${text.length} bytes)\n`);
