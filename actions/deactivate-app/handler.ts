import { appLifecycleHandler } from '../../src/domain/apps.js';
import { defineAction } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

// Okta reconciles group-assigned users on deactivation: they lose the app until it is activated again.
export default defineAction<Input, Output>(
  appLifecycleHandler({
    operation: 'deactivate',
    send: (okta, appId) => okta.sdk.applicationApi.deactivateApplication({ appId }),
  }),
);
