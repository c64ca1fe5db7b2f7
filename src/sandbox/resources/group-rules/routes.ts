/** The Group Rules API's operations: list, create, read, activate, deactivate and delete rules. */
import { notAllowedInStatus } from '../../errors.js';
import { compareKeys, type SortKey } from '../../paging.js';
import { flag, listPage, noContent, ok, type RouteHandler } from '../../route.js';
import {
  applyRuleToEveryone,
  type CreateGroupRuleBody,
  checkNotInvalid,
  type GroupRuleRecord,
  groupRulesOf,
  insertGroupRule,
  removeMembershipsMadeBy,
  requireRule,
  ruleTarget,
  setStatus,
} from './model.js';
import { ruleJson } from './render.js';

const RULES_PAGE = { defaultLimit: 50, maxLimit: 200 };

/** `search` is a keyword: rules whose name contains it, without regard to case. Listed by name. */
const listGroupRules: RouteHandler = (context) => {
  const { org, query } = context;
  const keyword = query.get('search')?.toLowerCase() ?? '';
  const keyOf = (rule: GroupRuleRecord): SortKey => [rule.name.toLowerCase(), rule.id];
  const sorted = org.cachedList(`groupRules|${keyword}`, () =>
    [...groupRulesOf(org).byId.values()]
      .filter((rule) => rule.name.toLowerCase().includes(keyword))
      .sort((a, b) => compareKeys(keyOf(a), keyOf(b))),
  );
  const expand = query.get('expand');
  return listPage(context, sorted, keyOf, RULES_PAGE, (rule) => ruleJson(org, rule, expand));
};

const createGroupRule: RouteHandler = (context) =>
  ok(ruleJson(context.org, insertGroupRule(context.org, context.body as CreateGroupRuleBody), null));

const getGroupRule: RouteHandler = (context) =>
  ok(
    ruleJson(context.org, requireRule(context.org, context.params.groupRuleId!), context.query.get('expand')),
  );

/** Activating an ACTIVE rule changes nothing (204 all the same). */
const activateGroupRule: RouteHandler = (context) => {
  const { org } = context;
  const rule = requireRule(org, context.params.groupRuleId!);
  checkNotInvalid(rule);
  if (rule.status === 'ACTIVE') return noContent();
  setStatus(org, rule, 'ACTIVE');
  org.log.record('group_rule.lifecycle.activate', 'Activate group rule', [ruleTarget(rule)]);
  applyRuleToEveryone(org, rule);
  return noContent();
};

/** Deactivating stops the rule; the memberships it made stay (only deleting with removeUsers takes them). */
const deactivateGroupRule: RouteHandler = (context) => {
  const { org } = context;
  const rule = requireRule(org, context.params.groupRuleId!);
  checkNotInvalid(rule);
  if (rule.status === 'INACTIVE') return noContent();
  setStatus(org, rule, 'INACTIVE');
  org.log.record('group_rule.lifecycle.deactivate', 'Deactivate group rule', [ruleTarget(rule)]);
  return noContent();
};

/** Okta deletes INACTIVE and INVALID rules only (clients deactivate first) and answers 202. */
const deleteGroupRule: RouteHandler = (context) => {
  const { org } = context;
  const rule = requireRule(org, context.params.groupRuleId!);
  if (rule.status === 'ACTIVE') throw notAllowedInStatus("group rule's");
  if (flag(context, 'removeUsers', false)) removeMembershipsMadeBy(org, rule);
  groupRulesOf(org).byId.delete(rule.id);
  org.changed();
  org.log.record('group_rule.lifecycle.delete', 'Delete group rule', [ruleTarget(rule)]);
  return { status: 202 };
};

export const groupRulesRoutes: Record<string, RouteHandler> = {
  listGroupRules,
  createGroupRule,
  getGroupRule,
  activateGroupRule,
  deactivateGroupRule,
  deleteGroupRule,
};
