import { groupRuleLifecycleHandler } from '../../src/okta/group-rules.js';
import { defineAction } from '../../src/runtime/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(
  groupRuleLifecycleHandler({
    actionKey: 'deactivate-group-rule',
    operation: 'deactivate',
    resultStatus: 'INACTIVE',
    send: (okta, ruleId) => okta.sdk.groupApi.deactivateGroupRule({ ruleId }),
  }),
);
