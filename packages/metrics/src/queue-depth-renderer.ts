import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';
import { mergeExposition, queueExposition } from './exposition.ts';

export interface QueueDepthRendererOptions {
  /** The process's registry: its families come first, and the scrape-error counter goes on it. */
  registry: Registry;
  /** BullMQ's exposition text for the fleet's queues (@nasfleet/queues' queueMetrics), read at each scrape. */
  readQueues: () => Promise<string>;
  /** Told when the queues cannot be read (Redis away); the scrape goes on without them. */
  onError?: (error: Error) => void;
  /**
   * How long a scrape waits for the queues (default 5 s, half Prometheus's default scrape timeout):
   * BullMQ waits for a Redis it has never reached instead of failing, and the scrape must still answer.
   */
  timeoutMs?: number;
}

/** The queues' text, or a rejection once `timeoutMs` has passed. */
function withTimeout(read: Promise<string>, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the queues did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([read, late]).finally(() => clearTimeout(timer));
}

/**
 * A render function for /metrics: the registry's text merged with the queues' job counts, BullMQ's
 * families renamed into nasfleet_queue_* (see BULLMQ_FAMILIES), each family once. When the queues
 * cannot be read in time the scrape still answers the registry's metrics, counting the miss in
 * nasfleet_queue_scrape_errors_total (in the same scrape) and leaving the queue families out.
 */
export function queueDepthRenderer(options: QueueDepthRendererOptions): () => Promise<string> {
  const errors = new Counter({ name: 'nasfleet_queue_scrape_errors_total', help: 'Scrapes whose queue counts could not be read from Redis (their queue families are left out)', registers: [options.registry] });
  return async () => {
    // The queues first, so a miss is counted in this scrape's registry text.
    const queues = await withTimeout(options.readQueues(), options.timeoutMs ?? 5_000).then(queueExposition, (error: unknown) => {
      errors.inc();
      options.onError?.(error instanceof Error ? error : new Error(String(error)));
      return '';
    });
    return mergeExposition([await options.registry.metrics(), queues]);
  };
}
