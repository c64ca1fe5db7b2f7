/** The org's seeded realms. */
import type { SandboxOrg } from '../../org.js';
import type { SeededOrg } from '../../seeded-org.js';
import { insertRealm, realmsOf } from './model.js';

/** The default realm (every seeded user is in it) and an empty partner realm. */
export function seedRealms(org: SandboxOrg, _base: SeededOrg): void {
  realmsOf(org);
  insertRealm(org, { name: 'Partners', realmType: 'PARTNER', domains: ['partners.example.com'] }, true);
}
