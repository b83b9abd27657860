// The string formats schemas/config.json names beyond JSON Schema's own. The configuration's validator is
// compiled at build time (scripts/schema-validators.mjs) and fetches these from here when it runs.

/** The origin a browser would send for an entry (scheme://host[:port]), or undefined when it is not one. */
export function originOf(entry: string): string | undefined {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return undefined;
  }
  if (url.origin === 'null' || url.pathname !== '/' || url.search !== '' || url.hash !== '') return undefined;
  return url.origin;
}

/** A host name, or `.domain` for it and its subdomains (what a Host header names, without the port). */
function isHostPattern(entry: string): boolean {
  return /^\.?[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$/i.test(entry);
}

export const CONFIG_FORMATS: Record<string, (value: string) => boolean> = {
  nonblank: (value) => /\S/.test(value),
  origin: (value) => value === '*' || originOf(value) !== undefined,
  'allowed-host': (value) => value === '*' || isHostPattern(value),
};
