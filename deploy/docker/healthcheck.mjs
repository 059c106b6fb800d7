// Docker HEALTHCHECK of a nasfleet process: GET /healthz, no curl needed. Which endpoint:
//   HEALTHCHECK_URL when set; a worker (WORKER_ROLE set): its metrics endpoint (METRICS_PORT, 9464);
//   else the orchestrator's API (API_PORT, 8080). Exit 0 when it answers 200, else 1 with the reason.
const env = process.env;
const TIMEOUT_MS = 5_000;

function target() {
  if (env.HEALTHCHECK_URL) return env.HEALTHCHECK_URL;
  if (env.WORKER_ROLE) {
    if (env.METRICS_PORT === 'off') return null;
    return `http://127.0.0.1:${env.METRICS_PORT || '9464'}/healthz`;
  }
  return `http://127.0.0.1:${env.API_PORT || '8080'}/healthz`;
}

const url = target();
if (url === null) {
  // Nothing to ask: a worker without its endpoint is alive as long as its process is.
  console.log('healthcheck: METRICS_PORT=off, no endpoint to check');
  process.exit(0);
}
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!response.ok) {
    console.error(`healthcheck: ${url} answered ${response.status}`);
    process.exit(1);
  }
  console.log(`healthcheck: ${url} ok`);
} catch (error) {
  console.error(`healthcheck: ${url}: ${error instanceof Error ? (error.cause?.message ?? error.message) : String(error)}`);
  process.exit(1);
}
