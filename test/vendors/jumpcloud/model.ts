// JumpCloud's rules for user groups, apart from HTTP (routes.ts) and SQL (store/): a group's name is unique
// within its organization; a PUT replaces name and description; the seed is what an organization starts
// with and what a reset brings back.
import { randomBytes } from 'node:crypto';
import { ClientFault, NotFound, Unauthenticated, shown } from '../../../src/platform/errors';
import type { ImportMode } from '../../../src/platform/vendor';
import type { JumpcloudSeed, JumpcloudUserGroup, SeedJumpcloudOrganization } from './seed';
import type { UserGroupRow, UserGroupStore } from './store/user-groups';

export interface UserGroupInput {
  name: string;
  description?: string;
}

/** A JumpCloud object id: 24 hex digits. */
const newObjectId = (): string => randomBytes(12).toString('hex');

const wire = (row: UserGroupRow): JumpcloudUserGroup => ({ id: row.id, name: row.name, description: row.description, type: 'user_group' });

/** Which organization an API key acts for: the seed's keys, read once. */
export class ApiKeys {
  private readonly organizationOf = new Map<string, string>();

  constructor(seed: JumpcloudSeed) {
    for (const organization of seed.organizations) for (const key of organization.api_keys) this.organizationOf.set(key, organization.id);
  }

  /** The organization of the request's x-api-key; a 401 without one or for a key nobody holds. */
  authenticate(key: string | string[] | undefined): string {
    if (typeof key !== 'string' || key === '') throw new Unauthenticated('Missing the x-api-key header');
    const organization = this.organizationOf.get(key);
    if (organization === undefined) throw new Unauthenticated('Unknown API key');
    return organization;
  }
}

export class UserGroupModel {
  private readonly seeded: ReadonlyMap<string, SeedJumpcloudOrganization>;

  constructor(private readonly store: UserGroupStore, seed: JumpcloudSeed) {
    this.seeded = new Map(seed.organizations.map((o) => [o.id, o]));
    // A new database starts from the seed; a file that holds an organization keeps what it holds.
    store.transaction(() => {
      for (const organization of this.seeded.values()) if (!store.hasOrganization(organization.id)) this.plant(organization);
    });
  }

  list(organizationId: string): JumpcloudUserGroup[] {
    return this.store.list(organizationId).map(wire);
  }

  get(organizationId: string, id: string): JumpcloudUserGroup {
    return wire(this.found(organizationId, id));
  }

  create(organizationId: string, input: UserGroupInput): JumpcloudUserGroup {
    return this.store.transaction(() => {
      this.nameFree(organizationId, input.name);
      const row = { organizationId, id: newObjectId(), name: input.name, description: input.description ?? '' };
      this.store.addOrganization(organizationId);
      this.store.put(row);
      return wire(row);
    });
  }

  replace(organizationId: string, id: string, input: UserGroupInput): JumpcloudUserGroup {
    return this.store.transaction(() => {
      this.found(organizationId, id);
      this.nameFree(organizationId, input.name, id);
      const row = { organizationId, id, name: input.name, description: input.description ?? '' };
      this.store.put(row);
      return wire(row);
    });
  }

  delete(organizationId: string, id: string): void {
    if (!this.store.delete(organizationId, id)) throw this.notFound(id);
  }

  /** Back to the seed: every organization, or one (an organization the seed lacks is forgotten). */
  reset(organizationId?: string): void {
    this.store.transaction(() => {
      this.store.deleteOrganization(organizationId);
      const again = organizationId === undefined ? [...this.seeded.values()] : [this.seeded.get(organizationId)].filter((o) => o !== undefined);
      for (const organization of again) this.plant(organization);
    });
  }

  /** Every organization's groups, or one's, in creation order. */
  snapshot(organizationId?: string): Record<string, JumpcloudUserGroup[]> {
    const ids = organizationId === undefined ? this.store.organizations() : [organizationId].filter((id) => this.store.hasOrganization(id));
    return Object.fromEntries(ids.map((id) => [id, this.list(id)]));
  }

  /** How many organizations the store holds, and user groups in all. */
  counts(): { organizations: number; groups: number } {
    return this.store.counts();
  }

  /** Checked organizations' groups: replace leaves each exactly what it lists, merge adds or overwrites by id. */
  importOrganizations(organizations: Record<string, readonly JumpcloudUserGroup[]>, mode: ImportMode): void {
    this.store.transaction(() => {
      for (const [organizationId, groups] of Object.entries(organizations)) {
        if (mode === 'replace') this.store.deleteGroups(organizationId);
        this.store.addOrganization(organizationId);
        for (const g of groups) this.store.put({ organizationId, id: g.id, name: g.name, description: g.description });
      }
    });
  }

  private plant(organization: SeedJumpcloudOrganization): void {
    this.importOrganizations({ [organization.id]: organization.user_groups }, 'replace');
  }

  private found(organizationId: string, id: string): UserGroupRow {
    const row = this.store.get(organizationId, id);
    if (row === undefined) throw this.notFound(id);
    return row;
  }

  private notFound(id: string): NotFound {
    return new NotFound(`No user group ${shown(id)} in this organization`);
  }

  private nameFree(organizationId: string, name: string, except?: string): void {
    const holder = this.store.idByName(organizationId, name);
    if (holder !== undefined && holder !== except) {
      throw new ClientFault(`A user group named ${shown(name)} already exists`, 409);
    }
  }
}
