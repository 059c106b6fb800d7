import { DASHBOARD_CSP, dashboardAssets } from '@nasfleet/dashboard';
import type { FastifyReply } from 'fastify';
import type { ZodApp } from '../api-context.ts';

/** Static and public: the page holds no data (every read it makes carries the bearer token), so it loads without one. */
const PAGE = { config: { public: true }, schema: { hide: true } } as const;

const send = (reply: FastifyReply, type: string, body: string, hash: string) =>
  reply
    .type(type)
    .header('cache-control', 'no-cache')
    .header('etag', `"${hash}"`)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('content-security-policy', DASHBOARD_CSP)
    .serializer((payload: unknown) => String(payload))
    .send(body);

/**
 * The dashboard page (apps/dashboard): `GET /dashboard/` and its bundle, built by esbuild on first
 * request and kept. Not in the OpenAPI document: it is a page, not an API.
 */
export function dashboardPageRoutes(app: ZodApp): void {
  // Relative: behind a proxy's path prefix the page still finds ./app.js and ../v1/.
  app.get('/dashboard', PAGE, async (_request, reply) => reply.redirect('dashboard/', 302));
  app.get('/dashboard/', PAGE, async (_request, reply) => {
    const assets = await dashboardAssets();
    return send(reply, 'text/html; charset=utf-8', assets.html, assets.hash);
  });
  app.get('/dashboard/app.js', PAGE, async (_request, reply) => {
    const assets = await dashboardAssets();
    return send(reply, 'text/javascript; charset=utf-8', assets.js, assets.hash);
  });
  app.get('/dashboard/app.css', PAGE, async (_request, reply) => {
    const assets = await dashboardAssets();
    return send(reply, 'text/css; charset=utf-8', assets.css, assets.hash);
  });
}
