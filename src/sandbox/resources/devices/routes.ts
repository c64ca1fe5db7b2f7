/** The Devices API's operations: search, read, the lifecycle, delete, and a device's users. */
import { notAllowedInStatus } from '../../errors.js';
import { type ExpressionRules, evaluate, type Operator, parseExpression } from '../../expressions.js';
import type { SandboxOrg } from '../../org.js';
import { compareKeys, type SortKey } from '../../paging.js';
import { listPage, noContent, ok, type RouteContext, type RouteHandler } from '../../route.js';
import { usersOf } from '../users/model.js';
import { userJson } from '../users/render.js';
import { type DeviceRecord, type DeviceStatus, devicesOf, deviceTarget, requireDevice } from './model.js';
import { deviceJson } from './render.js';

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
