// The router (find-my-way) decides who owns a request: the plugin whose route matches runs its own hooks
// (Host check, CORS, guard, journal). Two callers run before there is a match: Fastify's frameworkErrors (a
// URL the router could not decode) and the client-error handler (bytes Node's parser refused). They pick the
// vendor whose error shape to answer in from the path as the router would have matched it, which this
// reproduces for what decides a prefix: the absolute form `http://host/path` reduced to its path, the query
// and fragment cut off, every percent-escape of an ASCII character the router decodes decoded (`%5F` is `_`,
// while `%2F` stays as it is: the router keeps reserved characters encoded), repeated slashes collapsed
// (ignoreDuplicateSlashes), a trailing slash dropped. Matching stays case-sensitive, as the router's is. Fault
// rules and the journal read paths this way too, so every spelling of a route is the same path to them. Escapes of other bytes are left
// as they are: no prefix contains one. Never throws, whatever the bytes.
import { shown } from './errors';

// The characters find-my-way leaves percent-encoded when it decodes a path (its url-sanitizer: decodeURI's
// reserved set, and `%` itself).
const RESERVED = new Set(['#', '$', '%', '&', '+', ',', '/', ':', ';', '=', '?', '@']);

const ESCAPE = /%([0-7][0-9A-Fa-f])/g;

function decodeAscii(path: string): string {
  if (!path.includes('%')) return path;
  return path.replace(ESCAPE, (escape, hex: string) => {
    const char = String.fromCharCode(Number.parseInt(hex, 16));
    return RESERVED.has(char) ? escape : char;
  });
}

/** A request target's path as the router matches it (see above); '' when it has none the router would take. */
export function routedPath(target: string): string {
  let path = target;
  if (path.charCodeAt(0) !== 47) {
    // The absolute form (RFC 9112 §3.2.2), which the router accepts too.
    const scheme = /^(https?):\/\/[^/?#]+/i.exec(path);
    if (scheme === null) return '';
    path = path.slice(scheme[0].length) || '/';
    if (path.charCodeAt(0) !== 47) path = `/${path}`;
  }
  const end = path.search(/[?#]/);
  if (end >= 0) path = path.slice(0, end);
  path = decodeAscii(path);
  if (path.includes('//')) path = path.replace(/\/{2,}/g, '/');
  // A plugin's '/' route answers its prefix with and without the slash: the same path either way.
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** What every vendor's not-found says of a path no route of it takes (each in its own error kind). */
export function noRouteText(request: { method: string; url: string }): string {
  return `No route for ${request.method} ${shown(routedPath(request.url))}`;
}
