// Raw-HTTP helper for the control API.
import { http, type HttpResult } from '../helpers';

export type AdminCall = (method: string, path: string, json?: unknown, headers?: Record<string, string>) => Promise<HttpResult>;

/**
 * Calls /__admin<path> on a server, with the admin token when one is given. Calls that change state carry
 * X-Syncmock-Admin, as a script without a JSON body must (src/control/guard.ts); headers given win.
 */
export function admin(baseUrl: string, token?: string): AdminCall {
  return (method, path, json, headers = {}) =>
    http(`${baseUrl}/__admin${path}`, {
      method,
      json,
      headers: {
        ...(!['GET', 'HEAD'].includes(method.toUpperCase()) && { 'x-syncmock-admin': '1' }),
        ...(token !== undefined && { authorization: `Bearer ${token}` }),
        ...headers,
      },
    });
}
