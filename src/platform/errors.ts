// The problems a rule can raise. They say what went wrong, never how it looks on the wire: each vendor's
// error handler (src/<vendor>/errors.ts) is the one place that turns them into that vendor's body.
import { BODY_LIMIT_TEXT } from './json-body';

export abstract class Problem extends Error {
  abstract readonly status: number;
  /** Seconds a client should wait before trying again; each vendor sends it in its own retry header. */
  retryAfterSeconds?: number;
  /** Human-readable details, e.g. which field of which entry is wrong. */
  constructor(message: string, readonly details: string[] = []) {
    super(message);
    this.name = new.target.name;
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

interface ValidationError {
  instancePath: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
  /** Set on the errors about a property name (ajv's propertyNames). */
  propertyName?: string;
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message: string;
  validation?: ValidationError[];
  validationContext?: string;
}

/**
 * Fastify's own errors (body parsing, content type, body size, schema validation) as problems, so each
 * vendor formats them like any other. Anything unrecognised becomes a 500 without its stack.
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
      return new PayloadTooLarge(`Request body is too large (the limit is ${BODY_LIMIT_TEXT})`);
    case 'FST_ERR_MAX_PARAM_LENGTH':
      // No id is that long, so nothing by that id exists.
      return new NotFound('Not found');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new InvalidRequestShape(`Malformed JSON body: ${e.message}`);
  }
  if (e instanceof SyntaxError || (e.statusCode === 400 && /JSON/i.test(e.message))) {
    return new InvalidRequestShape(`Malformed JSON body: ${e.message}`);
  }
  if (e.statusCode === 413) return new PayloadTooLarge(`Request body is too large (the limit is ${BODY_LIMIT_TEXT})`);
  if (e.statusCode === 415) return new UnsupportedMediaType('Unsupported Media Type');
  if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) return new InvalidRequestShape(e.message);
  return new ServerFault('An internal fault occurred.');
}

/**
 * A value that matches no branch of an anyOf of enums (an enum written as a list, then the values a later
 * version added) gets an error per branch and one for the anyOf: to a caller it is one list.
 */
function mergeEnumAlternatives(errors: ValidationError[]): ValidationError[] {
  const enumsAt = new Map<string, ValidationError[]>();
  for (const v of errors) if (v.keyword === 'enum') enumsAt.set(v.instancePath, [...(enumsAt.get(v.instancePath) ?? []), v]);
  const merged = (v: ValidationError) =>
    errors.some((a) => a.keyword === 'anyOf' && a.instancePath === v.instancePath) && (enumsAt.get(v.instancePath)?.length ?? 0) > 1;
  return errors.flatMap((v) => {
    if (!merged(v)) return [v];
    if (v.keyword === 'enum') return [];
    if (v.keyword !== 'anyOf') return [v];
    const alternatives = enumsAt.get(v.instancePath) as ValidationError[];
    return [{ ...alternatives[0], params: { allowedValues: alternatives.flatMap((a) => a.params.allowedValues as unknown[]) } }];
  });
}

/** "Field 'data.attributes.enabled' must be boolean" from an ajv error. */
function describeValidation(v: ValidationError, context = 'body'): string {
  const base = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (v.keyword === 'required') {
    const field = [base, String(v.params.missingProperty)].filter(Boolean).join('.');
    return `Field '${field}' is required`;
  }
  if (v.keyword === 'additionalProperties') {
    const field = [base, String(v.params.additionalProperty)].filter(Boolean).join('.');
    return `Field '${field}' is not allowed`;
  }
  if (v.keyword === 'propertyNames') {
    // Only write-only objects (credentials) check names this way (see closed-schema.ts): a key there
    // may itself be a credential pasted in the wrong place, so it is not repeated.
    return `Field '${base}' has a field that is not allowed (not named here: it is inside credentials)`;
  }
  const where = base === '' ? (context === 'body' ? 'The request body' : `The ${context}`) : `Field '${base}'`;
  if (v.keyword === 'enum') {
    const allowed = (v.params.allowedValues as unknown[]).map(String).join(', ');
    return `${where} must be one of: ${allowed}`;
  }
  return `${where} ${v.message ?? 'is invalid'}`;
}
