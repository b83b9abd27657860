// The problems a rule can raise. They say what went wrong, never how it looks on the wire: each vendor's
// error handler (src/<vendor>/errors.ts) is the one place that turns them into that vendor's body.

export abstract class Problem extends Error {
  abstract readonly status: number;
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

/** A fault injected on purpose, or an unexpected failure: the vendor's 5xx shape. */
export class ServerFault extends Problem {
  constructor(message: string, readonly status = 500) {
    super(message);
  }
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message: string;
  validation?: Array<{ instancePath: string; message?: string; keyword: string; params: Record<string, unknown> }>;
  validationContext?: string;
}

/**
 * Fastify's own errors (body parsing, content type, body size, schema validation) as problems, so each
 * vendor formats them like any other. Anything unrecognised becomes a 500 without its stack.
 */
export function problemFromError(err: unknown): Problem {
  if (err instanceof Problem) return err;
  const e = err as FastifyLikeError;
  if (e.validation) return new InvalidRequestShape('Invalid request', e.validation.map((v) => describeValidation(v, e.validationContext)));
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new UnsupportedMediaType('Unsupported Media Type: the request body must be application/json');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PayloadTooLarge('Request body is too large (the limit is 1 MiB)');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new InvalidRequestShape('Request body is empty but Content-Type is application/json');
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
  if (e.statusCode === 413) return new PayloadTooLarge('Request body is too large (the limit is 1 MiB)');
  if (e.statusCode === 415) return new UnsupportedMediaType('Unsupported Media Type');
  if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) return new InvalidRequestShape(e.message);
  return new ServerFault('An internal fault occurred.');
}

/** "Field 'data.attributes.enabled' must be boolean" from an ajv error. */
function describeValidation(
  v: { instancePath: string; message?: string; keyword: string; params: Record<string, unknown> },
  context = 'body',
): string {
  const base = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (v.keyword === 'required') {
    const field = [base, String(v.params.missingProperty)].filter(Boolean).join('.');
    return `Field '${field}' is required`;
  }
  if (v.keyword === 'additionalProperties') {
    const field = [base, String(v.params.additionalProperty)].filter(Boolean).join('.');
    return `Field '${field}' is not allowed`;
  }
  const where = base === '' ? (context === 'body' ? 'The request body' : `The ${context}`) : `Field '${base}'`;
  if (v.keyword === 'enum') {
    const allowed = (v.params.allowedValues as unknown[]).map(String).join(', ');
    return `${where} must be one of: ${allowed}`;
  }
  return `${where} ${v.message ?? 'is invalid'}`;
}
