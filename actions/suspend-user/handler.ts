import { userLifecycleHandler } from '../../src/domain/user-lifecycle.js';
import { defineAction } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

// Okta suspends only ACTIVE users; a locked-out or expired-password user must be sorted out first.
export default defineAction<Input, Output>(
  userLifecycleHandler({
    actionKey: 'suspend-user',
    operation: 'suspend',
    from: ['ACTIVE'],
    alreadyDone: ['SUSPENDED'],
    resultStatus: () => 'SUSPENDED',
    send: (okta, userId) => okta.sdk.userApi.suspendUser({ userId }),
  }),
);
