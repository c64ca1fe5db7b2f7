/** The org's seeded group rules. */
import type { SandboxOrg } from '../../org.js';
import type { SeededOrg } from '../../seeded-org.js';
import { EXPRESSION_TYPE, insertGroupRule } from './model.js';

/** One INACTIVE rule (so seeding changes no membership): Sales people to the VPN group. */
export function seedGroupRules(org: SandboxOrg, base: SeededOrg): void {
  insertGroupRule(
    org,
    {
      name: 'Sales VPN access',
      type: 'group_rule',
      conditions: { expression: { type: EXPRESSION_TYPE, value: 'user.department=="Sales"' } },
      actions: { assignUserToGroups: { groupIds: [base.groups['VPN Users']!.id] } },
    },
    true,
  );
}
