// Raw-HTTP helper for the control API.
import { http, type HttpResult } from '../helpers';

export type AdminCall = (method: string, path: string, json?: unknown, headers?: Record<string, string>) => Promise<HttpResult>;

/** Calls /__admin<path> on a server, with the admin token when one is given; headers given win. */
export function admin(baseUrl: string, token?: string): AdminCall {
  return (method, path, json, headers = {}) =>
    http(`${baseUrl}/__admin${path}`, {
      method,
      json,
      headers: {
        ...(token !== undefined && { authorization: `Bearer ${token}` }),
        ...headers,
      },
    });
}
