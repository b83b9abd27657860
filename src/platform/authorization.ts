// What an `Authorization` header carries, read the same way for every vendor: a bearer token (RFC 6750), a
// Basic user and password (RFC 7617), nothing, or something malformed. Problems say what is wrong without
// quoting the header: whatever a caller put there may be a credential (even the "scheme" may be a bare token).
//
// Hand-written rather than `basic-auth`/`@fastify/basic-auth`: those decode base64 leniently (ignoring
// characters that are not base64 and returning whatever bytes come out), so "not base64" could not be told
// apart from a wrong password, and they answer nothing for bearer tokens.

export type AuthorizationCredentials =
  | { scheme: 'none' }
  | { scheme: 'bearer'; token: string }
  | { scheme: 'basic'; user: string; password: string }
  | { scheme: 'malformed'; problem: string };

// RFC 6750 §2.1 b64token, and strict, padded base64 (RFC 4648 §4) for Basic.
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The credentials of an Authorization header value (undefined or empty: none). Never throws. */
export function parseAuthorization(value: string | undefined): AuthorizationCredentials {
  const header = value?.trim() ?? '';
  if (header === '') return { scheme: 'none' };
  const space = header.search(/\s/);
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const rest = space < 0 ? '' : header.slice(space).trim();
  if (scheme === 'bearer') {
    if (rest === '') return { scheme: 'malformed', problem: 'the bearer token is empty' };
    if (!B64TOKEN.test(rest)) return { scheme: 'malformed', problem: 'the bearer token is malformed' };
    return { scheme: 'bearer', token: rest };
  }
  if (scheme === 'basic') return basic(rest);
  return { scheme: 'malformed', problem: 'the authorization scheme is not supported' };
}

function basic(encoded: string): AuthorizationCredentials {
  if (encoded === '') return { scheme: 'malformed', problem: 'the Basic credentials are empty' };
  let decoded: string;
  try {
    if (!BASE64.test(encoded)) throw new Error('not base64');
    decoded = utf8.decode(Buffer.from(encoded, 'base64'));
  } catch {
    return { scheme: 'malformed', problem: 'the Basic credentials are not base64-encoded UTF-8' };
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return { scheme: 'malformed', problem: 'the Basic credentials have no colon between user and password' };
  return { scheme: 'basic', user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
