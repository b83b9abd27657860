// Connections: how long a client may take, and what happens to each connection at shutdown.
// - Timeouts are Node's own (headersTimeout, requestTimeout, keepAliveTimeout), checked often enough to
//   act close to when they fall due: Node checks every 30 s by default, and Fastify turns the request
//   timeout off. A request that does not arrive in time is answered 408 and closed (client-errors.ts).
// - At shutdown Node closes only the connections that are idle when the server stops listening; one that
//   holds half a request (headers or a body that stopped arriving) would keep the process up until the
//   client gives up, and Node also stops checking timeouts then. Here every connection that holds no
//   complete request closes at once, complete requests are answered and their connection closed after the
//   answer, and whatever is left after GRACE_MS is closed anyway.
import type { IncomingMessage, ServerOptions, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../generated/schema-types';

/** How long complete requests have to be answered once the server is closing. */
export const GRACE_MS = 3000;

/** The request a connection carried last and its response. */
export interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
}

/** A complete request whose answer has not gone out yet. */
export const answering = (exchange: Exchange): boolean => exchange.request.complete && !exchange.response.writableFinished;

/** Fastify's server options for the configured timeouts. */
export function timeoutOptions(timeouts: Config['timeouts']): {
  requestTimeout: number; keepAliveTimeout: number; http: ServerOptions;
} {
  const headers = Math.round(timeouts.headersSeconds * 1000);
  const request = Math.round(timeouts.requestSeconds * 1000);
  return {
    requestTimeout: request,
    keepAliveTimeout: Math.round(timeouts.keepAliveSeconds * 1000),
    // Node refuses a headers timeout longer than the request timeout; the request timeout covers the headers too.
    http: { headersTimeout: Math.min(headers, request), connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.round(Math.min(headers, request) / 10))) },
  };
}

export class Connections {
  private readonly open = new Set<Socket>();
  private readonly exchanges = new WeakMap<Socket, Exchange>();

  /** Follows the app's server from now on, and closes connections as above when the app closes. */
  attach(app: FastifyInstance): void {
    app.server.on('connection', (socket: Socket) => {
      this.open.add(socket);
      socket.once('close', () => this.open.delete(socket));
    });
    app.server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      this.exchanges.set(request.socket, { request, response });
    });
    app.addHook('preClose', async () => {
      this.close();
    });
  }

  /** The request the connection carried last (it may be answered already), if any. */
  lastExchange(socket: Socket): Exchange | undefined {
    return this.exchanges.get(socket);
  }

  private close(): void {
    for (const socket of this.open) {
      const exchange = this.exchanges.get(socket);
      if (exchange !== undefined && answering(exchange)) {
        exchange.response.once('finish', () => socket.end());
      } else {
        socket.destroy();
      }
    }
    setTimeout(() => {
      for (const socket of this.open) socket.destroy();
    }, GRACE_MS).unref();
  }
}
