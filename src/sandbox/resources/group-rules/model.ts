/**
 * Group rules: "users whose profile matches this expression belong to these groups". A rule is created
 * INACTIVE; activating it adds every matching user to its groups, and while it is ACTIVE each new user too.
 * A rule whose group is deleted becomes INVALID: it can then only be read or deleted. Deleting a rule with
 * `removeUsers=true` takes back the memberships the rule made (never the ones an admin made).
 */
import { notFound, OktaHttpError, validationFailed } from '../../errors.js';
import type { SandboxOrg } from '../../org.js';
import { addMember, groupIdsOfUser, groupsOf, removeMember } from '../groups/model.js';
import { type UserRecord, userHooks, usersOf } from '../users/model.js';
import {
  groupIdsInCondition,
  matchesCondition,
  parseRuleExpression,
  type RuleCondition,
} from './expression.js';

export type GroupRuleStatus = 'ACTIVE' | 'INACTIVE' | 'INVALID';

export interface GroupRuleRecord {
  id: string;
  name: string;
  status: GroupRuleStatus;
  created: string;
  lastUpdated: string;
  expression: string;
  condition: RuleCondition;
  excludedUserIds: string[];
  excludedGroupIds: string[];
  groupIds: string[];
  /** Memberships this rule made, as `groupId/userId`: what `removeUsers` takes back. */
  madeMemberships: Set<string>;
}

/** The only expression type Okta's group rules take. */
export const EXPRESSION_TYPE = 'urn:okta:expression:1.0';

/** Okta's documented maximum number of group rules in an org. */
export const MAX_GROUP_RULES = 2000;

interface RuleSlice {
  byId: Map<string, GroupRuleRecord>;
}

export function groupRulesOf(org: SandboxOrg): RuleSlice {
  return org.slice('groupRules', (o) => {
    const slice: RuleSlice = { byId: new Map() };
    o.onDelete('user', (userId) => forgetUser(slice, userId));
    o.onDelete('group', (groupId) => invalidateRulesUsing(slice, groupId));
    return slice;
  });
}

function forgetUser(slice: RuleSlice, userId: string): void {
  for (const rule of slice.byId.values()) {
    rule.excludedUserIds = rule.excludedUserIds.filter((id) => id !== userId);
    for (const membership of rule.madeMemberships)
      if (membership.endsWith(`/${userId}`)) rule.madeMemberships.delete(membership);
  }
}

/**
 * Okta keeps a deleted group's id in the rules that name it and marks those rules INVALID; the memberships
 * in that group went with it.
 */
function invalidateRulesUsing(slice: RuleSlice, groupId: string): void {
  for (const rule of slice.byId.values()) {
    if (!referencedGroupIds(rule).includes(groupId)) continue;
    rule.status = 'INVALID';
    for (const membership of rule.madeMemberships)
      if (membership.startsWith(`${groupId}/`)) rule.madeMemberships.delete(membership);
  }
}

export function requireRule(org: SandboxOrg, ruleId: string): GroupRuleRecord {
  const rule = groupRulesOf(org).byId.get(ruleId);
  if (!rule) throw notFound(ruleId, 'GroupRule');
  return rule;
}

/** Every group a rule names: the groups it assigns to, those it tests membership of, those it excludes. */
export function referencedGroupIds(rule: GroupRuleRecord): string[] {
  return [...rule.groupIds, ...groupIdsInCondition(rule.condition), ...rule.excludedGroupIds];
}

export function ruleTarget(rule: GroupRuleRecord) {
  return { id: rule.id, type: 'GroupRule', alternateId: 'unknown', displayName: rule.name };
}

// ---------------------------------------------------------------------------------------------------------
// Applying rules

/** Whether an ACTIVE rule puts this user in its groups: deactivated users and exclusions are left alone. */
function ruleApplies(org: SandboxOrg, rule: GroupRuleRecord, user: UserRecord): boolean {
  if (user.status === 'DEPROVISIONED' || rule.excludedUserIds.includes(user.id)) return false;
  if (rule.excludedGroupIds.length > 0) {
    const memberships = new Set(groupIdsOfUser(org, user.id));
    if (rule.excludedGroupIds.some((id) => memberships.has(id))) return false;
  }
  return matchesCondition(org, rule.condition, user);
}

function applyRuleTo(org: SandboxOrg, rule: GroupRuleRecord, user: UserRecord): void {
  if (!ruleApplies(org, rule, user)) return;
  const groups = groupsOf(org).byId;
  for (const groupId of rule.groupIds) {
    const group = groups.get(groupId);
    // addMember is false for a user already in the group: that membership is not the rule's to take back.
    if (group && addMember(org, group, user)) rule.madeMemberships.add(`${group.id}/${user.id}`);
  }
}

export function applyRuleToEveryone(org: SandboxOrg, rule: GroupRuleRecord): void {
  for (const user of usersOf(org).byId.values()) applyRuleTo(org, rule, user);
}

/**
 * While a rule is ACTIVE, it also evaluates users created later (after the groups their request named),
 * users whose profile changes and users who are activated again, as Okta does.
 */
function applyActiveRules(org: SandboxOrg, user: UserRecord): void {
  for (const rule of groupRulesOf(org).byId.values())
    if (rule.status === 'ACTIVE') applyRuleTo(org, rule, user);
}
userHooks.created.push(applyActiveRules);
userHooks.profileChanged.push(applyActiveRules);

