import { describe, expect, it } from 'vitest';
import { execute } from '../../src/index.js';
import { fakeGroup, fakeUser } from '../helpers/fixtures.js';
import { connection, ORG, oktaError, oktaMock, recordedRequests } from '../helpers/okta-mock.js';

const JANE = fakeUser();

describe('call-okta-api', () => {
  it('reads a single object', async () => {
    oktaMock().get('/api/v1/users/me').reply(200, JANE);
    const result = await execute('call-okta-api', { connection, input: { path: '/api/v1/users/me' } });
    expect(result).toMatchObject({
      ok: true,
      output: { status: 200, body: { id: JANE.id }, count: null, nextCursor: null, changed: false },
    });
  });

  it('reads a list through its pages up to maxItems, with a cursor that continues exactly there', async () => {
    const groups = Array.from({ length: 5 }, (_, i) =>
      fakeGroup({ id: `00g${String(i).padStart(17, '0')}` }),
    );
    const link = (after: number) => ({ link: `<${ORG}/api/v1/groups?limit=2&after=${after}>; rel="next"` });
    oktaMock().get('/api/v1/groups').query({ limit: '2' }).reply(200, groups.slice(0, 2), link(2));
    // A raw call keeps the page size the caller chose: the page after is cut at maxItems, and the cursor
    // points inside it.
    oktaMock()
      .get('/api/v1/groups')
      .query({ limit: '2', after: '2' })
      .times(2)
      .reply(200, groups.slice(2, 4), link(4));
    oktaMock().get('/api/v1/groups').query({ limit: '2', after: '4' }).reply(200, groups.slice(4));
    const first = await execute('call-okta-api', {
      connection,
      input: { path: '/api/v1/groups?limit=2', maxItems: 3 },
    });
    if (!first.ok) throw new Error(first.error.message);
    expect(first.output).toMatchObject({ status: 200, count: 3, changed: false });
    expect((first.output.body as Array<{ id: string }>).map((g) => g.id)).toEqual(
      groups.slice(0, 3).map((g) => g.id),
    );
    const rest = await execute('call-okta-api', {
      connection,
      input: { path: '/api/v1/groups', cursor: first.output.nextCursor! },
    });
    if (!rest.ok) throw new Error(rest.error.message);
    expect(rest.output).toMatchObject({ count: 2, nextCursor: null });
    expect((rest.output.body as Array<{ id: string }>).map((g) => g.id)).toEqual(
      groups.slice(3).map((g) => g.id),
    );
  });

  it('reads one page when the caller set a limit and no maxItems: a small limit does not multiply requests', async () => {
    const users = [fakeUser({ id: '00u00000000000000001' }), fakeUser({ id: '00u00000000000000002' })];
    oktaMock()
      .get('/api/v1/users')
      .query({ limit: '2' })
      .reply(200, users, { link: `<${ORG}/api/v1/users?limit=2&after=00u00000000000000002>; rel="next"` });
    const result = await execute('call-okta-api', { connection, input: { path: '/api/v1/users?limit=2' } });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.output).toMatchObject({ count: 2, nextCursor: expect.any(String) });
    expect(result.meta.requests).toBe(1);
    expect(recordedRequests()).toHaveLength(1);
  });

  it('takes a limit given in Query the same way', async () => {
    oktaMock()
      .get('/api/v1/groups')
      .query({ limit: '1' })
      .reply(200, [fakeGroup()], { link: `<${ORG}/api/v1/groups?limit=1&after=x>; rel="next"` });
    const result = await execute('call-okta-api', {
      connection,
      input: { path: '/api/v1/groups', query: { limit: 1 } },
    });
    expect(result).toMatchObject({ ok: true, output: { count: 1 }, meta: { requests: 1 } });
  });

  it('cuts a first page larger than maxItems and resumes inside it', async () => {
    const users = [JANE, fakeUser({ id: '00ub0oNGTSWTBKOLGLN2' }), fakeUser({ id: '00ub0oNGTSWTBKOLGLN3' })];
    oktaMock().get('/api/v1/users').times(2).reply(200, users);
    const first = await execute('call-okta-api', {
      connection,
      input: { path: '/api/v1/users', maxItems: 2 },
    });
    if (!first.ok) throw new Error(first.error.message);
    expect(first.output.count).toBe(2);
    const rest = await execute('call-okta-api', {
      connection,
      input: { path: '/api/v1/users', cursor: first.output.nextCursor! },
    });
    expect(rest).toMatchObject({
      ok: true,
      output: { count: 1, body: [{ id: '00ub0oNGTSWTBKOLGLN3' }], nextCursor: null },
    });
  });

  it('sends a change with its body and query, and a dry run sends nothing', async () => {
    let body: unknown;
    oktaMock()
      .post('/api/v1/groups', (sent) => {
        body = sent;
        return true;
      })
      .reply(200, fakeGroup({ profile: { name: 'Audit' } }));
    const input = { method: 'POST', path: '/api/v1/groups', body: { profile: { name: 'Audit' } } } as const;
    const planned = await execute('call-okta-api', { connection, input, dryRun: true });
    expect(planned).toMatchObject({
      ok: true,
      output: { dryRun: true, wouldChange: true, plan: [{ method: 'POST', path: '/api/v1/groups' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
    const result = await execute('call-okta-api', { connection, input });
    expect(result).toMatchObject({
      ok: true,
      output: { status: 200, changed: true, body: { profile: { name: 'Audit' } } },
    });
    expect(body).toEqual({ profile: { name: 'Audit' } });
  });

  it('takes the body as JSON text too, as a form gives it, and sends the same request', async () => {
    let body: unknown;
    oktaMock()
      .post('/api/v1/groups', (sent) => {
        body = sent;
        return true;
      })
      .reply(200, fakeGroup({ profile: { name: 'Audit' } }));
    const input = { method: 'POST', path: '/api/v1/groups', body: '{"profile": {"name": "Audit"}}' } as const;
    const result = await execute('call-okta-api', { connection, input });
    expect(result).toMatchObject({ ok: true, output: { status: 200, changed: true } });
    expect(body).toEqual({ profile: { name: 'Audit' } });
  });

  it.each([
    ['{"profile": ', 'is not JSON text'],
    ['"a string"', 'must be a JSON object or list'],
    ['42', 'must be a JSON object or list'],
    ['null', 'must be a JSON object or list'],
  ])('refuses the text body %s before anything is sent, without quoting it', async (text, why) => {
    const result = await execute('call-okta-api', {
      connection,
      input: { method: 'POST', path: '/api/v1/groups', body: text },
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'body' }] },
    });
    if (!result.ok) {
      expect(result.error.message).toContain(why);
      expect(result.error.message).not.toContain(text);
    }
    expect(recordedRequests()).toHaveLength(0);
  });

  it("reports Okta's errors like every other action", async () => {
    oktaMock()
      .get('/api/v1/users/nobody')
      .reply(404, oktaError('E0000007', 'Not found: Resource not found: nobody (User)'));
    expect(
      await execute('call-okta-api', { connection, input: { path: '/api/v1/users/nobody' } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', okta: { errorCode: 'E0000007' } },
    });
  });

  it.each([
    ['https://evil.example.com/api/v1/users', 'full address'],
    ['//evil.example.com/api/v1/users', 'full address'],
    ['/api/v2/users', 'must start with'],
    ['/home/admin', 'must start with'],
    ['/api/v1/../admin', '".."'],
    ['/api/v1/users/./me', '"."'],
    ['/api/v1//users', 'empty'],
    ['/api/v1/%2e%2e/admin', 'encoded'],
    ['/api/v1/users%2fme', 'encoded'],
    ['/api/v1/users\\me', 'backslashes'],
    ['/api/v1/users/me#x', '#'],
    ['/api/v1/users/ me', 'spaces'],
  ])('refuses the path %s without sending anything', async (path, why) => {
    const result = await execute('call-okta-api', { connection, input: { path } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'path' }] },
    });
    if (!result.ok) expect(result.error.message).toContain(why);
    expect(recordedRequests()).toHaveLength(0);
  });

  it('refuses a body with GET and a cursor with a change', async () => {
    expect(
      await execute('call-okta-api', { connection, input: { path: '/api/v1/users', body: {} } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'body' }] },
    });
    expect(
      await execute('call-okta-api', {
        connection,
        input: { method: 'DELETE', path: '/api/v1/users/x', cursor: 'abc' },
      }),
    ).toMatchObject({
      ok: false,
      error: { details: [{ path: 'cursor' }] },
    });
  });
});
