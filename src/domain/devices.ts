/**
 * Devices (Okta Identity Engine): read raw, since the SDK's Device model drops profile fields it does not
 * know, and moved through their lifecycle the way every device lifecycle action needs: read the status,
 * answer "already as asked" without a request, refuse a status Okta would refuse with a message that names
 * the status and the action that helps, otherwise send Okta's lifecycle call as one change.
 */

import { ActionError } from '../errors/action-error.js';
import type { ActionHandler } from '../handler/define-action.js';
import type { OktaContext } from '../handler/okta-context.js';
import { oktaPath } from '../transport/paths.js';
import { applyOnce } from './create-once.js';

/** A device as Okta sends it; only what the actions read is typed. */
export interface OktaDeviceJson {
  id: string;
  status: string;
  profile?: {
    displayName?: string;
    platform?: string;
    serialNumber?: string;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

export function devicePath(deviceId: string): string {
  return oktaPath('/api/v1/devices/{deviceId}', { deviceId });
}

export function getDevice(okta: OktaContext, deviceId: string): Promise<OktaDeviceJson> {
  return okta.getJson<OktaDeviceJson>(devicePath(deviceId));
}

/** How a device is named in messages: its display name and id. */
export function describeDevice(device: OktaDeviceJson): string {
  const name = device.profile?.displayName;
  return name ? `Device "${name}" (${device.id})` : `Device ${device.id}`;
}

/** CONFLICT naming the device's status, what the action needs, and what would help. */
export function deviceStatusConflict(
  device: OktaDeviceJson,
  actionKey: string,
  allowed: readonly string[],
  help: string | undefined,
): ActionError {
  return new ActionError(
    'CONFLICT',
    `${describeDevice(device)} is ${device.status}; ${actionKey} works only for devices that are ${allowed.join(' or ')}${help ? `: ${help}` : ''}. Nothing was changed.`,
    { retryable: false },
  );
}

export interface DeviceStatusChange {
  id: string;
  displayName: string | null;
  status: string;
  previousStatus: string;
  changed: boolean;
}

export interface DeviceLifecycleSpec {
  /** The action's key, for messages. */
  actionKey: string;
  /** Okta's operation: the last segment of /api/v1/devices/{deviceId}/lifecycle/{operation}. */
  operation: 'activate' | 'suspend' | 'unsuspend';
  /** Statuses Okta performs the operation from. */
  from: readonly string[];
  /** The status the operation leads to; a device already in it is left as is (changed false). */
  to: string;
  /** What helps a device out of each status the operation refuses, for the CONFLICT message. */
  help: Readonly<Record<string, string>>;
  /** The SDK call that performs it. */
  send: (okta: OktaContext, deviceId: string) => Promise<unknown>;
}

export function deviceLifecycleHandler<Input extends { deviceId: string }>(
  spec: DeviceLifecycleSpec,
): ActionHandler<Input, DeviceStatusChange> {
  return async ({ okta, input, change, settleLastChange }) => {
    const device = await getDevice(okta, input.deviceId);
    const before = {
      id: device.id,
      displayName: device.profile?.displayName ?? null,
      previousStatus: device.status,
    };
    if (device.status === spec.to) return { ...before, status: device.status, changed: false };
    if (!spec.from.includes(device.status)) {
      throw deviceStatusConflict(device, spec.actionKey, spec.from, spec.help[device.status]);
    }
    const path = `${devicePath(device.id)}/lifecycle/${spec.operation}`;
    await applyOnce(
      { change, settleLastChange },
      {
        step: spec.operation,
        request: { method: 'POST', path },
        send: () => spec.send(okta, device.id),
        isDone: async () => (await getDevice(okta, device.id)).status === spec.to,
      },
    );
    return { ...before, status: spec.to, changed: true };
  };
}
