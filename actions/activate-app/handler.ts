import { appLifecycleHandler } from '../../src/domain/apps.js';
import { defineAction } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(
  appLifecycleHandler({
    operation: 'activate',
    send: (okta, appId) => okta.sdk.applicationApi.activateApplication({ appId }),
  }),
);
