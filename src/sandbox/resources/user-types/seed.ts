/** The org's seeded user types. */
import type { SandboxOrg } from '../../org.js';
import type { SeededOrg } from '../../seeded-org.js';
import { DEFAULT_USER_TYPE_ID } from '../users/model.js';
import { type UserTypeRecord, userTypesOf } from './model.js';

/** The default type, owned by the seeded admin, and one more (a type no seeded user has). */
export function seedUserTypes(org: SandboxOrg, base: SeededOrg): void {
  const types = userTypesOf(org);
  const defaultType = types.get(DEFAULT_USER_TYPE_ID)!;
  defaultType.createdBy = base.admin.id;
  defaultType.lastUpdatedBy = base.admin.id;
  const now = org.now();
  const contractor: UserTypeRecord = {
    id: org.ids.id('oty'),
    name: 'contractor',
    displayName: 'Contractor',
    description: 'External staff on a fixed-term contract',
    isDefault: false,
    createdBy: base.admin.id,
    lastUpdatedBy: base.admin.id,
    created: now,
    lastUpdated: now,
  };
  types.set(contractor.id, contractor);
}
