// JumpCloud's organizations as the control API moves them: reset, and their user groups in and out of state
// documents (VendorStateAdapter, src/platform/vendor.ts). It keeps no secrets, so the export is what GET shows.
import type { JumpcloudState } from '../../../src/generated/schema-types';
import { shown } from '../../../src/platform/errors';
import type { VendorStateAdapter } from '../../../src/platform/vendor';
import type { UserGroupModel } from './model';
import { groupProblems } from './seed';

export function jumpcloudState(model: UserGroupModel): VendorStateAdapter<JumpcloudState> {
  return {
    reset: (organizationId) => model.reset(organizationId),
    export: (organizationId) => Object.fromEntries(Object.entries(model.snapshot(organizationId)).map(([id, groups]) => [id, { user_groups: groups }])),
    counts() {
      const { organizations, groups } = model.counts();
      return { scopes: organizations, items: { user_groups: groups } };
    },
    check: (organizations, at) => Object.entries(organizations).flatMap(([id, o]) => groupProblems(o.user_groups, `${at}.${shown(id)}.user_groups`)),
    import: (organizations, mode) => model.importOrganizations(
      Object.fromEntries(Object.entries(organizations).map(([id, o]) => [id, o.user_groups])), mode,
    ),
  };
}
