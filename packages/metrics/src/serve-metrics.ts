import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The content type of Prometheus's text exposition format. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface ServeMetricsOptions {
  /** Interface to listen on (default 0.0.0.0: Prometheus scrapes from another machine). */
  host?: string;
  /** TCP port; 0 lets the system pick a free one (see MetricsServer.port). */
  port: number;
  /** The exposition text of one scrape (e.g. a Registry's metrics()). */
  render: () => string | Promise<string>;
}

/** A listening metrics endpoint. */
export interface MetricsServer {
  readonly host: string;
  /** The port it is bound to (the system's pick when asked for 0). */
  readonly port: number;
  /** `http://host:port/metrics`, as a log line shows it. */
  readonly url: string;
  /** Stops listening and ends open connections (Prometheus keeps its own alive). */
  close(): Promise<void>;
}

/**
 * A tiny HTTP server for processes without an HTTP API of their own: `GET /metrics` answers
 * `render()`'s text (500 with the error's message when it throws), `GET /healthz` answers `ok`,
 * another method on those paths is 405, any other path 404. Resolves once it listens; rejects when
 * the port cannot be bound (EADDRINUSE names it).
 */
export async function serveMetrics(options: ServeMetricsOptions): Promise<MetricsServer> {
  const host = options.host ?? '0.0.0.0';
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(req.method === 'HEAD' ? undefined : body);
    };
    if (path !== '/metrics' && path !== '/healthz') return send(404, `not found: ${path}; try /metrics\n`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, `method ${req.method} not allowed on ${path}\n`, { allow: 'GET, HEAD' });
    if (path === '/healthz') return send(200, 'ok\n');
    Promise.resolve()
      .then(options.render)
      .then(
        (text) => send(200, text, { 'content-type': EXPOSITION_CONTENT_TYPE }),
        (error: unknown) => send(500, `metrics could not be rendered: ${error instanceof Error ? error.message : String(error)}\n`),
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    host, port, url: `http://${shown}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
