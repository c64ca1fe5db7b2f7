/**
 * Admin roles assigned to users: Okta's standard roles (SUPER_ADMIN, ORG_ADMIN, ...) and custom roles bound
 * to a resource set, plus the org's custom roles. A user holds each role at most once (Okta answers 409
 * E0000090 to a second assignment), and the org always keeps at least one Super Administrator.
 */
import { OktaHttpError, validationFailed } from '../../errors.js';
import type { SandboxOrg } from '../../org.js';
import { type UserRecord, userTarget } from '../users/model.js';

/** Okta's label for each standard role, as role assignments show it. */
const STANDARD_ROLE_LABELS: Readonly<Record<string, string>> = {
  SUPER_ADMIN: 'Super Organization administrator',
  ORG_ADMIN: 'Organization administrator',
  APP_ADMIN: 'Application administrator',
  USER_ADMIN: 'Group administrator',
  GROUP_MEMBERSHIP_ADMIN: 'Group membership administrator',
  HELP_DESK_ADMIN: 'Help desk administrator',
  READ_ONLY_ADMIN: 'Read-only administrator',
  MOBILE_ADMIN: 'Mobile administrator',
  REPORT_ADMIN: 'Report administrator',
  API_ACCESS_MANAGEMENT_ADMIN: 'API access management administrator',
  WORKFLOWS_ADMIN: 'Workflows administrator',
  ACCESS_CERTIFICATIONS_ADMIN: 'Access certifications administrator',
  ACCESS_REQUESTS_ADMIN: 'Access requests administrator',
};

/**
 * Standard roles that Okta runs on its IAM platform: assigned like any standard role, but answered like a
 * custom role assignment, with Okta's own role and resource-set ids.
 */
const IAM_BASED_ROLE_RESOURCE_SETS: Readonly<Record<string, string>> = {
  WORKFLOWS_ADMIN: 'WORKFLOWS_IAM_POLICY',
  ACCESS_CERTIFICATIONS_ADMIN: 'ACCESS_CERTIFICATIONS_IAM_POLICY',
  ACCESS_REQUESTS_ADMIN: 'ACCESS_CERTIFICATIONS_IAM_POLICY',
};

export interface RoleAssignmentRecord {
  id: string;
  userId: string;
  /** A standard role type, or CUSTOM. */
  type: string;
  label: string;
  created: string;
  lastUpdated: string;
  /** For custom and IAM-based roles: the role and the resource set it is bound to. */
  binding?: { role: string; resourceSet: string };
}

export interface CustomRoleRecord {
  id: string;
  label: string;
  description: string;
  created: string;
  lastUpdated: string;
}

interface RoleSlice {
  assignments: Map<string, RoleAssignmentRecord[]>;
  customRoles: Map<string, CustomRoleRecord>;
  /** Resource sets custom roles can be bound to (not served here: only checked against). */
  resourceSets: Map<string, { id: string; label: string }>;
}

export function rolesOf(org: SandboxOrg): RoleSlice {
  return org.slice('roles', (o) => {
    const slice: RoleSlice = { assignments: new Map(), customRoles: new Map(), resourceSets: new Map() };
    o.onDelete('user', (userId) => slice.assignments.delete(userId));
    return slice;
  });
}

export function assignmentsOf(org: SandboxOrg, userId: string): RoleAssignmentRecord[] {
  return rolesOf(org).assignments.get(userId) ?? [];
}

export function roleTarget(assignment: RoleAssignmentRecord) {
  return { id: assignment.id, type: 'ROLE', alternateId: assignment.type, displayName: assignment.label };
}

// ---------------------------------------------------------------------------------------------------------
// Assigning

export type RoleRequest = { type: string } | { type: 'CUSTOM'; role: string; resourceSet: string };

