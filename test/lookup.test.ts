/**
 * lookup() with nock: what it sends Okta for a picker (the list action's request, a small page, the typed
 * text, the cursor, the fields it depends on), its options, and every way it refuses, before any request
 * when the mistake is the host's or the person's, in execute()'s envelope when Okta refuses.
 */
import { describe, expect, it } from 'vitest';
import { lookup } from '../src/index.js';
import { fakeGroup, fakeUser } from './helpers/fixtures.js';
import { connection, ORG, oktaError, oktaMock, recordedRequests, TOKEN } from './helpers/okta-mock.js';

const JANE = fakeUser();
const OMAR = fakeUser({
  id: '00ub0oNGTSWTBKOLGLN2',
  profile: { login: 'omar@example.com', email: 'omar@example.com', firstName: 'Omar', lastName: '' },
});
const ENGINEERING = fakeGroup();
const SALES = fakeGroup({ id: '00g1emaKYZTWRYYRRTS2', profile: { name: 'Sales', description: null } });

const queryOf = (path: string) => Object.fromEntries(new URL(path, ORG).searchParams);

describe('lookup(): the options', () => {
  it("runs the field's list action with a page of 20 and answers its items as options", async () => {
    oktaMock().get('/api/v1/groups').query(true).reply(200, [ENGINEERING, SALES]);
    const result = await lookup('add-user-to-group', 'groupId', { connection });
    expect(result).toMatchObject({
      ok: true,
      output: {
        options: [
          { value: ENGINEERING.id, label: 'Engineering', description: 'All engineers' },
          { value: SALES.id, label: 'Sales' },
        ],
        nextCursor: null,
      },
      meta: { action: 'list-groups', requests: 1 },
    });
    if (result.ok) expect(result.output.options[1]).not.toHaveProperty('description');
    expect(queryOf(recordedRequests()[0]!.path)).toMatchObject({ limit: '20' });
  });

  it('joins a label of several paths and falls back to the value when there is none', async () => {
    const nameless = fakeUser({ id: '00ub0oNGTSWTBKOLGLN3', profile: { firstName: null, lastName: null } });
    oktaMock().get('/api/v1/users').query(true).reply(200, [JANE, OMAR, nameless]);
    const result = await lookup('suspend-user', 'user', { connection });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.output.options.map((o) => o.label)).toEqual(['Jane Doe', 'Omar', nameless.id]);
    expect(result.output.options[0]).toEqual({
      value: JANE.id,
      label: 'Jane Doe',
      description: 'jane.doe@example.com',
    });
  });

  it("sends the typed text to the list's search field, and the next page's cursor", async () => {
    const search = 'profile.name sw "E"';
    const next = `<${ORG}/api/v1/groups?limit=2&after=${SALES.id}&search=${encodeURIComponent(search)}>; rel="next"`;
    oktaMock()
      .get('/api/v1/groups')
      .query({ search, limit: '2' })
      .reply(200, [ENGINEERING, SALES], { link: next });
    const first = await lookup('create-user', 'groupIds', { connection, search: '  E ', pageSize: 2 });
    if (!first.ok) throw new Error(first.error.message);
    expect(first.output.options.map((o) => o.value)).toEqual([ENGINEERING.id, SALES.id]);
    expect(first.output.nextCursor).toEqual(expect.any(String));
    oktaMock().get('/api/v1/groups').query({ search, limit: '2', after: SALES.id }).reply(200, []);
    const second = await lookup('create-user', 'groupIds', {
      connection,
      search: 'E',
      pageSize: 2,
      cursor: first.output.nextCursor!,
    });
    expect(second).toMatchObject({ ok: true, output: { options: [], nextCursor: null } });
  });

  it('takes the fields it depends on from the input, and fixed inputs from the lookup', async () => {
    oktaMock()
      .get(`/api/v1/users/${JANE.id}/factors`)
      .reply(200, [
        { id: 'mbl1nz9JHJGHWRKMTLHP', factorType: 'sms', provider: 'OKTA', status: 'ACTIVE', profile: {} },
      ]);
    const factors = await lookup('reset-factor', 'factorId', { connection, input: { user: JANE.id } });
    expect(factors).toMatchObject({
      ok: true,
      output: { options: [{ value: 'mbl1nz9JHJGHWRKMTLHP', label: 'sms', description: 'OKTA ACTIVE' }] },
    });
    oktaMock().get('/api/v1/zones').query(true).reply(200, []);
    await lookup('block-ip-addresses', 'zoneId', { connection });
    expect(queryOf(recordedRequests().at(-1)!.path).filter).toBe('usage eq "BLOCKLIST"');
  });

  it('is exported lazily from the package entry, like execute()', async () => {
    const entry = await import('../src/index.js');
    expect(entry.default.lookup).toBe(entry.lookup);
  });
});

