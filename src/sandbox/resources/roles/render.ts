/** Role assignments and custom roles as Okta's JSON writes them. */
import type { SandboxOrg } from '../../org.js';
import type { CustomRoleRecord, RoleAssignmentRecord } from './model.js';

export function assignmentJson(org: SandboxOrg, assignment: RoleAssignmentRecord): Record<string, unknown> {
  const href = (path: string) => ({ href: `${org.baseUrl}${path}` });
  const common = {
    id: assignment.id,
    label: assignment.label,
    type: assignment.type,
    status: 'ACTIVE',
    created: assignment.created,
    lastUpdated: assignment.lastUpdated,
    assignmentType: 'USER',
  };
  const assignee = href(`/api/v1/users/${assignment.userId}`);
  if (!assignment.binding) return { ...common, _links: { assignee } };
  const { role, resourceSet } = assignment.binding;
  return {
    ...common,
    role,
    'resource-set': resourceSet,
    _links: {
      assignee,
      'resource-set': href(`/api/v1/iam/resource-sets/${resourceSet}`),
      role: href(`/api/v1/iam/roles/${role}`),
      permissions: href(`/api/v1/iam/roles/${role}/permissions`),
      member: href(`/api/v1/iam/resource-sets/${resourceSet}/bindings/${role}/members/${assignment.id}`),
    },
  };
}

export function customRoleJson(org: SandboxOrg, role: CustomRoleRecord): Record<string, unknown> {
  return {
    ...role,
    _links: {
      self: { href: `${org.baseUrl}/api/v1/iam/roles/${role.id}` },
      permissions: { href: `${org.baseUrl}/api/v1/iam/roles/${role.id}/permissions` },
    },
  };
}
