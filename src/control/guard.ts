// What stands between the control API and callers who should not use it, inside the control API's own scope
// (routes.ts adds these hooks first, after the Host check: platform/host-check.ts):
// - anyone on the network: the optional admin token. Without one, anyone who can reach the port can reset
//   or rewrite the state, which is fine on a developer's loopback and worth a warning anywhere else. A missing
//   or wrong token is a 401, whatever Origin or Sec-Fetch-Site it carries (the Host check runs before it);
// - web pages on other sites: the fetch-metadata rule Go 1.25's net/http.CrossOriginProtection settled on
//   (tower-http's and Hono's CSRF middleware use it too), applied to reads as well as writes: a page elsewhere
//   must neither change the control state nor read it (the state, the journal, the journal stream, whose
//   readers are a bounded pool a page could fill with <iframe>s). A browser marks every request with
//   Sec-Fetch-Site: `same-origin` or `none` (typed in the address bar) pass, any other value is refused.
//   Without Sec-Fetch-Site (an older browser), an Origin whose host and port differ from the Host, or
//   `Origin: null`, is refused. With neither header the request is not from a browser and passes: `curl -X
//   POST …/__admin/reset` works. Origins granted by --admin-cors are trusted. Routes marked adminPublic
//   (health, the dashboard's static files, which hold no state and forbid framing) are outside the rule.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../generated/schema-types';
import type { CorsPolicy } from '../platform/cors';
import { Forbidden, Unauthenticated, shown } from '../platform/errors';
import { hostNameOf } from '../platform/host-check';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A control route open to any caller: no admin token, no Origin check (health, for healthchecks). */
    adminPublic?: boolean;
  }
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

type GuardConfig = Pick<Config, 'adminToken' | 'host'>;

export function guardControlApi(app: FastifyInstance, config: GuardConfig, cors: CorsPolicy): void {
  guardWithToken(app, config);
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.adminPublic) return;
    const refusal = crossOriginRefusal(request, cors);
    if (refusal !== undefined) throw new Forbidden(refusal);
  });
}

/** Why a request is refused as a web page's on another site, or undefined when it is not one: any method. */
function crossOriginRefusal(request: FastifyRequest, cors: CorsPolicy): string | undefined {
  const origin = request.headers.origin;
  if (origin !== undefined && cors.config.admin && cors.grants(origin)) return undefined;
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) {
    return site === 'same-origin' || site === 'none' ? undefined
      : `A page on another site (Sec-Fetch-Site: ${shown(String(site))}) may not read or change the mock's state`;
  }
  return origin !== undefined && !sameOrigin(origin, request.headers.host) ? foreignOriginMessage(origin) : undefined;
}

const foreignOriginMessage = (origin: string): string => `Origin '${shown(origin)}' may not call the control API: only pages served by `
  + 'syncmock itself may, or the --cors-origin list when --admin-cors is on';

/** Whether the Origin is this server's own: the same host and port as the Host header (`null` never is). */
function sameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined || hostNameOf(host) === undefined) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // `null` (a sandboxed frame, a file, a redirect) among others
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === new URL(`http://${host}`).host;
}

function guardWithToken(app: FastifyInstance, { adminToken, host }: GuardConfig): void {
  if (adminToken === undefined) {
    if (!isLoopback(host)) {
      app.log.warn({ host },
        `the control API (/__admin) is open to anyone who can reach this address (${host}, beyond loopback): they can read `
        + 'the state (GET /__admin/state), wipe or replace it (POST /__admin/reset, POST /__admin/state), inject faults and move '
        + 'the clock. The one-line fix: start with SYNCMOCK_ADMIN_TOKEN=$(openssl rand -hex 32) (or --admin-token) and send '
        + 'Authorization: Bearer <token>; or listen on 127.0.0.1 only');
    }
    return;
  }
  // Digests have one length whatever was sent, so the comparison takes the same time for every guess.
  const expected = digest(adminToken);
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.adminPublic) return;
    const match = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '');
    if (match && timingSafeEqual(digest(match[1]), expected)) return;
    reply.header('www-authenticate', 'Bearer realm="syncmock admin"');
    throw new Unauthenticated('Unauthorized', ['The control API needs Authorization: Bearer <admin token> (set with --admin-token)']);
  });
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
