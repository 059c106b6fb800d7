import swagger from '@fastify/swagger';
import Fastify from 'fastify';
import type { FastifyError } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { loadPromptSet } from '@nasfleet/prompts';
import type { PromptSet } from '@nasfleet/prompts';
import type { SpaceRegistry } from '@nasfleet/steps';
import type { QueueProducer } from '@nasfleet/queues';
import type { SearchStore } from '@nasfleet/store';
import { orchestratorSpaces } from '../orchestrator-spaces.ts';
import { apiContext } from './api-context.ts';
import type { ZodApp } from './api-context.ts';
import { answerError, ApiError } from './api-errors.ts';
import { bearerAuth } from './bearer-auth.ts';
import { openApiOptions } from './openapi-options.ts';
import { dashboardPageRoutes } from './routes/dashboard-page-routes.ts';
import { dashboardRoutes } from './routes/dashboard-routes.ts';
import { eventRoutes } from './routes/event-routes.ts';
import { resultRoutes } from './routes/result-routes.ts';
import { searchRoutes } from './routes/search-routes.ts';
import { serviceRoutes } from './routes/service-routes.ts';
import { createSearchReader } from './search-reader.ts';

/** What the HTTP API runs with. */
export interface ApiDeps {
  store: SearchStore;
  /** The bearer token every route but /healthz and /readyz requires. */
  token: string;
  /** Resolves when the orchestrator can serve (e.g. Redis answers a PING); throws with the reason otherwise. */
  ready: () => Promise<void>;
  /** The fleet's queues: POST /v1/searches/:id/export puts a training job there (absent: 503). */
  producer?: QueueProducer;
  /** The Prometheus text for GET /metrics (absent: 404). */
  renderMetrics?: () => Promise<string>;
  /** The prompt set new searches are made with (read when a search's first state must be rebuilt without a snapshot). Default: the repository's prompts/. */
  prompts?: PromptSet;
  /** The spaces submissions are checked against and engines are made with. Default: orchestratorSpaces(). */
  spaces?: SpaceRegistry;
  /** Fastify's request log (pino) on stdout. Default false. */
  logger?: boolean;
  /** Largest request body, in bytes. Default 1 MiB. */
  bodyLimit?: number;
  /** An event stream polls the store this often (default 300 ms) and sends a heartbeat comment this often (default 15 s). */
  eventPollMs?: number;
  heartbeatMs?: number;
}

/**
 * The orchestrator's HTTP API (docs/api.md): a Fastify instance with every route declared, not
 * listening (the caller listens, and closes it). Every route's params, query, headers, body and
 * responses are zod schemas (fastify-type-provider-zod), which also generate the OpenAPI document
 * (@fastify/swagger; GET /openapi.json). The bearer token is checked before anything else; every error
 * is `{ error: { code, message } }`. Reads rebuild searches from the store (search-reader.ts); writes
 * go to the store only (a search is created, or a status requested): the search's orchestrator acts.
 */
export async function createApi(deps: ApiDeps): Promise<ZodApp> {
  const auth = bearerAuth(deps.token);
  const app = Fastify({ logger: deps.logger ?? false, bodyLimit: deps.bodyLimit ?? 1024 * 1024 }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON only: anything else is a 415, not a string for the body schema to refuse. An empty JSON body
  // is no body (clients send the header on a bodiless POST /pause); Fastify's parser does the rest.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') done(null, undefined);
    else parseJson(request, String(body), done);
  });
  app.setErrorHandler((error: FastifyError, request, reply) => answerError(error, request, reply));
  app.setNotFoundHandler(async (request) => {
    throw new ApiError(404, 'not-found', `no route ${request.method} ${request.url.split('?')[0]}`);
  });
  app.addHook('onRequest', auth);

  const spaces = deps.spaces ?? orchestratorSpaces();
  let prompts = deps.prompts;
  const store = deps.store;
  const reader = createSearchReader({ store, spaces, prompts: () => (prompts ??= loadPromptSet()) });
  const ctx = apiContext({ store, reader, spaces, producer: deps.producer ?? null, eventPollMs: deps.eventPollMs ?? 300, heartbeatMs: deps.heartbeatMs ?? 15_000 });

  await app.register(swagger, { ...openApiOptions(spaces), transform: jsonSchemaTransform });
  serviceRoutes(app, { ready: deps.ready, ...(deps.renderMetrics ? { renderMetrics: deps.renderMetrics } : {}) });
  searchRoutes(app, ctx);
  eventRoutes(app, ctx);
  resultRoutes(app, ctx);
  dashboardRoutes(app, ctx);
  dashboardPageRoutes(app);
  return app;
}
