import { describe, expect, it } from 'vitest';
import { insertCustomRole, rolesOf } from '../../src/sandbox/resources/roles/model.js';
import { CUSTOM_ROLES_PAGE_SIZE } from '../../src/sandbox/resources/roles/routes.js';
import { takeRequestViolations, useSandbox } from '../helpers/sandbox.js';

const ctx = useSandbox();

const userId = async (login: string) =>
  (await ctx.api.get(`/api/v1/users/${encodeURIComponent(login)}`)).body.id as string;
const adminId = () => userId('sandbox.admin@example.com');
const rolesPath = (id: string) => `/api/v1/users/${id}/roles`;
const eventsSince = (before: number) => ctx.sandbox.org.log.eventTypes().slice(before);
const firstCustomRole = async () => (await ctx.api.get('/api/v1/iam/roles')).body.roles[0] as { id: string };
const aResourceSetId = () => [...rolesOf(ctx.sandbox.org).resourceSets.keys()][0]!;

describe('sandbox admin roles: listing a user’s roles', () => {
  it('the seeded admin is the Super Administrator; other users hold no role', async () => {
    const admin = await adminId();
    const roles = await ctx.api.get(rolesPath(admin));
    expect(roles.status).toBe(200);
    expect(roles.body).toEqual([
      expect.objectContaining({
        type: 'SUPER_ADMIN',
        status: 'ACTIVE',
        assignmentType: 'USER',
        _links: { assignee: { href: `${ctx.sandbox.url}/api/v1/users/${admin}` } },
      }),
    ]);
    expect((await ctx.api.get(rolesPath(await userId('jane.doe@example.com')))).body).toEqual([]);
  });

  it('answers 404 E0000007 for an unknown user', async () => {
    const missing = await ctx.api.get(rolesPath('00uNoSuchUser0000000'));
    expect(missing).toMatchObject({ status: 404, body: { errorCode: 'E0000007' } });
    expect(missing.body.errorSummary).toBe('Not found: Resource not found: 00uNoSuchUser0000000 (User)');
  });
});

describe('sandbox admin roles: assigning', () => {
  it('assigns a standard role with 201, lists it and logs the grant', async () => {
    const jane = await userId('jane.doe@example.com');
    const before = ctx.sandbox.org.log.events.length;
    const assigned = await ctx.api.post(rolesPath(jane), { type: 'USER_ADMIN' });
    expect(assigned.status).toBe(201);
    expect(assigned.body).toMatchObject({
      type: 'USER_ADMIN',
      label: 'Group administrator',
      status: 'ACTIVE',
      assignmentType: 'USER',
    });
    expect(assigned.body.role).toBeUndefined();
    const listed = await ctx.api.get(rolesPath(jane));
    expect(listed.body.map((role: { id: string }) => role.id)).toEqual([assigned.body.id]);
    expect(eventsSince(before)).toEqual(['user.account.privilege.grant']);
  });

  it('answers a second assignment of the same role with 409 E0000090 and changes nothing', async () => {
    const jane = await userId('jane.doe@example.com');
    expect((await ctx.api.post(rolesPath(jane), { type: 'HELP_DESK_ADMIN' })).status).toBe(201);
    const again = await ctx.api.post(rolesPath(jane), { type: 'HELP_DESK_ADMIN' });
    expect(again).toMatchObject({ status: 409, body: { errorCode: 'E0000090' } });
    expect((await ctx.api.get(rolesPath(jane))).body).toHaveLength(1);
  });

  it('answers an IAM-based standard role like a custom role assignment', async () => {
    const omar = await userId('omar.haddad@example.com');
    const assigned = await ctx.api.post(rolesPath(omar), { type: 'WORKFLOWS_ADMIN' });
    expect(assigned.status).toBe(201);
    expect(assigned.body).toMatchObject({
      type: 'WORKFLOWS_ADMIN',
      role: 'WORKFLOWS_ADMIN',
      'resource-set': 'WORKFLOWS_IAM_POLICY',
    });
    expect(Object.keys(assigned.body._links).sort()).toEqual([
      'assignee',
      'member',
      'permissions',
      'resource-set',
      'role',
    ]);
  });

  it('assigns a custom role bound to a resource set, once', async () => {
    const mei = await userId('mei.chen@example.com');
    const role = await firstCustomRole();
    const body = { type: 'CUSTOM', role: role.id, 'resource-set': aResourceSetId() };
    const assigned = await ctx.api.post(rolesPath(mei), body);
    expect(assigned.status).toBe(201);
    expect(assigned.body).toMatchObject({
      type: 'CUSTOM',
      role: role.id,
      'resource-set': body['resource-set'],
      label: 'Help Desk Tier 2',
    });
    expect((await ctx.api.post(rolesPath(mei), body)).status).toBe(409);
  });

  it('refuses a custom role or resource set the org does not have (400 E0000001)', async () => {
    const mei = await userId('mei.chen@example.com');
    const role = await firstCustomRole();
    for (const body of [
      { type: 'CUSTOM', role: 'cr0NoSuchRole0000000', 'resource-set': aResourceSetId() },
      { type: 'CUSTOM', role: role.id, 'resource-set': 'iamNoSuchSet00000000' },
    ]) {
      expect(await ctx.api.post(rolesPath(mei), body)).toMatchObject({
        status: 400,
        body: { errorCode: 'E0000001' },
      });
    }
    expect((await ctx.api.get(rolesPath(mei))).body).toEqual([]);
  });

  it('refuses bodies outside Okta’s description before the route (400 E0000001)', async () => {
    const mei = await userId('mei.chen@example.com');
    for (const body of [{ type: 'NOT_A_ROLE' }, { type: 'CUSTOM', role: 'cr0x' }, {}]) {
      const refused = await ctx.api.post(rolesPath(mei), body);
      expect(refused, JSON.stringify(body)).toMatchObject({ status: 400, body: { errorCode: 'E0000001' } });
      expect(takeRequestViolations(ctx.sandbox), JSON.stringify(body)).not.toEqual([]);
    }
  });

  it('answers 404 for an unknown user', async () => {
    const missing = await ctx.api.post(rolesPath('00uNoSuchUser0000000'), { type: 'ORG_ADMIN' });
    expect(missing).toMatchObject({ status: 404, body: { errorCode: 'E0000007' } });
  });
});

