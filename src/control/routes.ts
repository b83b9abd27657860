// The control API under /__admin: everything that is not the emulated vendors.
import type {} from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import type { SyncmockContext } from '../app';
import { DATADOG_REVISIONS } from '../config';
import { ping } from '../store/db';
import { version } from '../version';

export interface ControlPluginOptions {
  context: SyncmockContext;
}

export async function controlRoutes(app: FastifyInstance, opts: ControlPluginOptions): Promise<void> {
  const { context } = opts;
  app.get('/health', {
    schema: { summary: 'Liveness and readiness', tags: ['Control'] },
  }, async () => {
    ping(context.db);
    return {
      status: 'ok', version, auth: context.config.auth, db: context.config.db === ':memory:' ? 'memory' : 'file',
      datadog: { revisions: DATADOG_REVISIONS, default_revision: context.config.datadog.revision },
    };
  });
}
