import { groupRulePath, groupRuleResult, type OktaGroupRuleJson } from '../../src/domain/group-rules.js';
import { defineAction } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input }) => {
  const rule = await okta.getJson<OktaGroupRuleJson>(
    groupRulePath(input.ruleId),
    input.includeGroupNames ? { expand: 'groupIdToGroupNameMap' } : undefined,
  );
  return groupRuleResult(rule);
});
