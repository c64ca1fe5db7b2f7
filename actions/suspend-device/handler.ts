import { deviceLifecycleHandler } from '../../src/domain/devices.js';
import { defineAction } from '../../src/handler/define-action.js';
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
