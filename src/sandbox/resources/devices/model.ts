/**
 * Devices (an Identity Engine feature): ACTIVE, SUSPENDED and DEACTIVATED, with the users each device
 * belongs to. A device is deleted only once DEACTIVATED; deactivating drops its user links.
 */
import { notFound } from '../../errors.js';
import type { SandboxOrg } from '../../org.js';
import type { UserRecord } from '../users/model.js';

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

export function requireDevice(org: SandboxOrg, deviceId: string): DeviceRecord {
  const device = devicesOf(org).byId.get(deviceId);
  if (!device) throw notFound(deviceId, 'Device');
  return device;
}

export function deviceTarget(device: DeviceRecord) {
  return { id: device.id, type: 'Device', alternateId: device.id, displayName: device.profile.displayName };
}
