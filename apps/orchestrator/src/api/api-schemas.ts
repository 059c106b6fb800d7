import { z } from 'zod';
import { CandidateRequest, OperatorKind, StrategyStats } from '@nasfleet/contracts';
import { ArchiveCell, CandidateRecord } from '@nasfleet/search';
import { IdempotencyKey, RequestedStatus, SearchId, SearchRecord, SearchStatus } from '@nasfleet/store';
import { CandidateProvenance } from '../provenance.ts';
import { SearchSpec } from '../search-spec.ts';

/** The schemas of the API's requests and answers: every route's params, body and responses are one of these. */

const count = z.number().int().nonnegative();

export const SearchParams = z.object({ id: SearchId.describe('The search\'s id.') });
export const ArchiveParams = SearchParams.extend({ name: z.string().min(1).max(64).describe('An archive of the search\'s strategy: `network` or `prompt` (LLMatic and the hybrid).') });
export const CandidateParams = SearchParams.extend({ cid: z.string().min(1).max(200).describe('A candidate id, e.g. `c000012`.') });
export const ExportQuery = z.object({
  candidate: z.string().min(1).max(200).optional().describe('The candidate to export (a told, successful one), e.g. `c000012`; default the search\'s best.'),
}).strict();

const SPACE_HELP = [
  'The search space and its options. `nb201`: NAS-Bench-201 cells scored by table look-up; options `dataset` (cifar10 | cifar100 | imagenet16-120), `signal` (val200 | val12) and `operator` (expert: the rule operator with an NB201 prior, the default; neutral: each intent a uniform random edit of its kind): components/schemas/SpaceOptions.nb201.',
  '`code`: TF.js networks written by the LLM, checked in a sandbox and trained on training workers; options (components/schemas/SpaceOptions.code):',
  '`train` (training settings: epochs, batchSize, learningRate, momentum, weightDecay, augment, trainSubset, timeBudgetMs, seed, …),',
  '`caps` (maxParams, maxFlops, maxActivationBytes: checked before any weight is allocated), `sandbox` (timeoutMs, memoryBytes),',
  '`validation` (the hold-out that is scored: fraction or count, seed), `bounds` (network-archive descriptor bounds) and `dataset` (fashion-mnist).',
  'Options are checked against the space\'s schema at submission: a bad one is a 400 naming it.',
].join(' ');

/** The submit body: a SearchSpec (search-spec.ts, validated exactly as submitSearch does) and an optional id. */
export const SubmitBody = SearchSpec.extend({
  id: SearchId.optional().describe('The new search\'s id (default: a random UUID).'),
  space: SearchSpec.shape.space.describe(SPACE_HELP),
  config: SearchSpec.shape.config.describe('The engine\'s settings (components/schemas/SearchConfig): `strategy` (llmatic | hybrid | feedback-memory | random | regularized-evolution), `seed`, and per-strategy parameters (`generationSize`, `networkArchive` {niches, seed; bounds default to the space\'s}, `promptArchive`, `llmatic`, `memory`, `regularizedEvolution`). Unknown settings are refused.'),
  evaluations: SearchSpec.shape.evaluations.describe('The budget: candidates told before the search is done.'),
  llm: SearchSpec.shape.llm.describe('Who writes the candidates: `rule` (no LLM: the rule-based operator), `ollama` or `openai` (an OpenAI-compatible endpoint), with models and a token cap per answer.'),
  depth: SearchSpec.shape.depth.describe('Candidates in flight at once (absent: the orchestrator\'s default).'),
  replay: SearchSpec.shape.replay.describe('One candidate in flight, results told in ask order: the run is the local batch-1 run, byte for byte.'),
});
export type SubmitBody = z.output<typeof SubmitBody>;

export const SubmitHeaders = z.looseObject({
  'idempotency-key': IdempotencyKey.optional().describe('A retried submission with the same key returns the first search (200) and creates nothing.'),
});

export const ListQuery = z.object({
  status: SearchStatus.optional().describe('Only searches with this status.'),
  limit: z.coerce.number().int().positive().max(500).default(50).describe('At most this many, the most recently created first.'),
});

export const LastEventHeaders = z.looseObject({
  'last-event-id': z.string().regex(/^\d{1,15}$/, 'must be a journal seq (a whole number)').optional().describe('Resume after this event id (a journal seq), as EventSource sends it when it reconnects.'),
});

/** One search in a list. */
export const SearchSummary = z.object({
  id: SearchId,
  status: SearchStatus,
  requested: RequestedStatus.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  strategy: z.string().nullable(),
  space: z.string().nullable(),
  evaluations: count.nullable(),
  told: count,
});
export type SearchSummary = z.infer<typeof SearchSummary>;

