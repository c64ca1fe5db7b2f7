import { getDevice } from '../../src/domain/devices.js';
import { defineAction } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

// A raw read: the SDK's Device model drops the profile fields it does not know.
export default defineAction<Input, Output>(async ({ okta, input }) => {
  const device = await getDevice(okta, input.deviceId);
  return {
    id: device.id,
    status: device.status,
    displayName: device.profile?.displayName ?? null,
    platform: device.profile?.platform ?? null,
    serialNumber: device.profile?.serialNumber ?? null,
    device,
  };
});
