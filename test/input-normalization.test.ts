/**
 * What the input check does besides refusing: identifiers lose the spaces a paste brings (x-trim), and
 * email fields take internationalized addresses (idn-email), as Okta does. Nothing else is changed.
 */
import { describe, expect, it } from 'vitest';
import { execute } from '../src/index.js';
import { isInternationalizedEmail } from '../src/schema/idn-email.js';
import { fakeGroup, fakeUser } from './helpers/fixtures.js';
import { connection, oktaMock, recordedRequests } from './helpers/okta-mock.js';

const JANE = fakeUser();

describe('identifiers are trimmed', () => {
  it('finds a user given with surrounding spaces and a newline', async () => {
    oktaMock().get('/api/v1/users/jane.doe%40example.com').reply(200, JANE);
    const result = await execute('get-user', { connection, input: { user: '  jane.doe@example.com \n' } });
    expect(result).toMatchObject({ ok: true, output: { id: JANE.id } });
  });

  it('takes a pasted group id with a trailing space, which its pattern would refuse', async () => {
    const group = fakeGroup();
    oktaMock().get(`/api/v1/groups/${group.id}`).reply(200, group);
    const result = await execute('get-group', { connection, input: { groupId: `${group.id} ` } });
    expect(result).toMatchObject({ ok: true, output: { id: group.id } });
  });

  it('leaves a password exactly as given', async () => {
    oktaMock().post('/api/v1/users').query(true).reply(200, JANE);
    const result = await execute('create-user', {
      connection,
      input: {
        profile: { email: 'jane.doe@example.com', firstName: 'Jane', lastName: 'Doe' },
        password: ' spaces count 1A! ',
      },
    });
    expect(result.ok).toBe(true);
    const sent = JSON.parse(recordedRequests()[0]?.body ?? '{}');
    expect(sent.credentials.password.value).toBe(' spaces count 1A! ');
  });

  it("never changes the caller's object", async () => {
    oktaMock().get('/api/v1/users/jane.doe%40example.com').reply(200, JANE);
    const input = { user: ' jane.doe@example.com ' };
    await execute('get-user', { connection, input });
    expect(input.user).toBe(' jane.doe@example.com ');
  });
});

describe('internationalized email addresses', () => {
  it('are taken in a profile, as Okta takes them', async () => {
    oktaMock()
      .post('/api/v1/users')
      .query(true)
      .reply(200, { ...JANE, profile: { ...JANE.profile, email: 'jöran.müller@exämple.de' } });
    const result = await execute('create-user', {
      connection,
      input: { profile: { email: 'jöran.müller@exämple.de', firstName: 'Jöran', lastName: 'Müller' } },
    });
    expect(result).toMatchObject({ ok: true });
  });

  it.each([
    ['jane.doe@example.com', true],
    ['用户@例子.广告', true],
    ['δοκιμή@παράδειγμα.δοκιμή', true],
    ["o'brien+okta@example.co.uk", true],
    ['jöran@xn--exmple-cua.de', true],
    ['not-an-email', false],
    ['jane@localhost', false],
    ['.jane@example.com', false],
    ['jane..doe@example.com', false],
    ['jane doe@example.com', false],
    ['jane@-example.com', false],
    ['@example.com', false],
    [`${'a'.repeat(65)}@example.com`, false],
  ])('%s: %s', (address, valid) => {
    expect(isInternationalizedEmail(address)).toBe(valid);
  });

  it('still refuses what is no address, naming the field', async () => {
    const result = await execute('find-user', { connection, input: { email: 'jane at example.com' } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'email' }] },
    });
  });
});
