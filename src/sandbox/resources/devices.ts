/**
 * Devices (an Identity Engine feature): ACTIVE, SUSPENDED and DEACTIVATED, with the users each device
 * belongs to. A device is deleted only once DEACTIVATED; deactivating drops its user links.
 */
import { notAllowedInStatus, notFound } from '../errors.js';
import { type ExpressionRules, evaluate, type Operator, parseExpression } from '../expressions.js';
import type { SandboxOrg } from '../org.js';
import { compareKeys, type SortKey } from '../paging.js';
import { link, listPage, noContent, ok, type RouteContext, type RouteHandler } from '../route.js';
import { type UserRecord, usersOf } from './users/model.js';
import { userJson } from './users/render.js';

export type DeviceStatus = 'ACTIVE' | 'SUSPENDED' | 'DEACTIVATED';

export interface DeviceRecord {
  id: string;
  status: DeviceStatus;
  created: string;
  lastUpdated: string;
  profile: Record<string, unknown> & { displayName: string; platform: string; registered: boolean };
}

export interface DeviceUserLink {
  userId: string;
  created: string;
  managementStatus: 'MANAGED' | 'NOT_MANAGED';
  screenLockType: 'NONE' | 'PASSCODE' | 'BIOMETRIC';
}

interface DeviceSlice {
  byId: Map<string, DeviceRecord>;
  users: Map<string, DeviceUserLink[]>;
}

export function devicesOf(org: SandboxOrg): DeviceSlice {
  return org.slice('devices', (o) => {
    const slice: DeviceSlice = { byId: new Map(), users: new Map() };
    o.onDelete('user', (userId) => {
      for (const [deviceId, links] of slice.users)
        slice.users.set(
          deviceId,
          links.filter((l) => l.userId !== userId),
        );
    });
    return slice;
  });
}

export function insertDevice(
  org: SandboxOrg,
  profile: DeviceRecord['profile'],
  users: Array<{ user: UserRecord; managementStatus?: DeviceUserLink['managementStatus'] }> = [],
  quiet = false,
): DeviceRecord {
  const now = org.now();
  const device: DeviceRecord = {
    id: org.ids.id('guo'),
    status: 'ACTIVE',
    created: now,
    lastUpdated: now,
    profile,
  };
  const slice = devicesOf(org);
  slice.byId.set(device.id, device);
  slice.users.set(
    device.id,
    users.map(({ user, managementStatus }) => ({
      userId: user.id,
      created: now,
      managementStatus: managementStatus ?? 'MANAGED',
      screenLockType: 'BIOMETRIC',
    })),
  );
  org.changed();
  if (!quiet) org.log.record('device.enrollment.create', 'Device enrolled', [deviceTarget(device)]);
  return device;
}

function requireDevice(org: SandboxOrg, deviceId: string): DeviceRecord {
  const device = devicesOf(org).byId.get(deviceId);
  if (!device) throw notFound(deviceId, 'Device');
  return device;
}

function deviceTarget(device: DeviceRecord) {
  return { id: device.id, type: 'Device', alternateId: device.id, displayName: device.profile.displayName };
}

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

// ---------------------------------------------------------------------------------------------------------
// Routes

const anything = new Set<Operator>(['eq', 'gt', 'ge', 'lt', 'le', 'sw', 'pr']);
const withContains = new Set<Operator>([...anything, 'co']);
const SEARCH_RULES: ExpressionRules = {
  name: 'search',
  operators: anything,
  attributes: {
    id: anything,
    status: anything,
    lastUpdated: anything,
    'profile.displayName': withContains,
    'profile.platform': anything,
    'profile.manufacturer': anything,
    'profile.model': anything,
    'profile.osVersion': anything,
    'profile.serialNumber': withContains,
    'profile.imei': withContains,
    'profile.meid': withContains,
    'profile.udid': withContains,
    'profile.sid': withContains,
    'profile.registered': anything,
    'profile.managed': anything,
  },
  caseInsensitive: true,
};
const PAGE = { defaultLimit: 200, maxLimit: 200 };

const listDevices: RouteHandler = (context) => {
  const { org, query } = context;
  const search = query.get('search');
  const expression = search !== null ? parseExpression(search, SEARCH_RULES) : undefined;
  const keyOf = (d: DeviceRecord): SortKey => [d.id];
  const sorted = org.cachedList(`devices|${search}`, () =>
    [...devicesOf(org).byId.values()]
      .filter((d) => !expression || evaluate(expression, d, true))
      .sort((a, b) => compareKeys(keyOf(a), keyOf(b))),
  );
  return listPage(context, sorted, keyOf, PAGE, (d) => deviceJson(org, d, query.get('expand')));
};

const getDevice: RouteHandler = (context) => {
  const { _embedded, ...device } = deviceJson(
    context.org,
    requireDevice(context.org, context.params.deviceId!),
  );
  return ok(device);
};

function transition(
  from: DeviceStatus[],
  to: DeviceStatus,
  eventType: string,
  after?: (org: SandboxOrg, device: DeviceRecord) => void,
): RouteHandler {
  return (context: RouteContext) => {
    const device = requireDevice(context.org, context.params.deviceId!);
    if (!from.includes(device.status)) throw notAllowedInStatus("device's");
    device.status = to;
    device.lastUpdated = context.org.now();
    after?.(context.org, device);
    context.org.changed();
    context.org.log.record(eventType, `Device ${to.toLowerCase()}`, [deviceTarget(device)]);
    return noContent();
  };
}

const activateDevice = transition(['DEACTIVATED'], 'ACTIVE', 'device.lifecycle.activate');
// Deactivation removes the device's user links (and with them its authenticator enrollments).
const deactivateDevice = transition(
  ['ACTIVE', 'SUSPENDED'],
  'DEACTIVATED',
  'device.lifecycle.deactivate',
  (org, device) => devicesOf(org).users.set(device.id, []),
);
const suspendDevice = transition(['ACTIVE'], 'SUSPENDED', 'device.lifecycle.suspend');
const unsuspendDevice = transition(['SUSPENDED'], 'ACTIVE', 'device.lifecycle.unsuspend');

const deleteDevice: RouteHandler = (context) => {
  const { org } = context;
  const device = requireDevice(org, context.params.deviceId!);
  if (device.status !== 'DEACTIVATED') throw notAllowedInStatus("device's");
  devicesOf(org).byId.delete(device.id);
  devicesOf(org).users.delete(device.id);
  org.log.record('device.lifecycle.delete', 'Device deleted', [deviceTarget(device)]);
  org.deleted('device', device.id);
  return noContent();
};

const listDeviceUsers: RouteHandler = (context) => {
  const { org } = context;
  const device = requireDevice(org, context.params.deviceId!);
  const users = usersOf(org).byId;
  return ok(
    (devicesOf(org).users.get(device.id) ?? [])
      .filter((l) => users.has(l.userId))
      .map((l) => ({
        created: l.created,
        managementStatus: l.managementStatus,
        screenLockType: l.screenLockType,
        user: userJson(org, users.get(l.userId)!),
      })),
  );
};

export const deviceRoutes: Record<string, RouteHandler> = {
  listDevices,
  getDevice,
  activateDevice,
  deactivateDevice,
  suspendDevice,
  unsuspendDevice,
  deleteDevice,
  listDeviceUsers,
};
