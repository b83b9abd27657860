// Requests Node's HTTP parser refuses before Fastify sees them: a header block over Node's 16 KiB limit (a
// 1 MB token, say) or bytes no request may hold. Each is answered in the shape of the vendor whose URL it
// was, like any other bad input, and logged by its error code alone. Fastify's default handler answers in
// its own shape, and logs (at trace) the error object whose rawPacket holds the bytes received: the
// credentials in them included.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyBaseLogger } from 'fastify';
import { InvalidInput, type Problem } from './errors';
import { pathOf } from './path-pattern';

export interface RawErrorResponse {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** The vendor's answer to a problem at a path; undefined for a path no vendor owns. */
export type RawErrorFormatter = (problem: Problem, path: string) => RawErrorResponse | undefined;

// The request line, when the bytes the parser refused begin with one (they do when the head came in one
// piece, as clients send it).
const REQUEST_LINE = /^[A-Z]+ (\S+) HTTP\/1\.[01]\r?\n/;

export function clientErrorHandler(format: RawErrorFormatter) {
  return function handleClientError(this: { log: FastifyBaseLogger }, err: ConnectionError, socket: Socket): void {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    this.log.debug({ code: err.code }, 'client error');
    const timeout = err.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    const overflow = err.code === 'HPE_HEADER_OVERFLOW';
    // To a vendor's URL a 400 in its shape, as nginx (in front of both vendors' APIs) answers an oversized
    // header block; elsewhere the status Fastify gives.
    const problem = new InvalidInput(overflow ? 'Request header fields too large (the limit is 16 KiB in all)' : 'Malformed HTTP request');
    // Typed by Fastify as its JSON form, rawPacket is the Buffer the parser refused.
    const raw: unknown = err.rawPacket;
    const target = timeout || !Buffer.isBuffer(raw) ? undefined : REQUEST_LINE.exec(raw.toString('latin1', 0, 8192))?.[1];
    const response = (target !== undefined ? format(problem, pathOf(target)) : undefined)
      ?? (timeout ? generic(408, 'Client Timeout') : generic(overflow ? 431 : 400, problem.message));
    if (socket.writable) {
      const body = JSON.stringify(response.body);
      const headers = { ...response.headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), connection: 'close' };
      const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.write(`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status]}\r\n${head}\r\n${body}`);
    }
    socket.destroy();
  };
}

/** Fastify's own body for what no vendor owns. */
const generic = (status: number, message: string): RawErrorResponse => ({
  status,
  body: { error: STATUS_CODES[status], message, statusCode: status },
});
