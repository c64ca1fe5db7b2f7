/** The seeded org's app user schema: Salesforce's users have a role, a profile, territories and a federation id. */
import type { SandboxOrg } from '../../org.js';
import { appsOf } from '../apps/model.js';
import { defineAppUserAttribute } from './model.js';

export function seedSchemas(org: SandboxOrg): void {
  const salesforce = [...appsOf(org).byId.values()].find((app) => app.name === 'salesforce');
  if (!salesforce) return;
  const define = defineAppUserAttribute.bind(undefined, org, salesforce.id);
  define('role', {
    title: 'Role',
    type: 'string',
    description: 'The Salesforce role, like Sales or Finance.',
    maxLength: 80,
  });
  define('profile', {
    title: 'Profile',
    type: 'string',
    description: 'The Salesforce profile, which sets what the user may do.',
    enum: ['Standard User', 'Read Only', 'System Administrator'],
  });
  define('territories', {
    title: 'Territories',
    type: 'array',
    description: 'The sales territories of the user.',
    items: { type: 'string' },
  });
  define('federationId', {
    title: 'Federation ID',
    type: 'string',
    description: 'Set by Salesforce when the user first signs in.',
    mutability: 'READ_ONLY',
  });
}
