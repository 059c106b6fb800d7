import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api-errors.ts';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * An onRequest hook that lets a request through only with `Authorization: Bearer <token>`, except on
 * routes whose config says `public: true` (the health probes). The comparison is over sha256 digests
 * with timingSafeEqual: equal lengths whatever was sent, and no early exit, so the time taken says
 * nothing about the token. A refused request gets 401 with `WWW-Authenticate: Bearer` before its body
 * is read or validated (a client without the token learns nothing of the schemas).
 */
export function bearerAuth(token: string): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  if (token.length === 0) throw new Error('the API token must not be empty');
  const expected = digest(token);
  return async (request, reply) => {
    if ((request.routeOptions.config as { public?: boolean }).public === true) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer ([^\s]+)\s*$/i.exec(header);
    if (match && timingSafeEqual(digest(match[1]!), expected)) return;
    reply.header('WWW-Authenticate', 'Bearer realm="nasfleet"');
    throw new ApiError(401, 'unauthorized', header ? 'the bearer token is wrong' : 'a bearer token is required: Authorization: Bearer <token>');
  };
}
