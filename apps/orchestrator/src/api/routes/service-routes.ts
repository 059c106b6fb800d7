import { z } from 'zod';
import { ApiError, errorResponses, ErrorBody } from '../api-errors.ts';
import { Health, Ready } from '../api-schemas.ts';
import type { ZodApp } from '../api-context.ts';

export interface ServiceRouteDeps {
  ready: () => Promise<void>;
  renderMetrics?: () => Promise<string>;
}

/** The Prometheus text exposition format's content type. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Health probes (no token), Prometheus metrics and the OpenAPI document (with the token). */
export function serviceRoutes(app: ZodApp, deps: ServiceRouteDeps): void {
  app.get('/healthz', {
    config: { public: true },
    schema: {
      operationId: 'health', tags: ['service'], summary: 'Liveness', description: '200 while the process serves requests. No token.', security: [],
      response: { 200: Health.describe('Alive.') },
    },
  }, async () => ({ status: 'ok' as const }));

  app.get('/readyz', {
    config: { public: true },
    schema: {
      operationId: 'ready', tags: ['service'], summary: 'Readiness', description: '200 when the orchestrator\'s dependencies answer (Redis), 503 with the reason otherwise. No token.', security: [],
      response: { 200: Ready.describe('Ready.'), 503: ErrorBody.describe('Not ready: the message says why.') },
    },
  }, async () => {
    try {
      await deps.ready();
    } catch (error) {
      throw new ApiError(503, 'not-ready', error instanceof Error ? error.message : String(error));
    }
    return { status: 'ready' as const };
  });

  app.get('/metrics', {
    schema: {
      operationId: 'metrics', tags: ['service'], summary: 'Prometheus metrics', description: 'The orchestrator\'s metrics in the Prometheus text format (version 0.0.4). 404 when this process was started without metrics.',
      response: { 200: { description: 'The metrics.', content: { 'text/plain': { schema: z.string() } } }, ...errorResponses(401, 404) },
    },
  }, async (_request, reply) => {
    if (!deps.renderMetrics) throw new ApiError(404, 'not-found', 'this process serves no metrics');
    const text = await deps.renderMetrics();
    return reply.type(METRICS_CONTENT_TYPE).serializer((payload: unknown) => String(payload)).send(text);
  });

  app.get('/openapi.json', {
    schema: {
      operationId: 'openapi', tags: ['service'], summary: 'This document', description: 'The OpenAPI 3.1 document, generated from the routes\' zod schemas.',
      response: { 200: z.looseObject({}).describe('The OpenAPI document.'), ...errorResponses(401) },
    },
  }, async () => app.swagger() as unknown as Record<string, unknown>);
}
