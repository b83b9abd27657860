// The pretty log format, for a person at a terminal: one short line per request, and pino's other lines as
// time, level and message.
import { styleText } from 'node:util';
import pino from 'pino';
import type { RequestLineFields } from './request-line';

/** `14:03:07.512 POST /path 201 3.1ms vendor org=org-1 req-7`: one line for a person (local time). */
export function prettyRequestLine(line: RequestLineFields, time: number, colours = false): string {
  const status = colours ? styleText(line.statusCode >= 500 ? 'red' : line.statusCode >= 400 ? 'yellow' : 'green', String(line.statusCode), { validateStream: false }) : line.statusCode;
  const scope = line.scope === undefined ? '' : ` ${line.scopeName}=${line.scope}`;
  const vendor = line.vendor === undefined ? '' : ` ${line.vendor}${scope}`;
  return `${clock(time)} ${line.method} ${line.url} ${status} ${line.responseTime.toFixed(1)}ms${vendor} ${line.reqId}\n`;
}

const clock = (time: number): string => {
  const at = new Date(time);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}.${String(at.getMilliseconds()).padStart(3, '0')}`;
};

/**
 * pino's other lines in the pretty format: time, level and message, then what else the line holds as JSON,
 * and an error's stack below it. They are rare (start-up, warnings, errors, debug), so reading pino's JSON
 * back costs nothing that matters; the request lines, one per request, never pass through here.
 */
export class PrettyLines implements pino.DestinationStream {
  constructor(private readonly out: pino.DestinationStream) {}

  write(json: string): void {
    const { time, level, msg, pid: _pid, hostname: _hostname, err, ...rest } = JSON.parse(json) as Record<string, unknown> & { time: number; level: number; msg?: string; err?: { stack?: string } };
    const more = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
    const error = err === undefined ? '' : err.stack ? `\n    ${err.stack.replace(/\n/g, '\n    ')}` : ` ${JSON.stringify({ err })}`;
    this.out.write(`${clock(time)} ${pino.levels.labels[level]?.toUpperCase() ?? level} ${msg ?? ''}${more}${error}\n`);
  }
}
