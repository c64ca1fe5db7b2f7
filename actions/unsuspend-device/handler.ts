import { deviceLifecycleHandler } from '../../src/domain/devices.js';
import { defineAction } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(
  deviceLifecycleHandler({
    actionKey: 'unsuspend-device',
    operation: 'unsuspend',
    from: ['SUSPENDED'],
    to: 'ACTIVE',
    help: {
      DEACTIVATED: 'activate-device makes it ACTIVE',
      CREATED: 'activate-device makes it ACTIVE',
    },
    send: (okta, deviceId) => okta.sdk.deviceApi.unsuspendDevice({ deviceId }),
  }),
);
