import { deviceLifecycleHandler } from '../../src/domain/devices.js';
import { defineAction } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(
  deviceLifecycleHandler({
    actionKey: 'activate-device',
    operation: 'activate',
    // CREATED: a device registered but never activated (older orgs).
    from: ['DEACTIVATED', 'CREATED'],
    to: 'ACTIVE',
    // Okta lets a suspended device only be unsuspended or deactivated.
    help: { SUSPENDED: 'unsuspend-device makes it ACTIVE' },
    send: (okta, deviceId) => okta.sdk.deviceApi.activateDevice({ deviceId }),
  }),
);
