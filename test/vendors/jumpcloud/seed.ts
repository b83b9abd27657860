// JumpCloud's part of the seed document (schemas/jumpcloud/seed.json): organizations, their API keys and
// the user groups each starts with. The types are the schema's, named here by their parts.
import type { JumpcloudSeed, JumpcloudUserGroup } from '../../../src/generated/schema-types';
import { Repeats } from '../../../src/platform/repeats';

export type { JumpcloudSeed, JumpcloudUserGroup };
export type SeedJumpcloudOrganization = JumpcloudSeed['organizations'][number];

/** What the seed schema cannot check: an organization, an API key, a group id or a group name given twice. */
export function jumpcloudSeedProblems(seed: JumpcloudSeed): string[] {
  const problems: string[] = [];
  const once = new Repeats(problems);
  seed.organizations.forEach((organization, i) => {
    once.check('an organization', organization.id, `jumpcloud.organizations.${i}.id`);
    organization.api_keys.forEach((key, j) => once.check('an API key', key, `jumpcloud.organizations.${i}.api_keys.${j}`, false));
    problems.push(...groupProblems(organization.user_groups, `jumpcloud.organizations.${i}.user_groups`));
  });
  return problems;
}

/** A group id or name given twice within an organization (a seed's or a state document's). */
export function groupProblems(groups: readonly JumpcloudUserGroup[], at: string): string[] {
  const problems: string[] = [];
  const ids = new Repeats(problems);
  const names = new Repeats(problems);
  groups.forEach((group, i) => {
    ids.check('a user group id', group.id, `${at}.${i}.id`);
    names.check('a user group name', group.name, `${at}.${i}.name`);
  });
  return problems;
}