const ArchiveStats = z.object({
  niches: z.number().int().positive(),
  size: count,
  coverage: z.number().min(0).max(1).describe('Occupied niches / niches.'),
  qdScore: z.number().nullable().describe('Sum of the occupants\' fitness (offset 0); null where the strategy does not report it (the prompt archive).'),
  best: z.number().nullable(),
});

/** One search in full: where it stands, its best, its archives and outcomes. */
export const SearchDetail = z.object({
  search: SearchRecord,
  started: z.boolean().describe('False until the search\'s orchestrator has saved its first state.'),
  progress: z.object({
    asked: count, told: count, inFlight: count,
    evaluations: count.nullable().describe('The budget (null when the spec is invalid).'),
    fraction: z.number().min(0).max(1).nullable().describe('told / evaluations.'),
  }),
  best: z.object({ id: z.string(), fitness: z.number() }).nullable(),
  archives: z.record(z.string(), ArchiveStats).describe('By archive name (`network`, `prompt`); empty for strategies without archives.'),
  outcomes: z.object({
    ok: count,
    failed: count,
    byFailureClass: z.record(z.string(), count).describe('Failed candidates by failure class (syntax, shape, over-budget, training-nan, …).'),
  }),
  distinct: count.describe('Distinct architectures seen (by canonical hash).'),
  strategyStats: StrategyStats.describe('What the strategy reports of itself (archives, temperature, memory, population).'),
});
export type SearchDetail = z.infer<typeof SearchDetail>;

export const SearchEnvelope = z.object({ search: SearchRecord });
export const SearchList = z.object({ searches: z.array(SearchSummary) });

export const ArchiveAnswer = z.object({
  searchId: SearchId,
  name: z.string(),
  niches: z.number().int().positive(),
  size: count,
  coverage: z.number().min(0).max(1),
  cells: z.array(ArchiveCell).describe('The occupied niches, in niche order.'),
});
export type ArchiveAnswer = z.infer<typeof ArchiveAnswer>;

/** An ancestor of a candidate, nearest first: enough to draw the lineage without fetching each. */
export const Ancestor = z.object({
  id: z.string(),
  operator: OperatorKind,
  parentIds: z.array(z.string()),
  status: z.enum(['ok', 'failed', 'in-flight']),
  fitness: z.number().nullable(),
});
export type Ancestor = z.infer<typeof Ancestor>;

export const CandidateAnswer = z.object({
  searchId: SearchId,
  id: z.string(),
  told: z.boolean().describe('False while the candidate is in flight: only what it was asked to be is known.'),
  stage: z.enum(['generate', 'train', 'told']).describe('In flight: waiting for its answer (generate) or for training/evaluation (train).'),
  code: z.string().nullable().describe('The candidate\'s code (code space) or cell string (NB201); null until known.'),
  candidate: CandidateRecord.nullable().describe('The engine\'s record: operator, parent ids, prompt, temperature, artifact, result.'),
  request: CandidateRequest.nullable().describe('In flight: the request as asked (parents by id and outcome, without their code).'),
  provenance: CandidateProvenance.nullable().describe('Told: the full record (answer, check, result, workers, timings); null if none was saved.'),
  lineage: z.array(Ancestor).describe('First parents back to the first candidate, nearest first (crossover partners are in parentIds).'),
});
export type CandidateAnswer = z.infer<typeof CandidateAnswer>;

export const ExportAnswer = z.object({
  searchId: SearchId,
  candidateId: z.string(),
  space: z.string(),
  fitness: z.number(),
  code: z.string().describe('The readable code (code space) or the NB201 cell string.'),
  architecture: z.unknown().nullable().describe('The checked architecture the trainer builds (code space), when its record was saved.'),
  metrics: z.record(z.string(), z.number()).nullable(),
  model: z.object({
    state: z.enum(['not-requested', 'waiting', 'training', 'done', 'failed']).describe('Where the export of this candidate\'s trained weights stands: POST …/export starts it.'),
    validationAccuracy: z.number().nullable().describe('Done: the retrained network\'s validation accuracy, in percent (the search\'s own training, seeded: its fitness).'),
    weightBytes: z.number().int().nonnegative().nullable(),
    modelJson: z.string().nullable().describe('Done: where model.json is (its manifest names weights.bin beside it; both need the bearer token). TF.js: tf.loadLayersModel(url, { requestInit: { headers: { authorization } } }); the input normalisation is in its userDefinedMetadata.input.'),
    error: z.string().nullable(),
  }).nullable().describe('The code space only (NB201 cells have no weights).'),
  note: z.string(),
});
export type ExportAnswer = z.infer<typeof ExportAnswer>;

export const Health = z.object({ status: z.literal('ok') });
export const Ready = z.object({ status: z.literal('ready') });
