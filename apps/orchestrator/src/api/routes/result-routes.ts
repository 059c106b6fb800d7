import { z } from 'zod';
import { CandidateProvenance } from '../../provenance.ts';
import { ApiError, errorResponses } from '../api-errors.ts';
import { exportStatus, removeExport, requestExport, trainable } from '../export-job.ts';
import { ArchiveAnswer, ArchiveParams, CandidateAnswer, CandidateParams, ExportAnswer, ExportQuery, SearchParams } from '../api-schemas.ts';
import type { ApiContext, ZodApp } from '../api-context.ts';
import { archiveAnswer, candidateAnswer, exportAnswer, exportedCandidate } from '../search-views.ts';

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

  /** The candidate to export (`candidate`, else the best), the export status of its weights (code space, with queues), and what is needed to start one. */
  const exportOf = async (id: string, candidate?: string) => {
    const view = await ctx.viewOf(id);
    const best = exportedCandidate(view, candidate);
    const stored = await ctx.store.getCandidate(id, best.id);
    const status = view.spec?.space.name === 'code' && ctx.producer ? await exportStatus(ctx.producer, id, best.id) : null;
    return { view, best, stored, status };
  };

  app.get('/v1/searches/:id/export', {
    schema: {
      operationId: 'exportBest', tags: ['results'], summary: 'The best candidate (or another), for export',
      description: 'The best candidate\'s (or `candidate`\'s) readable code (or NAS-Bench-201 cell string), architecture and fitness, and (code space) where the export of its trained weights stands. 409 while the search has no successful candidate (or `candidate` is in flight or failed); 404 for an unknown `candidate`.',
      params: SearchParams, querystring: ExportQuery,
      response: { 200: ExportAnswer.describe('The best candidate.'), ...errorResponses(400, 401, 404, 409) },
    },
  }, async (request) => {
    const { view, stored, status } = await exportOf(request.params.id, request.query.candidate);
    return exportAnswer(view, stored, status, request.query.candidate);
  });

  app.post('/v1/searches/:id/export', {
    schema: {
      operationId: 'startExport', tags: ['results'], summary: 'Train the best candidate (or another) again and keep its weights',
      description: 'Code space only: a training worker trains the best candidate (or `candidate`, any told successful one) the search\'s own seeded way and keeps the network (TF.js model.json + weights.bin) until DELETE …/export; GET …/export says where it stands and, once done, where the files are. Asking again while one is waiting, training or done changes nothing; a failed one is started again. 409 for a look-up space (no weights) or before a successful candidate; 503 when this orchestrator has no queues.',
      params: SearchParams, querystring: ExportQuery,
      response: { 202: ExportAnswer.describe('The best candidate, its export started.'), ...errorResponses(400, 401, 404, 409, 503) },
    },
  }, async (request, reply) => {
    const id = request.params.id;
    const { view, best, stored } = await exportOf(id, request.query.candidate);
    if (!view.spec || view.spec.space.name !== 'code') throw new ApiError(409, 'no-weights', `search ${id} runs in the ${view.spec?.space.name ?? 'unknown'} space, whose candidates have no weights to export`);
    if (!ctx.producer) throw new ApiError(503, 'no-queues', 'this API has no queues to start an export on');
    const provenance = stored ? CandidateProvenance.parse(stored) : null;
    if (!provenance?.check?.ok) throw new ApiError(409, 'no-result', `candidate ${best.id} has no checked architecture on record to train`);
    const space = await ctx.spaces.create(view.spec.space.name, view.spec.space.options);
    try {
      if (!trainable(space)) throw new ApiError(409, 'no-weights', `the ${view.spec.space.name} space does not train its candidates`);
      await requestExport(ctx.producer, id, best.id, provenance.check, space);
    } finally {
      await space.close?.();
    }
    reply.code(202);
    return exportAnswer(view, stored, await exportStatus(ctx.producer, id, best.id), request.query.candidate);
  });

  app.delete('/v1/searches/:id/export', {
    schema: {
      operationId: 'deleteExport', tags: ['results'], summary: 'Drop an export\'s kept model',
      description: 'Removes the export of the best candidate (or `candidate`) and the model files it kept in Redis. 404 when there is no such export; 409 while a training worker is training it (delete it once it is done or failed); 503 when this orchestrator has no queues.',
      params: SearchParams, querystring: ExportQuery,
      response: { 204: z.null().describe('Removed.'), ...errorResponses(400, 401, 404, 409, 503) },
    },
  }, async (request, reply) => {
    const id = request.params.id;
    if (!ctx.producer) throw new ApiError(503, 'no-queues', 'this API has no queues to remove an export from');
    const { best } = await exportOf(id, request.query.candidate);
    const removed = await removeExport(ctx.producer, id, best.id);
    if (removed === 'none') throw new ApiError(404, 'not-found', `search ${id} has no export of candidate ${best.id}`);
    if (removed === 'training') throw new ApiError(409, 'training', `the export of candidate ${best.id} is being trained; delete it once GET /v1/searches/${id}/export says done or failed`);
    reply.code(204);
    return null;
  });

  /** The exported files, once done (404 before). */
  const files = async (id: string, candidate?: string) => {
    const { status, best } = await exportOf(id, candidate);
    if (status?.state !== 'done' || !status.files) throw new ApiError(404, 'not-found', `search ${id} has no exported model of candidate ${best.id} yet: POST /v1/searches/${id}/export, then wait for model.state done`);
    return status.files;
  };
  app.get('/v1/searches/:id/export/model.json', {
    schema: {
      operationId: 'exportModelJson', tags: ['results'], summary: 'The exported model.json',
      description: 'TF.js layers-model topology and weights manifest (naming weights.bin beside it); userDefinedMetadata has the input normalisation, dataset, training config and validation accuracy.',
      params: SearchParams, querystring: ExportQuery,
      response: { 200: { description: 'model.json', content: { 'application/json': { schema: z.string() } } }, ...errorResponses(400, 401, 404) },
    },
  }, async (request, reply) => reply.type('application/json').serializer((payload: unknown) => String(payload)).send((await files(request.params.id, request.query.candidate)).modelJson));

  app.get('/v1/searches/:id/export/weights.bin', {
    schema: {
      operationId: 'exportWeights', tags: ['results'], summary: 'The exported weights.bin',
      params: SearchParams, querystring: ExportQuery,
      response: { 200: { description: 'weights.bin (float32, in the manifest\'s order)', content: { 'application/octet-stream': { schema: z.string() } } }, ...errorResponses(400, 401, 404) },
    },
  }, async (request, reply) => {
    const bytes = Buffer.from((await files(request.params.id, request.query.candidate)).weightsBase64, 'base64');
    // A Buffer is sent as it is (Fastify serialises only other payloads); the cast is for the typed reply.
    return reply.type('application/octet-stream').send(bytes as unknown as string);
  });
}
