/** User types as Okta's JSON writes them. */
import type { SandboxOrg } from '../../org.js';
import { userSchemaIdOf } from '../user-schema.js';
import type { UserTypeRecord } from './model.js';

export function userTypeJson(org: SandboxOrg, type: UserTypeRecord): Record<string, unknown> {
  const hal = (rel: string, path: string) => ({ rel, href: `${org.baseUrl}${path}`, method: 'GET' });
  return {
    id: type.id,
    displayName: type.displayName,
    name: type.name,
    description: type.description,
    createdBy: type.createdBy,
    lastUpdatedBy: type.lastUpdatedBy,
    created: type.created,
    lastUpdated: type.lastUpdated,
    default: type.isDefault,
    _links: {
      schema: hal('schema', `/api/v1/meta/schemas/user/${userSchemaIdOf(type.id)}`),
      self: hal('self', `/api/v1/meta/types/user/${type.id}`),
    },
  };
}
