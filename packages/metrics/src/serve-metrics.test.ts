import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Counter, Registry } from 'prom-client';
import { EXPOSITION_CONTENT_TYPE, serveMetrics } from './serve-metrics.ts';
import type { MetricsServer } from './serve-metrics.ts';

/** The /metrics endpoint over real HTTP on a free port. */

const servers: MetricsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
const serve = async (render: () => string | Promise<string>, port = 0) => {
  const server = await serveMetrics({ host: '127.0.0.1', port, render });
  servers.push(server);
  return server;
};

describe('serveMetrics', () => {
  it("GET /metrics answers the registry's text as exposition format 0.0.4, rendered at each scrape", async () => {
    const registry = new Registry();
    const counter = new Counter({ name: 'nasfleet_test_total', help: 'test', registers: [registry] });
    const server = await serve(() => registry.metrics());
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`);
    counter.inc(3);
    const first = await fetch(server.url);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe(EXPOSITION_CONTENT_TYPE);
    expect(await first.text()).toContain('nasfleet_test_total 3');
    counter.inc();
    expect(await (await fetch(`${server.url}?x=1`)).text()).toContain('nasfleet_test_total 4');
  });

  it('GET /healthz is ok; other paths are 404, other methods 405', async () => {
    const server = await serve(() => '');
    const base = `http://127.0.0.1:${server.port}`;
    const health = await fetch(`${base}/healthz`);
    expect([health.status, await health.text()]).toEqual([200, 'ok\n']);
    const missing = await fetch(`${base}/nope`);
    expect([missing.status, await missing.text()]).toEqual([404, 'not found: /nope; try /metrics\n']);
    const post = await fetch(`${base}/metrics`, { method: 'POST' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  });

  it('a render that throws is a 500 naming the error; the server goes on', async () => {
    let fail = true;
    const server = await serve(async () => {
      if (fail) throw new Error('redis is down');
      return 'a_total 1\n';
    });
    const failed = await fetch(server.url);
    expect([failed.status, await failed.text()]).toEqual([500, 'metrics could not be rendered: redis is down\n']);
    fail = false;
    expect(await (await fetch(server.url)).text()).toBe('a_total 1\n');
  });

  it('a port in use is a rejection naming it; close ends kept-alive connections so it returns', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      await expect(serveMetrics({ host: '127.0.0.1', port, render: () => '' })).rejects.toThrow(new RegExp(`EADDRINUSE.*${port}`));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    const server = await serveMetrics({ host: '127.0.0.1', port: 0, render: () => '' });
    await fetch(server.url, { keepalive: true });
    await server.close();
    await expect(fetch(server.url)).rejects.toThrow();
  });
});
