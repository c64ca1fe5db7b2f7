import { deviceLifecycleHandler } from '../../src/okta/devices.js';
import { defineAction } from '../../src/runtime/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(
  deviceLifecycleHandler({
    actionKey: 'suspend-device',
    operation: 'suspend',
    from: ['ACTIVE'],
    to: 'SUSPENDED',
    help: {
      DEACTIVATED: 'activate-device first',
      CREATED: 'activate-device first',
    },
    send: (okta, deviceId) => okta.sdk.deviceApi.suspendDevice({ deviceId }),
  }),
);
