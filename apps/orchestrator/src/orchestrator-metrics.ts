import type { Queue } from 'bullmq';
import type { CandidateResult, EngineStatus } from '@nasfleet/contracts';
import { createSearchMetrics, queueDepthRenderer } from '@nasfleet/metrics';
import type { Registry } from '@nasfleet/metrics';
import { queueMetrics } from '@nasfleet/queues';

/** What the orchestrator's metrics are made from. */
export interface OrchestratorMetricsDeps {
  /** The orchestrator's own registry (never prom-client's global one); its other instruments are rendered too. */
  registry: Registry;
  /** The fleet's queues whose depth each scrape reads (llm, train). */
  queues: readonly Queue[];
  /** Told when a scrape cannot read the queues (Redis away); the scrape goes on without them. */
  onQueueError?: (error: Error) => void;
  /** How long a scrape waits for the queues' counts (default 5 s). */
  queueTimeoutMs?: number;
}

/** The orchestrator's metrics: what the search runners observe, and the text a scrape gets. */
export interface OrchestratorMetrics {
  /** A search's engine status after an ask or tell, with the search's lifecycle status (running, done, …). */
  observeSearch(searchId: string, status: EngineStatus, searchStatus: string): void;
  /** A result was told to the search's engine. */
  observeTold(searchId: string, result: CandidateResult): void;
  /** Drops the search's series (it ended, or another orchestrator took its lease). */
  forget(searchId: string): void;
  /** The exposition text of one scrape: the registry's families, then the queues' depth per state and their completed and failed totals. */
  render(): Promise<string>;
}

/**
 * The orchestrator's Prometheus metrics: per-search gauges and told results (@nasfleet/metrics'
 * createSearchMetrics) on `registry`, and at each scrape the queues' job counts from BullMQ's
 * exportPrometheusMetrics (@nasfleet/queues' queueMetrics), renamed into nasfleet_queue_* and
 * merged so each family appears once. A scrape while Redis is away (or slower than queueTimeoutMs)
 * still answers the search metrics; it counts the miss in nasfleet_queue_scrape_errors_total and
 * leaves the queue families out.
 */
export function createOrchestratorMetrics(deps: OrchestratorMetricsDeps): OrchestratorMetrics {
  const searches = createSearchMetrics(deps.registry);
  const render = queueDepthRenderer({
    registry: deps.registry, readQueues: () => queueMetrics(deps.queues),
    ...(deps.onQueueError ? { onError: deps.onQueueError } : {}), ...(deps.queueTimeoutMs ? { timeoutMs: deps.queueTimeoutMs } : {}),
  });
  return {
    observeSearch: (searchId, status, searchStatus) => searches.observe(searchId, status, searchStatus),
    observeTold: (searchId, result) => searches.told(searchId, result.outcome.status === 'ok' ? null : result.outcome.failure.class),
    forget: (searchId) => searches.forget(searchId),
    render,
  };
}
