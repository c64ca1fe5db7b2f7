/**
 * Group rules: "users whose profile matches this expression belong to these groups". A rule is created
 * INACTIVE; activating it adds every matching user to its groups, and while it is ACTIVE each new user too.
 * A rule whose group is deleted becomes INVALID: it can then only be read or deleted. Deleting a rule with
 * `removeUsers=true` takes back the memberships the rule made (never the ones an admin made).
 *
 * The expression language is a small, well-defined subset of the Okta Expression Language: "The expression
 * subset" below says what is understood and what is refused.
 */
import { notAllowedInStatus, notFound, OktaHttpError, validationFailed } from '../errors.js';
import type { SandboxOrg } from '../org.js';
import { compareKeys, type SortKey } from '../paging.js';
import { flag, listPage, noContent, ok, type RouteHandler } from '../route.js';
import type { SeededOrg } from '../seed.js';
import { addMember, groupIdsOfUser, groupsOf, removeMember } from './groups/model.js';
import { type UserRecord, userHooks, usersOf } from './users/model.js';

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

function requireRule(org: SandboxOrg, ruleId: string): GroupRuleRecord {
  const rule = groupRulesOf(org).byId.get(ruleId);
  if (!rule) throw notFound(ruleId, 'GroupRule');
  return rule;
}

/** Every group a rule names: the groups it assigns to, those it tests membership of, those it excludes. */
function referencedGroupIds(rule: GroupRuleRecord): string[] {
  return [...rule.groupIds, ...groupIdsInCondition(rule.condition), ...rule.excludedGroupIds];
}

function ruleJson(org: SandboxOrg, rule: GroupRuleRecord, expand: string | null): Record<string, unknown> {
  return {
    type: 'group_rule',
    id: rule.id,
    status: rule.status,
    name: rule.name,
    created: rule.created,
    lastUpdated: rule.lastUpdated,
    conditions: {
      people: { users: { exclude: rule.excludedUserIds }, groups: { exclude: rule.excludedGroupIds } },
      expression: { value: rule.expression, type: EXPRESSION_TYPE },
    },
    actions: { assignUserToGroups: { groupIds: rule.groupIds } },
    ...(expand === 'groupIdToGroupNameMap'
      ? { _embedded: { groupIdToGroupNameMap: groupNames(org, referencedGroupIds(rule)) } }
      : {}),
  };
}

/** Names of the groups that still exist (a deleted group's id stays in an INVALID rule). */
function groupNames(org: SandboxOrg, groupIds: string[]): Record<string, string> {
  const groups = groupsOf(org).byId;
  const names: Record<string, string> = {};
  for (const id of groupIds) {
    const group = groups.get(id);
    if (group) names[id] = group.profile.name;
  }
  return names;
}

function ruleTarget(rule: GroupRuleRecord) {
  return { id: rule.id, type: 'GroupRule', alternateId: 'unknown', displayName: rule.name };
}

// ---------------------------------------------------------------------------------------------------------
// The expression subset
//
// Understood:  user.<attr> == "text"   user.<attr> != "text"   (profile attributes, case-sensitive)
//              String.startsWith(user.<attr>, "text")
//              isMemberOfAnyGroup("groupId", ...)   isMemberOfGroup("groupId")
//              a && b   a || b   (also AND / OR, any case), parentheses; && binds tighter than ||.
// Refused (400 E0000001): anything else: other functions (String.stringContains, Arrays.contains, ...),
// other operators (!, NOT, <, >, ternaries), numbers, booleans, null, single-quoted strings, attributes of
// anything but `user`, and group ids the org does not have.

export type RuleCondition =
  | { kind: 'and' | 'or'; left: RuleCondition; right: RuleCondition }
  | { kind: 'equals'; attribute: string; value: string; negated: boolean }
  | { kind: 'startsWith'; attribute: string; prefix: string }
  | { kind: 'memberOf'; groupIds: string[] };

type Token =
  | { type: 'name'; text: string }
  | { type: 'string'; text: string }
  | { type: '(' | ')' | ',' | '==' | '!=' | '&&' | '||' };

const PUNCTUATION = ['==', '!=', '&&', '||', '(', ')', ','] as const;

function refuseExpression(what: string): never {
  throw validationFailed('conditions.expression.value', [
    `conditions.expression.value: ${what} (the sandbox understands ==, !=, &&, ||, String.startsWith, isMemberOfAnyGroup and isMemberOfGroup on user profile attributes)`,
  ]);
}

function tokenizeExpression(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const space = /^\s+/.exec(rest);
    const punctuation = PUNCTUATION.find((p) => rest.startsWith(p));
    const name = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(rest);
    if (space) {
      i += space[0].length;
    } else if (punctuation) {
      tokens.push({ type: punctuation });
      i += punctuation.length;
    } else if (rest.startsWith('"')) {
      const [value, length] = readString(rest);
      tokens.push({ type: 'string', text: value });
      i += length;
    } else if (name) {
      tokens.push({ type: 'name', text: name[0] });
      i += name[0].length;
    } else {
      refuseExpression(`"${rest[0]}" is not understood`);
    }
  }
  return tokens;
}

/** A double-quoted string with backslash escapes: its value and how many characters it took. */
function readString(text: string): [string, number] {
  let value = '';
  let i = 1;
  while (i < text.length && text[i] !== '"') {
    if (text[i] === '\\' && i + 1 < text.length) i += 1;
    value += text[i];
    i += 1;
  }
  if (i >= text.length) refuseExpression('a string is not closed');
  return [value, i + 1];
}

