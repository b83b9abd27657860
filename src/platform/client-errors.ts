// Requests Node's HTTP server refuses before Fastify routes them, each answered in the shape of the vendor
// whose URL it was, like any other bad input, and logged by its error code alone:
// - a request line longer than Node's 16 KiB head limit: 414 URI Too Long;
// - a header block over that limit (a 1 MB token, say): 431 Request Header Fields Too Large;
// - bytes no request may hold, or bytes after a request that do not start another (a body longer than its
//   Content-Length): 400, answered after the request before them has had its own answer;
// - a request whose headers or body stop arriving (--headers-timeout, --request-timeout): 408.
// Then the connection closes, once the client has stopped sending (drain.ts: closing on bytes still
// arriving resets the connection, which can destroy the answer before the client reads it). Fastify's
// default handler answers in its own shape (without the control API's `details`), and logs (at trace) the error object whose rawPacket holds the
// bytes received: the credentials in them included.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyBaseLogger } from 'fastify';
import type { Config } from '../generated/schema-types';
import { answering, type Connections, type Exchange } from './connections';
import { answerNow, closeAfterDraining } from './drain';
import { ClientFault, InvalidInput, type Problem } from './errors';
import { routedPath } from './routed-path';

export interface RawErrorResponse {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** The answer to a problem at a path (routed as the router reads it), or at no known path, in its owner's shape. */
export type RawErrorFormatter = (problem: Problem, path: string | undefined) => RawErrorResponse;

/** Node's limit on a request's head (request line and headers), --max-http-header-size. */
const MAX_HEAD_BYTES = 16 * 1024;

// The start of a request line, when the bytes the parser refused begin with one (they do when the head came
// in one piece, as clients send it). The target may be cut off where the bytes end. The method is any HTTP
// token: a lower-case `get`, which the parser refuses, is still a request for that path.
const REQUEST_START = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+ ([^\s]+)/;

interface Diagnosis {
  problem: Problem;
  /** The URL path the bytes were for, when known. */
  path?: string;
}

export function clientErrorHandler(format: RawErrorFormatter, connections: Connections, timeouts: Config['timeouts']) {
  // Node reports each further error on a connection it has already reported (the parser stays failed).
  const reported = new WeakSet<Socket>();
  return function handleClientError(this: { log: FastifyBaseLogger }, err: ConnectionError, socket: Socket): void {
    if (err.code === 'ECONNRESET' || socket.destroyed || reported.has(socket)) return;
    reported.add(socket);
    this.log.debug({ code: err.code }, 'client error');
    const exchange = connections.lastExchange(socket);
    const { problem, path } = diagnose(err, exchange, timeouts);
    const response = format(problem, path === undefined ? undefined : routedPath(path));
    const answer = () => closeAfterDraining(socket, serialize(response));
    if (exchange !== undefined && answering(exchange)) {
      // The request before the bad bytes is still being answered: its answer first, then this one.
      exchange.response.once('close', answer);
    } else if (exchange !== undefined && !exchange.request.complete && (exchange.response.headersSent || answerNow(exchange.request))) {
      // The request was answered before its body arrived, a refusal say, or its answer waited for the rest
      // of the body: that is its answer, and nothing may be written in the middle of one.
      if (exchange.response.writableFinished) closeAfterDraining(socket);
      else exchange.response.once('close', () => closeAfterDraining(socket));
    } else {
      answer();
    }
  };
}

/** What went wrong, from the error code, the bytes the parser refused and the request the connection carried last. */
function diagnose(err: ConnectionError, exchange: Exchange | undefined, timeouts: Config['timeouts']): Diagnosis {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return exchange !== undefined && !exchange.request.complete
      ? { problem: new ClientFault(`Request timeout: the request body did not arrive within ${timeouts.requestSeconds} s`, 408), path: exchange.request.url }
      : { problem: new ClientFault(`Request timeout: the request did not arrive within ${Math.min(timeouts.headersSeconds, timeouts.requestSeconds)} s`, 408) };
  }
  // Typed by Fastify as its JSON form, rawPacket is the Buffer the parser refused.
  const raw: unknown = err.rawPacket;
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.alloc(0);
  const target = REQUEST_START.exec(bytes.toString('latin1', 0, Math.min(bytes.length, 2 * MAX_HEAD_BYTES)))?.[1];
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    const lineEnd = bytes.indexOf('\n');
    if (target !== undefined && (lineEnd === -1 || lineEnd >= MAX_HEAD_BYTES)) {
      return { problem: new ClientFault('URI too long: the request line and headers may hold 16 KiB in all', 414), path: target };
    }
    return { problem: new ClientFault('Request header fields too large (the limit is 16 KiB in all)', 431), path: target };
  }
  // Bytes after a complete request, in the same packet (it is still being answered) or in a later one that
  // does not start a request: what that request sent past its end.
  if (exchange !== undefined && (answering(exchange) || target === undefined)) {
    return { problem: new InvalidInput('Malformed HTTP request: bytes after the end of the request before (a body longer than its Content-Length?)'), path: exchange.request.url };
  }
  return { problem: new InvalidInput('Malformed HTTP request'), path: target };
}

function serialize(response: RawErrorResponse): string {
  const body = JSON.stringify(response.body);
  const headers = { ...response.headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), connection: 'close' };
  const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  return `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status]}\r\n${head}\r\n${body}`;
}
