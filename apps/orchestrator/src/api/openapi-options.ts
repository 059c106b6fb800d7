import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import { z } from 'zod';
import { SearchConfig } from '@nasfleet/search';
import type { SpaceRegistry } from '@nasfleet/steps';

/** A zod schema as the JSON Schema of what a client may send (defaults shown, transforms as their input). */
const inputSchema = (schema: z.ZodType): Record<string, unknown> => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

/**
 * The OpenAPI document's frame: info, the bearer scheme (required everywhere unless a route says
 * `security: []`), tags, and, as components, the schemas a submission's free-form parts follow: the
 * engine's SearchConfig and each registered space's options (so training settings and caps are
 * documented from the code that checks them, never by hand).
 */
export function openApiOptions(spaces: SpaceRegistry): FastifyDynamicSwaggerOptions {
  const schemas: Record<string, Record<string, unknown>> = { SearchConfig: inputSchema(SearchConfig) };
  for (const name of spaces.names()) schemas[`SpaceOptions.${name}`] = inputSchema(spaces.get(name).options);
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'nasfleet orchestrator API',
        version: '1',
        description: 'Submit, watch and steer neural architecture searches run by the nasfleet fleet. Every route but /healthz and /readyz needs `Authorization: Bearer <token>`. Errors are `{ "error": { "code", "message" } }`. See docs/api.md.',
      },
      tags: [
        { name: 'searches', description: 'Submit, list, read, watch and steer searches.' },
        { name: 'results', description: 'Archives, candidates and the best network.' },
        { name: 'service', description: 'Health, readiness, metrics, this document.' },
      ],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas },
      security: [{ bearer: [] }],
    },
  };
}
