import { describe, expect, it } from 'vitest';
import { STANDARD_ADMIN_ROLES } from '../../src/domain/admin-roles.js';
import { execute, manifest } from '../../src/index.js';
import { fakeGroup, fakeUser } from '../helpers/fixtures.js';
import {
  fakeBookmarkApp,
  fakeCustomRole,
  fakeCustomRoleAssignment,
  fakeGroupRule,
  fakeStandardRoleAssignment,
} from '../helpers/fixtures-groups.js';
import { connection, ORG, oktaError, oktaMock, recordedRequests } from '../helpers/okta-mock.js';
import { oktaApiDescription } from '../helpers/openapi.js';

const GROUP = fakeGroup({ profile: { costCenter: 'CC-4410', owner: 'platform-team' } });
const APP_GROUP = fakeGroup({
  id: '00g2adGroupKYZTWRYYR',
  type: 'APP_GROUP',
  objectClass: ['okta:windows_security_principal'],
  profile: { name: 'AD: Domain Users', description: 'Imported from Active Directory' },
});
const EVERYONE = fakeGroup({
  id: '00g0everyoneZTWRYYRR',
  type: 'BUILT_IN',
  profile: { name: 'Everyone', description: 'All users in your organization' },
});
const JANE = fakeUser();
const RULE = fakeGroupRule();
const RULE_PATH = `/api/v1/groups/rules/${RULE.id}`;
const ROLES_PATH = `/api/v1/users/${JANE.id}/roles`;

const requestLines = () => recordedRequests().map((r) => `${r.method} ${r.path}`);
const bodyOf = (index: number) => JSON.parse(recordedRequests()[index]?.body ?? 'null');

describe('fixtures of this family look like Okta answers', () => {
  const description = oktaApiDescription();

  it('group rules, role assignments, custom roles and group apps match the response schemas', () => {
    expect(description.checkResponse('getGroupRule', 200, fakeGroupRule())).toEqual([]);
    expect(description.checkResponse('createGroupRule', 200, fakeGroupRule())).toEqual([]);
    expect(description.checkResponse('listGroupRules', 200, [fakeGroupRule({ status: 'ACTIVE' })])).toEqual(
      [],
    );
    expect(
      description.checkResponse('listAssignedRolesForUser', 200, [
        fakeStandardRoleAssignment(),
        fakeCustomRoleAssignment(),
      ]),
    ).toEqual([]);
    expect(description.checkResponse('assignRoleToUser', 201, fakeStandardRoleAssignment())).toEqual([]);
    expect(description.checkResponse('assignRoleToUser', 201, fakeCustomRoleAssignment())).toEqual([]);
    expect(description.checkResponse('listRoles', 200, { roles: [fakeCustomRole()], _links: {} })).toEqual(
      [],
    );
    expect(description.checkResponse('listAssignedApplicationsForGroup', 200, [fakeBookmarkApp()])).toEqual(
      [],
    );
    expect(description.checkResponse('getGroup', 200, APP_GROUP)).toEqual([]);
    expect(description.checkResponse('getGroup', 200, EVERYONE)).toEqual([]);
  });
});

