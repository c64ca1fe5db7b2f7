/** Devices as Okta's JSON writes them. */
import type { SandboxOrg } from '../../org.js';
import { link } from '../../route.js';
import { type UserRecord, usersOf } from '../users/model.js';
import { userJson } from '../users/render.js';
import { type DeviceRecord, type DeviceUserLink, devicesOf } from './model.js';

function deviceLinks(org: SandboxOrg, device: DeviceRecord) {
  const base = `/api/v1/devices/${device.id}`;
  const lifecycle = (name: string) => link(org, `${base}/lifecycle/${name}`, ['POST']);
  return {
    self: link(org, base, ['GET', 'PUT', 'DELETE']),
    users: link(org, `${base}/users`, ['GET']),
    ...(device.status === 'DEACTIVATED'
      ? { activate: lifecycle('activate') }
      : { deactivate: lifecycle('deactivate') }),
    ...(device.status === 'ACTIVE' ? { suspend: lifecycle('suspend') } : {}),
    ...(device.status === 'SUSPENDED' ? { unsuspend: lifecycle('unsuspend') } : {}),
  };
}

export function deviceJson(
  org: SandboxOrg,
  device: DeviceRecord,
  expand?: string | null,
): Record<string, unknown> {
  const links = devicesOf(org).users.get(device.id) ?? [];
  const users = usersOf(org).byId;
  const embedded =
    expand === 'user' || expand === 'userSummary'
      ? {
          _embedded: {
            users: links
              .map((l) => ({ l, user: users.get(l.userId) }))
              .filter((x): x is { l: DeviceUserLink; user: UserRecord } => x.user !== undefined)
              .map(({ l, user }) =>
                expand === 'user'
                  ? {
                      created: l.created,
                      managementStatus: l.managementStatus,
                      screenLockType: l.screenLockType,
                      user: userJson(org, user),
                    }
                  : {
                      managementStatus: l.managementStatus,
                      screenLockType: l.screenLockType,
                      user: {
                        id: user.id,
                        displayName: `${user.profile.firstName} ${user.profile.lastName}`,
                        status: user.status,
                      },
                    },
              ),
          },
        }
      : {};
  return {
    id: device.id,
    status: device.status,
    created: device.created,
    lastUpdated: device.lastUpdated,
    profile: device.profile,
    resourceId: device.id,
    resourceType: 'UDDevice',
    resourceDisplayName: { value: device.profile.displayName, sensitive: false },
    resourceAlternateId: '',
    ...embedded,
    _links: deviceLinks(org, device),
  };
}
