// CORS for browser use: on for the emulated APIs and the docs, off for the control API unless asked for.
import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { SyncmockConfig } from '../config';
import { surfaceOf } from './surfaces';
import type { VendorContract } from './vendor';

/**
 * Registered on the root instance: @fastify/cors answers preflights in its onRequest hook, before any vendor
 * plugin's auth hook could turn away a preflight (browsers never send credentials on one).
 */
export async function registerCors(app: FastifyInstance, config: SyncmockConfig['cors'], vendors: readonly VendorContract[]): Promise<void> {
  const allowed: FastifyCorsOptions = {
    origin: config.origins.includes('*') ? '*' : config.origins,
    credentials: false,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: [...new Set(['Content-Type', ...vendors.flatMap((v) => v.cors.allowedHeaders)])],
    exposedHeaders: [...new Set(vendors.flatMap((v) => v.cors.exposedHeaders))],
    optionsSuccessStatus: 204,
    // An OPTIONS request that is not a browser preflight (no Origin or Access-Control-Request-Method) gets
    // the same 204, not @fastify/cors's own 400 body, which matches neither vendor's error shape.
    strictPreflight: false,
  };
  // origin false: no CORS headers, and a preflight falls through to a 404.
  const off: FastifyCorsOptions = { origin: false };
  await app.register(cors, {
    delegator: (request, callback) => {
      callback(null, surfaceOf(request.url, vendors).kind === 'control' && !config.admin ? off : allowed);
    },
  });
}
