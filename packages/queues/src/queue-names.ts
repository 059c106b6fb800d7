/**
 * The fleet's two queues. `llm`: GenerateJob → generate + check; `train`: TrainJob → a training's
 * result. A worker's result is its job's return value (a ResultMessage): BullMQ keeps it on the
 * completed job and announces it on the queue's event stream, where the orchestrator (the one writer
 * of a search's state) reads it (result-listener.ts); a result that finished while no orchestrator
 * listened waits on its kept job (QueueConfig.removeOnComplete) and is read from there when the
 * search is resumed or swept. Their Redis keys are `<prefix>:<name>:…` with a hash-tag prefix (see
 * QueueConfig.prefix).
 */
export const QUEUE_NAMES = ['llm', 'train'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];
