import { z } from 'zod';

/** Which worker ran a step: its id (WORKER_ID), host and process, for provenance and debugging. */
export const WorkerInfo = z.object({
  id: z.string().min(1),
  host: z.string().min(1),
  pid: z.number().int().positive(),
});
export type WorkerInfo = z.infer<typeof WorkerInfo>;

/** One step of a candidate as a worker ran it: which worker, from when to when (ISO 8601). */
export const StepRun = z.object({
  worker: WorkerInfo,
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
});
export type StepRun = z.infer<typeof StepRun>;
