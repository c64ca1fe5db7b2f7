import { describe, expect, it } from 'vitest';
import { execute } from '../../src/index.js';
import { fakeGroup, fakeUser } from '../helpers/fixtures.js';
import {
  fakeAppLink,
  fakeBlock,
  fakeFactor,
  fakeGrant,
  fakeRoleAssignment,
} from '../helpers/fixtures-users.js';
import { connection, ORG, oktaError, oktaMock, recordedRequests } from '../helpers/okta-mock.js';
import { oktaApiDescription } from '../helpers/openapi.js';

const JANE = fakeUser();
const LOGIN = 'jane.doe@example.com';
const BY_LOGIN = '/api/v1/users/jane.doe%40example.com';
const USER_PATH = `/api/v1/users/${JANE.id}`;
const lifecycle = (operation: string) => `${USER_PATH}/lifecycle/${operation}`;
const requestLines = () => recordedRequests().map((r) => `${r.method} ${r.path}`);
const FORBIDDEN = oktaError('E0000006', 'You do not have permission to perform the requested action');
const NOT_FOUND = oktaError('E0000007', 'Not found: Resource not found: ghost@example.com (User)');

describe('fixtures-users look like Okta answers', () => {
  const description = oktaApiDescription();

  it('factors, grants, app links, role assignments and blocks match the response schemas', () => {
    const factors = ['sms', 'call', 'push', 'token:software:totp', 'signed_nonce', 'webauthn'].map(
      (factorType, i) => fakeFactor({ factorType, id: `fac${i}nz9JHJGHWRKMTLHP` }),
    );
    expect(description.checkResponse('listFactors', 200, factors)).toEqual([]);
    expect(
      description.checkResponse('listUserGrants', 200, [fakeGrant(), fakeGrant({ scopeName: 'email' })]),
    ).toEqual([]);
    expect(description.checkResponse('listAppLinks', 200, [fakeAppLink()])).toEqual([]);
    expect(description.checkResponse('listAssignedRolesForUser', 200, [fakeRoleAssignment()])).toEqual([]);
    expect(description.checkResponse('listUserBlocks', 200, [fakeBlock(), fakeBlock('ANY_DEVICES')])).toEqual(
      [],
    );
    expect(
      description.checkResponse('activateUser', 200, {
        activationUrl: `${ORG}/welcome/XE6wE17zmphl3KqAPFxO`,
        activationToken: 'XE6wE17zmphl3KqAPFxO',
      }),
    ).toEqual([]);
    expect(
      description.checkResponse('expirePasswordWithTempPassword', 200, { tempPassword: 'F7fnDyai' }),
    ).toEqual([]);
  });

  it('the checker refuses a factor or a block Okta would not send', () => {
    expect(description.checkResponse('listFactors', 200, [fakeFactor({ status: 'ON' })])).not.toEqual([]);
    expect(
      description.checkResponse('listUserBlocks', 200, [{ type: 'DEVICE_BASED', appliesTo: 'SOME' }]),
    ).not.toEqual([]);
  });
});

