/** Group rules as Okta's JSON writes them. */
import type { SandboxOrg } from '../../org.js';
import { groupsOf } from '../groups/model.js';
import { EXPRESSION_TYPE, type GroupRuleRecord, referencedGroupIds } from './model.js';

export function ruleJson(
  org: SandboxOrg,
  rule: GroupRuleRecord,
  expand: string | null,
): Record<string, unknown> {
  return {
    type: 'group_rule',
    id: rule.id,
    status: rule.status,
    name: rule.name,
    created: rule.created,
    lastUpdated: rule.lastUpdated,
    conditions: {
      people: { users: { exclude: rule.excludedUserIds }, groups: { exclude: rule.excludedGroupIds } },
      expression: { value: rule.expression, type: EXPRESSION_TYPE },
    },
    actions: { assignUserToGroups: { groupIds: rule.groupIds } },
    ...(expand === 'groupIdToGroupNameMap'
      ? { _embedded: { groupIdToGroupNameMap: groupNames(org, referencedGroupIds(rule)) } }
      : {}),
  };
}

/** Names of the groups that still exist (a deleted group's id stays in an INVALID rule). */
function groupNames(org: SandboxOrg, groupIds: string[]): Record<string, string> {
  const groups = groupsOf(org).byId;
  const names: Record<string, string> = {};
  for (const id of groupIds) {
    const group = groups.get(id);
    if (group) names[id] = group.profile.name;
  }
  return names;
}
