/**
 * Named errors of the sandbox package. Problems of a candidate's code are never thrown: they come
 * back as a `Failure`. These are for the caller's mistakes and for infrastructure that cannot run.
 */

/** The options passed to the sandbox are invalid (a programming error of the caller). */
export class SandboxOptionsError extends Error {
  override name = 'SandboxOptionsError';
}

/** The QuickJS wasm module could not be loaded or crashed; a retry (on a fresh module) may fix it. */
export class SandboxUnavailableError extends Error {
  override name = 'SandboxUnavailableError';
}