describe('find-user', () => {
  it('finds the one user with the email through a consistent, quoted filter', async () => {
    let filter = '';
    oktaMock()
      .get('/api/v1/users')
      .query((q) => {
        filter = String(q.filter);
        return q.limit === '200' && q.search === undefined;
      })
      .reply(200, [JANE]);
    const result = await execute('find-user', { connection, input: { email: LOGIN } });
    expect(result).toMatchObject({ ok: true, output: { id: JANE.id, login: LOGIN, status: 'ACTIVE' } });
    expect(filter).toBe('profile.email eq "jane.doe@example.com"');
  });

  it('escapes a quote in a login so it cannot end the literal', async () => {
    let filter = '';
    oktaMock()
      .get('/api/v1/users')
      .query((q) => {
        filter = String(q.filter);
        return true;
      })
      .reply(200, [JANE]);
    await execute('find-user', { connection, input: { login: 'jane" or status eq "ACTIVE' } });
    expect(filter).toBe('profile.login eq "jane\\" or status eq \\"ACTIVE"');
  });

  it('leaves a deactivated user out, and says so when that was the only match', async () => {
    oktaMock()
      .get('/api/v1/users')
      .query(true)
      .reply(200, [fakeUser({ status: 'DEPROVISIONED' })]);
    const result = await execute('find-user', { connection, input: { email: LOGIN } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    if (result.ok) return;
    expect(result.error.message).toContain('includeDeprovisioned');
  });

  it('finds a deactivated user when asked to', async () => {
    oktaMock()
      .get('/api/v1/users')
      .query(true)
      .reply(200, [fakeUser({ status: 'DEPROVISIONED' })]);
    const result = await execute('find-user', {
      connection,
      input: { email: LOGIN, includeDeprovisioned: true },
    });
    expect(result).toMatchObject({ ok: true, output: { status: 'DEPROVISIONED' } });
  });

  it('says NOT_FOUND when nobody has the email', async () => {
    oktaMock().get('/api/v1/users').query(true).reply(200, []);
    const result = await execute('find-user', { connection, input: { email: 'nobody@example.com' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', retryable: false } });
    if (result.ok) return;
    expect(result.error.message).toContain('No user has the email nobody@example.com');
  });

  it('refuses to choose between several users with the same email, saying how many', async () => {
    oktaMock()
      .get('/api/v1/users')
      .query(true)
      .reply(200, [
        JANE,
        fakeUser({ id: '00ub0oNGTSWTBKOLGLN2', profile: { login: 'jane.doe2@example.com' } }),
        fakeUser({ id: '00ub0oNGTSWTBKOLGLN3', profile: { login: 'jdoe@example.com' } }),
      ]);
    const result = await execute('find-user', { connection, input: { email: LOGIN } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (result.ok) return;
    expect(result.error.message).toContain('3 users have the email jane.doe@example.com');
  });

  it('refuses both or neither of email and login, before sending anything', async () => {
    const both = await execute('find-user', { connection, input: { email: LOGIN, login: LOGIN } });
    expect(both).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', details: [{ path: 'login' }] } });
    const neither = await execute('find-user', { connection, input: {} });
    expect(neither).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'email' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });

  it('maps a 403', async () => {
    oktaMock().get('/api/v1/users').query(true).reply(403, FORBIDDEN);
    const result = await execute('find-user', { connection, input: { login: LOGIN } });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', status: 403 } });
  });
});

describe('list-user-groups', () => {
  const ENGINEERING = fakeGroup({ profile: { costCenter: 'CC-4410' } });
  const VPN = fakeGroup({ id: '00g9zzzKYZTWRYYRRTSK', profile: { name: 'VPN Users' } });

  it("resolves a login and lists the user's groups with custom attributes, without a page size", async () => {
    oktaMock().get(BY_LOGIN).reply(200, JANE);
    oktaMock().get(`${USER_PATH}/groups`).reply(200, [ENGINEERING, VPN]);
    const result = await execute('list-user-groups', { connection, input: { user: LOGIN } });
    expect(result).toMatchObject({
      ok: true,
      output: {
        userId: JANE.id,
        count: 2,
        nextCursor: null,
        groups: [{ profile: { costCenter: 'CC-4410' } }, { id: VPN.id }],
      },
    });
  });

  it('stops at maxItems with a cursor that continues on the same page', async () => {
    oktaMock().get(`${USER_PATH}/groups`).times(2).reply(200, [ENGINEERING, VPN]);
    const first = await execute('list-user-groups', { connection, input: { user: JANE.id, maxItems: 1 } });
    expect(first).toMatchObject({ ok: true, output: { count: 1, groups: [{ id: ENGINEERING.id }] } });
    if (!first.ok) return;
    expect(first.output.nextCursor).toEqual(expect.any(String));
    const rest = await execute('list-user-groups', {
      connection,
      input: { user: JANE.id, cursor: first.output.nextCursor! },
    });
    expect(rest).toMatchObject({ ok: true, output: { groups: [{ id: VPN.id }], nextCursor: null } });
  });

  it('says NOT_FOUND for an unknown login', async () => {
    oktaMock().get('/api/v1/users/ghost%40example.com').reply(404, NOT_FOUND);
    const result = await execute('list-user-groups', { connection, input: { user: 'ghost@example.com' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(recordedRequests()).toHaveLength(1);
  });
});

describe('list-user-apps', () => {
  it("lists the user's app links", async () => {
    oktaMock()
      .get(`${USER_PATH}/appLinks`)
      .reply(200, [fakeAppLink(), fakeAppLink({ label: 'Slack', appName: 'slack', hidden: true })]);
    const result = await execute('list-user-apps', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({
      ok: true,
      output: {
        userId: JANE.id,
        count: 2,
        apps: [{ label: 'Salesforce.com', appInstanceId: '0oa1salesforce000001' }, { hidden: true }],
      },
    });
  });

  it('maps a 403', async () => {
    oktaMock().get(`${USER_PATH}/appLinks`).reply(403, FORBIDDEN);
    const result = await execute('list-user-apps', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('list-user-blocks', () => {
  it("lists the user's blocks", async () => {
    oktaMock().get(`${USER_PATH}/blocks`).reply(200, [fakeBlock()]);
    const result = await execute('list-user-blocks', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({
      ok: true,
      output: { userId: JANE.id, count: 1, blocks: [{ type: 'DEVICE_BASED', appliesTo: 'UNKNOWN_DEVICES' }] },
    });
  });

  it('maps a 404', async () => {
    oktaMock().get(`${USER_PATH}/blocks`).reply(404, NOT_FOUND);
    const result = await execute('list-user-blocks', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('list-user-roles', () => {
  it("lists the user's admin roles, with their targets when asked", async () => {
    oktaMock()
      .get(`${USER_PATH}/roles`)
      .query({ expand: 'targets/groups' })
      .reply(200, [fakeRoleAssignment({ _embedded: { targets: { groups: [fakeGroup()] } } })]);
    const result = await execute('list-user-roles', {
      connection,
      input: { user: JANE.id, expand: 'targets/groups' },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { count: 1, roles: [{ type: 'HELP_DESK_ADMIN', _embedded: { targets: { groups: [{}] } } }] },
    });
  });

  it('refuses an unknown expansion before sending anything', async () => {
    const result = await execute('list-user-roles', {
      connection,
      input: { user: JANE.id, expand: 'users' } as never,
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'expand' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });

  it('maps a 403 (the token lacks the roles permission)', async () => {
    oktaMock().get(`${USER_PATH}/roles`).reply(403, FORBIDDEN);
    const result = await execute('list-user-roles', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('list-user-factors', () => {
  it("lists the user's factors with every profile field", async () => {
    oktaMock()
      .get(`${USER_PATH}/factors`)
      .reply(200, [fakeFactor(), fakeFactor({ factorType: 'push', id: 'opf3hkfocI4JTLAju0g4' })]);
    const result = await execute('list-user-factors', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({
      ok: true,
      output: {
        count: 2,
        factors: [
          { factorType: 'sms', profile: { phoneNumber: '+14155550111' } },
          { factorType: 'push', profile: { name: "Jane's iPhone" } },
        ],
      },
    });
  });

  it('maps a 404', async () => {
    oktaMock().get(`${USER_PATH}/factors`).reply(404, NOT_FOUND);
    const result = await execute('list-user-factors', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('list-user-grants', () => {
  it('pages through grants, asking for the scope details and the scope filter on every page', async () => {
    const queries: Array<Record<string, unknown>> = [];
    oktaMock()
      .get(`${USER_PATH}/grants`)
      .query((q) => {
        queries.push(q);
        return q.after === undefined;
      })
      .reply(200, [fakeGrant({ scopeName: 'openid' })], {
        link: `<${ORG}${USER_PATH}/grants?limit=50&scopeId=scp5yu8kLOnDzo7lh0g4&after=oag1>; rel="next"`,
      });
    oktaMock()
      .get(`${USER_PATH}/grants`)
      .query((q) => {
        queries.push(q);
        return q.after === 'oag1';
      })
      .reply(200, [fakeGrant({ id: 'oag3ih1zrm1cBFOiq0h7', scopeName: 'openid' })]);
    const result = await execute('list-user-grants', {
      connection,
      input: { user: JANE.id, scopeId: 'scp5yu8kLOnDzo7lh0g4', includeScopeDetails: true, limit: 50 },
    });
    expect(result).toMatchObject({ ok: true, output: { count: 2, nextCursor: null } });
    expect(queries[0]).toEqual({ scopeId: 'scp5yu8kLOnDzo7lh0g4', expand: 'scope', limit: '50' });
    expect(queries[1]).toMatchObject({ expand: 'scope', after: 'oag1' });
  });

  it("refuses a page size above Okta's maximum before sending anything", async () => {
    const result = await execute('list-user-grants', { connection, input: { user: JANE.id, limit: 500 } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'limit' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });

  it('maps a 404', async () => {
    oktaMock().get(`${USER_PATH}/grants`).query(true).reply(404, NOT_FOUND);
    const result = await execute('list-user-grants', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('get-user-info', () => {
  it('answers UNSUPPORTED with an API token, pointing to get-user, and sends nothing', async () => {
    const result = await execute('get-user-info', { connection, input: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED', retryable: false } });
    if (result.ok) return;
    expect(result.error.message).toContain('get-user');
    expect(result.error.message).toContain('access token');
    expect(result.meta.requests).toBe(0);
    expect(recordedRequests()).toHaveLength(0);
  });

  it('refuses input it does not take', async () => {
    const result = await execute('get-user-info', { connection, input: { user: LOGIN } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'user' }] },
    });
  });
});

describe('replace-user', () => {
  const FULL = { login: LOGIN, email: LOGIN, firstName: 'Jane', lastName: 'Doe', department: 'Finance' };

  it('PUTs exactly the profile given and names the attributes it deletes', async () => {
    let sent: unknown;
    oktaMock().get(BY_LOGIN).reply(200, JANE);
    oktaMock()
      .put(USER_PATH, (body) => {
        sent = body;
        return true;
      })
      .reply(200, { ...JANE, profile: FULL });
    const result = await execute('replace-user', { connection, input: { user: LOGIN, profile: FULL } });
    expect(sent).toEqual({ profile: FULL });
    expect(result).toMatchObject({
      ok: true,
      output: {
        changed: true,
        changedFields: ['department', 'costCenter'],
        removedFields: ['costCenter'],
        user: { profile: { department: 'Finance' } },
      },
    });
  });

  it('sends nothing when the profile equals the current one (an attribute Okta shows as null counts as absent)', async () => {
    oktaMock()
      .get(USER_PATH)
      .reply(200, fakeUser({ profile: { mobilePhone: null } }));
    const result = await execute('replace-user', {
      connection,
      input: {
        user: JANE.id,
        profile: { ...FULL, department: 'Engineering', costCenter: 'CC-4410' },
      },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { changed: false, changedFields: [], removedFields: [] },
    });
    expect(requestLines()).toEqual([`GET ${USER_PATH}`]);
  });

  it('requires the whole base profile and sends nothing without it', async () => {
    const result = await execute('replace-user', {
      connection,
      input: { user: JANE.id, profile: { email: LOGIN, firstName: 'Jane', lastName: 'Doe' } } as never,
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'profile.login', message: 'is required' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });

  it("reports Okta refusing a profile as INVALID_INPUT with Okta's cause", async () => {
    oktaMock().get(USER_PATH).reply(200, JANE);
    oktaMock()
      .put(USER_PATH)
      .reply(
        400,
        oktaError('E0000001', 'Api validation failed: profile', [
          "profile: Property name 'badgeNo' is not defined in profile",
        ]),
      );
    const result = await execute('replace-user', {
      connection,
      input: { user: JANE.id, profile: { ...FULL, badgeNo: '7' } },
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', steps: [{ step: 'replace profile', status: 'failed' }] },
    });
  });
});

describe('activate-user', () => {
  const STAGED = fakeUser({
    status: 'STAGED',
    activated: null,
    credentials: { provider: { type: 'OKTA', name: 'OKTA' } },
  });

  it('activates a staged user with Okta emailing the link, and returns no secret', async () => {
    oktaMock().get(BY_LOGIN).reply(200, STAGED);
    oktaMock().post(lifecycle('activate')).query({ sendEmail: 'true' }).reply(200, {});
    const result = await execute('activate-user', { connection, input: { user: LOGIN } });
    expect(result).toMatchObject({
      ok: true,
      output: { previousStatus: 'STAGED', status: 'PROVISIONED', secretDelivery: 'EMAILED', changed: true },
    });
    if (!result.ok) return;
    expect(result.output).not.toHaveProperty('activationUrl');
    // The one user read that needs the credentials object (the status after activation depends on it).
    expect(recordedRequests()[0]?.headers['content-type']).toBeUndefined();
  });

  it('returns the activation link and token only when asked to reveal them', async () => {
    const answer = {
      activationUrl: `${ORG}/welcome/XE6wE17zmphl3KqAPFxO`,
      activationToken: 'XE6wE17zmphl3KqAPFxO',
    };
    oktaMock().get(USER_PATH).reply(200, STAGED);
    oktaMock().post(lifecycle('activate')).query({ sendEmail: 'false' }).reply(200, answer);
    const result = await execute('activate-user', {
      connection,
      input: { user: JANE.id, sendEmail: false, revealSecret: true },
    });
    expect(result).toMatchObject({ ok: true, output: { secretDelivery: 'RETURNED', ...answer } });
  });

  it('predicts ACTIVE for a user with a password', async () => {
    oktaMock()
      .get(USER_PATH)
      .reply(200, fakeUser({ status: 'DEPROVISIONED' }));
    oktaMock().post(lifecycle('activate')).query(true).reply(200, {});
    const result = await execute('activate-user', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: true, output: { previousStatus: 'DEPROVISIONED', status: 'ACTIVE' } });
  });

  it('refuses a link that would reach no one, before sending anything', async () => {
    const result = await execute('activate-user', { connection, input: { user: JANE.id, sendEmail: false } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'revealSecret' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });

  it('leaves an active user as is', async () => {
    oktaMock().get(USER_PATH).reply(200, JANE);
    const result = await execute('activate-user', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({
      ok: true,
      output: { changed: false, status: 'ACTIVE', secretDelivery: 'NONE' },
    });
    expect(recordedRequests()).toHaveLength(1);
  });

  it('names the status and the way out for a suspended user', async () => {
    oktaMock()
      .get(USER_PATH)
      .reply(200, fakeUser({ status: 'SUSPENDED' }));
    const result = await execute('activate-user', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (result.ok) return;
    expect(result.error.message).toContain('jane.doe@example.com is SUSPENDED');
    expect(result.error.message).toContain('unsuspend-user first');
  });

  it('maps a 403 from the activation', async () => {
    oktaMock().get(USER_PATH).reply(200, STAGED);
    oktaMock().post(lifecycle('activate')).query(true).reply(403, FORBIDDEN);
    const result = await execute('activate-user', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('reactivate-user', () => {
  const PROVISIONED = fakeUser({ status: 'PROVISIONED' });

  it('starts activation over, asking Okta to email the new link', async () => {
    oktaMock().get(USER_PATH).reply(200, PROVISIONED);
    oktaMock().post(lifecycle('reactivate')).query({ sendEmail: 'true' }).reply(200, {});
    const result = await execute('reactivate-user', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({
      ok: true,
      output: { status: 'PROVISIONED', secretDelivery: 'EMAILED', changed: true },
    });
  });

  it('returns the new link when it is not emailed and revealing is asked for', async () => {
    oktaMock()
      .get(USER_PATH)
      .reply(200, fakeUser({ status: 'RECOVERY' }));
    oktaMock()
      .post(lifecycle('reactivate'))
      .query({ sendEmail: 'false' })
      .reply(200, { activationUrl: `${ORG}/welcome/abc`, activationToken: 'abc' });
    const result = await execute('reactivate-user', {
      connection,
      input: { user: JANE.id, sendEmail: false, revealSecret: true },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { previousStatus: 'RECOVERY', activationUrl: `${ORG}/welcome/abc`, activationToken: 'abc' },
    });
  });

  it('refuses an active user, saying why', async () => {
    oktaMock().get(USER_PATH).reply(200, JANE);
    const result = await execute('reactivate-user', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (result.ok) return;
    expect(result.error.message).toContain(
      'is ACTIVE; reactivate-user works only for users who are PROVISIONED or RECOVERY',
    );
    expect(recordedRequests()).toHaveLength(1);
  });

  it('maps a 404', async () => {
    oktaMock().get(USER_PATH).reply(404, NOT_FOUND);
    const result = await execute('reactivate-user', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('suspend-user and unsuspend-user', () => {
  it('suspends an active user', async () => {
    oktaMock().get(USER_PATH).reply(200, JANE);
    oktaMock().post(lifecycle('suspend')).reply(200);
    const result = await execute('suspend-user', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({
      ok: true,
      output: { status: 'SUSPENDED', previousStatus: 'ACTIVE', changed: true },
    });
  });

  it('leaves a suspended user as is', async () => {
    oktaMock()
      .get(USER_PATH)
      .reply(200, fakeUser({ status: 'SUSPENDED' }));
    const result = await execute('suspend-user', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: true, output: { changed: false } });
    expect(recordedRequests()).toHaveLength(1);
  });

  it('refuses a locked-out user with the way out', async () => {
    oktaMock()
      .get(USER_PATH)
      .reply(200, fakeUser({ status: 'LOCKED_OUT' }));
    const result = await execute('suspend-user', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (result.ok) return;
    expect(result.error.message).toContain('unlock-user first');
  });

  it("maps Okta's 403 on suspend", async () => {
    oktaMock().get(USER_PATH).reply(200, JANE);
    oktaMock().post(lifecycle('suspend')).reply(403, FORBIDDEN);
    const result = await execute('suspend-user', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('unsuspends a suspended user, and leaves an active one as is', async () => {
    oktaMock()
      .get(USER_PATH)
      .reply(200, fakeUser({ status: 'SUSPENDED' }));
    oktaMock().post(lifecycle('unsuspend')).reply(200);
    const result = await execute('unsuspend-user', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({
      ok: true,
      output: { status: 'ACTIVE', previousStatus: 'SUSPENDED', changed: true },
    });
    oktaMock().get(USER_PATH).reply(200, JANE);
    const again = await execute('unsuspend-user', { connection, input: { user: JANE.id } });
    expect(again).toMatchObject({ ok: true, output: { changed: false } });
  });

  it('unsuspend maps a 404', async () => {
    oktaMock().get(BY_LOGIN).reply(404, NOT_FOUND);
    const result = await execute('unsuspend-user', { connection, input: { user: LOGIN } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('unlock-user', () => {
  it('unlocks a locked-out user', async () => {
    oktaMock()
      .get(USER_PATH)
      .reply(200, fakeUser({ status: 'LOCKED_OUT' }));
    oktaMock().get(`${USER_PATH}/blocks`).reply(200, []);
    oktaMock().post(lifecycle('unlock')).reply(200);
    const result = await execute('unlock-user', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({
      ok: true,
      output: { previousStatus: 'LOCKED_OUT', status: 'ACTIVE', blocksCleared: 0, changed: true },
    });
  });

  it('unlocks an active user who is blocked from unknown devices', async () => {
    oktaMock().get(USER_PATH).reply(200, JANE);
    oktaMock().get(`${USER_PATH}/blocks`).reply(200, [fakeBlock()]);
    oktaMock().post(lifecycle('unlock')).reply(200);
    const result = await execute('unlock-user', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: true, output: { blocksCleared: 1, changed: true } });
  });

  it('leaves an active user without blocks as is', async () => {
    oktaMock().get(USER_PATH).reply(200, JANE);
    oktaMock().get(`${USER_PATH}/blocks`).reply(200, []);
    const result = await execute('unlock-user', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: true, output: { changed: false, blocksCleared: 0 } });
    expect(requestLines()).toEqual([`GET ${USER_PATH}`, `GET ${USER_PATH}/blocks`]);
  });

  it('refuses a staged user', async () => {
    oktaMock()
      .get(USER_PATH)
      .reply(200, fakeUser({ status: 'STAGED' }));
    const result = await execute('unlock-user', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (result.ok) return;
    expect(result.error.message).toContain('activate-user first');
  });

  it("maps Okta's 403 on unlock (a directory-sourced account)", async () => {
    oktaMock()
      .get(USER_PATH)
      .reply(200, fakeUser({ status: 'LOCKED_OUT' }));
    oktaMock().get(`${USER_PATH}/blocks`).reply(200, []);
    oktaMock().post(lifecycle('unlock')).reply(403, FORBIDDEN);
    const result = await execute('unlock-user', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('reset-password', () => {
  it('asks Okta to email the reset link, with sendEmail and revokeSessions always sent', async () => {
    oktaMock().get(USER_PATH).reply(200, JANE);
    oktaMock()
      .post(lifecycle('reset_password'))
      .query({ sendEmail: 'true', revokeSessions: 'true' })
      .reply(200, {});
    const result = await execute('reset-password', {
      connection,
      input: { user: JANE.id, revokeSessions: true },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { status: 'RECOVERY', previousStatus: 'ACTIVE', secretDelivery: 'EMAILED', changed: true },
    });
  });

  it('returns the reset link only when revealing it is asked for', async () => {
    const url = `${ORG}/reset_password/XE6wE17zmphl3KqAPFxO`;
    oktaMock().get(USER_PATH).reply(200, JANE);
    oktaMock()
      .post(lifecycle('reset_password'))
      .query({ sendEmail: 'false', revokeSessions: 'false' })
      .reply(200, { resetPasswordUrl: url });
    const result = await execute('reset-password', {
      connection,
      input: { user: JANE.id, sendEmail: false, revealSecret: true },
    });
    expect(result).toMatchObject({ ok: true, output: { secretDelivery: 'RETURNED', resetPasswordUrl: url } });
  });

  it('refuses a link that would reach no one, before sending anything', async () => {
    const result = await execute('reset-password', {
      connection,
      input: { user: JANE.id, sendEmail: false },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(recordedRequests()).toHaveLength(0);
  });

  it('refuses a staged user, naming the way out', async () => {
    oktaMock()
      .get(USER_PATH)
      .reply(200, fakeUser({ status: 'STAGED' }));
    const result = await execute('reset-password', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (result.ok) return;
    expect(result.error.message).toContain('is STAGED; reset-password works only for users who are ACTIVE');
  });

  it('maps a 403', async () => {
    oktaMock().get(USER_PATH).reply(200, JANE);
    oktaMock().post(lifecycle('reset_password')).query(true).reply(403, FORBIDDEN);
    const result = await execute('reset-password', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('expire-password', () => {
  it('expires the password', async () => {
    oktaMock().get(USER_PATH).reply(200, JANE);
    oktaMock()
      .post(lifecycle('expire_password'))
      .reply(200, fakeUser({ status: 'PASSWORD_EXPIRED' }));
    const result = await execute('expire-password', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({
      ok: true,
      output: { status: 'PASSWORD_EXPIRED', secretDelivery: 'NONE', changed: true },
    });
  });

  it('leaves an expired password as is when no temporary password is asked for', async () => {
    oktaMock()
      .get(USER_PATH)
      .reply(200, fakeUser({ status: 'PASSWORD_EXPIRED' }));
    const result = await execute('expire-password', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: true, output: { changed: false } });
    expect(recordedRequests()).toHaveLength(1);
  });

  it('returns the temporary password, which it reads raw (the SDK drops it)', async () => {
    oktaMock().get(USER_PATH).reply(200, JANE);
    oktaMock()
      .post(lifecycle('expire_password_with_temp_password'))
      .query({ revokeSessions: 'true' })
      .reply(200, { tempPassword: 'F7fnDyai' });
    const result = await execute('expire-password', {
      connection,
      input: { user: JANE.id, temporaryPassword: true, revokeSessions: true, revealSecret: true },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { status: 'PASSWORD_EXPIRED', secretDelivery: 'RETURNED', temporaryPassword: 'F7fnDyai' },
    });
  });

  it('refuses a temporary password without revealing it, and revokeSessions without one, sending nothing', async () => {
    const hidden = await execute('expire-password', {
      connection,
      input: { user: JANE.id, temporaryPassword: true },
    });
    expect(hidden).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'revealSecret' }] },
    });
    const sessions = await execute('expire-password', {
      connection,
      input: { user: JANE.id, revokeSessions: true },
    });
    expect(sessions).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'revokeSessions' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });

  it('refuses a suspended user', async () => {
    oktaMock()
      .get(USER_PATH)
      .reply(200, fakeUser({ status: 'SUSPENDED' }));
    const result = await execute('expire-password', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('maps a 404', async () => {
    oktaMock().get(BY_LOGIN).reply(404, NOT_FOUND);
    const result = await execute('expire-password', { connection, input: { user: LOGIN } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('set-password', () => {
  const PASSWORD = 'Blue-Harbor-Lamp-42';

  it('sends only the password (a partial update) and never returns it', async () => {
    let sent: unknown;
    oktaMock()
      .get(USER_PATH)
      .reply(200, fakeUser({ status: 'PASSWORD_EXPIRED' }));
    oktaMock()
      .post(USER_PATH, (body) => {
        sent = body;
        return true;
      })
      .reply(200, fakeUser({ passwordChanged: '2026-11-22T08:00:00.000Z' }));
    const result = await execute('set-password', {
      connection,
      input: { user: JANE.id, password: PASSWORD },
    });
    expect(sent).toEqual({ credentials: { password: { value: PASSWORD } } });
    expect(result).toMatchObject({
      ok: true,
      output: {
        previousStatus: 'PASSWORD_EXPIRED',
        status: 'ACTIVE',
        passwordChanged: '2026-11-22T08:00:00.000Z',
        changed: true,
      },
    });
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
  });

  it('asks Okta to apply the history rules with strict', async () => {
    oktaMock().get(USER_PATH).reply(200, JANE);
    oktaMock().post(USER_PATH).query({ strict: 'true' }).reply(200, JANE);
    const result = await execute('set-password', {
      connection,
      input: { user: JANE.id, password: PASSWORD, strict: true },
    });
    expect(result).toMatchObject({ ok: true, output: { changed: true } });
  });

  it("reports Okta's password policy refusal without the password", async () => {
    oktaMock().get(USER_PATH).reply(200, JANE);
    oktaMock()
      .post(USER_PATH)
      .reply(
        400,
        oktaError(
          'E0000080',
          'The password does not meet the complexity requirements of the current password policy.',
          ['password: Password requirements were not met. Password requirements: at least 8 characters.'],
        ),
      );
    const result = await execute('set-password', { connection, input: { user: JANE.id, password: 'short' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', status: 400 } });
    expect(JSON.stringify(result)).not.toContain('"short"');
  });

  it('refuses a deactivated user without sending the password', async () => {
    oktaMock()
      .get(USER_PATH)
      .reply(200, fakeUser({ status: 'DEPROVISIONED' }));
    const result = await execute('set-password', {
      connection,
      input: { user: JANE.id, password: PASSWORD },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(recordedRequests()).toHaveLength(1);
  });

  it('refuses an empty password before sending anything', async () => {
    const result = await execute('set-password', { connection, input: { user: JANE.id, password: '' } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'password' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });
});

describe('reset-factors', () => {
  it('resets when factors are enrolled, and lists them', async () => {
    oktaMock().get(USER_PATH).reply(200, JANE);
    oktaMock()
      .get(`${USER_PATH}/factors`)
      .reply(200, [fakeFactor(), fakeFactor({ factorType: 'push', id: 'opf3hkfocI4JTLAju0g4' })]);
    oktaMock().post(lifecycle('reset_factors')).reply(200);
    const result = await execute('reset-factors', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: true, output: { count: 2, changed: true } });
  });

  it('sends nothing when no factor is enrolled', async () => {
    oktaMock().get(USER_PATH).reply(200, JANE);
    oktaMock().get(`${USER_PATH}/factors`).reply(200, []);
    const result = await execute('reset-factors', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: true, output: { count: 0, factors: [], changed: false } });
    expect(recordedRequests()).toHaveLength(2);
  });

  it("resets when Okta lists none but the user's resetFactors link says a factor is enrolled", async () => {
    oktaMock()
      .get(USER_PATH)
      .reply(
        200,
        fakeUser({
          _links: { resetFactors: { href: `${ORG}${lifecycle('reset_factors')}`, method: 'POST' } },
        }),
      );
    oktaMock().get(`${USER_PATH}/factors`).reply(200, []);
    oktaMock().post(lifecycle('reset_factors')).reply(200);
    const result = await execute('reset-factors', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: true, output: { count: 0, changed: true } });
  });

  it('maps a 403 from the reset', async () => {
    oktaMock().get(USER_PATH).reply(200, JANE);
    oktaMock().get(`${USER_PATH}/factors`).reply(200, [fakeFactor()]);
    oktaMock().post(lifecycle('reset_factors')).reply(403, FORBIDDEN);
    const result = await execute('reset-factors', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('reset-factor', () => {
  const SMS = fakeFactor();
  const PUSH = fakeFactor({ factorType: 'push', id: 'opf3hkfocI4JTLAju0g4' });
  const TOTP = fakeFactor({ factorType: 'token:software:totp', id: 'ost3hkfocI4JTLAju0g4' });

  it('removes a phone factor and its recovery phone when asked', async () => {
    oktaMock().get(USER_PATH).reply(200, JANE);
    oktaMock().get(`${USER_PATH}/factors`).reply(200, [SMS, PUSH]);
    oktaMock()
      .delete(`${USER_PATH}/factors/${SMS.id}`)
      .query({ removeRecoveryEnrollment: 'true' })
      .reply(204);
    const result = await execute('reset-factor', {
      connection,
      input: { user: JANE.id, factorId: SMS.id, removeRecoveryPhone: true },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { factorId: SMS.id, factorType: 'sms', alsoRemoved: [], changed: true },
    });
  });

  it('names the Okta Verify factors that go with a push factor, and sends no recovery flag for it', async () => {
    oktaMock().get(USER_PATH).reply(200, JANE);
    oktaMock().get(`${USER_PATH}/factors`).reply(200, [SMS, PUSH, TOTP]);
    oktaMock().delete(`${USER_PATH}/factors/${PUSH.id}`).reply(204);
    const result = await execute('reset-factor', {
      connection,
      input: { user: JANE.id, factorId: PUSH.id, removeRecoveryPhone: true },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { factorType: 'push', alsoRemoved: [{ id: TOTP.id }] },
    });
    expect(requestLines()).toContain(`DELETE ${USER_PATH}/factors/${PUSH.id}`);
  });

  it('succeeds with changed: false for a factor already gone when missingOk is set', async () => {
    oktaMock().get(USER_PATH).reply(200, JANE);
    oktaMock().get(`${USER_PATH}/factors`).reply(200, [PUSH]);
    const result = await execute('reset-factor', {
      connection,
      input: { user: JANE.id, factorId: SMS.id, missingOk: true },
    });
    expect(result).toMatchObject({ ok: true, output: { factor: null, factorType: null, changed: false } });
    expect(recordedRequests()).toHaveLength(2);
  });

  it('says NOT_FOUND for an unknown factor without missingOk', async () => {
    oktaMock().get(USER_PATH).reply(200, JANE);
    oktaMock().get(`${USER_PATH}/factors`).reply(200, []);
    const result = await execute('reset-factor', { connection, input: { user: JANE.id, factorId: SMS.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    if (result.ok) return;
    expect(result.error.message).toContain(`has no factor ${SMS.id}`);
  });

  it('refuses a factor id in the wrong form before sending anything', async () => {
    const result = await execute('reset-factor', { connection, input: { user: JANE.id, factorId: 'sms' } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'factorId' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });

  it('maps a 403 from the unenrollment', async () => {
    oktaMock().get(USER_PATH).reply(200, JANE);
    oktaMock().get(`${USER_PATH}/factors`).reply(200, [SMS]);
    oktaMock().delete(`${USER_PATH}/factors/${SMS.id}`).reply(403, FORBIDDEN);
    const result = await execute('reset-factor', { connection, input: { user: JANE.id, factorId: SMS.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('clear-user-sessions', () => {
  it('revokes app tokens and forgets devices by default, sending both flags', async () => {
    oktaMock().get(BY_LOGIN).reply(200, JANE);
    oktaMock()
      .delete(`${USER_PATH}/sessions`)
      .query({ oauthTokens: 'true', forgetDevices: 'true' })
      .reply(204);
    const result = await execute('clear-user-sessions', { connection, input: { user: LOGIN } });
    expect(result).toMatchObject({
      ok: true,
      output: { id: JANE.id, oauthTokensRevoked: true, devicesForgotten: true, changed: true },
    });
  });

  it('keeps app tokens and devices when asked', async () => {
    oktaMock().get(USER_PATH).reply(200, JANE);
    oktaMock()
      .delete(`${USER_PATH}/sessions`)
      .query({ oauthTokens: 'false', forgetDevices: 'false' })
      .reply(204);
    const result = await execute('clear-user-sessions', {
      connection,
      input: { user: JANE.id, revokeOAuthTokens: false, forgetDevices: false },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { oauthTokensRevoked: false, devicesForgotten: false },
    });
  });

  it('maps a 403', async () => {
    oktaMock().get(USER_PATH).reply(200, JANE);
    oktaMock().delete(`${USER_PATH}/sessions`).query(true).reply(403, FORBIDDEN);
    const result = await execute('clear-user-sessions', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('revoke-user-grants', () => {
  it('reads every grant (all pages) first, then revokes them all', async () => {
    oktaMock()
      .get(`${USER_PATH}/grants`)
      .query((q) => q.after === undefined && q.expand === 'scope' && q.limit === '200')
      .reply(200, [fakeGrant({ scopeName: 'openid' })], {
        link: `<${ORG}${USER_PATH}/grants?limit=200&after=oag1>; rel="next"`,
      });
    oktaMock()
      .get(`${USER_PATH}/grants`)
      .query((q) => q.after === 'oag1' && q.expand === 'scope')
      .reply(200, [fakeGrant({ id: 'oag3ih1zrm1cBFOiq0h7', scopeName: 'email' })]);
    oktaMock().get(USER_PATH).reply(200, JANE);
    oktaMock().delete(`${USER_PATH}/grants`).reply(204);
    const result = await execute('revoke-user-grants', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: true, output: { count: 2, changed: true } });
    expect(requestLines().at(-1)).toBe(`DELETE ${USER_PATH}/grants`);
  });

  it('sends no DELETE when the user has no grant', async () => {
    oktaMock().get(USER_PATH).reply(200, JANE);
    oktaMock().get(`${USER_PATH}/grants`).query(true).reply(200, []);
    const result = await execute('revoke-user-grants', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({ ok: true, output: { count: 0, changed: false } });
    expect(recordedRequests().map((r) => r.method)).toEqual(['GET', 'GET']);
  });

  it('maps a 403 from the revocation', async () => {
    oktaMock().get(USER_PATH).reply(200, JANE);
    oktaMock().get(`${USER_PATH}/grants`).query(true).reply(200, [fakeGrant()]);
    oktaMock().delete(`${USER_PATH}/grants`).reply(403, FORBIDDEN);
    const result = await execute('revoke-user-grants', { connection, input: { user: JANE.id } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', steps: [{ step: 'revoke grants', status: 'failed' }] },
    });
  });
});
