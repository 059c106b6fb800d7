import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { QueueProducer } from '@nasfleet/queues';
import type { SpaceRegistry } from '@nasfleet/steps';
import type { SearchStore } from '@nasfleet/store';
import { ApiError } from './api-errors.ts';
import type { SearchReader, SearchView } from './search-reader.ts';

/** The Fastify instance the routes are declared on: every schema is a zod schema. */
export type ZodApp = FastifyInstance<Server, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

/** What the route modules share. */
export interface ApiContext {
  store: SearchStore;
  reader: SearchReader;
  spaces: SpaceRegistry;
  /** The fleet's queues, for exports (null: this API cannot start trainings, e.g. the OpenAPI writer). */
  producer: QueueProducer | null;
  /** The search's view; 404 when there is no such search. */
  viewOf(id: string): Promise<SearchView>;
  /** How often an event stream polls the store, and sends a heartbeat. */
  eventPollMs: number;
  heartbeatMs: number;
}

/** The ApiContext over a store and its reader. */
export function apiContext(parts: Omit<ApiContext, 'viewOf'>): ApiContext {
  return {
    ...parts,
    async viewOf(id) {
      const view = await parts.reader.view(id);
      if (!view) throw new ApiError(404, 'not-found', `no search ${JSON.stringify(id)}`);
      return view;
    },
  };
}
