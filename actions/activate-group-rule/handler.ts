import { groupRuleLifecycleHandler } from '../../src/okta/group-rules.js';
import { defineAction } from '../../src/runtime/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(
  groupRuleLifecycleHandler({
    actionKey: 'activate-group-rule',
    operation: 'activate',
    resultStatus: 'ACTIVE',
    send: (okta, ruleId) => okta.sdk.groupApi.activateGroupRule({ ruleId }),
  }),
);
