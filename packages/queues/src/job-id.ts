/** The step a job or result belongs to; part of its id, so a generate result and a train result of one candidate never collide. */
export type JobStep = 'generate' | 'train' | 'export';

/**
 * The id of a candidate's job (or result): the same search, candidate and step always give the same
 * id, so enqueueing again after a crash adds nothing while the first is still kept. BullMQ refuses
 * custom ids that are integers or hold ':' (its key separator); the parts are percent-encoded
 * (`encodeURIComponent` encodes ':' and '|') and joined by '|', so any ids map to a valid, distinct
 * job id that is never an integer.
 */
export function jobIdFor(step: JobStep, searchId: string, candidateId: string): string {
  return [step, searchId, candidateId].map(encodeURIComponent).join('|');
}
