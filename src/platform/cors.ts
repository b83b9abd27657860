// CORS for browser use: on for the emulated APIs and the docs, off for the control API unless asked for.
import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { SyncmockConfig } from '../config';
import { surfaceOf } from './surfaces';

/** What the vendors' clients send beyond the CORS-safelisted headers. */
const CORS_ALLOWED_HEADERS = [
  'DD-API-KEY', 'DD-APPLICATION-KEY', 'Authorization', 'X-SailPoint-Experimental', 'Content-Type', 'X-SailPoint-SDK',
];

/** What a browser client may read: Datadog's rate-limit headers, SailPoint's Retry-After and request id. */
export const CORS_EXPOSED_HEADERS = [
  'X-RateLimit-Limit', 'X-RateLimit-Period', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'X-RateLimit-Name',
  'Retry-After', 'SLPT-Request-ID',
];

/**
 * Registered on the root instance: @fastify/cors answers preflights in its onRequest hook, before any vendor
 * plugin's auth hook could turn away a preflight (browsers never send credentials on one).
 */
export async function registerCors(app: FastifyInstance, config: SyncmockConfig['cors']): Promise<void> {
  const allowed: FastifyCorsOptions = {
    origin: config.origins.includes('*') ? '*' : config.origins,
    credentials: false,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    optionsSuccessStatus: 204,
    // An OPTIONS request that is not a browser preflight (no Origin or Access-Control-Request-Method) gets
    // the same 204, not @fastify/cors's own 400 body, which matches neither vendor's error shape.
    strictPreflight: false,
  };
  // origin false: no CORS headers, and a preflight falls through to a 404.
  const off: FastifyCorsOptions = { origin: false };
  await app.register(cors, {
    delegator: (request, callback) => {
      callback(null, surfaceOf(request.url) === 'control' && !config.admin ? off : allowed);
    },
  });
}
