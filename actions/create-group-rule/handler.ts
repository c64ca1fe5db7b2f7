import { createdSince, createOnce } from '../../src/domain/create-once.js';
import {
  GROUP_RULE_EXPRESSION_TYPE,
  groupRulePath,
  groupRuleResult,
  type OktaGroupRuleJson,
  readGroupRule,
} from '../../src/domain/group-rules.js';
import { resolveUserId } from '../../src/domain/users.js';
import { defineAction, PLANNED } from '../../src/handler/define-action.js';
import { type OktaContext, toPlainJson } from '../../src/handler/okta-context.js';
import type { Input, Output } from './types.gen.js';

/** Where the activation goes in a dry run's plan, before Okta has given the new rule an id. */
const NEW_RULE_PLACEHOLDER = '{id of the new rule}';

export default defineAction<Input, Output>(async (context) => {
  const { okta, input, change } = context;
  const excludedUserIds = await resolveUserIds(okta, input.excludedUsers ?? []);
  const created = await createOnce<{ id?: unknown }>(context, {
    step: 'create rule',
    request: { method: 'POST', path: '/api/v1/groups/rules' },
    // A rule with this name, created since the request went out, is this run's.
    findCreated: async (sentAt) => {
      const rules = await okta.paginate<OktaGroupRuleJson>({
        path: '/api/v1/groups/rules',
        pageSize: 200,
        maxItems: 10_000,
      });
      return rules.items.find(
        (rule) => rule.name === input.name && createdSince(String(rule.created), sentAt),
      );
    },
    send: () =>
      okta.sdk.groupApi.createGroupRule({
        groupRule: {
          type: 'group_rule',
          name: input.name,
          conditions: {
            expression: { type: GROUP_RULE_EXPRESSION_TYPE, value: input.expression },
            ...(excludedUserIds.length ? { people: { users: { exclude: excludedUserIds } } } : {}),
          },
          actions: { assignUserToGroups: { groupIds: input.groupIds } },
        },
      }),
  });
  const ruleId = created ? String(created.id) : undefined;
  if (input.activate) {
    // Okta creates every rule INACTIVE; activating is a second call on the new rule's id, which a dry run
    // (nothing created) cannot know yet.
    const path = ruleId
      ? groupRulePath(ruleId, '/lifecycle/activate')
      : `/api/v1/groups/rules/${NEW_RULE_PLACEHOLDER}/lifecycle/activate`;
    await change('activate rule', { method: 'POST', path }, () =>
      okta.sdk.groupApi.activateGroupRule({ ruleId: String(ruleId) }),
    );
  }
  if (!created || !ruleId) return PLANNED;
  // The activation answers with no body: the rule is read again for its new status and timestamps.
  const rule = input.activate ? await readGroupRule(okta, ruleId) : toPlainJson<OktaGroupRuleJson>(created);
  return { ...groupRuleResult(rule), changed: true };
});

/**
 * Okta takes excluded users by id only; logins are resolved first, one read each, one at a time (up to
 * 100 at once would crowd the org's limit of requests in flight).
 */
async function resolveUserIds(okta: OktaContext, users: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const user of users) ids.push(await resolveUserId(okta, user));
  return [...new Set(ids)];
}
