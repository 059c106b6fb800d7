import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SearchEndedError, SearchExistsError, StoreInputError, UnknownSearchError } from '@nasfleet/store';

/** Every error the API answers, whatever the route: a stable code for programs, a message for people. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string().describe('Stable, machine-readable: invalid-request, unauthorized, not-found, search-ended, conflict, not-started, no-result, no-weights, no-queues, training, body-too-large, unsupported-media-type, not-ready, internal.'),
    message: z.string().describe('What was wrong; a 400 names every bad field as `field.path: problem`.'),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** An answer other than success that a route decides on (404 unknown search, 409 …). */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const WHY: Record<number, string> = {
  400: 'The request is invalid: the message names each bad field; nothing was created or changed.',
  401: 'No bearer token, or the wrong one (`Authorization: Bearer <token>`).',
  404: 'No such search (or candidate, archive, route).',
  409: 'The request conflicts with where the search stands (it has ended, has not started, has no successful candidate yet, or the id is taken).',
  413: 'The body is over the limit (1 MiB by default).',
  415: 'The body is not `application/json`.',
  503: 'Not ready (a dependency such as Redis is unreachable).',
};

/** The error responses of a route, for its schema (and so for the OpenAPI document). */
export function errorResponses<S extends number>(...statuses: S[]): Record<S, typeof ErrorBody> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorBody.describe(WHY[s] ?? 'An error.')])) as Record<S, typeof ErrorBody>;
}

/** The fastify-type-provider-zod validation issues of one request part, as formatZodError words them. */
function validationMessage(error: FastifyError): string {
  const part = error.validationContext ?? 'request';
  const issues = (error.validation ?? []).map((issue) => {
    const path = issue.instancePath.split('/').filter(Boolean).join('.');
    // Body fields are named as the body has them; the other parts say which part (params.id, headers.idempotency-key).
    const field = part === 'body' ? path || 'body' : [part === 'querystring' ? 'query' : part, path].filter(Boolean).join('.');
    return `${field}: ${issue.message}`;
  });
  return `invalid ${part === 'querystring' ? 'query' : part}: ${issues.join('; ')}`;
}

/** Maps what a route or Fastify threw to `{ error: { code, message } }` with its status; a 500 says no more than that it happened. */
export function answerError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const send = (status: number, code: string, message: string) => reply.code(status).type('application/json; charset=utf-8').send({ error: { code, message } } satisfies ErrorBody);
  if (error instanceof ApiError) return send(error.statusCode, error.code, error.message);
  if (hasZodFastifySchemaValidationErrors(error)) return send(400, 'invalid-request', validationMessage(error as FastifyError));
  if (error instanceof UnknownSearchError) return send(404, 'not-found', error.message);
  if (error instanceof SearchEndedError) return send(409, 'search-ended', error.message);
  if (error instanceof SearchExistsError) return send(409, 'conflict', `${error.message}: choose another id, or leave it out`);
  if (error instanceof StoreInputError) return send(400, 'invalid-request', error.message);
  const status = (error as FastifyError).statusCode;
  if (status === 413) return send(413, 'body-too-large', error.message);
  if (status === 415) return send(415, 'unsupported-media-type', `${error.message}: send application/json`);
  if (status !== undefined && status >= 400 && status < 500) return send(status, status === 404 ? 'not-found' : 'invalid-request', error.message);
  // Corrupt data, a store that is down, a bug: logged in full here, never sent (no stack, no internals).
  request.log.error({ err: error }, 'request failed');
  return send(500, 'internal', 'internal error (the orchestrator\'s log has the details)');
}
