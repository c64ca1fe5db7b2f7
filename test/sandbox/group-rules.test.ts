import { describe, expect, it } from 'vitest';
import { parseRuleExpression } from '../../src/sandbox/resources/group-rules/expression.js';
import { groupRulesOf } from '../../src/sandbox/resources/group-rules/model.js';
import { takeRequestViolations, useSandbox } from '../helpers/sandbox.js';

const ctx = useSandbox();
const RULES = '/api/v1/groups/rules';
const EXPRESSION_TYPE = 'urn:okta:expression:1.0';

const userId = async (login: string) =>
  (await ctx.api.get(`/api/v1/users/${encodeURIComponent(login)}`)).body.id as string;
const groupId = async (name: string) =>
  (await ctx.api.get(`/api/v1/groups?q=${encodeURIComponent(name)}`)).body[0].id as string;
const newGroup = async (name: string) =>
  (await ctx.api.post('/api/v1/groups', { profile: { name } })).body.id as string;
const memberLogins = async (id: string) =>
  (await ctx.api.get(`/api/v1/groups/${id}/users`)).body.map(
    (user: { profile: { login: string } }) => user.profile.login,
  );
const eventsSince = (before: number) => ctx.sandbox.org.log.eventTypes().slice(before);

function ruleBody(name: string, expression: string, groupIds: string[], excludedUserIds: string[] = []) {
  return {
    type: 'group_rule',
    name,
    conditions: {
      people: { users: { exclude: excludedUserIds } },
      expression: { type: EXPRESSION_TYPE, value: expression },
    },
    actions: { assignUserToGroups: { groupIds } },
  };
}

async function createRule(name: string, expression: string, groupIds: string[], excluded: string[] = []) {
  const created = await ctx.api.post(RULES, ruleBody(name, expression, groupIds, excluded));
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  return created.body.id as string;
}
const activate = (id: string) => ctx.api.post(`${RULES}/${id}/lifecycle/activate`);
const deactivate = (id: string) => ctx.api.post(`${RULES}/${id}/lifecycle/deactivate`);

describe('sandbox group rules: creating and reading', () => {
  it('creates a rule INACTIVE, as Okta does, without touching any membership', async () => {
    const target = await newGroup('Engineering (rule)');
    const before = ctx.sandbox.org.log.events.length;
    const created = await ctx.api.post(
      RULES,
      ruleBody('Engineers', 'user.department=="Engineering"', [target]),
    );
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      type: 'group_rule',
      name: 'Engineers',
      status: 'INACTIVE',
      conditions: { expression: { type: EXPRESSION_TYPE, value: 'user.department=="Engineering"' } },
      actions: { assignUserToGroups: { groupIds: [target] } },
    });
    expect(await memberLogins(target)).toEqual([]);
    expect(eventsSince(before)).toEqual(['group_rule.lifecycle.create']);
  });

  it('reads a rule by id, with the names of its groups on request', async () => {
    const vpn = await groupId('VPN Users');
    const id = await createRule('VPN for Support', 'user.department=="Support"', [vpn]);
    const plain = await ctx.api.get(`${RULES}/${id}`);
    expect(plain.body).toMatchObject({ id, status: 'INACTIVE' });
    expect(plain.body._embedded).toBeUndefined();
    const expanded = await ctx.api.get(`${RULES}/${id}?expand=groupIdToGroupNameMap`);
    expect(expanded.body._embedded.groupIdToGroupNameMap).toEqual({ [vpn]: 'VPN Users' });
  });

  it('answers 404 E0000007 for an unknown rule, on every operation', async () => {
    const missing = '0prNoSuchRule0000000';
    for (const answer of [
      await ctx.api.get(`${RULES}/${missing}`),
      await activate(missing),
      await deactivate(missing),
      await ctx.api.delete(`${RULES}/${missing}`),
    ]) {
      expect(answer).toMatchObject({ status: 404, body: { errorCode: 'E0000007' } });
      expect(answer.body.errorSummary).toBe(`Not found: Resource not found: ${missing} (GroupRule)`);
    }
  });

  it('refuses groups that do not exist or are not OKTA_GROUP, and unknown excluded users (400)', async () => {
    const appGroup = await groupId('AD: Domain Users');
    const everyone = await groupId('Everyone');
    const vpn = await groupId('VPN Users');
    for (const body of [
      ruleBody('No group', 'user.department=="Sales"', ['00gNoSuchGroup000000']),
      ruleBody('App group', 'user.department=="Sales"', [appGroup]),
      ruleBody('Everyone', 'user.department=="Sales"', [everyone]),
      ruleBody('No groups at all', 'user.department=="Sales"', []),
      ruleBody('Ghost excluded', 'user.department=="Sales"', [vpn], ['00uNoSuchUser0000000']),
      ruleBody('Ghost member', 'isMemberOfAnyGroup("00gNoSuchGroup000000")', [vpn]),
    ]) {
      expect(await ctx.api.post(RULES, body), body.name).toMatchObject({
        status: 400,
        body: { errorCode: 'E0000001' },
      });
    }
  });

  it('refuses bodies outside the description (400), and an expression type other than Okta’s', async () => {
    const vpn = await groupId('VPN Users');
    const wrongType = { ...ruleBody('Typed', 'user.title=="x"', [vpn]), type: 'policy_rule' };
    const longName = ruleBody('x'.repeat(51), 'user.title=="x"', [vpn]);
    const otherLanguage = ruleBody('Other language', 'user.title=="x"', [vpn]);
    otherLanguage.conditions.expression.type = 'urn:okta:expression:2.0';
    for (const body of [wrongType, longName, otherLanguage]) {
      expect((await ctx.api.post(RULES, body)).status).toBe(400);
    }
    expect(takeRequestViolations(ctx.sandbox)).toEqual([
      'POST /api/v1/groups/rules (createGroupRule) body/type: must be equal to one of the allowed values',
      'POST /api/v1/groups/rules (createGroupRule) body/name: must NOT have more than 50 characters',
    ]);
  });
});

