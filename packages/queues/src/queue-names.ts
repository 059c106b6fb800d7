/**
 * The fleet's three queues. `llm`: GenerateJob → generate + check; `train`: TrainJob → TrainJobResult;
 * `results`: what workers produce, consumed by the orchestrator alone (the one writer of a search's
 * state), so a result waits in Redis while the orchestrator is down. Their Redis keys are
 * `<prefix>:<name>:…` with a hash-tag prefix (see QueueConfig.prefix).
 */
export const QUEUE_NAMES = ['llm', 'train', 'results'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];
