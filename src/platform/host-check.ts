// DNS rebinding: a web page at a host name its owner points at 127.0.0.1 once the page has loaded is, to the
// browser, same-origin with whatever listens there, so CORS does not stop it from calling the control API or
// reading the docs. The Host header it sends still names the page's host: the control API and the docs answer
// only Host names on an allow-list. An IP address cannot be rebound (the browser connects to the address the
// URL names), so any IP address passes, as does localhost and *.localhost, which browsers resolve to loopback
// themselves; the bound host and --allowed-hosts add names. The emulated APIs answer any Host, as the vendors
// do: their CORS settings already say which pages may call them.
import { isIP } from 'node:net';
import type { onRequestHookHandler } from 'fastify';
import { Forbidden, shown } from './errors';
import { callbackHook } from './callback-hooks';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A control route that answers whatever the Host (health: container and orchestrator probes). */
    anyHost?: boolean;
  }
}

/** The host name a Host header names: lower case, without port, brackets or trailing dot; undefined if none. */
export function hostNameOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  let url: URL;
  try {
    url = new URL(`http://${header}`);
  } catch {
    return undefined;
  }
  // userinfo, a path or a query mean the header was not a bare host[:port]
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return undefined;
  return url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

export class AllowedHosts {
  /** `*` was given: no check. */
  readonly any: boolean;
  private readonly names = new Set<string>();
  private readonly domains: string[] = [];

  constructor(entries: readonly string[], boundHost: string) {
    this.any = entries.includes('*');
    for (const entry of [...entries, boundHost]) {
      const name = entry.toLowerCase().replace(/\.$/, '');
      if (name.startsWith('.')) this.domains.push(name);
      else this.names.add(name.replace(/^\[(.*)\]$/, '$1'));
    }
  }

  allows(hostHeader: string | undefined): boolean {
    if (this.any) return true;
    const name = hostNameOf(hostHeader);
    if (name === undefined) return false;
    return name === 'localhost' || name.endsWith('.localhost') || isIP(name) !== 0 || this.names.has(name)
      || this.domains.some((domain) => name.endsWith(domain) || name === domain.slice(1));
  }
}

/**
 * The onRequest hook that refuses a request whose Host is not allowed (403, in the shape of the error
 * handler that catches it: the control API's). The control API's and the docs' plugins add it to their own
 * scope first, so it covers their routes, their preflights and their not-found answers, however the path was
 * spelt: the router decided the request is theirs. A route with `config.anyHost` answers any Host.
 */
export function hostCheck(allowed: AllowedHosts): onRequestHookHandler {
  return callbackHook((request) => {
    if (allowed.any || request.routeOptions.config.anyHost || allowed.allows(request.headers.host)) return;
    const host = shown(request.headers.host ?? '');
    const message = host === ''
      ? 'A request to the control API or the docs must name this server in its Host header'
      : `Host '${host}' is not allowed here (DNS rebinding protection): start syncmock with --allowed-hosts ${hostNameOf(host) ?? host} (SYNCMOCK_ALLOWED_HOSTS) to allow it`;
    throw new Forbidden(message);
  });
}

/** Said once at start when the check is off. */
export const HOST_CHECK_OFF_WARNING = '--allowed-hosts * turns the Host check off: a web page can reach /__admin and the docs through DNS rebinding. '
  + 'List host names instead, unless a proxy in front checks them';