describe('sandbox group rules: the expression subset', () => {
  it('parses comparisons, functions, AND/OR (any spelling) and parentheses, && binding tighter', () => {
    expect(parseRuleExpression('user.a=="1" || user.b!="2" && String.startsWith(user.c,"x")')).toEqual({
      kind: 'or',
      left: { kind: 'equals', attribute: 'a', value: '1', negated: false },
      right: {
        kind: 'and',
        left: { kind: 'equals', attribute: 'b', value: '2', negated: true },
        right: { kind: 'startsWith', attribute: 'c', prefix: 'x' },
      },
    });
    expect(
      parseRuleExpression('(isMemberOfAnyGroup("g1","g2") OR isMemberOfGroup("g3")) and user.x=="y"'),
    ).toEqual({
      kind: 'and',
      left: {
        kind: 'or',
        left: { kind: 'memberOf', groupIds: ['g1', 'g2'] },
        right: { kind: 'memberOf', groupIds: ['g3'] },
      },
      right: { kind: 'equals', attribute: 'x', value: 'y', negated: false },
    });
    expect(parseRuleExpression('user.title == "Say \\"hi\\""')).toMatchObject({ value: 'Say "hi"' });
  });

  it.each([
    ['another function', 'String.stringContains(user.email,"x")'],
    ['another operator', 'user.employeeNumber > "5"'],
    ['negation', '!(user.department=="Sales")'],
    ['a number', 'user.level==5'],
    ['a single-quoted string', "user.department=='Sales'"],
    ['an attribute not of user', 'appuser.department=="Sales"'],
    ['a nested attribute', 'user.profile.department=="Sales"'],
    ['a dangling operator', 'user.department=="Sales" &&'],
    ['an unclosed string', 'user.department=="Sales'],
    ['an unclosed parenthesis', '(user.department=="Sales"'],
    ['isMemberOfGroup with two ids', 'isMemberOfGroup("a","b")'],
  ])('refuses %s with 400 E0000001', async (_what, expression) => {
    const vpn = await groupId('VPN Users');
    const refused = await ctx.api.post(RULES, ruleBody('Refused', expression, [vpn]));
    expect(refused).toMatchObject({ status: 400, body: { errorCode: 'E0000001' } });
    expect(refused.body.errorCauses[0].errorSummary).toMatch(/^conditions\.expression\.value: /);
  });
});

