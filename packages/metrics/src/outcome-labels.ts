/** The value of `failure_class` for a success: Prometheus treats an empty label value as no label, so successes get a name. */
export const NO_FAILURE = 'none';

/**
 * The `outcome` and `failure_class` labels of a candidate's step or result: ok with failure class
 * `none`, or failed with its class (one of contracts' FailureClass values, a bounded set).
 */
export function outcomeLabels(failureClass: string | null): { outcome: 'ok' | 'failed'; failure_class: string } {
  return failureClass === null ? { outcome: 'ok', failure_class: NO_FAILURE } : { outcome: 'failed', failure_class: failureClass };
}