describe('sandbox admin roles: unassigning', () => {
  it('unassigns with 204 and logs the revoke', async () => {
    const jane = await userId('jane.doe@example.com');
    const assigned = await ctx.api.post(rolesPath(jane), { type: 'READ_ONLY_ADMIN' });
    const before = ctx.sandbox.org.log.events.length;
    expect((await ctx.api.delete(`${rolesPath(jane)}/${assigned.body.id}`)).status).toBe(204);
    expect((await ctx.api.get(rolesPath(jane))).body).toEqual([]);
    expect(eventsSince(before)).toEqual(['user.account.privilege.revoke']);
  });

  it('answers 404 for an unknown assignment, another user’s assignment, or an unknown user', async () => {
    const jane = await userId('jane.doe@example.com');
    const admin = await adminId();
    const adminRole = (await ctx.api.get(rolesPath(admin))).body[0].id as string;
    for (const path of [
      `${rolesPath(jane)}/ra1NoSuchAssignment0`,
      `${rolesPath(jane)}/${adminRole}`,
      `${rolesPath('00uNoSuchUser0000000')}/${adminRole}`,
    ]) {
      expect(await ctx.api.delete(path), path).toMatchObject({
        status: 404,
        body: { errorCode: 'E0000007' },
      });
    }
  });

  it('keeps the last Super Administrator (403), and lets the role go once someone else holds it', async () => {
    const admin = await adminId();
    const superAdmin = (await ctx.api.get(rolesPath(admin))).body[0].id as string;
    expect(await ctx.api.delete(`${rolesPath(admin)}/${superAdmin}`)).toMatchObject({
      status: 403,
      body: { errorCode: 'E0000006' },
    });
    await ctx.api.post(rolesPath(await userId('jane.doe@example.com')), { type: 'SUPER_ADMIN' });
    expect((await ctx.api.delete(`${rolesPath(admin)}/${superAdmin}`)).status).toBe(204);
  });

  it('drops a deleted user’s assignments', async () => {
    const lukas = await userId('lukas.weber@example.com');
    await ctx.api.post(rolesPath(lukas), { type: 'REPORT_ADMIN' });
    expect(rolesOf(ctx.sandbox.org).assignments.get(lukas)).toHaveLength(1);
    await ctx.api.delete(`/api/v1/users/${lukas}`);
    await ctx.api.delete(`/api/v1/users/${lukas}`);
    expect(rolesOf(ctx.sandbox.org).assignments.has(lukas)).toBe(false);
  });
});

describe('sandbox admin roles: custom roles list', () => {
  it('lists the org’s custom roles', async () => {
    const listed = await ctx.api.get('/api/v1/iam/roles');
    expect(listed.status).toBe(200);
    expect(listed.body.roles).toEqual([
      expect.objectContaining({
        label: 'Help Desk Tier 2',
        description: expect.any(String),
        _links: expect.objectContaining({ permissions: expect.any(Object) }),
      }),
    ]);
    expect(listed.body._links.next).toBeUndefined();
  });

  it('pages with _links.next, a link the description accepts (no limit in it)', async () => {
    for (let i = 0; i < CUSTOM_ROLES_PAGE_SIZE + 5; i++) {
      insertCustomRole(ctx.sandbox.org, `Role ${String(i).padStart(2, '0')}`, 'Generated for paging');
    }
    const labels: string[] = [];
    let path: string | undefined = '/api/v1/iam/roles';
    let pages = 0;
    while (path) {
      const page = await ctx.api.get(path);
      expect(page.status).toBe(200);
      labels.push(...page.body.roles.map((role: { label: string }) => role.label));
      const next: string | undefined = page.body._links.next?.href;
      if (next) expect(new URL(next).searchParams.has('limit')).toBe(false);
      expect(page.headers.get('link')).not.toContain('limit=');
      path = next?.slice(ctx.sandbox.url.length);
      pages += 1;
    }
    expect(pages).toBe(2);
    expect(labels).toHaveLength(CUSTOM_ROLES_PAGE_SIZE + 6);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('serves a query parameter the operation does not declare as Okta does (ignoring it), and records it', async () => {
    const answer = await ctx.api.get('/api/v1/iam/roles?limit=5');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual((await ctx.api.get('/api/v1/iam/roles')).body);
    expect(takeRequestViolations(ctx.sandbox)).toEqual([
      'GET /api/v1/iam/roles (listRoles): query parameter "limit" is not in the description',
    ]);
  });
});
