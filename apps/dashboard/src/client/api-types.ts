/**
 * What the page reads of the orchestrator's API (docs/api.md; schemas in docs/openapi.json). Only the
 * fields used here; the browser test runs the page against the real API, which keeps these honest.
 */

export type SearchStatus = 'running' | 'paused' | 'done' | 'failed' | 'cancelled';

export interface SearchSummary {
  id: string;
  status: SearchStatus;
  requested: string | null;
  createdAt: string;
  strategy: string | null;
  space: string | null;
  evaluations: number | null;
  told: number;
}

export interface ArchiveStats {
  niches: number;
  size: number;
  coverage: number;
  qdScore: number | null;
  best: number | null;
}

export interface SearchDetail {
  search: { id: string; status: SearchStatus; requested: string | null; error: string | null; spec: { space?: { name?: string } } & Record<string, unknown> };
  started: boolean;
  progress: { asked: number; told: number; inFlight: number; evaluations: number | null; fraction: number | null };
  best: { id: string; fitness: number } | null;
  archives: Record<string, ArchiveStats>;
  outcomes: { ok: number; failed: number; byFailureClass: Record<string, number> };
  distinct: number;
}

export interface ArchiveCell {
  niche: number;
  id: string;
  fitness: number;
  descriptors: number[];
  prompt?: { choice: { id: string; intent: string } | null; temperature: number; curiosity: number };
}

export interface ArchiveAnswer {
  name: string;
  niches: number;
  size: number;
  coverage: number;
  cells: ArchiveCell[];
}

export interface ArchiveGeometry {
  name: string;
  niches: number;
  descriptorNames: string[];
  bounds: [number, number][];
  centroids: number[][];
}

export type CandidateStatus = 'ok' | 'failed' | 'in-flight';

export interface CandidateSummary {
  id: string;
  index: number;
  generation: number;
  operator: string;
  parentIds: string[];
  status: CandidateStatus;
  fitness: number | null;
  failureClass: string | null;
  promptId: string | null;
  temperature: number;
}

export interface CandidateList {
  generationSize: number;
  asked: number;
  candidates: CandidateSummary[];
  next: number | null;
}

export interface Outcome {
  status: 'ok' | 'failed';
  fitness?: number;
  failure?: { class: string; message: string };
}

export interface MemoryEntry {
  candidateId: string;
  problem: string;
  suggestion: string;
  intent?: string;
  outcome: Outcome;
  baseline?: number | null;
}

export interface CandidateRequestView {
  operator: string;
  generation: number;
  parents: { id: string; outcome: Outcome | null }[];
  prompt: { id: string; intent: string } | null;
  temperature: number;
  memory: MemoryEntry[] | null;
  reference: { id: string } | null;
}

export interface Ancestor {
  id: string;
  operator: string;
  parentIds: string[];
  status: CandidateStatus;
  fitness: number | null;
}

export interface StepRun {
  worker: { id: string; host: string; pid: number };
  startedAt: string;
  finishedAt: string;
}

export interface LlmCall {
  role: string;
  model: string;
  promptTokens: number | null;
  completionTokens: number | null;
  durationMs: number;
  attempts: number;
}

export interface Provenance {
  request: CandidateRequestView;
  generate: { answer: string | null; failure?: { class: string; message: string }; feedback: { problem: string; suggestion: string; intent?: string } | null; calls: LlmCall[] } | null;
  check: { ok: boolean; canonicalHash?: string; descriptors?: number[]; metrics: Record<string, number>; failure?: { class: string; message: string } } | null;
  result: { outcome: Outcome; metrics?: Record<string, number>; feedback?: { problem: string; suggestion: string; intent?: string } | null };
  duplicateOf: string | null;
  steps: { generate: StepRun | null; train: StepRun | null };
  askedAt: string | null;
  toldAt: string;
}

export interface CandidateAnswer {
  id: string;
  told: boolean;
  stage: 'generate' | 'train' | 'told';
  code: string | null;
  candidate: { id: string; index: number; generation: number; operator: string; parentIds: string[]; prompt: { id: string; intent: string } | null; temperature: number; result: { outcome: Outcome; metrics?: Record<string, number> } | null } | null;
  request: CandidateRequestView | null;
  provenance: Provenance | null;
  lineage: Ancestor[];
}
