import { NOT_DEACTIVATED, userLifecycleHandler } from '../../src/domain/user-lifecycle.js';
import { defineAction } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

// Synchronous (no Prefer: respond-async): when Okta answers, the user is DEPROVISIONED.
export default defineAction<Input, Output>(
  userLifecycleHandler({
    actionKey: 'deactivate-user',
    operation: 'deactivate',
    from: NOT_DEACTIVATED,
    alreadyDone: ['DEPROVISIONED'],
    resultStatus: () => 'DEPROVISIONED',
    query: (input) => ({ sendEmail: input.sendEmail ?? false }),
    send: (okta, userId, input) =>
      okta.sdk.userApi.deactivateUser({ userId, sendEmail: input.sendEmail ?? false }),
  }),
);
