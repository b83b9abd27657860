// /__admin/ui: the dashboard, static files from ui/ at the package root (plain ES modules, nothing fetched
// from elsewhere). The page calls the control API like any client, with the admin token when one is set.
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DeferredApp } from '../platform/deferred-app';
import { packageRoot } from '../platform/paths';

export const UI_DIR = path.join(packageRoot, 'ui');

// The page talks to its own origin only and runs no inline script: a strict policy costs it nothing.
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export async function uiRoutes(app: FastifyInstance): Promise<void> {
  // The files hold no state and the browser cannot send a bearer token with a navigation, so they are open
  // without the admin token; every call the page makes for data needs it.
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, adminPublic: true };
  });
  // @fastify/static serves the files (ETag, Last-Modified, ranges, conditional requests, index.html), loaded
  // on the first request for one (platform/deferred-app.ts); a file it does not have is this scope's 404.
  const files = new DeferredApp(async (ui) => {
    await ui.register((await import('@fastify/static')).default, {
      root: UI_DIR,
      prefix: `${app.prefix}/ui/`,
      dotfiles: 'ignore',
      setHeaders: (reply) => void reply.headers(PAGE_HEADERS),
    });
  });
  app.get('/ui/*', { schema: { hide: true } }, files.answer());
  // The page's module URLs are relative to the folder: /__admin/ui goes to /__admin/ui/ (relative Location).
  app.get('/ui', { schema: { hide: true } }, (_request, reply) => reply.redirect('ui/'));
}
