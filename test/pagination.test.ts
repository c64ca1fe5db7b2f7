import { describe, expect, it } from 'vitest';
import { execute } from '../src/index.js';
import { fakeUser } from './helpers/fixtures.js';
import { connection, ORG, oktaError, oktaMock, recordedRequests } from './helpers/okta-mock.js';

const users = Array.from({ length: 7 }, (_, i) => fakeUser({ id: `00u${String(i).padStart(17, '0')}` }));
const next = (after: string, extra = '') => ({
  link: `<${ORG}/api/v1/users?limit=3&after=${after}${extra}>; rel="next", <${ORG}/api/v1/users?limit=3>; rel="self"`,
});

/** A 7-user org served in pages of up to `limit` users, cursor = index of the next user. */
function serveUsers(times = 10) {
  oktaMock()
    .get('/api/v1/users')
    .query(true)
    .times(times)
    .reply((uri) => {
      const url = new URL(uri, ORG);
      const start = Number(url.searchParams.get('after') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 200);
      const page = users.slice(start, start + limit);
      const end = start + page.length;
      return [200, page, end < users.length ? next(String(end)) : {}];
    });
}

describe('pagination', () => {
  it('follows rel="next" (not rel="self") until the list ends', async () => {
    serveUsers();
    const result = await execute('list-users', { connection, input: { limit: 3 } });
    expect(result).toMatchObject({ ok: true, output: { count: 7, nextCursor: null } });
    if (!result.ok) return;
    expect(result.output.users.map((u) => u.id)).toEqual(users.map((u) => u.id));
    expect(recordedRequests()).toHaveLength(3);
  });

  it('stops at maxItems with a cursor, and the next run continues exactly there (no gap, no repeat)', async () => {
    serveUsers();
    const seen: string[] = [];
    let cursor: string | undefined;
    const counts: number[] = [];
    do {
      const result = await execute('list-users', {
        connection,
        input: { limit: 3, maxItems: 2, ...(cursor ? { cursor } : {}) },
      });
      if (!result.ok) throw new Error(result.error.message);
      seen.push(...result.output.users.map((u) => u.id));
      counts.push(result.output.count);
      cursor = result.output.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(users.map((u) => u.id));
    expect(counts).toEqual([2, 2, 2, 1]);
    // Never asks for more than it can return.
    expect(recordedRequests().every((r) => new URL(r.path, ORG).searchParams.get('limit') === '2')).toBe(
      true,
    );
  });

  it('cuts inside a page when Okta sends more than asked, and resumes inside that page', async () => {
    oktaMock().get('/api/v1/users').query(true).reply(200, users.slice(0, 5), next('5'));
    oktaMock().get('/api/v1/users').query(true).reply(200, users.slice(0, 5), next('5'));
    oktaMock()
      .get('/api/v1/users')
      .query((q) => q.after === '5')
      .reply(200, users.slice(5));
    const first = await execute('list-users', { connection, input: { maxItems: 3 } });
    if (!first.ok) throw new Error(first.error.message);
    expect(first.output.users.map((u) => u.id)).toEqual(users.slice(0, 3).map((u) => u.id));
    const rest = await execute('list-users', {
      connection,
      input: { maxItems: 100, cursor: first.output.nextCursor! },
    });
    if (!rest.ok) throw new Error(rest.error.message);
    expect(rest.output.users.map((u) => u.id)).toEqual(users.slice(3).map((u) => u.id));
    expect(rest.output.nextCursor).toBeNull();
  });

  it('continues past an empty page that still has a next link', async () => {
    oktaMock().get('/api/v1/users').query(true).reply(200, [], next('0'));
    oktaMock()
      .get('/api/v1/users')
      .query((q) => q.after === '0')
      .reply(200, [users[0]]);
    const result = await execute('list-users', { connection, input: {} });
    expect(result).toMatchObject({ ok: true, output: { count: 1, nextCursor: null } });
  });

  it('fails the whole run when a later page fails: never a partial list as if complete', async () => {
    oktaMock().get('/api/v1/users').query(true).reply(200, users.slice(0, 3), next('3'));
    oktaMock()
      .get('/api/v1/users')
      .query((q) => q.after === '3')
      .times(4) // the first try and three retries
      .reply(503, oktaError('E0000010', 'Service is in read only mode'));
    const result = await execute('list-users', { connection, input: { limit: 3 } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'UPSTREAM', retryable: true, status: 503, progress: { pagesRead: 1, itemsRead: 3 } },
    });
    expect(result).not.toHaveProperty('output');
    if (!result.ok)
      expect(result.error.message).toContain('1 page (3 items) had been read; nothing was returned');
  });

  it('a cancel during page 3 stops at once: CANCELLED, saying how far it got, no page 4', async () => {
    const controller = new AbortController();
    oktaMock().get('/api/v1/users').query(true).reply(200, users.slice(0, 2), next('2'));
    oktaMock()
      .get('/api/v1/users')
      .query((q) => q.after === '2')
      .reply(
        200,
        () => {
          setTimeout(() => controller.abort(), 20); // the flow is stopped while page 3 is on its way
          return users.slice(2, 4);
        },
        next('4'),
      );
    oktaMock()
      .get('/api/v1/users')
      .query((q) => q.after === '4')
      .delay(600_000) // never answers within the test: only the cancel can end the run
      .reply(200, users.slice(4, 6), next('6'));
    const result = await execute('list-users', {
      connection,
      input: { limit: 2 },
      signal: controller.signal,
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'CANCELLED', retryable: false, progress: { pagesRead: 2, itemsRead: 4 } },
    });
    if (!result.ok)
      expect(result.error.message).toContain('2 pages (4 items) had been read; nothing was returned');
    expect(recordedRequests().map((r) => new URL(r.path, ORG).searchParams.get('after'))).toEqual([
      null,
      '2',
      '4',
    ]);
  });

  it('refuses a next link to another host (the token must not follow it)', async () => {
    oktaMock()
      .get('/api/v1/users')
      .query(true)
      .reply(200, users.slice(0, 3), { link: '<https://evil.example.com/api/v1/users?after=3>; rel="next"' });
    const result = await execute('list-users', { connection, input: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'UPSTREAM' } });
    if (result.ok) return;
    expect(result.error.message).toContain('leads elsewhere');
  });

  it('refuses a cursor that is not one, or that belongs to another list', async () => {
    const garbage = await execute('list-users', { connection, input: { cursor: 'not-a-cursor' } });
    expect(garbage).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'cursor' }] },
    });
    const otherList = Buffer.from(JSON.stringify({ v: 1, p: '/api/v1/groups?after=x', s: 0 })).toString(
      'base64url',
    );
    const wrong = await execute('list-users', { connection, input: { cursor: otherList } });
    expect(wrong).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        details: [{ path: 'cursor', message: expect.stringContaining('different list') }],
      },
    });
    const offHost = Buffer.from(
      JSON.stringify({ v: 1, p: '//evil.example.com/api/v1/users', s: 0 }),
    ).toString('base64url');
    expect(await execute('list-users', { connection, input: { cursor: offHost } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(recordedRequests()).toHaveLength(0);
  });

  it('a cursor carries the filters of the run that made it', async () => {
    oktaMock()
      .get('/api/v1/users')
      .query(true)
      .reply(200, users.slice(0, 2), next('2', '&search=profile.department%20eq%20%22Eng%22'));
    const first = await execute('list-users', {
      connection,
      input: { search: 'profile.department eq "Eng"', maxItems: 2 },
    });
    if (!first.ok) throw new Error(first.error.message);
    oktaMock()
      .get('/api/v1/users')
      .query((q) => q.after === '2' && q.search === 'profile.department eq "Eng"')
      .reply(200, users.slice(2, 3));
    const second = await execute('list-users', {
      connection,
      input: { cursor: first.output.nextCursor!, maxItems: 2 },
    });
    expect(second).toMatchObject({ ok: true, output: { count: 1, nextCursor: null } });
  });
});
