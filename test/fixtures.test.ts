import { describe, expect, it } from 'vitest';
import { fakeDevice, fakeGroup, fakeUser } from './helpers/fixtures.js';
import { oktaError } from './helpers/okta-mock.js';
import { oktaApiDescription } from './helpers/openapi.js';

// The nock answers are only as good as their likeness to Okta's: hold them to the published schemas.
describe('test fixtures look like Okta answers', () => {
  const description = oktaApiDescription();

  it('users, groups and devices match the response schemas', () => {
    expect(description.checkResponse('getUser', 200, fakeUser())).toEqual([]);
    expect(
      description.checkResponse('listUsers', 200, [fakeUser(), fakeUser({ status: 'DEPROVISIONED' })]),
    ).toEqual([]);
    expect(
      description.checkResponse('createUser', 200, fakeUser({ status: 'STAGED', activated: null })),
    ).toEqual([]);
    expect(
      description.checkResponse('getGroup', 200, fakeGroup({ profile: { costCenter: 'CC-1' } })),
    ).toEqual([]);
    expect(description.checkResponse('listGroups', 200, [fakeGroup()])).toEqual([]);
    expect(description.checkResponse('listDevices', 200, [fakeDevice()])).toEqual([]);
    expect(description.checkResponse('getDevice', 200, fakeDevice({ status: 'DEACTIVATED' }))).toEqual([]);
  });

  it('error bodies match the error schema', () => {
    expect(
      description.checkResponse(
        'getUser',
        404,
        oktaError('E0000007', 'Not found: Resource not found: x (User)'),
      ),
    ).toEqual([]);
  });

  it('the checker itself rejects what Okta would not send', () => {
    expect(description.checkResponse('getUser', 200, { ...fakeUser(), status: 42 })).not.toEqual([]);
    expect(description.checkRequest({ method: 'GET', path: '/api/v1/users?limt=5' })).toEqual([
      expect.stringContaining('query parameter "limt" is not in the description'),
    ]);
    expect(description.checkRequest({ method: 'GET', path: '/api/v1/users?limit=abc' })).not.toEqual([]);
    expect(
      description.checkRequest({ method: 'POST', path: '/api/v1/users', body: '{"profile":"x"}' }),
    ).not.toEqual([]);
    expect(description.checkRequest({ method: 'GET', path: '/api/v1/nothing-here' })).toEqual([
      expect.stringContaining('no operation'),
    ]);
    expect(description.checkRequest({ method: 'GET', path: '/api/v1/users/me' })).toEqual([]);
  });
});
