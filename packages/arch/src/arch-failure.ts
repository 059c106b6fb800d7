import type { Failure, FailureClass } from '@nasfleet/contracts';

/** Messages are read by LLMs and stored in the feedback memory: keep them under the contract's 4,000 characters. */
const MAX_MESSAGE = 4000;

/** Build a Failure value, truncating the message to what the contract allows. */
export function archFailure(cls: FailureClass, message: string): Failure {
  return { class: cls, message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message };
}

/**
 * Thrown inside the checks when a candidate is broken, caught at their boundary and returned as
 * a Failure: callers of the public functions never see it.
 */
export class ArchCheckError extends Error {
  readonly failure: Failure;
  constructor(cls: FailureClass, message: string) {
    super(message);
    this.name = 'ArchCheckError';
    this.failure = archFailure(cls, message);
  }
}

/** Thrown by the edit helpers when an edit is asked of a graph that cannot take it (a bug of the caller). */
export class ArchEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchEditError';
  }
}

/** Shapes as TF.js users write them: `[32,32,3]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
