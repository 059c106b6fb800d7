import type { RequestedStatus } from '@nasfleet/store';
import { ApiError, errorResponses } from '../api-errors.ts';
import { ListQuery, SearchDetail, SearchEnvelope, SearchList, SearchParams, SubmitBody, SubmitHeaders } from '../api-schemas.ts';
import type { ApiContext, ZodApp } from '../api-context.ts';
import { searchDetail, searchSummary } from '../search-views.ts';
import { checkSubmission } from '../submit-check.ts';
import { submitSearch } from '../../submit-search.ts';

/** Submitting, listing, reading and steering searches (`/v1/searches…`). */
export function searchRoutes(app: ZodApp, ctx: ApiContext): void {
  app.post('/v1/searches', {
    schema: {
      operationId: 'submitSearch', tags: ['searches'], summary: 'Submit a search',
      description: 'Creates a search from a SearchSpec; a running orchestrator picks it up. With an `Idempotency-Key` seen before, answers the first search (200) and creates nothing. A bad body is a 400 naming every bad field (space options and engine settings included); nothing is created.',
      headers: SubmitHeaders, body: SubmitBody,
      response: { 201: SearchEnvelope.describe('Created.'), 200: SearchEnvelope.describe('The search this idempotency key created before.'), ...errorResponses(400, 401, 409, 413, 415) },
    },
  }, async (request, reply) => {
    const { id, ...spec } = request.body;
    const problems = checkSubmission(spec, ctx.spaces);
    if (problems.length) throw new ApiError(400, 'invalid-request', `invalid body: ${problems.join('; ')}`);
    const { record, created } = await submitSearch(ctx.store, spec, { idempotencyKey: request.headers['idempotency-key'] ?? null, ...(id === undefined ? {} : { id }) });
    return reply.code(created ? 201 : 200).send({ search: record });
  });

  app.get('/v1/searches', {
    schema: {
      operationId: 'listSearches', tags: ['searches'], summary: 'List searches', description: 'The most recently created first.',
      querystring: ListQuery,
      response: { 200: SearchList.describe('The searches.'), ...errorResponses(400, 401) },
    },
  }, async (request) => {
    const records = (await ctx.store.listSearches()).filter((r) => request.query.status === undefined || r.status === request.query.status).slice(0, request.query.limit);
    const views = [];
    for (const r of records) {
      const view = await ctx.reader.view(r.id);
      if (view) views.push(searchSummary(view));
    }
    return { searches: views };
  });

  app.get('/v1/searches/:id', {
    schema: {
      operationId: 'getSearch', tags: ['searches'], summary: 'One search in full',
      description: 'Its record, progress, best candidate, archives (coverage, QD score, size), outcomes by failure class, and why it failed (`search.error`).',
      params: SearchParams,
      response: { 200: SearchDetail.describe('The search.'), ...errorResponses(400, 401, 404) },
    },
  }, async (request) => searchDetail(await ctx.viewOf(request.params.id)));

  const steer = (verb: 'pause' | 'resume' | 'cancel', requested: RequestedStatus, what: string) =>
    app.post(`/v1/searches/:id/${verb}`, {
      schema: {
        operationId: `${verb}Search`, tags: ['searches'], summary: `${verb[0]!.toUpperCase()}${verb.slice(1)} a search`,
        description: `Asks the search to ${what}: recorded as \`requested: ${requested}\`; the search's orchestrator applies it (202: accepted; the record's \`status\` changes once it is applied). 409 once the search has ended.`,
        params: SearchParams,
        response: { 202: SearchEnvelope.describe('Accepted: the record with `requested` set.'), ...errorResponses(400, 401, 404, 409) },
      },
    }, async (request, reply) => {
      return reply.code(202).send({ search: await ctx.store.requestStatus(request.params.id, requested) });
    });
  steer('pause', 'paused', 'pause');
  steer('resume', 'running', 'run again after a pause');
  steer('cancel', 'cancelled', 'stop for good (a cancelled search never runs again)');
}