/** Adds a role assignment after Okta's checks; `quiet` skips the System Log (seeding). */
export function assignRole(
  org: SandboxOrg,
  user: UserRecord,
  request: RoleRequest,
  quiet = false,
): RoleAssignmentRecord {
  const assignment = newAssignment(org, user, request);
  checkNotAssignedYet(org, user, assignment);
  const roles = rolesOf(org);
  roles.assignments.set(user.id, [...assignmentsOf(org, user.id), assignment]);
  org.changed();
  if (!quiet) {
    org.log.record('user.account.privilege.grant', 'Grant user privilege', [
      userTarget(user),
      roleTarget(assignment),
    ]);
  }
  return assignment;
}

function newAssignment(org: SandboxOrg, user: UserRecord, request: RoleRequest): RoleAssignmentRecord {
  const now = org.now();
  const base = { userId: user.id, created: now, lastUpdated: now };
  if ('role' in request) {
    const role = rolesOf(org).customRoles.get(request.role);
    if (!role) throw validationFailed('role', [`role: The custom role ${request.role} does not exist`]);
    if (!rolesOf(org).resourceSets.has(request.resourceSet)) {
      throw validationFailed('resource-set', [
        `resource-set: The resource set ${request.resourceSet} does not exist`,
      ]);
    }
    return {
      ...base,
      id: org.ids.id('irb'),
      type: 'CUSTOM',
      label: role.label,
      binding: { role: role.id, resourceSet: request.resourceSet },
    };
  }
  const label = STANDARD_ROLE_LABELS[request.type];
  if (!label) throw validationFailed('type', [`type: ${request.type} is not a role type`]);
  const iamResourceSet = IAM_BASED_ROLE_RESOURCE_SETS[request.type];
  return {
    ...base,
    id: org.ids.id(iamResourceSet ? 'irb' : 'ra1'),
    type: request.type,
    label,
    ...(iamResourceSet ? { binding: { role: request.type, resourceSet: iamResourceSet } } : {}),
  };
}

/** The same standard role, or the same custom role on the same resource set, twice: 409 E0000090. */
function checkNotAssignedYet(org: SandboxOrg, user: UserRecord, wanted: RoleAssignmentRecord): void {
  const same = (held: RoleAssignmentRecord) =>
    held.type === wanted.type &&
    held.binding?.role === wanted.binding?.role &&
    held.binding?.resourceSet === wanted.binding?.resourceSet;
  if (assignmentsOf(org, user.id).some(same)) {
    throw new OktaHttpError(409, 'E0000090', 'Duplicate role assignment exception', [
      'The role specified is already assigned to the user.',
    ]);
  }
}

/** Okta keeps at least one Super Administrator: the last SUPER_ADMIN assignment cannot be removed. */
export function checkNotLastSuperAdmin(org: SandboxOrg, assignment: RoleAssignmentRecord): void {
  if (assignment.type !== 'SUPER_ADMIN') return;
  for (const [userId, held] of rolesOf(org).assignments) {
    if (userId !== assignment.userId && held.some((other) => other.type === 'SUPER_ADMIN')) return;
  }
  throw new OktaHttpError(403, 'E0000006', 'You do not have permission to perform the requested action', [
    'The last Super Administrator of the org cannot lose the role',
  ]);
}

/** A custom role (for seeding and tests: the API served here has no operation that creates one). */
export function insertCustomRole(org: SandboxOrg, label: string, description: string): CustomRoleRecord {
  const now = org.now();
  const role: CustomRoleRecord = {
    id: org.ids.id('cr0'),
    label,
    description,
    created: now,
    lastUpdated: now,
  };
  rolesOf(org).customRoles.set(role.id, role);
  org.changed();
  return role;
}

/** A resource set custom roles can be bound to (for seeding and tests). */
export function insertResourceSet(org: SandboxOrg, label: string): { id: string; label: string } {
  const resourceSet = { id: org.ids.id('iam'), label };
  rolesOf(org).resourceSets.set(resourceSet.id, resourceSet);
  return resourceSet;
}
