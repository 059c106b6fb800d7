import { Registry } from '@nasfleet/metrics';
import { loadPromptSet } from '@nasfleet/prompts';
import { createQueueProducer, QUEUE_NAMES } from '@nasfleet/queues';
import { createRedisStore } from '@nasfleet/store';
import { createApi } from './api/create-api.ts';
import { OrchestratorConfigError, readOrchestratorConfig } from './config.ts';
import { startOrchestrator } from './orchestrator.ts';
import { createOrchestratorMetrics } from './orchestrator-metrics.ts';
import { orchestratorSpaces } from './orchestrator-spaces.ts';

/**
 * The orchestrator process: `node --import tsx apps/orchestrator/src/main.ts` with REDIS_URL (see
 * config.ts for the rest). Resumes every running search, consumes `results`, picks up submitted
 * searches by polling the store, and serves the HTTP API (with /metrics) when API_TOKEN is set.
 * Logs to stderr: a `ready` line (with the API's address), a line per search started/done.
 * SIGTERM or SIGINT closes it (the API stops taking requests, the message in progress finishes,
 * leases are given up), exit code 0.
 */
const log = (line: string): void => {
  process.stderr.write(`${new Date().toISOString()} ${line}\n`);
};

async function main(): Promise<void> {
  const config = readOrchestratorConfig();
  const store = createRedisStore({ redis: config.redisUrl, prefix: config.queue.prefix });
  const producer = createQueueProducer({ redisUrl: config.redisUrl, config: config.queue });
  const prompts = loadPromptSet(config.promptsDir);
  const spaces = orchestratorSpaces();
  const metrics = createOrchestratorMetrics({
    registry: new Registry(), queues: QUEUE_NAMES.map((name) => producer.queue(name)),
    onQueueError: (error) => log(`metrics: cannot read the queues: ${error.message}`),
  });
  const orchestrator = await startOrchestrator({
    store, producer, redisUrl: config.redisUrl, queueConfig: config.queue, owner: config.orchestratorId, spaces, prompts,
    leaseTtlMs: config.leaseTtlMs, pollMs: config.pollMs, sweepMs: config.sweepMs, snapshotEvery: config.snapshotEvery, trimJournal: config.trimJournal, metrics, log,
  });
  let api: Awaited<ReturnType<typeof createApi>> | null = null;
  let address = 'off (no API_TOKEN)';
  if (config.api) {
    api = await createApi({
      store, token: config.api.token, prompts, spaces, producer, renderMetrics: () => metrics.render(),
      ready: async () => {
        await store.getSearch('readyz-probe');
      },
    });
    address = await api.listen({ host: config.api.host, port: config.api.port });
  }
  log(`orchestrator ${config.orchestratorId} ready: ${orchestrator.running().length} search(es) resumed, api ${address} (pid ${process.pid})`);
  let closing = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (closing) process.exit(1);
    closing = true;
    log(`${signal}: closing`);
    Promise.resolve(api?.close())
      .then(() => orchestrator.close())
      .then(() => Promise.all([producer.close(), store.close()]))
      .then(
        () => process.exit(0),
        (error: unknown) => {
          log(`error while closing: ${(error as Error).message}`);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  if (!(error instanceof OrchestratorConfigError) && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
