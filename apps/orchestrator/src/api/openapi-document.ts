import { createMemoryStore } from '@nasfleet/store';
import { createApi } from './create-api.ts';

/** Where the committed document lives (the repository's docs/), and what `npm run openapi` writes. */
export const OPENAPI_PATH = new URL('../../../../docs/openapi.json', import.meta.url);

/**
 * The API's OpenAPI document, generated from the routes' schemas by an API over an empty memory store
 * (no Redis, no token that matters), as the text docs/openapi.json holds: 2-space JSON, a final newline.
 */
export async function openApiText(): Promise<string> {
  const app = await createApi({ store: createMemoryStore(), token: 'openapi', ready: async () => undefined });
  try {
    await app.ready();
    return `${JSON.stringify(app.swagger(), null, 2)}\n`;
  } finally {
    await app.close();
  }
}