describe('create-group', () => {
  it('creates an Okta group with custom attributes and keeps them in the output', async () => {
    oktaMock().post('/api/v1/groups').reply(200, GROUP);
    const result = await execute('create-group', {
      connection,
      input: {
        name: 'Engineering',
        description: 'All engineers',
        attributes: { costCenter: 'CC-4410', owner: 'platform-team', retired: null },
      },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { id: GROUP.id, name: 'Engineering', type: 'OKTA_GROUP', changed: true },
    });
    if (!result.ok) return;
    expect(result.output.group.profile).toEqual(GROUP.profile);
    // A null attribute of a new group is not sent: there is nothing to clear.
    expect(bodyOf(0)).toEqual({
      profile: {
        name: 'Engineering',
        description: 'All engineers',
        costCenter: 'CC-4410',
        owner: 'platform-team',
      },
    });
  });

  it('reports a name that is taken as CONFLICT', async () => {
    oktaMock()
      .post('/api/v1/groups')
      .reply(
        400,
        oktaError('E0000001', 'Api validation failed: name', [
          'name: An object with this field already exists in the current organization',
        ]),
      );
    const result = await execute('create-group', { connection, input: { name: 'Engineering' } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', status: 400, okta: { errorCode: 'E0000001' } },
    });
    if (result.ok) return;
    expect(result.error.message).toContain('already exists');
  });

  it('refuses name or description among the custom attributes, and sends nothing', async () => {
    const result = await execute('create-group', {
      connection,
      input: { name: 'Engineering', attributes: { name: 'Other' } },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(recordedRequests()).toHaveLength(0);
  });

  it('plans the creation in a dry run and sends nothing', async () => {
    const result = await execute('create-group', {
      connection,
      input: { name: 'Engineering' },
      dryRun: true,
    });
    expect(result).toMatchObject({
      ok: true,
      output: {
        dryRun: true,
        wouldChange: true,
        plan: [{ step: 'create group', method: 'POST', path: '/api/v1/groups' }],
      },
    });
    expect(recordedRequests()).toHaveLength(0);
  });
});

describe('update-group', () => {
  it('merges the changes into the whole profile, so custom attributes survive the PUT', async () => {
    const renamed = fakeGroup({ profile: { name: 'Platform', costCenter: 'CC-4420' } });
    oktaMock().get(`/api/v1/groups/${GROUP.id}`).reply(200, GROUP);
    oktaMock().put(`/api/v1/groups/${GROUP.id}`).reply(200, renamed);
    const result = await execute('update-group', {
      connection,
      input: { groupId: GROUP.id, name: 'Platform', attributes: { costCenter: 'CC-4420', owner: null } },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { name: 'Platform', changed: true, changedFields: ['costCenter', 'owner', 'name'] },
    });
    // description is kept though not given; the cleared owner is left out of the replacement profile.
    expect(bodyOf(1)).toEqual({
      profile: { name: 'Platform', description: 'All engineers', costCenter: 'CC-4420' },
    });
  });

  it('sends nothing when every value already matches (null matches a missing attribute)', async () => {
    oktaMock().get(`/api/v1/groups/${GROUP.id}`).reply(200, GROUP);
    const result = await execute('update-group', {
      connection,
      input: {
        groupId: GROUP.id,
        description: 'All engineers',
        attributes: { costCenter: 'CC-4410', gone: null },
      },
    });
    expect(result).toMatchObject({ ok: true, output: { changed: false, changedFields: [] } });
    expect(requestLines()).toEqual([`GET /api/v1/groups/${GROUP.id}`]);
  });

  it('refuses an app group and the Everyone group as CONFLICT, saying why, before any change', async () => {
    oktaMock().get(`/api/v1/groups/${APP_GROUP.id}`).reply(200, APP_GROUP);
    oktaMock().get(`/api/v1/groups/${EVERYONE.id}`).reply(200, EVERYONE);
    const app = await execute('update-group', { connection, input: { groupId: APP_GROUP.id, name: 'x' } });
    const builtIn = await execute('update-group', { connection, input: { groupId: EVERYONE.id, name: 'x' } });
    expect(app).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(builtIn).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (app.ok || builtIn.ok) return;
    expect(app.error.message).toContain('"AD: Domain Users" is APP_GROUP');
    expect(app.error.message).toContain('Nothing was changed.');
    expect(builtIn.error.message).toContain('Everyone');
    expect(recordedRequests().every((r) => r.method === 'GET')).toBe(true);
  });

  it('refuses an input without any change, before any request', async () => {
    const result = await execute('update-group', { connection, input: { groupId: GROUP.id } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'name' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });

  it('maps a 404 for an unknown group', async () => {
    oktaMock()
      .get(`/api/v1/groups/${GROUP.id}`)
      .reply(404, oktaError('E0000007', `Not found: Resource not found: ${GROUP.id} (UserGroup)`));
    const result = await execute('update-group', { connection, input: { groupId: GROUP.id, name: 'x' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('reports a new name that is taken as CONFLICT, naming the failed step', async () => {
    oktaMock().get(`/api/v1/groups/${GROUP.id}`).reply(200, GROUP);
    oktaMock()
      .put(`/api/v1/groups/${GROUP.id}`)
      .reply(
        400,
        oktaError('E0000001', 'Api validation failed: name', [
          'name: An object with this field already exists in the current organization',
        ]),
      );
    const result = await execute('update-group', { connection, input: { groupId: GROUP.id, name: 'Sales' } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', steps: [{ step: 'replace group profile', status: 'failed' }] },
    });
  });
});

describe('delete-group', () => {
  it('deletes an Okta group', async () => {
    oktaMock().get(`/api/v1/groups/${GROUP.id}`).reply(200, GROUP);
    oktaMock().delete(`/api/v1/groups/${GROUP.id}`).reply(204);
    const result = await execute('delete-group', { connection, input: { groupId: GROUP.id } });
    expect(result).toMatchObject({
      ok: true,
      output: { id: GROUP.id, name: 'Engineering', deleted: true, changed: true },
    });
    expect(requestLines()).toEqual([`GET /api/v1/groups/${GROUP.id}`, `DELETE /api/v1/groups/${GROUP.id}`]);
  });

  it('succeeds with changed false for a missing group when missingOk, and fails without it', async () => {
    const notFound = oktaError('E0000007', `Not found: Resource not found: ${GROUP.id} (UserGroup)`);
    oktaMock().get(`/api/v1/groups/${GROUP.id}`).times(2).reply(404, notFound);
    const tolerated = await execute('delete-group', {
      connection,
      input: { groupId: GROUP.id, missingOk: true },
    });
    expect(tolerated).toMatchObject({
      ok: true,
      output: { id: GROUP.id, name: null, deleted: true, changed: false },
    });
    const strict = await execute('delete-group', { connection, input: { groupId: GROUP.id } });
    expect(strict).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('refuses an app group as CONFLICT without sending the DELETE', async () => {
    oktaMock().get(`/api/v1/groups/${APP_GROUP.id}`).reply(200, APP_GROUP);
    const result = await execute('delete-group', { connection, input: { groupId: APP_GROUP.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(requestLines()).toEqual([`GET /api/v1/groups/${APP_GROUP.id}`]);
  });

  it('maps a 403 on the delete to FORBIDDEN', async () => {
    oktaMock().get(`/api/v1/groups/${GROUP.id}`).reply(200, GROUP);
    oktaMock()
      .delete(`/api/v1/groups/${GROUP.id}`)
      .reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action'));
    const result = await execute('delete-group', { connection, input: { groupId: GROUP.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', status: 403 } });
  });
});

describe('list-group-apps', () => {
  it('lists the apps of a group across pages, every app field kept', async () => {
    const wiki = fakeBookmarkApp();
    const crm = fakeBookmarkApp({ id: '0oa2crmAppq0Hq0g4abc', label: 'CRM' });
    const path = `/api/v1/groups/${GROUP.id}/apps`;
    oktaMock()
      .get(path)
      .query({ limit: '200' })
      .reply(200, [wiki], { link: `<${ORG}${path}?after=${wiki.id}&limit=200>; rel="next"` });
    // The second page asks for no more than the run can still return (199 of 200).
    oktaMock().get(path).query({ limit: '199', after: wiki.id }).reply(200, [crm]);
    const result = await execute('list-group-apps', { connection, input: { groupId: GROUP.id } });
    expect(result).toMatchObject({
      ok: true,
      output: {
        groupId: GROUP.id,
        count: 2,
        nextCursor: null,
        apps: [{ label: 'Engineering Wiki' }, { label: 'CRM' }],
      },
    });
    if (!result.ok) return;
    expect(result.output.apps[0]).toEqual(wiki);
  });

  it('maps a 404 for an unknown group', async () => {
    oktaMock()
      .get(`/api/v1/groups/${GROUP.id}/apps`)
      .query(true)
      .reply(404, oktaError('E0000007', `Not found: Resource not found: ${GROUP.id} (UserGroup)`));
    const result = await execute('list-group-apps', { connection, input: { groupId: GROUP.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it("refuses a page size above Okta's 200, before any request", async () => {
    const result = await execute('list-group-apps', { connection, input: { groupId: GROUP.id, limit: 500 } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'limit' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });
});

describe('list-group-rules', () => {
  it('searches by keyword and asks for group names on every page', async () => {
    const queries: Array<Record<string, unknown>> = [];
    const second = fakeGroupRule({ id: '0pr4secondRuleWO0g4a', name: 'VPN for contractors' });
    oktaMock()
      .get('/api/v1/groups/rules')
      .query((q) => {
        queries.push(q);
        return q.after === undefined;
      })
      .reply(200, [RULE], {
        link: `<${ORG}/api/v1/groups/rules?search=VPN&after=${RULE.id}&limit=200>; rel="next"`,
      });
    oktaMock()
      .get('/api/v1/groups/rules')
      .query((q) => {
        queries.push(q);
        return q.after === RULE.id;
      })
      .reply(200, [second]);
    const result = await execute('list-group-rules', {
      connection,
      input: { search: 'VPN', includeGroupNames: true },
    });
    expect(result).toMatchObject({ ok: true, output: { count: 2, nextCursor: null } });
    expect(queries[0]).toEqual({ search: 'VPN', expand: 'groupIdToGroupNameMap', limit: '200' });
    expect(queries[1]).toMatchObject({ expand: 'groupIdToGroupNameMap', after: RULE.id });
  });

  it('maps a 403 to FORBIDDEN', async () => {
    oktaMock()
      .get('/api/v1/groups/rules')
      .query(true)
      .reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action'));
    const result = await execute('list-group-rules', { connection, input: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it("refuses a page size above Okta's 200, before any request", async () => {
    const result = await execute('list-group-rules', { connection, input: { limit: 201 } });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(recordedRequests()).toHaveLength(0);
  });
});

describe('get-group-rule', () => {
  it('reads a rule with its group names and lifts its condition, groups and exclusions', async () => {
    const rule = fakeGroupRule({
      excludedUserIds: [JANE.id],
      _embedded: { groupIdToGroupNameMap: { '00g1emaKYZTWRYYRRTSK': 'Engineering' } },
    });
    oktaMock().get(RULE_PATH).query({ expand: 'groupIdToGroupNameMap' }).reply(200, rule);
    const result = await execute('get-group-rule', {
      connection,
      input: { ruleId: RULE.id, includeGroupNames: true },
    });
    expect(result).toMatchObject({
      ok: true,
      output: {
        id: RULE.id,
        name: 'Engineering to VPN Users',
        status: 'INACTIVE',
        expression: 'user.department=="Engineering"',
        groupIds: ['00g1emaKYZTWRYYRRTSK'],
        excludedUserIds: [JANE.id],
      },
    });
    if (!result.ok) return;
    expect(result.output.rule).toEqual(rule);
  });

  it('maps a 404 for an unknown rule', async () => {
    oktaMock()
      .get(RULE_PATH)
      .reply(404, oktaError('E0000007', `Not found: Resource not found: ${RULE.id} (GroupRule)`));
    const result = await execute('get-group-rule', { connection, input: { ruleId: RULE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('refuses a rule name where the id belongs, before any request', async () => {
    const result = await execute('get-group-rule', { connection, input: { ruleId: 'Engineering to VPN' } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'ruleId' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });
});

describe('create-group-rule', () => {
  it('creates the rule inactive, excluded users given by login resolved to ids', async () => {
    oktaMock().get('/api/v1/users/jane.doe%40example.com').reply(200, JANE);
    oktaMock()
      .post('/api/v1/groups/rules')
      .reply(200, fakeGroupRule({ excludedUserIds: [JANE.id] }));
    const result = await execute('create-group-rule', {
      connection,
      input: {
        name: 'Engineering to VPN Users',
        expression: 'user.department=="Engineering"',
        groupIds: ['00g1emaKYZTWRYYRRTSK'],
        excludedUsers: ['jane.doe@example.com'],
      },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { id: RULE.id, status: 'INACTIVE', excludedUserIds: [JANE.id], changed: true },
    });
    expect(bodyOf(1)).toEqual({
      type: 'group_rule',
      name: 'Engineering to VPN Users',
      conditions: {
        expression: { type: 'urn:okta:expression:1.0', value: 'user.department=="Engineering"' },
        people: { users: { exclude: [JANE.id] } },
      },
      actions: { assignUserToGroups: { groupIds: ['00g1emaKYZTWRYYRRTSK'] } },
    });
  });

  it('activates as a second step when asked, and reads the rule back for its new status', async () => {
    oktaMock().post('/api/v1/groups/rules').reply(200, RULE);
    oktaMock().post(`${RULE_PATH}/lifecycle/activate`).reply(204);
    oktaMock()
      .get(RULE_PATH)
      .reply(200, fakeGroupRule({ status: 'ACTIVE' }));
    const result = await execute('create-group-rule', {
      connection,
      input: {
        name: RULE.name,
        expression: 'user.department=="Engineering"',
        groupIds: ['00g1emaKYZTWRYYRRTSK'],
        activate: true,
      },
    });
    expect(result).toMatchObject({ ok: true, output: { status: 'ACTIVE', changed: true } });
    expect(requestLines()).toEqual([
      'POST /api/v1/groups/rules',
      `POST ${RULE_PATH}/lifecycle/activate`,
      `GET ${RULE_PATH}`,
    ]);
  });

  it('plans both steps in a dry run, the new id still unknown, and sends nothing', async () => {
    const result = await execute('create-group-rule', {
      connection,
      input: {
        name: 'x',
        expression: 'user.title=="CEO"',
        groupIds: ['00g1emaKYZTWRYYRRTSK'],
        activate: true,
      },
      dryRun: true,
    });
    expect(result).toMatchObject({
      ok: true,
      output: {
        wouldChange: true,
        plan: [
          { step: 'create rule', method: 'POST', path: '/api/v1/groups/rules' },
          {
            step: 'activate rule',
            method: 'POST',
            path: '/api/v1/groups/rules/{id of the new rule}/lifecycle/activate',
          },
        ],
      },
    });
    expect(recordedRequests()).toHaveLength(0);
  });

  it("reports Okta refusing the expression as INVALID_INPUT with Okta's reason", async () => {
    oktaMock()
      .post('/api/v1/groups/rules')
      .reply(
        400,
        oktaError('E0000001', 'Api validation failed: conditions.expression.value', [
          'conditions.expression.value: Invalid property department in expression user.departmen',
        ]),
      );
    const result = await execute('create-group-rule', {
      connection,
      input: { name: 'x', expression: 'user.departmen=="Sales"', groupIds: ['00g1emaKYZTWRYYRRTSK'] },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', status: 400 } });
    if (result.ok) return;
    expect(result.error.message).toContain('Invalid property department');
  });

  it('says the rule was created when only the activation fails', async () => {
    oktaMock().post('/api/v1/groups/rules').reply(200, RULE);
    oktaMock()
      .post(`${RULE_PATH}/lifecycle/activate`)
      .reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action'));
    const result = await execute('create-group-rule', {
      connection,
      input: {
        name: 'x',
        expression: 'user.title=="CEO"',
        groupIds: ['00g1emaKYZTWRYYRRTSK'],
        activate: true,
      },
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'FORBIDDEN',
        steps: [
          { step: 'create rule', status: 'done' },
          { step: 'activate rule', status: 'failed' },
        ],
      },
    });
    if (result.ok) return;
    expect(result.error.message).toContain('Already done in Okta before the failure: create rule');
  });

  it('refuses a rule without target groups, and one of more than 50 characters, before any request', async () => {
    const noGroups = await execute('create-group-rule', {
      connection,
      input: { name: 'x', expression: 'user.title=="CEO"', groupIds: [] } as never,
    });
    const longName = await execute('create-group-rule', {
      connection,
      input: { name: 'x'.repeat(51), expression: 'user.title=="CEO"', groupIds: ['00g1emaKYZTWRYYRRTSK'] },
    });
    expect(noGroups).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'groupIds' }] },
    });
    expect(longName).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'name' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });
});

describe('activate-group-rule', () => {
  it('activates an inactive rule', async () => {
    oktaMock().get(RULE_PATH).reply(200, RULE);
    oktaMock().post(`${RULE_PATH}/lifecycle/activate`).reply(204);
    const result = await execute('activate-group-rule', { connection, input: { ruleId: RULE.id } });
    expect(result).toMatchObject({
      ok: true,
      output: { id: RULE.id, status: 'ACTIVE', previousStatus: 'INACTIVE', changed: true },
    });
  });

  it('leaves an active rule as is: changed false, no lifecycle call', async () => {
    oktaMock()
      .get(RULE_PATH)
      .reply(200, fakeGroupRule({ status: 'ACTIVE' }));
    const result = await execute('activate-group-rule', { connection, input: { ruleId: RULE.id } });
    expect(result).toMatchObject({ ok: true, output: { status: 'ACTIVE', changed: false } });
    expect(recordedRequests()).toHaveLength(1);
  });

  it('refuses an INVALID rule as CONFLICT, pointing to delete-group-rule', async () => {
    oktaMock()
      .get(RULE_PATH)
      .reply(200, fakeGroupRule({ status: 'INVALID' }));
    const result = await execute('activate-group-rule', { connection, input: { ruleId: RULE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (result.ok) return;
    expect(result.error.message).toContain('is INVALID');
    expect(result.error.message).toContain('delete-group-rule');
    expect(recordedRequests()).toHaveLength(1);
  });

  it('maps a 404 for an unknown rule', async () => {
    oktaMock()
      .get(RULE_PATH)
      .reply(404, oktaError('E0000007', `Not found: Resource not found: ${RULE.id} (GroupRule)`));
    const result = await execute('activate-group-rule', { connection, input: { ruleId: RULE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('deactivate-group-rule', () => {
  it('deactivates an active rule', async () => {
    oktaMock()
      .get(RULE_PATH)
      .reply(200, fakeGroupRule({ status: 'ACTIVE' }));
    oktaMock().post(`${RULE_PATH}/lifecycle/deactivate`).reply(204);
    const result = await execute('deactivate-group-rule', { connection, input: { ruleId: RULE.id } });
    expect(result).toMatchObject({
      ok: true,
      output: { status: 'INACTIVE', previousStatus: 'ACTIVE', changed: true },
    });
  });

  it('leaves an inactive rule as is', async () => {
    oktaMock().get(RULE_PATH).reply(200, RULE);
    const result = await execute('deactivate-group-rule', { connection, input: { ruleId: RULE.id } });
    expect(result).toMatchObject({ ok: true, output: { status: 'INACTIVE', changed: false } });
    expect(recordedRequests()).toHaveLength(1);
  });

  it('refuses an INVALID rule as CONFLICT', async () => {
    oktaMock()
      .get(RULE_PATH)
      .reply(200, fakeGroupRule({ status: 'INVALID' }));
    const result = await execute('deactivate-group-rule', { connection, input: { ruleId: RULE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('maps a 403 on the lifecycle call to FORBIDDEN', async () => {
    oktaMock()
      .get(RULE_PATH)
      .reply(200, fakeGroupRule({ status: 'ACTIVE' }));
    oktaMock()
      .post(`${RULE_PATH}/lifecycle/deactivate`)
      .reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action'));
    const result = await execute('deactivate-group-rule', { connection, input: { ruleId: RULE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('delete-group-rule', () => {
  it('deactivates an active rule first, then deletes it, keeping its memberships by default', async () => {
    oktaMock()
      .get(RULE_PATH)
      .reply(200, fakeGroupRule({ status: 'ACTIVE' }));
    oktaMock().post(`${RULE_PATH}/lifecycle/deactivate`).reply(204);
    oktaMock().delete(RULE_PATH).query({ removeUsers: 'false' }).reply(202);
    const result = await execute('delete-group-rule', { connection, input: { ruleId: RULE.id } });
    expect(result).toMatchObject({
      ok: true,
      output: {
        previousStatus: 'ACTIVE',
        deactivatedFirst: true,
        usersRemoved: false,
        deleted: true,
        changed: true,
      },
    });
    expect(requestLines()).toEqual([
      `GET ${RULE_PATH}`,
      `POST ${RULE_PATH}/lifecycle/deactivate`,
      `DELETE ${RULE_PATH}?removeUsers=false`,
    ]);
  });

  it('deletes an inactive rule with its memberships in one call', async () => {
    oktaMock().get(RULE_PATH).reply(200, RULE);
    oktaMock().delete(RULE_PATH).query({ removeUsers: 'true' }).reply(202);
    const result = await execute('delete-group-rule', {
      connection,
      input: { ruleId: RULE.id, removeUsers: true },
    });
    expect(result).toMatchObject({ ok: true, output: { deactivatedFirst: false, usersRemoved: true } });
    expect(recordedRequests()).toHaveLength(2);
  });

  it('refuses an active rule as CONFLICT when told not to deactivate it', async () => {
    oktaMock()
      .get(RULE_PATH)
      .reply(200, fakeGroupRule({ status: 'ACTIVE' }));
    const result = await execute('delete-group-rule', {
      connection,
      input: { ruleId: RULE.id, deactivateFirst: false },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (result.ok) return;
    expect(result.error.message).toContain('is ACTIVE');
    expect(recordedRequests()).toHaveLength(1);
  });

  it('succeeds with changed false for a missing rule when missingOk, and fails without it', async () => {
    const notFound = oktaError('E0000007', `Not found: Resource not found: ${RULE.id} (GroupRule)`);
    oktaMock().get(RULE_PATH).times(2).reply(404, notFound);
    const tolerated = await execute('delete-group-rule', {
      connection,
      input: { ruleId: RULE.id, missingOk: true },
    });
    expect(tolerated).toMatchObject({ ok: true, output: { id: RULE.id, name: null, changed: false } });
    const strict = await execute('delete-group-rule', { connection, input: { ruleId: RULE.id } });
    expect(strict).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('assign-role-to-user', () => {
  it('assigns a standard role to a user given by login', async () => {
    const assigned = fakeStandardRoleAssignment();
    oktaMock().get('/api/v1/users/jane.doe%40example.com').reply(200, JANE);
    oktaMock().get(ROLES_PATH).reply(200, []);
    oktaMock().post(ROLES_PATH).reply(201, assigned);
    const result = await execute('assign-role-to-user', {
      connection,
      input: { user: 'jane.doe@example.com', roleType: 'HELP_DESK_ADMIN' },
    });
    expect(result).toMatchObject({
      ok: true,
      output: {
        userId: JANE.id,
        roleType: 'HELP_DESK_ADMIN',
        roleAssignmentId: assigned.id,
        label: 'Help Desk Administrator',
        changed: true,
      },
    });
    expect(bodyOf(2)).toEqual({ type: 'HELP_DESK_ADMIN' });
  });

  it('leaves a role the user already holds as is: changed false, no POST', async () => {
    oktaMock().get(ROLES_PATH).reply(200, [fakeStandardRoleAssignment()]);
    const result = await execute('assign-role-to-user', {
      connection,
      input: { user: JANE.id, roleType: 'HELP_DESK_ADMIN' },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { roleAssignmentId: 'ra1b8aahBZuGJRRa30g4', changed: false },
    });
    expect(requestLines()).toEqual([`GET ${ROLES_PATH}`]);
  });

  it('assigns a custom role on another resource set, sending and keeping Okta\'s "resource-set"', async () => {
    const held = fakeCustomRoleAssignment({ resourceSet: 'iamOtherResourceSet0g4' });
    const assigned = fakeCustomRoleAssignment({ id: 'irb2newAssignmentx0g4' });
    oktaMock().get(ROLES_PATH).reply(200, [held]);
    oktaMock().post(ROLES_PATH).reply(201, assigned);
    const result = await execute('assign-role-to-user', {
      connection,
      input: {
        user: JANE.id,
        roleType: 'CUSTOM',
        customRoleId: 'cr0Yq6IJxGIr0ouum0g3',
        resourceSetId: 'iamoJDFKaJxGIr0oamd9g',
      },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { roleAssignmentId: 'irb2newAssignmentx0g4', changed: true },
    });
    if (!result.ok) return;
    expect(result.output.assignment['resource-set']).toBe('iamoJDFKaJxGIr0oamd9g');
    expect(bodyOf(1)).toEqual({
      type: 'CUSTOM',
      role: 'cr0Yq6IJxGIr0ouum0g3',
      'resource-set': 'iamoJDFKaJxGIr0oamd9g',
    });
  });

  it('refuses a custom role without its resource set, and a resource set for a standard role, before any request', async () => {
    const custom = await execute('assign-role-to-user', {
      connection,
      input: { user: JANE.id, roleType: 'CUSTOM', customRoleId: 'cr0Yq6IJxGIr0ouum0g3' },
    });
    const standard = await execute('assign-role-to-user', {
      connection,
      input: { user: JANE.id, roleType: 'ORG_ADMIN', resourceSetId: 'iamoJDFKaJxGIr0oamd9g' },
    });
    expect(custom).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'resourceSetId' }] },
    });
    expect(standard).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'resourceSetId' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });

  it('refuses a role type Okta does not have, before any request', async () => {
    const result = await execute('assign-role-to-user', {
      connection,
      input: { user: JANE.id, roleType: 'MOBILE_ADMIN' } as never,
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'roleType' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });

  it('maps a 403 on the assignment to FORBIDDEN', async () => {
    oktaMock().get(ROLES_PATH).reply(200, []);
    oktaMock()
      .post(ROLES_PATH)
      .reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action'));
    const result = await execute('assign-role-to-user', {
      connection,
      input: { user: JANE.id, roleType: 'SUPER_ADMIN' },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', status: 403 } });
  });
});

describe('unassign-role-from-user', () => {
  it('removes a standard role and names the assignment removed', async () => {
    const held = fakeStandardRoleAssignment();
    oktaMock().get(ROLES_PATH).reply(200, [fakeCustomRoleAssignment(), held]);
    oktaMock().delete(`${ROLES_PATH}/${held.id}`).reply(204);
    const result = await execute('unassign-role-from-user', {
      connection,
      input: { user: JANE.id, roleType: 'HELP_DESK_ADMIN' },
    });
    expect(result).toMatchObject({
      ok: true,
      output: {
        userId: JANE.id,
        roleType: 'HELP_DESK_ADMIN',
        removedAssignmentId: held.id,
        label: 'Help Desk Administrator',
        changed: true,
      },
    });
  });

  it('removes an assignment given by id', async () => {
    const held = fakeCustomRoleAssignment();
    oktaMock().get(ROLES_PATH).reply(200, [held]);
    oktaMock().delete(`${ROLES_PATH}/${held.id}`).reply(204);
    const result = await execute('unassign-role-from-user', {
      connection,
      input: { user: JANE.id, roleAssignmentId: held.id },
    });
    expect(result).toMatchObject({ ok: true, output: { roleType: 'CUSTOM', removedAssignmentId: held.id } });
  });

  it('leaves a user without the role as is: changed false, no DELETE', async () => {
    oktaMock()
      .get(ROLES_PATH)
      .reply(200, [fakeCustomRoleAssignment({ resourceSet: 'iamOtherResourceSet0g4' })]);
    const result = await execute('unassign-role-from-user', {
      connection,
      input: {
        user: JANE.id,
        roleType: 'CUSTOM',
        customRoleId: 'cr0Yq6IJxGIr0ouum0g3',
        resourceSetId: 'iamoJDFKaJxGIr0oamd9g',
      },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { roleType: 'CUSTOM', removedAssignmentId: null, changed: false },
    });
    expect(recordedRequests()).toHaveLength(1);
  });

  it('refuses both a role and an assignment id, and neither, before any request', async () => {
    const both = await execute('unassign-role-from-user', {
      connection,
      input: { user: JANE.id, roleType: 'ORG_ADMIN', roleAssignmentId: 'ra1b8aahBZuGJRRa30g4' },
    });
    const neither = await execute('unassign-role-from-user', { connection, input: { user: JANE.id } });
    expect(both).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'roleAssignmentId' }] },
    });
    expect(neither).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'roleType' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });

  it("reports Okta refusing to remove the org's last Super Administrator", async () => {
    const held = fakeStandardRoleAssignment({ type: 'SUPER_ADMIN', label: 'Super Administrator' });
    oktaMock().get(ROLES_PATH).reply(200, [held]);
    oktaMock()
      .delete(`${ROLES_PATH}/${held.id}`)
      .reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action'));
    const result = await execute('unassign-role-from-user', {
      connection,
      input: { user: JANE.id, roleType: 'SUPER_ADMIN' },
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', steps: [{ step: 'unassign role', status: 'failed' }] },
    });
  });

  it('maps a 404 for an unknown user', async () => {
    oktaMock()
      .get('/api/v1/users/ghost%40example.com')
      .reply(404, oktaError('E0000007', 'Not found: Resource not found: ghost@example.com (User)'));
    const result = await execute('unassign-role-from-user', {
      connection,
      input: { user: 'ghost@example.com', roleType: 'ORG_ADMIN' },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('list-roles', () => {
  it('lists the custom roles and offers the standard roles', async () => {
    oktaMock()
      .get('/api/v1/iam/roles')
      .reply(200, { roles: [fakeCustomRole()], _links: {} });
    const result = await execute('list-roles', { connection, input: {} });
    expect(result).toMatchObject({
      ok: true,
      output: { count: 1, nextCursor: null, customRoles: [{ id: 'cr0Yq6IJxGIr0ouum0g3' }] },
    });
    if (!result.ok) return;
    expect(result.output.standardRoles).toHaveLength(12);
    expect(result.output.standardRoles).toContainEqual(
      expect.objectContaining({ type: 'USER_ADMIN', label: 'Group Administrator' }),
    );
  });

  it("follows Okta's next link in the body, stops at maxItems mid-page and continues from the cursor", async () => {
    const roles = ['A', 'B', 'C'].map((letter, i) =>
      fakeCustomRole({ id: `cr0${letter}q6IJxGIr0ouum0g${i}`, label: `Role ${letter}` }),
    );
    const next = { next: { href: `${ORG}/api/v1/iam/roles?after=${roles[1]!.id}` } };
    oktaMock()
      .get('/api/v1/iam/roles')
      .times(3)
      .reply(200, { roles: roles.slice(0, 2), _links: next });
    oktaMock()
      .get('/api/v1/iam/roles')
      .query({ after: roles[1]!.id })
      .times(2)
      .reply(200, { roles: roles.slice(2), _links: {} });

    const all = await execute('list-roles', { connection, input: {} });
    expect(all).toMatchObject({ ok: true, output: { count: 3, nextCursor: null } });

    const first = await execute('list-roles', { connection, input: { maxItems: 1 } });
    expect(first).toMatchObject({ ok: true, output: { count: 1, customRoles: [{ label: 'Role A' }] } });
    if (!first.ok) return;
    const rest = await execute('list-roles', {
      connection,
      input: { cursor: first.output.nextCursor ?? undefined },
    });
    expect(rest).toMatchObject({
      ok: true,
      output: { count: 2, nextCursor: null, customRoles: [{ label: 'Role B' }, { label: 'Role C' }] },
    });
  });

  it('refuses to follow a next link to another host', async () => {
    oktaMock()
      .get('/api/v1/iam/roles')
      .reply(200, {
        roles: [fakeCustomRole()],
        _links: { next: { href: 'https://evil.example.com/api/v1/iam/roles?after=x' } },
      });
    const result = await execute('list-roles', { connection, input: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'UPSTREAM' } });
    expect(recordedRequests()).toHaveLength(1);
  });

  it('maps a 403 to FORBIDDEN', async () => {
    oktaMock()
      .get('/api/v1/iam/roles')
      .reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action'));
    const result = await execute('list-roles', { connection, input: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('refuses a cursor that is not its own, before any request', async () => {
    const foreign = Buffer.from(JSON.stringify({ v: 1, p: '/api/v1/users?after=x', s: 0 })).toString(
      'base64url',
    );
    const result = await execute('list-roles', { connection, input: { cursor: foreign } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'cursor' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });
});

describe('the role choices', () => {
  it('the standard roles list and the adminRoleType choice of the forms are the same', () => {
    const input = manifest.actions.find((a) => a.key === 'assign-role-to-user')!.input as {
      definitions: { adminRoleType: { oneOf: Array<{ enum: [string]; title: string }> } };
    };
    const choices = input.definitions.adminRoleType.oneOf.filter((choice) => choice.enum[0] !== 'CUSTOM');
    expect(choices.map((c) => [c.enum[0], c.title])).toEqual(
      STANDARD_ADMIN_ROLES.map((r) => [r.type, r.label]),
    );
  });

  it("every standard role offered is one Okta's description lets a user be assigned", () => {
    const operation = oktaApiDescription().operationById('assignRoleToUser') as unknown as {
      requestBody: {
        content: {
          'application/json': {
            schema: { anyOf: Array<{ allOf: Array<{ properties?: { type?: { enum?: string[] } } }> }> };
          };
        };
      };
    };
    const allowed = operation.requestBody.content['application/json'].schema.anyOf.flatMap(
      (branch) => branch.allOf[0]?.properties?.type?.enum ?? [],
    );
    for (const role of STANDARD_ADMIN_ROLES) expect(allowed, role.type).toContain(role.type);
  });
});
