/**
 * Admin roles assigned to users: Okta's standard roles (one assignment per role type) and custom roles
 * (one assignment per role and resource set). Assigning and unassigning both read the user's current
 * assignments first, so a repeated run reports `changed: false` instead of Okta's 409 or 404.
 */
import { invalidInput } from '../errors/action-error.js';
import type { OktaContext } from '../handler/okta-context.js';
import { oktaPath } from '../transport/paths.js';

/**
 * The standard role types Okta assigns to users, with the names the Admin Console gives them. The same
 * list is the `adminRoleType` choice of the input schemas (test/actions/groups-more.test.ts keeps the two
 * in step).
 */
export const STANDARD_ADMIN_ROLES = [
  {
    type: 'SUPER_ADMIN',
    label: 'Super Administrator',
    description: 'Every permission in the org, including managing other admins.',
  },
  {
    type: 'ORG_ADMIN',
    label: 'Organization Administrator',
    description: 'Manages users, groups, apps and most org settings, but not admins with higher roles.',
  },
  {
    type: 'USER_ADMIN',
    label: 'Group Administrator',
    description: 'Manages users and groups, for every group or only the groups it targets.',
  },
  {
    type: 'GROUP_MEMBERSHIP_ADMIN',
    label: 'Group Membership Administrator',
    description: 'Adds users to and removes them from groups.',
  },
  {
    type: 'HELP_DESK_ADMIN',
    label: 'Help Desk Administrator',
    description: 'Resets passwords and factors and unlocks users.',
  },
  {
    type: 'APP_ADMIN',
    label: 'Application Administrator',
    description: 'Manages apps and their assignments, for every app or only the apps it targets.',
  },
  {
    type: 'READ_ONLY_ADMIN',
    label: 'Read-Only Administrator',
    description: 'Sees everything in the Admin Console and changes nothing.',
  },
  { type: 'REPORT_ADMIN', label: 'Report Administrator', description: 'Sees reports and the System Log.' },
  {
    type: 'API_ACCESS_MANAGEMENT_ADMIN',
    label: 'API Access Management Administrator',
    description: 'Manages authorization servers, scopes and claims.',
  },
  { type: 'WORKFLOWS_ADMIN', label: 'Workflows Administrator', description: 'Manages Okta Workflows.' },
  {
    type: 'ACCESS_CERTIFICATIONS_ADMIN',
    label: 'Access Certifications Administrator',
    description: 'Manages access certification campaigns (Okta Identity Governance).',
  },
  {
    type: 'ACCESS_REQUESTS_ADMIN',
    label: 'Access Requests Administrator',
    description: 'Manages access requests (Okta Identity Governance).',
  },
] as const;

/** A role assignment as Okta sends it; only what the actions read is typed. */
export interface RoleAssignmentJson {
  id: string;
  type: string;
  label?: string;
  role?: string;
  'resource-set'?: string;
  [field: string]: unknown;
}

/** Which role an input means: a standard role type, or a custom role on a resource set. */
export type WantedRole =
  | { type: string; custom: false }
  | { type: 'CUSTOM'; custom: true; role: string; resourceSet: string };

interface RoleFields {
  roleType?: string;
  customRoleId?: string;
  resourceSetId?: string;
}

/** The role an input asks for; a custom role needs both its id and its resource set, a standard one neither. */
export function wantedRole(input: RoleFields & { roleType: string }): WantedRole {
  if (input.roleType === 'CUSTOM') {
    if (!input.customRoleId)
      throw invalidInput('customRoleId', 'is required for a custom role: find the id with List Roles');
    if (!input.resourceSetId)
      throw invalidInput('resourceSetId', 'is required for a custom role: the resource set it applies to');
    return { type: 'CUSTOM', custom: true, role: input.customRoleId, resourceSet: input.resourceSetId };
  }
  for (const field of ['customRoleId', 'resourceSetId'] as const) {
    if (input[field])
      throw invalidInput(field, `is only for a custom role; leave it empty for ${input.roleType}`);
  }
  return { type: input.roleType, custom: false };
}

/** Whether an assignment is of the wanted role (a custom role: the same role on the same resource set). */
export function isAssignmentOf(assignment: RoleAssignmentJson, wanted: WantedRole): boolean {
  if (assignment.type !== wanted.type) return false;
  if (!wanted.custom) return true;
  return assignment.role === wanted.role && assignment['resource-set'] === wanted.resourceSet;
}

export function userRolesPath(userId: string): string {
  return oktaPath('/api/v1/users/{userId}/roles', { userId });
}

/** GET /api/v1/users/{userId}/roles: every role assignment of the user, in one answer (not paged). */
export function listUserRoleAssignments(okta: OktaContext, userId: string): Promise<RoleAssignmentJson[]> {
  return okta.getJson<RoleAssignmentJson[]>(userRolesPath(userId));
}
