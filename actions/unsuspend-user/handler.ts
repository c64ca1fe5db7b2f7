import { userLifecycleHandler } from '../../src/okta/user-lifecycle.js';
import { defineAction } from '../../src/runtime/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(
  userLifecycleHandler({
    actionKey: 'unsuspend-user',
    operation: 'unsuspend',
    from: ['SUSPENDED'],
    alreadyDone: ['ACTIVE'],
    resultStatus: () => 'ACTIVE',
    send: (okta, userId) => okta.sdk.userApi.unsuspendUser({ userId }),
  }),
);
