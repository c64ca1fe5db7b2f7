import { describe, expect, it } from 'vitest';
import { execute } from '../../src/index.js';
import { fakeDevice } from '../helpers/fixtures.js';
import { connection, oktaError, oktaMock, recordedRequests } from '../helpers/okta-mock.js';

const LAPTOP = fakeDevice({ profile: { sid: 'S-1-5-21-1', customInventoryTag: 'IT-0042' } });

describe('list-devices', () => {
  it('lists devices with every profile field and the users expansion', async () => {
    oktaMock()
      .get('/api/v1/devices')
      .query({ search: 'status eq "ACTIVE"', expand: 'userSummary', limit: '200' })
      .reply(200, [
        {
          ...LAPTOP,
          _embedded: { users: [{ managementStatus: 'MANAGED', user: { id: '00ub0oNGTSWTBKOLGLNR' } }] },
        },
      ]);
    const result = await execute('list-devices', {
      connection,
      input: { search: 'status eq "ACTIVE"', expand: 'userSummary' },
    });
    expect(result).toMatchObject({
      ok: true,
      output: {
        count: 1,
        nextCursor: null,
        devices: [{ profile: { customInventoryTag: 'IT-0042' }, _embedded: { users: [{}] } }],
      },
    });
  });

  it('says the Devices API needs Identity Engine when the org answers 404', async () => {
    oktaMock()
      .get('/api/v1/devices')
      .query(true)
      .reply(404, oktaError('E0000007', 'Not found: Resource not found: devices'));
    const result = await execute('list-devices', { connection, input: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    if (result.ok) return;
    expect(result.error.message).toContain('Identity Engine');
  });
});

describe('deactivate-device', () => {
  it('deactivates an active device', async () => {
    oktaMock().get(`/api/v1/devices/${LAPTOP.id}`).reply(200, LAPTOP);
    oktaMock().post(`/api/v1/devices/${LAPTOP.id}/lifecycle/deactivate`).reply(204);
    const result = await execute('deactivate-device', { connection, input: { deviceId: LAPTOP.id } });
    expect(result).toMatchObject({
      ok: true,
      output: {
        id: LAPTOP.id,
        displayName: "Jane's MacBook Pro",
        status: 'DEACTIVATED',
        previousStatus: 'ACTIVE',
        changed: true,
      },
    });
  });

  it('leaves a deactivated device as is', async () => {
    oktaMock()
      .get(`/api/v1/devices/${LAPTOP.id}`)
      .reply(200, { ...LAPTOP, status: 'DEACTIVATED' });
    const result = await execute('deactivate-device', { connection, input: { deviceId: LAPTOP.id } });
    expect(result).toMatchObject({ ok: true, output: { changed: false } });
    expect(recordedRequests()).toHaveLength(1);
  });

  it('maps 404 for an unknown device', async () => {
    oktaMock()
      .get(`/api/v1/devices/${LAPTOP.id}`)
      .reply(404, oktaError('E0000007', `Not found: Resource not found: ${LAPTOP.id} (Device)`));
    const result = await execute('deactivate-device', { connection, input: { deviceId: LAPTOP.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
