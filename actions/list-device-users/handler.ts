import { devicePath } from '../../src/domain/devices.js';
import { defineAction } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

// Okta answers every user of the device in one list (the endpoint takes no paging parameters). Read raw:
// each user's custom profile attributes stay as Okta sent them.
export default defineAction<Input, Output>(async ({ okta, input }) => {
  const deviceUsers = await okta.getJson<Output['deviceUsers']>(`${devicePath(input.deviceId)}/users`);
  return { deviceId: input.deviceId, deviceUsers, count: deviceUsers.length };
});
