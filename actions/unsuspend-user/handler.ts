import { userLifecycleHandler } from '../../src/domain/user-lifecycle.js';
import { defineAction } from '../../src/handler/define-action.js';
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
