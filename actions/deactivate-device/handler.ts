import { defineAction } from '../../src/handler/define-action.js';
import { oktaPath } from '../../src/transport/paths.js';
import type { Input, Output } from './types.gen.js';

interface DeviceJson {
  id: string;
  status: string;
  profile?: { displayName?: string };
}

export default defineAction<Input, Output>(async ({ okta, input, change }) => {
  const path = oktaPath('/api/v1/devices/{deviceId}', { deviceId: input.deviceId });
  const device = await okta.getJson<DeviceJson>(path);
  const before = {
    id: device.id,
    displayName: device.profile?.displayName ?? null,
    previousStatus: device.status,
  };
  if (device.status === 'DEACTIVATED') return { ...before, status: 'DEACTIVATED', changed: false };
  await change('deactivate', { method: 'POST', path: `${path}/lifecycle/deactivate` }, () =>
    okta.sdk.deviceApi.deactivateDevice({ deviceId: device.id }),
  );
  return { ...before, status: 'DEACTIVATED', changed: true };
});
