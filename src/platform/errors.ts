// The problems a rule can raise. They say what went wrong, never how it looks on the wire: each vendor's
// error handler (src/<vendor>/errors.ts) is the one place that turns them into that vendor's body.
// Their text is syncmock's own: field paths, rule names, byte positions, and a caller's value only where
// the vendor names one too (an id, a path), cut by shown(). Never a library's message, which can quote
// the input (V8's JSON.parse quotes the body around the error; Fastify's bad-URL error the whole URL).
import { STATUS_CODES } from 'node:http';
import { BODY_LIMIT_TEXT } from './json-body';
import { MOCK_TIME_RULE } from './mock-time';
import { REDACTED, holdsCredential } from './redaction';

/** At most this many problems are listed in one answer; when more were found, one more line says so. */
export const MAX_PROBLEMS = 100;
export const MORE_PROBLEMS = `More problems were found: only the first ${MAX_PROBLEMS} are listed`;

/** The longest a caller's value is shown in a message. */
export const MAX_SHOWN = 100;

/**
 * A caller's value (an id, a path, a header that is not a credential) as a message may name it: at most
 * MAX_SHOWN characters, then "…", and never a credential (then "[redacted]"). Every message that repeats what a caller sent goes through here.
 */
export function shown(value: string): string {
  // A credential pasted where an id or a name goes is not repeated (redaction.ts knows the shapes).
  if (holdsCredential(value.length <= MAX_SHOWN ? value : value.slice(0, MAX_SHOWN + 64))) return REDACTED;
  if (value.length <= MAX_SHOWN) return value;
  const cut = value.slice(0, MAX_SHOWN);
  // Not half of a surrogate pair.
  return `${/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}

export abstract class Problem extends Error {
  abstract readonly status: number;
  /** Seconds a client should wait before trying again; each vendor sends it in its own retry header. */
  retryAfterSeconds?: number;
  /** Human-readable details, e.g. which field of which entry is wrong: at most MAX_PROBLEMS, then a line saying there were more. */
  readonly details: string[];

  constructor(message: string, details: string[] = []) {
    // A problem is an answer, not a fault of ours: nobody reads its stack, and capturing one was a measurable
    // share of a 403's or a 404's cost (`npm run bench`). The unexpected errors a ServerFault stands for are
    // logged with their own stack (the vendors' error handlers).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = new.target.name;
    this.details = details.length > MAX_PROBLEMS ? [...details.slice(0, MAX_PROBLEMS), MORE_PROBLEMS] : details;
  }
}

/** The request is well-formed but its content breaks a rule or the schema. */
export class InvalidInput extends Problem {
  readonly status = 400;
}

/** The body could not be parsed or does not match the operation's schema (raised by Fastify, not a rule). */
export class InvalidRequestShape extends InvalidInput {}

export class Unauthenticated extends Problem {
  readonly status = 401;
}

/**
 * An OAuth token request the authorization server refuses (RFC 6749 §5.2). `code` is the OAuth error code
 * (invalid_request, invalid_client, unsupported_grant_type, …), the message its description.
 */
export class TokenRequestRejected extends Problem {
  constructor(readonly status: 400 | 401, readonly code: string, description: string) {
    super(description);
  }
}

export class Forbidden extends Problem {
  readonly status = 403;
}

export class NotFound extends Problem {
  readonly status = 404;
}

export class PayloadTooLarge extends Problem {
  readonly status = 413;
}

export class UnsupportedMediaType extends Problem {
  readonly status = 415;
}

export class RateLimited extends Problem {
  readonly status = 429;
  constructor(readonly retryAfterSeconds: number) {
    super('Too many requests');
  }
}

/**
 * A 4xx with no rule of its own here: injected through the control API (405, 409, 422, …), or met before
 * routing (408, 414, 431: client-errors.ts).
 */
export class ClientFault extends Problem {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

/** A fault injected on purpose, or an unexpected failure: the vendor's 5xx shape. */
export class ServerFault extends Problem {
  constructor(message: string, readonly status = 500) {
    super(message);
  }
}

/**
 * The problem behind an HTTP status, for faults injected through the control API: raised inside a vendor's
 * scope, it reaches that vendor's error handler and goes out in that vendor's shape like a real one.
 */
export function problemForStatus(status: number, message: string, retryAfterSeconds?: number): Problem {
  if (status === 429) return new RateLimited(retryAfterSeconds ?? 1);
  const problem = problemWithStatus(status, message);
  problem.retryAfterSeconds = retryAfterSeconds;
  return problem;
}

function problemWithStatus(status: number, message: string): Problem {
  switch (status) {
    case 400: return new InvalidInput(message);
    case 401: return new Unauthenticated(message);
    case 403: return new Forbidden(message);
    case 404: return new NotFound(message);
    case 413: return new PayloadTooLarge(message);
    case 415: return new UnsupportedMediaType(message);
  }
  return status >= 500 ? new ServerFault(message, status) : new ClientFault(message, status);
}

export interface ValidationError {
  instancePath: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
  /** Set on the errors about a property name (ajv's propertyNames). */
  propertyName?: string;
}

/**
 * The keyword of the error a validator adds after the first one when it did not look for more
 * (validators.ts, bounded()): `params.values` says how many values the document holds at least.
 */
export const FIRST_PROBLEM_ONLY = 'syncmock:first-problem-only';

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message: string;
  validation?: ValidationError[];
  validationContext?: string;
}

/** A body over BODY_LIMIT (json-body.ts), by whichever parser or hook met it. */
export const bodyTooLarge = (): PayloadTooLarge => new PayloadTooLarge(`Request body is too large (the limit is ${BODY_LIMIT_TEXT})`);

/**
 * Fastify's own errors (body parsing, content type, body size, schema validation) and those of the body
 * parsers it runs, as problems, so each vendor formats them like any other. Their messages are not
 * passed on: a known code gets words of ours, any other client error the reason phrase of its status.
 * Anything else becomes a 500 without its stack.
 */
export function problemFromError(err: unknown): Problem {
  if (err instanceof Problem) return err;
  const e = err as FastifyLikeError;
  if (e.validation) {
    // A discriminator error repeats what the schema states beside it (`required` and an `enum` of the tag),
    // in ajv's words ("tag … must be in oneOf"); the field-named error is the one to show.
    // Errors inside a propertyNames check (an enum of the names allowed) would repeat what the propertyNames
    // error says beside them, and name the key: that one is described without it.
    const errors = mergeEnumAlternatives(e.validation.filter((v) => v.keyword !== 'discriminator' && v.propertyName === undefined));
    return new InvalidRequestShape('Invalid request', [...new Set(errors.map((v) => describeValidation(v, e.validationContext)))]);
  }
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new UnsupportedMediaType('Unsupported Media Type: the request body must be application/json');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return bodyTooLarge();
    case 'FST_ERR_MAX_PARAM_LENGTH':
      // No id is that long, so nothing by that id exists.
      return new NotFound('Not found');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new InvalidRequestShape('Malformed request: the body is not as long as its Content-Length says');
    case 'FST_ERR_BAD_URL':
      return new InvalidRequestShape('Malformed URL: a % in the path does not start an escape of UTF-8 (%XX)');
  }
  if (e instanceof SyntaxError) return new InvalidRequestShape('Malformed JSON body');
  if (e.statusCode === 413) return bodyTooLarge();
  if (e.statusCode === 415) return new UnsupportedMediaType('Unsupported Media Type');
  if (e.statusCode === 400) return new InvalidRequestShape('Bad Request');
  if (e.statusCode !== undefined && e.statusCode > 400 && e.statusCode < 500) return problemForStatus(e.statusCode, STATUS_CODES[e.statusCode] ?? 'Client Error');
  return new ServerFault('An internal fault occurred.');
}

/**
 * A value that matches no branch of an anyOf of enums (an enum written as a list, then the values a later
 * version added) gets an error per branch and one for the anyOf: to a caller it is one list. Two passes,
 * grouping by path, so the work is linear in the errors.
 */
function mergeEnumAlternatives(errors: ValidationError[]): ValidationError[] {
  const enumsAt = new Map<string, ValidationError[]>();
  const anyOfAt = new Set<string>();
  for (const v of errors) {
    if (v.keyword === 'anyOf') anyOfAt.add(v.instancePath);
    if (v.keyword !== 'enum') continue;
    const at = enumsAt.get(v.instancePath);
    if (at) at.push(v);
    else enumsAt.set(v.instancePath, [v]);
  }
  const merged = (v: ValidationError) => anyOfAt.has(v.instancePath) && (enumsAt.get(v.instancePath)?.length ?? 0) > 1;
  return errors.flatMap((v) => {
    if (!merged(v)) return [v];
    if (v.keyword === 'enum') return [];
    if (v.keyword !== 'anyOf') return [v];
    const alternatives = enumsAt.get(v.instancePath) as ValidationError[];
    return [{ ...alternatives[0], params: { allowedValues: alternatives.flatMap((a) => a.params.allowedValues as unknown[]) } }];
  });
}

/**
 * "Field 'data.attributes.enabled' must be boolean" from an ajv error: its path, and ajv's words for the
 * rule, which come from the schema (`must be <= 1`, `must match format "uuid"`), never from the value.
 */
function describeValidation(v: ValidationError, context = 'body'): string {
  if (v.keyword === FIRST_PROBLEM_ONLY) {
    return `The ${context === 'body' ? 'request body' : context} holds more than ${Number(v.params.values).toLocaleString('en-US')} values: it was checked up to its first problem`;
  }
  const base = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (v.keyword === 'required') {
    const field = [base, String(v.params.missingProperty)].filter(Boolean).join('.');
    return `Field '${shown(field)}' is required`;
  }
  if (v.keyword === 'additionalProperties') {
    const field = [base, String(v.params.additionalProperty)].filter(Boolean).join('.');
    return `Field '${shown(field)}' is not allowed`;
  }
  if (v.keyword === 'propertyNames') {
    // Only write-only objects (credentials) check names this way (see closed-schema.ts): a key there
    // may itself be a credential pasted in the wrong place, so it is not repeated.
    return `Field '${shown(base)}' has a field that is not allowed (not named here: it is inside credentials)`;
  }
  const where = base === '' ? (context === 'body' ? 'The request body' : `The ${context}`) : `Field '${shown(base)}'`;
  if (v.keyword === 'enum') {
    const allowed = (v.params.allowedValues as unknown[]).map(String).join(', ');
    return `${where} must be one of: ${allowed}`;
  }
  return `${where} ${ruleOf(v) ?? 'is invalid'}`;
}

/** What a value failed, as ajv says it, but a time in the words of the times the mock accepts. */
export function ruleOf(v: Pick<ValidationError, 'keyword' | 'params' | 'message'>): string | undefined {
  return v.keyword === 'format' && v.params.format === 'date-time' ? `must be ${MOCK_TIME_RULE}` : v.message;
}
