import { groupRuleLifecycleHandler } from '../../src/domain/group-rules.js';
import { defineAction } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(
  groupRuleLifecycleHandler({
    actionKey: 'activate-group-rule',
    operation: 'activate',
    resultStatus: 'ACTIVE',
    send: (okta, ruleId) => okta.sdk.groupApi.activateGroupRule({ ruleId }),
  }),
);
