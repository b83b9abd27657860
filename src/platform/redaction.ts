// One definition of what counts as a credential, used by the logger, the request journal and the state
// export, so a secret that is hidden in one place is hidden in all of them.

export const REDACTED = '[redacted]';

// Keys whose values are credentials: Datadog `secrets` (and the typed fields inside it), API and
// application keys, bearer tokens, OAuth client secrets and JWTs, and the headers that carry them.
const SECRET_KEY = /^(secrets|client_secret|access_token|refresh_token|id_token|api_token|private_key|password|authorization|proxy-authorization|cookie|set-cookie|x-api-key|dd-api-key|dd-application-key|api_key|app_key|application_key|apikey|appkey|token|jwt)$/i;

export const isSecretKey = (key: string): boolean => SECRET_KEY.test(key);

// Values that are credentials whatever name they come under: an Authorization-style value, a Datadog
// personal or service access token, a JWT (a SailPoint access token).
const SECRET_VALUE = /^\s*(?:bearer|basic)\s|dd[ps]at_|^eyJ[\w-]*\.eyJ/i;

/** Whether a request header or query parameter is a credential: by its name, or by what it holds. */
function isSecretField(key: string, value: unknown): boolean {
  if (isSecretKey(key)) return true;
  const values = Array.isArray(value) ? value : [value];
  return values.some((v) => typeof v === 'string' && SECRET_VALUE.test(v));
}

/**
 * Request headers or query parameters with every credential replaced, found by name or by value: a caller
 * may put a token in any header or parameter. Bodies go through redact() (by name only, so an export's
 * names and settings come back as they were stored).
 */
export function redactFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = isSecretField(k, v) ? REDACTED : v;
  return out;
}

/** A deep copy with every credential replaced by "[redacted]". */
export function redact<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => redact(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = isSecretKey(k) ? REDACTED : redact(v);
    return out as T;
  }
  return value;
}

/**
 * A request or response body as the journal may keep it: parsed (JSON, form fields, multipart fields) and
 * redacted. A body in any other form could hide a credential where no key names it, so only its size and
 * type are kept.
 */
export function redactBody(body: unknown, contentType: string | undefined): unknown {
  if (body === undefined || body === null || body === '') return null;
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    const text = body.toString();
    if (type === 'application/json' || type.endsWith('+json')) {
      try {
        return redact(JSON.parse(text));
      } catch {
        // Not JSON after all: treated like any other text below.
      }
    }
    if (type === 'application/x-www-form-urlencoded') return redact(Object.fromEntries(new URLSearchParams(text)));
    return `[${Buffer.byteLength(text)} bytes of ${type || 'unknown type'} not shown]`;
  }
  if (Array.isArray(body)) return redact(body);
  if (typeof body === 'object') return redact(multipartValues(body as Record<string, unknown>));
  return body;
}

/**
 * @fastify/multipart (attachFieldsToBody) gives each field as a part object ({fieldname, value, …}, which
 * links back to the whole body); keep just the values, and only the name of a file.
 */
function multipartValues(body: Record<string, unknown>): Record<string, unknown> {
  const value = (part: unknown): unknown => {
    if (part === null || typeof part !== 'object' || typeof (part as { fieldname?: unknown }).fieldname !== 'string') return part;
    const p = part as { value?: unknown; filename?: string };
    return p.filename !== undefined ? `[file ${p.filename}]` : p.value;
  };
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, Array.isArray(v) ? v.map(value) : value(v)]));
}

/** The URL with credential query parameters (the SailPoint token endpoint accepts them, any may hold a token) redacted. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  let changed = false;
  for (const [key, value] of [...params.entries()]) {
    if (isSecretField(key, value)) {
      params.set(key, REDACTED);
      changed = true;
    }
  }
  return changed ? `${url.slice(0, q)}?${params.toString()}` : url;
}

/** pino `redact` paths: request headers never reach a log line with a credential in them. */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["dd-api-key"]',
  'req.headers["dd-application-key"]',
  'headers.authorization',
  'headers["dd-api-key"]',
  'headers["dd-application-key"]',
  '*.secrets',
  '*.client_secret',
  '*.access_token',
];
