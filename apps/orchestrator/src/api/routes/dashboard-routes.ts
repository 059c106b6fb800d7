import { errorResponses } from '../api-errors.ts';
import { ArchiveParams, SearchParams } from '../api-schemas.ts';
import type { ApiContext, ZodApp } from '../api-context.ts';
import { ArchiveGeometry, CandidateList, CandidateListQuery } from './dashboard-schemas.ts';
import { archiveGeometry, candidateList } from './dashboard-views.ts';

/** The reads the dashboard page draws from, beyond the rest of the API: the candidate list and the archives' geometry. */
export function dashboardRoutes(app: ZodApp, ctx: ApiContext): void {
  app.get('/v1/searches/:id/candidates', {
    schema: {
      operationId: 'listCandidates', tags: ['results'], summary: 'The search\'s candidates, in ask order',
      description: 'Each candidate\'s index, generation, operator, parents, status (ok, failed, in-flight), fitness or failure class, prompt and temperature; no code (GET …/candidates/{cid} has it). A page starts at index `from`; `next` is the next page\'s `from`. Empty before the search started. The dashboard reads it for the fitness per generation and for a candidate\'s children.',
      params: SearchParams, querystring: CandidateListQuery,
      response: { 200: CandidateList.describe('The candidates.'), ...errorResponses(400, 401, 404) },
    },
  }, async (request) => candidateList(await ctx.viewOf(request.params.id), request.query.from, request.query.limit));

  app.get('/v1/searches/:id/archives/:name/geometry', {
    schema: {
      operationId: 'getArchiveGeometry', tags: ['results'], summary: 'An archive\'s CVT geometry',
      description: 'The archive\'s centroids (one per niche, in the normalised unit hypercube, in niche order), its descriptor names and bounds (raw units): with GET …/archives/{name} (which cell holds what), enough to draw the archive as its Voronoi cells. 404 when the strategy has no such archive; 409 before the search has started.',
      params: ArchiveParams,
      response: { 200: ArchiveGeometry.describe('The geometry.'), ...errorResponses(400, 401, 404, 409) },
    },
  }, async (request) => archiveGeometry(await ctx.viewOf(request.params.id), request.params.name));
}