export function removeMembershipsMadeBy(org: SandboxOrg, rule: GroupRuleRecord): void {
  const groups = groupsOf(org).byId;
  const users = usersOf(org).byId;
  for (const membership of rule.madeMemberships) {
    const [groupId, userId] = membership.split('/') as [string, string];
    const group = groups.get(groupId);
    const user = users.get(userId);
    if (group && user) removeMember(org, group, user);
  }
  rule.madeMemberships.clear();
}

// ---------------------------------------------------------------------------------------------------------
// Checking a new rule

export interface CreateGroupRuleBody {
  name?: string;
  type?: string;
  conditions?: {
    expression?: { type?: string; value?: string };
    people?: { users?: { exclude?: string[] }; groups?: { exclude?: string[] } };
  };
  actions?: { assignUserToGroups?: { groupIds?: string[] } };
}

function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '')
    throw validationFailed('name', ['name: The field cannot be left blank']);
  return name;
}

function checkExpression(
  org: SandboxOrg,
  body: CreateGroupRuleBody,
): { text: string; condition: RuleCondition } {
  const expression = body.conditions?.expression;
  if (expression?.type !== EXPRESSION_TYPE) {
    throw validationFailed('conditions.expression.type', [
      `conditions.expression.type: The expression type must be ${EXPRESSION_TYPE}`,
    ]);
  }
  const text = expression.value;
  if (typeof text !== 'string' || text.trim() === '')
    throw validationFailed('conditions.expression.value', [
      'conditions.expression.value: The field is required',
    ]);
  const condition = parseRuleExpression(text);
  checkGroupsExist(org, groupIdsInCondition(condition), 'conditions.expression.value');
  return { text, condition };
}

/** Rules assign to Okta-mastered groups only: the membership of app and built-in groups is not Okta's. */
function checkTargetGroups(org: SandboxOrg, groupIds: string[] | undefined): string[] {
  const field = 'actions.assignUserToGroups.groupIds';
  if (!groupIds || groupIds.length === 0)
    throw validationFailed(field, [`${field}: At least one group is required`]);
  checkGroupsExist(org, groupIds, field);
  const groups = groupsOf(org).byId;
  const notOkta = groupIds.filter((id) => groups.get(id)!.type !== 'OKTA_GROUP');
  if (notOkta.length > 0) {
    throw validationFailed(
      field,
      notOkta.map((id) => `${field}: ${id} is not a group of type OKTA_GROUP`),
    );
  }
  return [...new Set(groupIds)];
}

function checkGroupsExist(org: SandboxOrg, groupIds: string[], field: string): void {
  const groups = groupsOf(org).byId;
  const missing = groupIds.filter((id) => !groups.has(id));
  if (missing.length > 0)
    throw validationFailed(
      field,
      missing.map((id) => `${field}: The group ${id} does not exist`),
    );
}

function checkUsersExist(org: SandboxOrg, userIds: string[]): string[] {
  const field = 'conditions.people.users.exclude';
  const users = usersOf(org).byId;
  const missing = userIds.filter((id) => !users.has(id));
  if (missing.length > 0)
    throw validationFailed(
      field,
      missing.map((id) => `${field}: The user ${id} does not exist`),
    );
  return [...new Set(userIds)];
}

function checkRoomForAnotherRule(org: SandboxOrg): void {
  if (groupRulesOf(org).byId.size >= MAX_GROUP_RULES) {
    throw validationFailed('groupRule', [
      `groupRule: An org can have at most ${MAX_GROUP_RULES} group rules`,
    ]);
  }
}

/** Activating and deactivating are for ACTIVE and INACTIVE rules; an INVALID rule can only be deleted. */
export function checkNotInvalid(rule: GroupRuleRecord): void {
  if (rule.status === 'INVALID') {
    throw new OktaHttpError(
      403,
      'E0000038',
      "This operation is not allowed in the group rule's current status.",
      ['Cannot activate or deactivate a Group Rule with the status INVALID'],
    );
  }
}

export function insertGroupRule(org: SandboxOrg, body: CreateGroupRuleBody, quiet = false): GroupRuleRecord {
  const name = checkName(body.name);
  if (body.type !== 'group_rule') throw validationFailed('type', ['type: The type must be group_rule']);
  const { text, condition } = checkExpression(org, body);
  const groupIds = checkTargetGroups(org, body.actions?.assignUserToGroups?.groupIds);
  const excludedUserIds = checkUsersExist(org, body.conditions?.people?.users?.exclude ?? []);
  const excludedGroupIds = body.conditions?.people?.groups?.exclude ?? [];
  checkGroupsExist(org, excludedGroupIds, 'conditions.people.groups.exclude');
  checkRoomForAnotherRule(org);
  const now = org.now();
  const rule: GroupRuleRecord = {
    id: org.ids.id('0pr'),
    name,
    status: 'INACTIVE',
    created: now,
    lastUpdated: now,
    expression: text,
    condition,
    excludedUserIds,
    excludedGroupIds: [...new Set(excludedGroupIds)],
    groupIds,
    madeMemberships: new Set(),
  };
  groupRulesOf(org).byId.set(rule.id, rule);
  org.changed();
  if (!quiet) org.log.record('group_rule.lifecycle.create', 'Create group rule', [ruleTarget(rule)]);
  return rule;
}

export function setStatus(org: SandboxOrg, rule: GroupRuleRecord, status: GroupRuleStatus): void {
  rule.status = status;
  rule.lastUpdated = org.now();
  org.changed();
}