export function parseRuleExpression(text: string): RuleCondition {
  const tokens = tokenizeExpression(text);
  let position = 0;
  const peek = () => tokens[position];
  const isWord = (token: Token | undefined, word: string) =>
    token?.type === 'name' && token.text.toUpperCase() === word;
  const expect = (type: Token['type'], what: string): Token => {
    const token = tokens[position];
    if (token?.type !== type) refuseExpression(`${what} is expected`);
    position += 1;
    return token!;
  };
  const expectString = (what: string): string => (expect('string', what) as { text: string }).text;

  const parseOr = (): RuleCondition => {
    let left = parseAnd();
    while (peek()?.type === '||' || isWord(peek(), 'OR')) {
      position += 1;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): RuleCondition => {
    let left = parsePrimary();
    while (peek()?.type === '&&' || isWord(peek(), 'AND')) {
      position += 1;
      left = { kind: 'and', left, right: parsePrimary() };
    }
    return left;
  };
  const parseArguments = (): string[] => {
    expect('(', 'an opening parenthesis');
    const values = [expectString('a group id in double quotes')];
    while (peek()?.type === ',') {
      position += 1;
      values.push(expectString('a group id in double quotes'));
    }
    expect(')', 'a closing parenthesis');
    return values;
  };
  const parsePrimary = (): RuleCondition => {
    const token = peek();
    if (!token) return refuseExpression('the expression ends too early');
    if (token.type === '(') {
      position += 1;
      const inner = parseOr();
      expect(')', 'a closing parenthesis');
      return inner;
    }
    if (token.type !== 'name') return refuseExpression('a condition is expected');
    position += 1;
    if (token.text === 'isMemberOfAnyGroup') return { kind: 'memberOf', groupIds: parseArguments() };
    if (token.text === 'isMemberOfGroup') {
      const groupIds = parseArguments();
      if (groupIds.length !== 1) refuseExpression('isMemberOfGroup takes one group id');
      return { kind: 'memberOf', groupIds };
    }
    if (token.text === 'String.startsWith') {
      expect('(', 'an opening parenthesis');
      const attribute = profileAttribute(expect('name', 'a user attribute') as { text: string });
      expect(',', 'a comma');
      const prefix = expectString('a prefix in double quotes');
      expect(')', 'a closing parenthesis');
      return { kind: 'startsWith', attribute, prefix };
    }
    const attribute = profileAttribute(token);
    const operator = peek();
    if (operator?.type !== '==' && operator?.type !== '!=')
      return refuseExpression(`== or != is expected after ${token.text}`);
    position += 1;
    const value = expectString('a value in double quotes');
    return { kind: 'equals', attribute, value, negated: operator.type === '!=' };
  };

  const condition = parseOr();
  if (position < tokens.length) refuseExpression('there is more after the end of the expression');
  return condition;
}

/** `user.department` -> `department`: group rules read the Okta user profile only. */
function profileAttribute(token: { text: string }): string {
  const match = /^user\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(token.text);
  if (!match) return refuseExpression(`${token.text} is not a user profile attribute (user.<attribute>)`);
  return match[1]!;
}

function groupIdsInCondition(condition: RuleCondition): string[] {
  switch (condition.kind) {
    case 'and':
    case 'or':
      return [...groupIdsInCondition(condition.left), ...groupIdsInCondition(condition.right)];
    case 'memberOf':
      return condition.groupIds;
    default:
      return [];
  }
}

function matchesCondition(org: SandboxOrg, condition: RuleCondition, user: UserRecord): boolean {
  switch (condition.kind) {
    case 'and':
      return matchesCondition(org, condition.left, user) && matchesCondition(org, condition.right, user);
    case 'or':
      return matchesCondition(org, condition.left, user) || matchesCondition(org, condition.right, user);
    case 'equals':
      return (user.profile[condition.attribute] === condition.value) !== condition.negated;
    case 'startsWith': {
      const value = user.profile[condition.attribute];
      return typeof value === 'string' && value.startsWith(condition.prefix);
    }
    case 'memberOf': {
      const memberships = new Set(groupIdsOfUser(org, user.id));
      return condition.groupIds.some((id) => memberships.has(id));
    }
  }
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

function applyRuleToEveryone(org: SandboxOrg, rule: GroupRuleRecord): void {
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

function removeMembershipsMadeBy(org: SandboxOrg, rule: GroupRuleRecord): void {
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

interface CreateGroupRuleBody {
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
function checkNotInvalid(rule: GroupRuleRecord): void {
  if (rule.status === 'INVALID') {
    throw new OktaHttpError(
      403,
      'E0000038',
      "This operation is not allowed in the group rule's current status.",
      ['Cannot activate or deactivate a Group Rule with the status INVALID'],
    );
  }
}

// ---------------------------------------------------------------------------------------------------------
// Routes

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

function setStatus(org: SandboxOrg, rule: GroupRuleRecord, status: GroupRuleStatus): void {
  rule.status = status;
  rule.lastUpdated = org.now();
  org.changed();
}

export const groupRulesRoutes: Record<string, RouteHandler> = {
  listGroupRules,
  createGroupRule,
  getGroupRule,
  activateGroupRule,
  deactivateGroupRule,
  deleteGroupRule,
};

/** One INACTIVE rule (so seeding changes no membership): Sales people to the VPN group. */
export function seedGroupRules(org: SandboxOrg, base: SeededOrg): void {
  insertGroupRule(
    org,
    {
      name: 'Sales VPN access',
      type: 'group_rule',
      conditions: { expression: { type: EXPRESSION_TYPE, value: 'user.department=="Sales"' } },
      actions: { assignUserToGroups: { groupIds: [base.groups['VPN Users']!.id] } },
    },
    true,
  );
}