describe('sandbox group rules: activating', () => {
  it('adds every matching user to the rule’s groups, logging each membership', async () => {
    const target = await newGroup('Engineers');
    const id = await createRule('Engineers', 'user.department=="Engineering"', [target]);
    const before = ctx.sandbox.org.log.events.length;
    expect((await activate(id)).status).toBe(204);
    expect((await ctx.api.get(`${RULES}/${id}`)).body.status).toBe('ACTIVE');
    expect((await memberLogins(target)).sort()).toEqual(['jane.doe@example.com', 'omar.haddad@example.com']);
    expect(eventsSince(before)).toEqual([
      'group_rule.lifecycle.activate',
      'group.user_membership.add',
      'group.user_membership.add',
    ]);
    expect((await activate(id)).status).toBe(204);
    expect(eventsSince(before)).toHaveLength(3);
  });

  it('evaluates !=, ||, String.startsWith and group membership against the profile', async () => {
    const target = await newGroup('Mixed');
    const vpn = await groupId('VPN Users');
    const finance = await groupId('Finance');
    const id = await createRule(
      'Mixed',
      `(isMemberOfAnyGroup("${vpn}") && user.title!="Software Engineer") || String.startsWith(user.lastName,"Web") || isMemberOfGroup("${finance}")`,
      [target],
    );
    await activate(id);
    expect(await memberLogins(target)).toEqual(
      expect.arrayContaining(['omar.haddad@example.com', 'lukas.weber@example.com']),
    );
    expect(await memberLogins(target)).toHaveLength(2);
  });

  it('leaves excluded users out', async () => {
    const target = await newGroup('Engineers');
    const omar = await userId('omar.haddad@example.com');
    const id = await createRule('Engineers', 'user.department=="Engineering"', [target], [omar]);
    await activate(id);
    expect(await memberLogins(target)).toEqual(['jane.doe@example.com']);
  });

  it('puts users created later in the groups while the rule is ACTIVE, not after it is deactivated', async () => {
    const target = await newGroup('Engineers');
    const id = await createRule('Engineers', 'user.department=="Engineering"', [target]);
    await activate(id);
    const hire = (login: string) =>
      ctx.api.post('/api/v1/users?activate=false', {
        profile: { login, email: login, firstName: 'New', lastName: 'Hire', department: 'Engineering' },
      });
    expect((await hire('new.hire@example.com')).status).toBe(200);
    expect(await memberLogins(target)).toContain('new.hire@example.com');
    expect((await deactivate(id)).status).toBe(204);
    await hire('later.hire@example.com');
    expect(await memberLogins(target)).not.toContain('later.hire@example.com');
  });
});

describe('sandbox group rules: deactivating and deleting', () => {
  it('deactivating keeps the memberships the rule made', async () => {
    const target = await newGroup('Engineers');
    const id = await createRule('Engineers', 'user.department=="Engineering"', [target]);
    await activate(id);
    const before = ctx.sandbox.org.log.events.length;
    expect((await deactivate(id)).status).toBe(204);
    expect((await ctx.api.get(`${RULES}/${id}`)).body.status).toBe('INACTIVE');
    expect(await memberLogins(target)).toHaveLength(2);
    expect(eventsSince(before)).toEqual(['group_rule.lifecycle.deactivate']);
    expect((await deactivate(id)).status).toBe(204);
  });

  it('refuses to delete an ACTIVE rule (403 E0000038)', async () => {
    const id = await createRule('Active', 'user.department=="Sales"', [await newGroup('Sellers')]);
    await activate(id);
    expect(await ctx.api.delete(`${RULES}/${id}`)).toMatchObject({
      status: 403,
      body: { errorCode: 'E0000038' },
    });
  });

  it('deletes with 202; removeUsers=true takes back the rule’s memberships and only those', async () => {
    const target = await newGroup('Sellers');
    const mei = await userId('mei.chen@example.com');
    await ctx.api.put(`/api/v1/groups/${target}/users/${mei}`);
    const id = await createRule('Sellers', 'user.department=="Sales"', [target]);
    await activate(id);
    expect((await memberLogins(target)).sort()).toEqual(['diego.garcia@example.com', 'mei.chen@example.com']);
    await deactivate(id);
    const before = ctx.sandbox.org.log.events.length;
    expect(await ctx.api.delete(`${RULES}/${id}?removeUsers=true`)).toMatchObject({ status: 202 });
    expect(await memberLogins(target)).toEqual(['mei.chen@example.com']);
    expect(eventsSince(before)).toEqual(['group.user_membership.remove', 'group_rule.lifecycle.delete']);
    expect((await ctx.api.get(`${RULES}/${id}`)).status).toBe(404);
  });

  it('deletes without removeUsers and leaves the memberships', async () => {
    const target = await newGroup('Sellers');
    const id = await createRule('Sellers', 'user.department=="Sales"', [target]);
    await activate(id);
    await deactivate(id);
    expect((await ctx.api.delete(`${RULES}/${id}`)).status).toBe(202);
    expect(await memberLogins(target)).toHaveLength(2);
  });
});

