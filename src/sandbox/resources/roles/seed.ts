/** The org's seeded admin roles, custom role and resource set. */
import type { SandboxOrg } from '../../org.js';
import type { SeededOrg } from '../../seeded-org.js';
import { assignRole, insertCustomRole, insertResourceSet } from './model.js';

/** The admin is the org's Super Administrator; one custom role on one resource set, assigned to nobody. */
export function seedRoles(org: SandboxOrg, base: SeededOrg): void {
  assignRole(org, base.admin, { type: 'SUPER_ADMIN' }, true);
  insertCustomRole(org, 'Help Desk Tier 2', 'Resets passwords and unlocks accounts of support staff');
  insertResourceSet(org, 'Support department users');
}
