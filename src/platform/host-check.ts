// DNS rebinding: a web page at a host name its owner points at 127.0.0.1 once the page has loaded is, to the
// browser, same-origin with whatever listens there, so CORS does not stop it from calling the control API or
// reading the docs. The Host header it sends still names the page's host: the control API and the docs answer
// only Host names on an allow-list. An IP address cannot be rebound (the browser connects to the address the
// URL names), so any IP address passes, as does localhost and *.localhost, which browsers resolve to loopback
// themselves; the bound host and --allowed-hosts add names. The emulated APIs answer any Host, as the vendors
// do: their CORS settings already say which pages may call them.
import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Forbidden, shown } from './errors';
import { surfaceOf } from './surfaces';
import { syncHook } from './sync-hook';
import type { VendorContract } from './vendor';

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
 * Refuses control API and docs requests whose Host is not allowed (403, in the shape of the error handler
 * that catches it: the control API's). Registered on the root instance before CORS, so preflights are
 * checked too.
 */
export function registerHostCheck(app: FastifyInstance, allowed: AllowedHosts, vendors: readonly VendorContract[]): void {
  if (allowed.any) {
    app.log.warn('--allowed-hosts * turns the Host check off: a web page can reach /__admin and the docs through DNS rebinding. List host names instead, unless a proxy in front checks them');
    return;
  }
  app.addHook('onRequest', syncHook((request) => {
    const surface = surfaceOf(request.url, vendors).kind;
    if ((surface !== 'control' && surface !== 'docs') || request.routeOptions.config.anyHost) return;
    if (allowed.allows(request.headers.host)) return;
    const host = shown(request.headers.host ?? '');
    const message = host === ''
      ? 'A request to the control API or the docs must name this server in its Host header'
      : `Host '${host}' is not allowed here (DNS rebinding protection): start syncmock with --allowed-hosts ${hostNameOf(host) ?? host} (SYNCMOCK_ALLOWED_HOSTS) to allow it`;
    throw new Forbidden(message);
  }));
}
