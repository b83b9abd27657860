// Raw TCP clients for what HTTP clients will not send: half a request, bytes past a body, a head over the
// parser's limit, headers trickled in one line at a time.
import net from 'node:net';

export const connect = (port: number): Promise<net.Socket> => new Promise((resolve, reject) => {
  const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
  socket.once('error', reject);
});

export interface Answer {
  /** Everything the server wrote before it closed the connection. */
  text: string;
  /** Each response's status, in order. */
  statuses: number[];
  /** The last response's body. */
  body: string;
  /** From the first byte sent to the close. */
  closedAfterMs: number;
  /** The socket's error, if any (ECONNRESET: the server closed on bytes it had not read, and what was in flight may be lost). */
  error?: string;
}

/** Responses one after another in what a connection received (bodies by Content-Length). */
export function parseResponses(text: string): Array<{ status: number; head: string; body: string }> {
  const responses = [];
  let rest = text;
  while (rest.startsWith('HTTP/1.1 ')) {
    const end = rest.indexOf('\r\n\r\n');
    if (end === -1) break;
    const head = rest.slice(0, end);
    const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 0);
    responses.push({ status: Number(head.slice(9, 12)), head, body: rest.slice(end + 4, end + 4 + length) });
    rest = rest.slice(end + 4 + length);
  }
  return responses;
}

/**
 * Opens a connection, writes the pieces `gapMs` apart (stopping once the server has closed), and resolves
 * when the server closes it; rejects when it is still open after `limitMs`.
 */
export async function exchange(port: number, pieces: Array<string | Buffer>, { gapMs = 0, limitMs = 10_000 } = {}): Promise<Answer> {
  const socket = await connect(port);
  const chunks: Buffer[] = [];
  const started = Date.now();
  let closed = false;
  let error: string | undefined;
  socket.on('data', (d: Buffer) => chunks.push(d));
  // A reset after the answer: what was received counts, and the reset is reported.
  socket.on('error', (err: NodeJS.ErrnoException) => { error = err.code ?? err.message; });
  const done = new Promise<Answer>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`still open after ${limitMs} ms; received: ${Buffer.concat(chunks).toString('latin1').slice(0, 300)}`));
    }, limitMs);
    socket.on('close', () => {
      closed = true;
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const responses = parseResponses(text);
      resolve({ text, statuses: responses.map((r) => r.status), body: responses.at(-1)?.body ?? '', closedAfterMs: Date.now() - started, error });
    });
  });
  for (const [i, piece] of pieces.entries()) {
    if (closed) break;
    if (i > 0 && gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
    if (!closed) socket.write(piece);
  }
  return done;
}
