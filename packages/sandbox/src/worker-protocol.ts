import type { EngineRun } from './run-in-quickjs.ts';
import type { ParsedSandboxOptions } from './sandbox-options.ts';

/** A job sent to a sandbox worker: code already size-checked, options already parsed. */
export interface WorkerRequest {
  id: number;
  code: string;
  options: ParsedSandboxOptions;
}

/**
 * What a sandbox worker posts back: ready once its engine is loaded, a result per job, or that its
 * engine cannot run (`id` null: at start-up).
 */
export type WorkerReply =
  | { type: 'ready' }
  | ({ type: 'result'; id: number } & EngineRun)
  | { type: 'unavailable'; id: number | null; message: string };
