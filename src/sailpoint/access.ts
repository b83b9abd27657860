// Who may do what: SailPoint's user levels (authorities) and scopes per operation, checked on the caller a
// verified token names.
import { Forbidden } from '../platform/errors';
import type { SailpointCaller } from './clients';

export type Access = 'read' | 'manage';

/**
 * SailPoint's two gates for the attribute sync config operations: a user level (authority) and a scope,
 * each needing one match. PUT (manage): ORG_ADMIN and sp:scopes:all or :manage. GET (read): ORG_ADMIN or
 * HELPDESK and sp:scopes:all, :read or :manage.
 */
const REQUIREMENTS: Record<Access, { authorities: string[]; scopes: string[] }> = {
  manage: { authorities: ['ORG_ADMIN'], scopes: ['sp:scopes:all', 'idn:attr-sync-source-config:manage'] },
  read: {
    authorities: ['ORG_ADMIN', 'HELPDESK'],
    scopes: ['sp:scopes:all', 'idn:attr-sync-source-config:read', 'idn:attr-sync-source-config:manage'],
  },
};

export function requireAccess(caller: SailpointCaller, access: Access): void {
  const need = REQUIREMENTS[access];
  const causes: string[] = [];
  if (!need.authorities.some((a) => caller.authorities.includes(a))) {
    causes.push(`The token's authorities [${caller.authorities.join(', ')}] include none of ${need.authorities.join(', ')}`);
  }
  if (!need.scopes.some((s) => caller.scope.includes(s))) {
    causes.push(`The token's scope [${caller.scope.join(', ')}] includes none of ${need.scopes.join(', ')}`);
  }
  if (causes.length > 0) throw new Forbidden('Forbidden', causes);
}
