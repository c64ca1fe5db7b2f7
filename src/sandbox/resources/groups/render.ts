/** Groups as Okta's JSON writes them. */
import type { SandboxOrg } from '../../org.js';
import { link } from '../../route.js';
import { type GroupRecord, groupHooks, memberIds } from './model.js';

export function groupJson(
  org: SandboxOrg,
  group: GroupRecord,
  expand?: string | null,
): Record<string, unknown> {
  const { sourceAppId, ...visible } = group;
  const embedded =
    expand === 'stats'
      ? {
          _embedded: {
            stats: {
              usersCount: memberIds(org, group).length,
              appsCount: groupHooks.appsCount(org, group.id),
              groupPushMappingsCount: 0,
              hasAdminPrivilege: false,
            },
          },
        }
      : {};
  return {
    ...visible,
    objectClass: [group.type === 'APP_GROUP' ? 'okta:windows_security_principal' : 'okta:user_group'],
    ...embedded,
    _links: {
      logo: [
        { name: 'medium', href: `${org.baseUrl}/assets/img/logos/groups/okta-medium.png`, type: 'image/png' },
      ],
      users: link(org, `/api/v1/groups/${group.id}/users`),
      apps: link(org, `/api/v1/groups/${group.id}/apps`),
      // An app group links to the app it comes from.
      ...(sourceAppId ? { source: link(org, `/api/v1/apps/${sourceAppId}`) } : {}),
    },
  };
}
