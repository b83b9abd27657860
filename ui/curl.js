// A journal entry as a curl command. The journal holds credentials as "[redacted]"; here each becomes a
// shell variable named after its header, parameter or field, listed on a comment line for the user to set.

const REDACTED = '[redacted]';
const PLACEHOLDER = 'syncmock-redacted-value-';
/** Headers curl sets itself, or that describe this one connection. */
const SKIPPED = new Set(['host', 'content-length', 'connection', 'accept-encoding', 'user-agent', 'transfer-encoding']);

/** @param {string} name */
const variable = (name) => name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
/** Double-quoted for the shell, with nothing expanded. @param {string} text */
const quoted = (text) => `"${text.replace(/[\\"$`]/g, '\\$&')}"`;

/**
 * @param {any} entry a journal entry
 * @param {string} origin where this server is reached (the page's own origin)
 */
export function curlCommand(entry, origin) {
  /** @type {Set<string>} */
  const needed = new Set();
  /**
   * A value as a shell word; a redacted one expands its variable.
   * @param {string} name @param {unknown} value @param {(s: string) => string} wrap
   */
  const word = (name, value, wrap) => {
    if (value !== REDACTED) return quoted(wrap(String(value)));
    needed.add(variable(name));
    return `${quoted(wrap('')).slice(0, -1)}$${variable(name)}"`;
  };
  /** A query parameter, its value URL-encoded or its variable. @param {string} name @param {unknown} value */
  const param = (name, value) => {
    if (value !== REDACTED) return `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`;
    needed.add(variable(name));
    return `${encodeURIComponent(name)}=$${variable(name)}`;
  };
  const headers = /** @type {Record<string, string>} */ (entry.request.headers ?? {});
  const type = String(headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const query = Object.entries(entry.query ?? {}).map(([k, v]) => param(k, v)).join('&');
  const url = `${origin}${entry.path}${query ? `?${query}` : ''}`;
  // The URL's own characters are safe inside double quotes; only the placeholders in it must expand.
  const parts = ['curl', '-X', entry.method, `"${url.replace(/[\\"`]/g, '\\$&')}"`];
  for (const [name, value] of Object.entries(headers)) {
    if (SKIPPED.has(name) || (name === 'content-type' && type === 'multipart/form-data')) continue;
    parts.push('-H', word(name, value, (v) => `${name}: ${v}`));
  }
  const body = entry.request.body;
  if (body !== null && body !== undefined) {
    if (type === 'multipart/form-data' || type === 'application/x-www-form-urlencoded') {
      const flag = type === 'multipart/form-data' ? '-F' : '--data-urlencode';
      for (const [k, v] of Object.entries(body)) parts.push(flag, word(k, v, (s) => `${k}=${s}`));
    } else if (typeof body === 'string') {
      return `# the journal kept no body for this request (${body})\n${parts.join(' ')}`;
    } else {
      parts.push('--data', jsonWord(body, needed));
    }
  }
  const preface = needed.size > 0 ? `# set first: ${[...needed].join(', ')}${type.endsWith('json') ? ' (in the body: JSON values)' : ''}\n` : '';
  return preface + parts.join(' ');
}

/**
 * A JSON body as one shell word, its redacted values replaced by variables holding JSON.
 * @param {unknown} body
 * @param {Set<string>} needed
 */
function jsonWord(body, needed) {
  const marks = /** @type {string[]} */ ([]);
  const text = JSON.stringify(body, (key, value) => {
    if (value !== REDACTED) return value;
    marks.push(variable(key));
    return `${PLACEHOLDER}${marks.length - 1}`;
  });
  // The placeholder, quoted as a JSON string and escaped by `quoted`, becomes the bare variable.
  return quoted(text).replace(new RegExp(`\\\\"${PLACEHOLDER}(\\d+)\\\\"`, 'g'), (_m, i) => {
    needed.add(marks[Number(i)]);
    return `$${marks[Number(i)]}`;
  });
}
