import { devicePath, deviceStatusConflict, getDevice } from '../../src/domain/devices.js';
import { unlessMissing } from '../../src/domain/missing.js';
import { defineAction } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input, change, skip }) => {
  const device = await unlessMissing(() => getDevice(okta, input.deviceId), input.missingOk);
  if (!device) {
    return {
      id: input.deviceId,
      displayName: null,
      previousStatus: null,
      deactivatedFirst: false,
      deleted: true as const,
      changed: false,
    };
  }
  // Okta deletes only DEACTIVATED devices; deactivateFirst (on by default, as for every delete action)
  // says whether this run deactivates an active one first or refuses it.
  const deactivatedFirst = device.status !== 'DEACTIVATED';
  if (deactivatedFirst && !input.deactivateFirst) {
    throw deviceStatusConflict(
      device,
      'delete-device',
      ['DEACTIVATED'],
      'deactivate-device first, or leave deactivateFirst on to do both in one run',
    );
  }
  const path = devicePath(device.id);
  if (deactivatedFirst) {
    await change('deactivate', { method: 'POST', path: `${path}/lifecycle/deactivate` }, () =>
      okta.sdk.deviceApi.deactivateDevice({ deviceId: device.id }),
    );
  } else skip('deactivate');
  await change('delete', { method: 'DELETE', path }, () =>
    okta.sdk.deviceApi.deleteDevice({ deviceId: device.id }),
  );
  return {
    id: device.id,
    displayName: device.profile?.displayName ?? null,
    previousStatus: device.status,
    deactivatedFirst,
    deleted: true as const,
    changed: true,
  };
});
