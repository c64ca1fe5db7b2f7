import { describe, expect, it } from 'vitest';
import { execute } from '../../src/index.js';
import { fakeUser } from '../helpers/fixtures.js';
import { fakeRealm, fakeUserType } from '../helpers/fixtures-security.js';
import { connection, ORG, oktaError, oktaMock, recordedRequests } from '../helpers/okta-mock.js';

const REALM = fakeRealm();
const DEFAULT_REALM = fakeRealm({
  id: 'guo1defaultRealm0g41',
  isDefault: true,
  profile: { name: 'Default realm', realmType: 'DEFAULT', domains: [] },
});
const TYPE = fakeUserType();
const DEFAULT_TYPE = fakeUserType({
  id: 'oty1defaultType00g41',
  name: 'user',
  displayName: 'User',
  default: true,
});

const sent = () => recordedRequests().map((r) => `${r.method} ${decodeURIComponent(r.path)}`);
const bodyOf = (index: number) => JSON.parse(recordedRequests()[index]?.body ?? 'null');

describe('list-realms', () => {
  it('turns name and type into one quoted search, paging with a cursor', async () => {
    const queries: Array<Record<string, unknown>> = [];
    oktaMock()
      .get('/api/v1/realms')
      .query((q) => {
        queries.push(q);
        return true;
      })
      .reply(200, [REALM], { link: `<${ORG}/api/v1/realms?limit=1&after=guo1>; rel="next"` });
    const result = await execute('list-realms', {
      connection,
      input: { nameContains: 'Part"ners', realmType: 'PARTNER', maxItems: 1 },
    });
    expect(result).toMatchObject({ ok: true, output: { count: 1, realms: [{ id: REALM.id }] } });
    if (!result.ok) return;
    expect(result.output.nextCursor).toEqual(expect.any(String));
    expect(queries[0]).toEqual({
      search: '(profile.name co "Part\\"ners") and (profile.realmType eq "PARTNER")',
      limit: '1',
    });
  });

  it('says the org may lack the Realms feature when Okta answers 401 E0000015', async () => {
    oktaMock()
      .get('/api/v1/realms')
      .query(true)
      .reply(
        401,
        oktaError('E0000015', 'You do not have permission to access the feature you are requesting'),
      );
    const result = await execute('list-realms', { connection, input: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED', status: 401 } });
    if (result.ok) return;
    expect(result.error.message).toContain('Secure Partner Access');
  });

  it('keeps the token message alone for a rejected token (E0000011)', async () => {
    oktaMock().get('/api/v1/realms').query(true).reply(401, oktaError('E0000011', 'Invalid token provided'));
    const result = await execute('list-realms', { connection, input: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    if (result.ok) return;
    expect(result.error.message).not.toContain('Secure Partner Access');
  });

  it('reports Okta refusing a search expression', async () => {
    oktaMock()
      .get('/api/v1/realms')
      .query(true)
      .reply(400, oktaError('E0000031', 'Invalid search criteria.', ['Invalid search: near "sw"']));
    const result = await execute('list-realms', { connection, input: { search: 'profile.name sw "P"' } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', okta: { errorCode: 'E0000031' } },
    });
  });
});

describe('get-realm', () => {
  it('returns the stable fields and the whole realm, unknown fields included', async () => {
    const realm = { ...REALM, futureField: { kept: true } };
    oktaMock().get(`/api/v1/realms/${REALM.id}`).reply(200, realm);
    const result = await execute('get-realm', { connection, input: { realmId: REALM.id } });
    expect(result).toEqual({
      ok: true,
      output: {
        id: REALM.id,
        name: 'Partners',
        realmType: 'PARTNER',
        domains: ['partners.example.com'],
        isDefault: false,
        realm,
      },
      meta: expect.any(Object),
    });
  });

  it('maps 404, mentioning the Realms feature', async () => {
    oktaMock()
      .get(`/api/v1/realms/${REALM.id}`)
      .reply(404, oktaError('E0000007', `Not found: Resource not found: ${REALM.id} (Realm)`));
    const result = await execute('get-realm', { connection, input: { realmId: REALM.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    if (result.ok) return;
    expect(result.error.message).toContain('Identity Governance');
  });

  it('refuses a realm name where an id belongs, before any request', async () => {
    const result = await execute('get-realm', { connection, input: { realmId: 'Partners' } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'realmId' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });
});

describe('create-realm', () => {
  it('creates a partner realm with domains', async () => {
    oktaMock().post('/api/v1/realms').reply(200, REALM);
    const result = await execute('create-realm', {
      connection,
      input: { name: 'Partners', realmType: 'PARTNER', domains: ['partners.example.com'] },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { id: REALM.id, name: 'Partners', realmType: 'PARTNER', changed: true },
    });
    expect(bodyOf(0)).toEqual({
      profile: { name: 'Partners', realmType: 'PARTNER', domains: ['partners.example.com'] },
    });
  });

  it('refuses a domain with a character Okta forbids, before any request', async () => {
    const result = await execute('create-realm', {
      connection,
      input: { name: 'Partners', domains: ['partners.example.com/x'] },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(recordedRequests()).toHaveLength(0);
  });

  it('reports a 403 as FORBIDDEN', async () => {
    oktaMock()
      .post('/api/v1/realms')
      .reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action'));
    const result = await execute('create-realm', { connection, input: { name: 'Partners' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('update-realm', () => {
  it('sends the whole profile back with only the given field changed, unknown attributes kept', async () => {
    const realm = fakeRealm({ profile: { futureAttribute: 'keep me' } });
    oktaMock().get(`/api/v1/realms/${REALM.id}`).reply(200, realm);
    oktaMock()
      .put(`/api/v1/realms/${REALM.id}`)
      .reply(200, (_uri, body) => ({ ...realm, profile: (body as { profile: object }).profile }));
    const result = await execute('update-realm', {
      connection,
      input: { realmId: REALM.id, name: 'Partners (EMEA)' },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { name: 'Partners (EMEA)', changed: true, changedFields: ['name'] },
    });
    expect(bodyOf(1)).toEqual({
      profile: {
        name: 'Partners (EMEA)',
        realmType: 'PARTNER',
        domains: ['partners.example.com'],
        futureAttribute: 'keep me',
      },
    });
  });

  it('sends nothing when the realm already is as asked (an empty list matches no domains)', async () => {
    oktaMock().get(`/api/v1/realms/${DEFAULT_REALM.id}`).reply(200, DEFAULT_REALM);
    const result = await execute('update-realm', {
      connection,
      input: { realmId: DEFAULT_REALM.id, name: 'Default realm', domains: [] },
    });
    expect(result).toMatchObject({ ok: true, output: { changed: false, changedFields: [] } });
    expect(sent()).toEqual([`GET /api/v1/realms/${DEFAULT_REALM.id}`]);
  });

  it('refuses an update that names nothing to change, before any request', async () => {
    const result = await execute('update-realm', { connection, input: { realmId: REALM.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(recordedRequests()).toHaveLength(0);
  });

  it('a dry run reads and plans the PUT without sending it', async () => {
    oktaMock().get(`/api/v1/realms/${REALM.id}`).reply(200, REALM);
    const result = await execute('update-realm', {
      connection,
      input: { realmId: REALM.id, domains: [] },
      dryRun: true,
    });
    expect(result).toMatchObject({
      ok: true,
      output: { wouldChange: true, plan: [{ method: 'PUT', path: `/api/v1/realms/${REALM.id}` }] },
    });
    expect(sent()).toEqual([`GET /api/v1/realms/${REALM.id}`]);
  });
});

describe('delete-realm', () => {
  const usersInRealm = (users: unknown[]) =>
    oktaMock()
      .get('/api/v1/users')
      .query({ search: `realmId eq "${REALM.id}"`, limit: '1' })
      .reply(200, users);

  it('deletes an empty realm', async () => {
    oktaMock().get(`/api/v1/realms/${REALM.id}`).reply(200, REALM);
    usersInRealm([]);
    oktaMock().delete(`/api/v1/realms/${REALM.id}`).reply(204);
    const result = await execute('delete-realm', { connection, input: { realmId: REALM.id } });
    expect(result).toMatchObject({
      ok: true,
      output: { id: REALM.id, name: 'Partners', deleted: true, changed: true },
    });
  });

  it('refuses a realm with users as CONFLICT naming one, and sends no DELETE', async () => {
    oktaMock().get(`/api/v1/realms/${REALM.id}`).reply(200, REALM);
    usersInRealm([fakeUser({ realmId: REALM.id })]);
    const result = await execute('delete-realm', { connection, input: { realmId: REALM.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (result.ok) return;
    expect(result.error.message).toContain('jane.doe@example.com');
    expect(result.error.message).toContain('Nothing was changed');
    expect(sent().some((line) => line.startsWith('DELETE'))).toBe(false);
  });

  it('refuses the default realm without asking Okta to delete it', async () => {
    oktaMock().get(`/api/v1/realms/${DEFAULT_REALM.id}`).reply(200, DEFAULT_REALM);
    const result = await execute('delete-realm', { connection, input: { realmId: DEFAULT_REALM.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(recordedRequests()).toHaveLength(1);
  });

  it("turns Okta's own 400 refusal of the delete into CONFLICT, keeping Okta's words", async () => {
    oktaMock().get(`/api/v1/realms/${REALM.id}`).reply(200, REALM);
    usersInRealm([]);
    oktaMock()
      .delete(`/api/v1/realms/${REALM.id}`)
      .reply(
        400,
        oktaError('E0000001', 'Api validation failed: realm', [
          'realm: The realm is still assigned to an IdP',
        ]),
      );
    const result = await execute('delete-realm', { connection, input: { realmId: REALM.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT', okta: { errorCode: 'E0000001' } } });
    if (result.ok) return;
    expect(result.error.message).toContain('still assigned to an IdP');
  });

  it('succeeds with changed false for a realm already gone when missingOk', async () => {
    oktaMock()
      .get(`/api/v1/realms/${REALM.id}`)
      .reply(404, oktaError('E0000007', `Not found: Resource not found: ${REALM.id} (Realm)`));
    const result = await execute('delete-realm', {
      connection,
      input: { realmId: REALM.id, missingOk: true },
    });
    expect(result).toMatchObject({ ok: true, output: { name: null, deleted: true, changed: false } });
  });
});

describe('list-user-types', () => {
  it('lists every type in one unpaged request', async () => {
    oktaMock().get('/api/v1/meta/types/user').reply(200, [DEFAULT_TYPE, TYPE]);
    const result = await execute('list-user-types', { connection, input: {} });
    expect(result).toMatchObject({
      ok: true,
      output: { count: 2, nextCursor: null, userTypes: [{ default: true }, { name: 'contractor' }] },
    });
  });

  it('maps 403', async () => {
    oktaMock()
      .get('/api/v1/meta/types/user')
      .reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action'));
    const result = await execute('list-user-types', { connection, input: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('get-user-type', () => {
  it('reads the default type by its alias and keeps the default flag', async () => {
    oktaMock().get('/api/v1/meta/types/user/default').reply(200, DEFAULT_TYPE);
    const result = await execute('get-user-type', { connection, input: { typeId: 'default' } });
    expect(result).toMatchObject({
      ok: true,
      output: { id: DEFAULT_TYPE.id, name: 'user', isDefault: true, userType: { default: true } },
    });
  });

  it('maps 404', async () => {
    oktaMock()
      .get(`/api/v1/meta/types/user/${TYPE.id}`)
      .reply(404, oktaError('E0000007', `Not found: Resource not found: ${TYPE.id} (UserType)`));
    const result = await execute('get-user-type', { connection, input: { typeId: TYPE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('create-user-type', () => {
  it('creates a type; the output keeps Okta\'s "default" flag (the SDK would rename it)', async () => {
    oktaMock().post('/api/v1/meta/types/user').reply(200, TYPE);
    const result = await execute('create-user-type', {
      connection,
      input: {
        name: 'contractor',
        displayName: 'Contractor',
        description: 'External staff on a fixed-term contract',
      },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { id: TYPE.id, isDefault: false, changed: true, userType: { default: false } },
    });
    if (!result.ok) return;
    expect(result.output.userType).not.toHaveProperty('_default');
    expect(bodyOf(0)).toEqual({
      name: 'contractor',
      displayName: 'Contractor',
      description: 'External staff on a fixed-term contract',
    });
  });

  it('refuses a name Okta does not allow, before any request', async () => {
    const result = await execute('create-user-type', {
      connection,
      input: { name: '1 contractor', displayName: 'Contractor' },
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'name' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });

  it('reports a taken name as CONFLICT', async () => {
    oktaMock()
      .post('/api/v1/meta/types/user')
      .reply(
        400,
        oktaError('E0000001', 'Api validation failed: name', [
          'name: An object with this field already exists in the current organization',
        ]),
      );
    const result = await execute('create-user-type', {
      connection,
      input: { name: 'contractor', displayName: 'Contractor' },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });
});

describe('update-user-type', () => {
  it('posts only the fields that differ', async () => {
    oktaMock().get(`/api/v1/meta/types/user/${TYPE.id}`).reply(200, TYPE);
    oktaMock()
      .post(`/api/v1/meta/types/user/${TYPE.id}`)
      .reply(200, { ...TYPE, displayName: 'External contractor' });
    const result = await execute('update-user-type', {
      connection,
      input: { typeId: TYPE.id, displayName: 'External contractor', description: TYPE.description },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { displayName: 'External contractor', changed: true, changedFields: ['displayName'] },
    });
    expect(bodyOf(1)).toEqual({ displayName: 'External contractor' });
  });

  it('sends nothing when the values already match', async () => {
    oktaMock().get(`/api/v1/meta/types/user/${TYPE.id}`).reply(200, TYPE);
    const result = await execute('update-user-type', {
      connection,
      input: { typeId: TYPE.id, displayName: 'Contractor' },
    });
    expect(result).toMatchObject({ ok: true, output: { changed: false } });
    expect(recordedRequests()).toHaveLength(1);
  });

  it('refuses an update that names nothing to change, before any request', async () => {
    const result = await execute('update-user-type', { connection, input: { typeId: TYPE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(recordedRequests()).toHaveLength(0);
  });
});

describe('replace-user-type', () => {
  it('puts the API name, display name and an empty description (clearing it)', async () => {
    oktaMock().get(`/api/v1/meta/types/user/${TYPE.id}`).reply(200, TYPE);
    oktaMock()
      .put(`/api/v1/meta/types/user/${TYPE.id}`)
      .reply(200, { ...TYPE, displayName: 'Vendor staff', description: '' });
    const result = await execute('replace-user-type', {
      connection,
      input: { typeId: TYPE.id, displayName: 'Vendor staff' },
    });
    expect(result).toMatchObject({
      ok: true,
      output: { changed: true, changedFields: ['displayName', 'description'], description: '' },
    });
    expect(bodyOf(1)).toEqual({ name: 'contractor', displayName: 'Vendor staff', description: '' });
  });

  it('maps a 400 from Okta', async () => {
    oktaMock().get(`/api/v1/meta/types/user/${TYPE.id}`).reply(200, TYPE);
    oktaMock()
      .put(`/api/v1/meta/types/user/${TYPE.id}`)
      .reply(400, oktaError('E0000001', 'Api validation failed: displayName', ['displayName: too long']));
    const result = await execute('replace-user-type', {
      connection,
      input: { typeId: TYPE.id, displayName: 'Vendor staff' },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', status: 400 } });
  });
});

describe('delete-user-type', () => {
  const usersOfType = (users: unknown[]) =>
    oktaMock()
      .get('/api/v1/users')
      .query({ search: `type.id eq "${TYPE.id}"`, limit: '1' })
      .reply(200, users);

  it('deletes an unused type', async () => {
    oktaMock().get(`/api/v1/meta/types/user/${TYPE.id}`).reply(200, TYPE);
    usersOfType([]);
    oktaMock().delete(`/api/v1/meta/types/user/${TYPE.id}`).reply(204);
    const result = await execute('delete-user-type', { connection, input: { typeId: TYPE.id } });
    expect(result).toMatchObject({ ok: true, output: { name: 'contractor', deleted: true, changed: true } });
  });

  it('refuses the default type as CONFLICT, sending no search and no DELETE', async () => {
    oktaMock().get('/api/v1/meta/types/user/default').reply(200, DEFAULT_TYPE);
    const result = await execute('delete-user-type', { connection, input: { typeId: 'default' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(recordedRequests()).toHaveLength(1);
  });

  it('refuses a type users still have, naming one', async () => {
    oktaMock().get(`/api/v1/meta/types/user/${TYPE.id}`).reply(200, TYPE);
    usersOfType([fakeUser({ status: 'DEPROVISIONED', type: { id: TYPE.id } })]);
    const result = await execute('delete-user-type', { connection, input: { typeId: TYPE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (result.ok) return;
    expect(result.error.message).toContain('jane.doe@example.com');
  });

  it("turns Okta's 403 E0000142 into CONFLICT rather than a permission problem", async () => {
    oktaMock().get(`/api/v1/meta/types/user/${TYPE.id}`).reply(200, TYPE);
    usersOfType([]);
    oktaMock()
      .delete(`/api/v1/meta/types/user/${TYPE.id}`)
      .reply(
        403,
        oktaError('E0000142', 'Deleting this user type is not allowed', [
          'reason: UNMET_REQUIREMENTS: users of this type exist',
        ]),
      );
    const result = await execute('delete-user-type', { connection, input: { typeId: TYPE.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (result.ok) return;
    expect(result.error.message).toContain('UNMET_REQUIREMENTS');
  });

  it('succeeds with changed false for a type already gone when missingOk', async () => {
    oktaMock()
      .get(`/api/v1/meta/types/user/${TYPE.id}`)
      .reply(404, oktaError('E0000007', `Not found: Resource not found: ${TYPE.id} (UserType)`));
    const result = await execute('delete-user-type', {
      connection,
      input: { typeId: TYPE.id, missingOk: true },
    });
    expect(result).toMatchObject({ ok: true, output: { name: null, changed: false } });
  });
});
