// What stands between the control API and callers who should not use it:
// - web pages on other sites: a request whose Origin is neither this server's own nor granted by
//   --admin-cors is refused, and a call that changes state must carry a header a page cannot send
//   cross-site without a preflight that nothing here grants: Content-Type: application/json,
//   X-Syncmock-Admin, or Authorization. A "simple" request (text/plain, a form, no body) could otherwise
//   be sent by any page, no-cors, without the browser asking first;
// - anyone on the network: the optional admin token. Without one, anyone who can reach the port can reset
//   or rewrite the state, which is fine on a developer's loopback and worth a warning anywhere else.
// The Host check (DNS rebinding) runs before all of this, for the docs too (platform/host-check.ts).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SyncmockConfig } from '../config';
import { Forbidden, Unauthenticated, shown } from '../platform/errors';
import { hostNameOf } from '../platform/host-check';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A control route open to any caller: no admin token, no Origin check (health, for healthchecks). */
    adminPublic?: boolean;
  }
}

/** The header a client without a JSON body sends to show it is not a web page (any value). */
export const ADMIN_HEADER = 'X-Syncmock-Admin';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

type GuardConfig = Pick<SyncmockConfig, 'adminToken' | 'host' | 'cors'>;

export function guardControlApi(app: FastifyInstance, config: GuardConfig): void {
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.adminPublic) return;
    const origin = request.headers.origin;
    if (origin !== undefined && !originAllowed(origin, request, config.cors)) {
      throw new Forbidden(`Origin '${shown(origin)}' may not call the control API: only pages served by syncmock itself may, `
        + 'or the --cors-origin list when --admin-cors is on');
    }
    if (!READS.has(request.method) && !provesNotCrossSite(request)) {
      throw new Forbidden(`A control API call that changes state must send Content-Type: application/json or an ${ADMIN_HEADER} header `
        + '(any value), which a web page on another site cannot send without asking first');
    }
  });
  guardWithToken(app, config);
}

/** This server's own pages (the Origin's host:port is the Host), or the CORS origins when --admin-cors is on. */
function originAllowed(origin: string, request: FastifyRequest, cors: SyncmockConfig['cors']): boolean {
  if (cors.admin && (cors.origins.includes('*') || cors.origins.includes(origin))) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // `null` (a sandboxed frame, a file, a redirect) among others
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = request.headers.host;
  return host !== undefined && hostNameOf(host) !== undefined && url.host === new URL(`http://${host}`).host;
}

/** Headers outside what CORS lets a page send without a preflight. */
function provesNotCrossSite(request: FastifyRequest): boolean {
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/json' || request.headers[ADMIN_HEADER.toLowerCase()] !== undefined || request.headers.authorization !== undefined;
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

/** The header as an OpenAPI parameter of every control call that changes state, so Swagger UI can send it. */
export function documentAdminHeader(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.every((m) => READS.has(m)) || (route.schema as { headers?: unknown } | undefined)?.headers) return;
    route.schema = {
      ...route.schema,
      headers: {
        type: 'object',
        properties: {
          [ADMIN_HEADER.toLowerCase()]: {
            type: 'string',
            description: 'Any value. Needed when the call sends no JSON body (no Content-Type: application/json) and no Authorization: '
              + 'it shows the call does not come from a web page on another site.',
          },
        },
      },
    };
  });
}
