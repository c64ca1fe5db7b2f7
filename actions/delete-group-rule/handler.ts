import { groupRulePath, type OktaGroupRuleJson, readGroupRule } from '../../src/domain/group-rules.js';
import { unlessMissing } from '../../src/domain/missing.js';
import { ActionError } from '../../src/errors/action-error.js';
import { defineAction } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

export default defineAction<Input, Output>(async ({ okta, input, change, skip }) => {
  const rule = await unlessMissing(() => readGroupRule(okta, input.ruleId), input.missingOk);
  const removeUsers = input.removeUsers ?? false;
  if (!rule) {
    return {
      id: input.ruleId,
      name: null,
      previousStatus: null,
      deactivatedFirst: false,
      usersRemoved: false,
      deleted: true as const,
      changed: false,
    };
  }
  // Okta refuses to delete an ACTIVE rule (403 E0000038); INACTIVE and INVALID rules can be deleted.
  const deactivatedFirst = rule.status === 'ACTIVE';
  if (deactivatedFirst) {
    if (!input.deactivateFirst) throw activeRuleConflict(rule);
    await change(
      'deactivate rule',
      { method: 'POST', path: groupRulePath(rule.id, '/lifecycle/deactivate') },
      () => okta.sdk.groupApi.deactivateGroupRule({ ruleId: rule.id }),
    );
  } else skip('deactivate rule');
  // removeUsers is always sent, so the request says exactly what was asked.
  const deletePath = groupRulePath(rule.id, `?removeUsers=${removeUsers}`);
  await change('delete rule', { method: 'DELETE', path: deletePath }, () =>
    okta.sdk.groupApi.deleteGroupRule({ ruleId: rule.id, removeUsers }),
  );
  return {
    id: rule.id,
    name: rule.name ?? '',
    previousStatus: rule.status,
    deactivatedFirst,
    usersRemoved: removeUsers,
    deleted: true as const,
    changed: true,
  };
});

function activeRuleConflict(rule: OktaGroupRuleJson): ActionError {
  return new ActionError(
    'CONFLICT',
    `The group rule "${rule.name ?? rule.id}" is ACTIVE; Okta deletes only inactive rules: run deactivate-group-rule first, or leave deactivateFirst on to do both in one run. Nothing was changed.`,
    { retryable: false },
  );
}