describe('sandbox group rules: what deletions do to rules', () => {
  it('a rule whose group is deleted becomes INVALID: it can be read and deleted, not (de)activated', async () => {
    const target = await newGroup('Short-lived');
    const id = await createRule('Short-lived', 'user.department=="Sales"', [target]);
    await activate(id);
    expect((await ctx.api.delete(`/api/v1/groups/${target}`)).status).toBe(204);
    const invalid = await ctx.api.get(`${RULES}/${id}?expand=groupIdToGroupNameMap`);
    expect(invalid.body).toMatchObject({
      status: 'INVALID',
      actions: { assignUserToGroups: { groupIds: [target] } },
    });
    expect(invalid.body._embedded.groupIdToGroupNameMap).toEqual({});
    for (const answer of [await activate(id), await deactivate(id)]) {
      expect(answer).toMatchObject({ status: 403, body: { errorCode: 'E0000038' } });
      expect(answer.body.errorCauses[0].errorSummary).toBe(
        'Cannot activate or deactivate a Group Rule with the status INVALID',
      );
    }
    expect((await ctx.api.delete(`${RULES}/${id}?removeUsers=true`)).status).toBe(202);
  });

  it('a deleted user leaves the rule’s exclusions and its memberships', async () => {
    const target = await newGroup('Engineers');
    const jane = await userId('jane.doe@example.com');
    const omar = await userId('omar.haddad@example.com');
    const id = await createRule('Engineers', 'user.department=="Engineering"', [target], [omar]);
    await activate(id);
    for (const user of [omar, jane]) {
      await ctx.api.delete(`/api/v1/users/${user}`);
      await ctx.api.delete(`/api/v1/users/${user}`);
    }
    const rule = groupRulesOf(ctx.sandbox.org).byId.get(id)!;
    expect(rule.excludedUserIds).toEqual([]);
    expect(rule.madeMemberships.size).toBe(0);
    expect((await ctx.api.get(`${RULES}/${id}`)).body.conditions.people.users.exclude).toEqual([]);
  });
});

describe('sandbox group rules: listing', () => {
  it('lists by name, searches by keyword and pages with Link headers', async () => {
    const vpn = await groupId('VPN Users');
    for (const name of ['Alpha access', 'Beta access', 'Gamma', 'Delta access']) {
      await createRule(name, 'user.department=="Sales"', [vpn]);
    }
    const all = await ctx.api.get(RULES);
    expect(all.body.map((rule: { name: string }) => rule.name)).toEqual([
      'Alpha access',
      'Beta access',
      'Delta access',
      'Gamma',
      'Sales VPN access',
    ]);
    const searched = await ctx.api.get(`${RULES}?search=ACCESS`);
    expect(searched.body).toHaveLength(4);

    const names: string[] = [];
    let path: string | undefined = `${RULES}?limit=2&search=access&expand=groupIdToGroupNameMap`;
    while (path) {
      const page = await ctx.api.get(path);
      expect(page.body.length).toBeLessThanOrEqual(2);
      for (const rule of page.body) expect(rule._embedded.groupIdToGroupNameMap[vpn]).toBe('VPN Users');
      names.push(...page.body.map((rule: { name: string }) => rule.name));
      const next = /<([^>]+)>; rel="next"/.exec(page.headers.get('link') ?? '')?.[1];
      path = next?.slice(ctx.sandbox.url.length);
    }
    expect(names).toEqual(['Alpha access', 'Beta access', 'Delta access', 'Sales VPN access']);
  });

  it('refuses a limit above Okta’s maximum of 200 and an unknown expand (400)', async () => {
    expect((await ctx.api.get(`${RULES}?limit=201`)).status).toBe(400);
    expect((await ctx.api.get(`${RULES}?expand=stats`)).status).toBe(400);
    expect(takeRequestViolations(ctx.sandbox)).toEqual([
      'GET /api/v1/groups/rules (listGroupRules) query parameter "limit": must be <= 200',
      'GET /api/v1/groups/rules (listGroupRules) query parameter "expand": must be equal to one of the allowed values',
    ]);
  });
});
