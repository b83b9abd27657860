// Path patterns for fault rules and journal filters: globs over the URL path, because the paths people
// match ("every call under this prefix", "GET of any id") need no more, and a glob is easy to get right.
// `*` matches within one segment, `**` across segments; everything else is literal.
import { InvalidInput } from './errors';

/** Compiles a pattern, or throws InvalidInput naming `field` with what is wrong. */
export function compilePathPattern(pattern: string, field: string): RegExp {
  const problem = !pattern.startsWith('/') ? 'must start with /'
    : /[?#]/.test(pattern) ? 'must be a path only, without ? or # (query strings are not matched)'
      : /\s/.test(pattern) ? 'must not contain whitespace'
        : /\*{3,}/.test(pattern) ? 'must not contain more than two * in a row'
          : undefined;
  if (problem) throw new InvalidInput(`Field '${field}' ${problem}`);
  const source = pattern
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/** The path of a request URL: no query string, repeated slashes collapsed as the router does. */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  return path.includes('//') ? path.replace(/\/{2,}/g, '/') : path;
}
