/** Realms as Okta's JSON writes them. */
import type { SandboxOrg } from '../../org.js';
import type { RealmRecord } from './model.js';

export function realmJson(org: SandboxOrg, realm: RealmRecord): Record<string, unknown> {
  return {
    id: realm.id,
    created: realm.created,
    lastUpdated: realm.lastUpdated,
    isDefault: realm.isDefault,
    profile: realm.profile,
    _links: { self: { rel: 'self', href: `${org.baseUrl}/api/v1/realms/${realm.id}`, method: 'GET' } },
  };
}
