import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OPENAPI_PATH, openApiText } from './openapi-document.ts';

/**
 * `npm run openapi`: writes docs/openapi.json from the API's zod schemas (no Redis needed). A test
 * compares the committed file with what the code generates, so run this after changing a route.
 */
const text = await openApiText();
writeFileSync(OPENAPI_PATH, text);
process.stdout.write(`wrote ${fileURLToPath(OPENAPI_PATH)} (${text.length} bytes)\n`);
