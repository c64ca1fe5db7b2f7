import { appLifecycleHandler } from '../../src/okta/apps.js';
import { defineAction } from '../../src/runtime/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(
  appLifecycleHandler({
    operation: 'activate',
    send: (okta, appId) => okta.sdk.applicationApi.activateApplication({ appId }),
  }),
);