describe('lookup(): refusals before any request', () => {
  const refused = async (...args: Parameters<typeof lookup>) => {
    const result = await lookup(...args);
    expect(result.ok).toBe(false);
    expect(result.meta.requests).toBe(0);
    expect(recordedRequests()).toEqual([]);
    if (result.ok) throw new Error('expected a refusal');
    return result.error;
  };

  it('an unknown action, with the closest key', async () => {
    expect(await refused('add-user-to-grup', 'groupId', { connection })).toMatchObject({
      code: 'UNKNOWN_ACTION',
      message: expect.stringContaining('Did you mean "add-user-to-group"?'),
    });
  });

  it('an unknown field, with the closest one and the fields that have a lookup', async () => {
    const error = await refused('add-user-to-group', 'groupid', { connection });
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toBe(
      'add-user-to-group has no input field "groupid". Did you mean "groupId"? Its fields with a lookup: groupId, user.',
    );
  });

  it('a field without a lookup, and one whose lookup says why it has none', async () => {
    expect(await refused('create-group', 'name', { connection })).toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringContaining("not an Okta object's id or login"),
    });
    const managerId = await refused('create-user', 'profile.managerId', { connection });
    expect(managerId.code).toBe('UNSUPPORTED');
    expect(managerId.message).toContain('HR system');
    const resourceSet = await refused('assign-role-to-user', 'resourceSetId', { connection });
    expect(resourceSet.message).toContain('No action lists resource sets');
  });

  it('a missing dependency, naming it', async () => {
    const error = await refused('update-app-user', 'user', { connection, input: { appId: '  ' } });
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('come from List Application Users, which needs "appId" first');
    expect(error.details).toEqual([{ path: 'appId', message: 'is needed to look up "user"' }]);
  });

  it('a search the list cannot take, and a cursor of a list that comes whole', async () => {
    expect(await refused('delete-event-hook', 'eventHookId', { connection, search: 'SIEM' })).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('cannot be searched'),
    });
    const cursor = await refused('reset-factor', 'factorId', {
      connection,
      input: { user: JANE.id },
      cursor: 'abc',
    });
    expect(cursor.message).toContain('answers in one page');
  });

  it("the host's mistakes in the request, as INVALID_OPTIONS", async () => {
    const misspelt = await refused('add-user-to-group', 'groupId', { connection, serach: 'x' } as never);
    expect(misspelt.code).toBe('INVALID_OPTIONS');
    expect(misspelt.message).toContain('"request.serach" is not a known field (did you mean "search"?)');
    const wrong = await refused('add-user-to-group', 'groupId', {
      connection,
      pageSize: 0,
      search: 5,
      input: [],
    } as never);
    expect(wrong).toMatchObject({ code: 'INVALID_OPTIONS', retryable: false });
    expect(wrong.details?.map((d) => d.path)).toEqual([
      'request.input',
      'request.search',
      'request.pageSize',
    ]);
    expect((await refused('add-user-to-group', 'groupId', null as never)).code).toBe('INVALID_OPTIONS');
  });
});

describe("lookup(): Okta's refusals in execute()'s envelope", () => {
  it('a 403 is FORBIDDEN, with the token nowhere in it', async () => {
    oktaMock()
      .get('/api/v1/apps')
      .query(true)
      .reply(403, oktaError('E0000006', 'You do not have permission to perform the requested action'));
    const result = await lookup('assign-user-to-app', 'appId', { connection, search: 'Sales' });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', status: 403, okta: { errorCode: 'E0000006' } },
      meta: { action: 'list-apps', requests: 1 },
    });
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });

  it('a connection that is not valid is INVALID_CONNECTION, and nothing is sent', async () => {
    const result = await lookup('add-user-to-group', 'groupId', { connection: { type: 'api_token' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_CONNECTION' } });
    expect(recordedRequests()).toEqual([]);
  });
});
