import { errorResponses } from '../api-errors.ts';
import { ArchiveAnswer, ArchiveParams, CandidateAnswer, CandidateParams, ExportAnswer, SearchParams } from '../api-schemas.ts';
import type { ApiContext, ZodApp } from '../api-context.ts';
import { archiveAnswer, candidateAnswer, exportAnswer } from '../search-views.ts';

/** What a search found: its archives' cells, a candidate with code and lineage, the best for export. */
export function resultRoutes(app: ZodApp, ctx: ApiContext): void {
  app.get('/v1/searches/:id/archives/:name', {
    schema: {
      operationId: 'getArchive', tags: ['results'], summary: 'An archive\'s cells',
      description: 'The occupied niches of one of the strategy\'s archives (`network`: candidates by their descriptors; `prompt`: prompt individuals by prompt and temperature), with the niche count. 404 when the strategy has no such archive; 409 before the search has started.',
      params: ArchiveParams,
      response: { 200: ArchiveAnswer.describe('The archive.'), ...errorResponses(400, 401, 404, 409) },
    },
  }, async (request) => archiveAnswer(await ctx.viewOf(request.params.id), request.params.name));

  app.get('/v1/searches/:id/candidates/:cid', {
    schema: {
      operationId: 'getCandidate', tags: ['results'], summary: 'A candidate, with code and lineage',
      description: 'Told: its provenance record (request, LLM answer and calls, check with code and architecture, result, workers and timings). In flight (`told: false`): what it was asked to be and its stage. Either way the engine\'s record and its lineage (first parents back to the first candidate).',
      params: CandidateParams,
      response: { 200: CandidateAnswer.describe('The candidate.'), ...errorResponses(400, 401, 404) },
    },
  }, async (request) => {
    const view = await ctx.viewOf(request.params.id);
    return candidateAnswer(view, request.params.cid, await ctx.store.getCandidate(request.params.id, request.params.cid));
  });

  app.get('/v1/searches/:id/export', {
    schema: {
      operationId: 'exportBest', tags: ['results'], summary: 'The best candidate, for export',
      description: 'The best candidate\'s readable code (or NAS-Bench-201 cell string), architecture and fitness. No weights: the fleet keeps none (see `note`). 409 while the search has no successful candidate.',
      params: SearchParams,
      response: { 200: ExportAnswer.describe('The best candidate.'), ...errorResponses(400, 401, 404, 409) },
    },
  }, async (request) => {
    const view = await ctx.viewOf(request.params.id);
    const best = view.state?.engine.best();
    return exportAnswer(view, best ? await ctx.store.getCandidate(request.params.id, best.id) : null);
  });
}
