// The optional admin token. Without one, anyone who can reach the port can reset or rewrite the state,
// which is fine on a developer's loopback and worth a warning anywhere else.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Unauthenticated } from '../platform/errors';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A control route open without the admin token (health, for container healthchecks). */
    adminPublic?: boolean;
  }
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

export function guardControlApi(app: FastifyInstance, token: string | undefined, host: string): void {
  if (token === undefined) {
    if (!isLoopback(host)) {
      app.log.warn({ host }, 'the control API (/__admin) is open to anyone who can reach this address: set --admin-token (SYNCMOCK_ADMIN_TOKEN) to guard it');
    }
    return;
  }
  // Digests have one length whatever was sent, so the comparison takes the same time for every guess.
  const expected = digest(token);
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
