import { describe, expect, it } from 'vitest';
import { execute } from '../../src/index.js';
import { fakeDevice, fakeUser } from '../helpers/fixtures.js';
import { fakeDeviceUser } from '../helpers/fixtures-apps.js';
import { connection, oktaError, oktaMock, recordedRequests } from '../helpers/okta-mock.js';
import { oktaApiDescription } from '../helpers/openapi.js';

const LAPTOP = fakeDevice({ profile: { sid: 'S-1-5-21-1', customInventoryTag: 'IT-0042' } });
const PATH = `/api/v1/devices/${LAPTOP.id}`;
const device = (status: string) => ({ ...LAPTOP, status });
const requests = () => recordedRequests().map((r) => `${r.method} ${r.path}`);
const forbidden = () => oktaError('E0000006', 'You do not have permission to perform the requested action');

describe('device user fixtures look like Okta answers', () => {
  it('device users match the response schema', () => {
    expect(
      oktaApiDescription().checkResponse('listDeviceUsers', 200, [
        fakeDeviceUser(),
        fakeDeviceUser({ managementStatus: 'NOT_MANAGED', screenLockType: 'NONE' }),
      ]),
    ).toEqual([]);
  });
});

describe('get-device', () => {
  it('reads the device raw, keeping profile fields the SDK model would drop', async () => {
    oktaMock().get(PATH).reply(200, LAPTOP);
    const result = await execute('get-device', { connection, input: { deviceId: LAPTOP.id } });
    expect(result).toMatchObject({
      ok: true,
      output: {
        id: LAPTOP.id,
        status: 'ACTIVE',
        displayName: "Jane's MacBook Pro",
        platform: 'MACOS',
        serialNumber: 'C02XK1ABJG5J',
      },
    });
    if (!result.ok) return;
    expect(result.output.device).toEqual(LAPTOP);
  });

  it('says the Devices API needs Identity Engine when the org answers 404', async () => {
    oktaMock()
      .get(PATH)
      .reply(404, oktaError('E0000007', `Not found: Resource not found: ${LAPTOP.id} (Device)`));
    const result = await execute('get-device', { connection, input: { deviceId: LAPTOP.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    if (result.ok) return;
    expect(result.error.message).toContain('Identity Engine');
  });

  it('refuses a device name where the id belongs, before sending anything', async () => {
    const result = await execute('get-device', { connection, input: { deviceId: "Jane's MacBook Pro" } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: [{ path: 'deviceId' }] },
    });
    expect(recordedRequests()).toHaveLength(0);
  });
});

describe('activate-device', () => {
  it('activates a deactivated device', async () => {
    oktaMock().get(PATH).reply(200, device('DEACTIVATED'));
    oktaMock().post(`${PATH}/lifecycle/activate`).reply(204);
    const result = await execute('activate-device', { connection, input: { deviceId: LAPTOP.id } });
    expect(result).toMatchObject({
      ok: true,
      output: {
        id: LAPTOP.id,
        displayName: "Jane's MacBook Pro",
        status: 'ACTIVE',
        previousStatus: 'DEACTIVATED',
        changed: true,
      },
    });
  });

  it('leaves an active device as is', async () => {
    oktaMock().get(PATH).reply(200, LAPTOP);
    const result = await execute('activate-device', { connection, input: { deviceId: LAPTOP.id } });
    expect(result).toMatchObject({ ok: true, output: { status: 'ACTIVE', changed: false } });
    expect(requests()).toEqual([`GET ${PATH}`]);
  });

  it('refuses a suspended device with CONFLICT pointing to unsuspend-device', async () => {
    oktaMock().get(PATH).reply(200, device('SUSPENDED'));
    const result = await execute('activate-device', { connection, input: { deviceId: LAPTOP.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT', retryable: false } });
    if (result.ok) return;
    expect(result.error.message).toContain('is SUSPENDED');
    expect(result.error.message).toContain('unsuspend-device');
    expect(requests()).toEqual([`GET ${PATH}`]);
  });

  it('maps 403 on the activation to FORBIDDEN', async () => {
    oktaMock().get(PATH).reply(200, device('DEACTIVATED'));
    oktaMock().post(`${PATH}/lifecycle/activate`).reply(403, forbidden());
    const result = await execute('activate-device', { connection, input: { deviceId: LAPTOP.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('suspend-device', () => {
  it('suspends an active device', async () => {
    oktaMock().get(PATH).reply(200, LAPTOP);
    oktaMock().post(`${PATH}/lifecycle/suspend`).reply(204);
    const result = await execute('suspend-device', { connection, input: { deviceId: LAPTOP.id } });
    expect(result).toMatchObject({
      ok: true,
      output: { status: 'SUSPENDED', previousStatus: 'ACTIVE', changed: true },
    });
  });

  it('leaves a suspended device as is', async () => {
    oktaMock().get(PATH).reply(200, device('SUSPENDED'));
    const result = await execute('suspend-device', { connection, input: { deviceId: LAPTOP.id } });
    expect(result).toMatchObject({ ok: true, output: { status: 'SUSPENDED', changed: false } });
    expect(recordedRequests()).toHaveLength(1);
  });

  it('refuses a deactivated device with CONFLICT pointing to activate-device', async () => {
    oktaMock().get(PATH).reply(200, device('DEACTIVATED'));
    const result = await execute('suspend-device', { connection, input: { deviceId: LAPTOP.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (result.ok) return;
    expect(result.error.message).toContain('is DEACTIVATED');
    expect(result.error.message).toContain('activate-device first');
  });

  it("reports Okta's own refusal of the state as CONFLICT", async () => {
    oktaMock().get(PATH).reply(200, LAPTOP);
    oktaMock()
      .post(`${PATH}/lifecycle/suspend`)
      .reply(403, oktaError('E0000038', "This operation is not allowed in the device's current status."));
    const result = await execute('suspend-device', { connection, input: { deviceId: LAPTOP.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT', okta: { errorCode: 'E0000038' } } });
  });
});

describe('unsuspend-device', () => {
  it('returns a suspended device to ACTIVE', async () => {
    oktaMock().get(PATH).reply(200, device('SUSPENDED'));
    oktaMock().post(`${PATH}/lifecycle/unsuspend`).reply(204);
    const result = await execute('unsuspend-device', { connection, input: { deviceId: LAPTOP.id } });
    expect(result).toMatchObject({
      ok: true,
      output: { status: 'ACTIVE', previousStatus: 'SUSPENDED', changed: true },
    });
  });

  it('leaves an active device as is', async () => {
    oktaMock().get(PATH).reply(200, LAPTOP);
    const result = await execute('unsuspend-device', { connection, input: { deviceId: LAPTOP.id } });
    expect(result).toMatchObject({ ok: true, output: { changed: false } });
    expect(recordedRequests()).toHaveLength(1);
  });

  it('refuses a deactivated device with CONFLICT pointing to activate-device', async () => {
    oktaMock().get(PATH).reply(200, device('DEACTIVATED'));
    const result = await execute('unsuspend-device', { connection, input: { deviceId: LAPTOP.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (result.ok) return;
    expect(result.error.message).toContain('activate-device');
  });

  it('maps 404 to NOT_FOUND', async () => {
    oktaMock()
      .get(PATH)
      .reply(404, oktaError('E0000007', `Not found: Resource not found: ${LAPTOP.id} (Device)`));
    const result = await execute('unsuspend-device', { connection, input: { deviceId: LAPTOP.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('delete-device', () => {
  it('deletes a deactivated device in one step', async () => {
    oktaMock().get(PATH).reply(200, device('DEACTIVATED'));
    oktaMock().delete(PATH).reply(204);
    const result = await execute('delete-device', { connection, input: { deviceId: LAPTOP.id } });
    expect(result).toMatchObject({
      ok: true,
      output: {
        id: LAPTOP.id,
        displayName: "Jane's MacBook Pro",
        previousStatus: 'DEACTIVATED',
        deactivatedFirst: false,
        deleted: true,
        changed: true,
      },
    });
    expect(requests()).toEqual([`GET ${PATH}`, `DELETE ${PATH}`]);
  });

  it('deactivates an active device first when asked to', async () => {
    oktaMock().get(PATH).reply(200, LAPTOP);
    oktaMock().post(`${PATH}/lifecycle/deactivate`).reply(204);
    oktaMock().delete(PATH).reply(204);
    const result = await execute('delete-device', {
      connection,
      input: { deviceId: LAPTOP.id, deactivateFirst: true },
    });
    expect(result).toMatchObject({ ok: true, output: { previousStatus: 'ACTIVE', deactivatedFirst: true } });
    expect(requests()).toEqual([`GET ${PATH}`, `POST ${PATH}/lifecycle/deactivate`, `DELETE ${PATH}`]);
  });

  it('refuses an active device with deactivateFirst off, saying how to go on, and sends nothing', async () => {
    oktaMock().get(PATH).reply(200, device('SUSPENDED'));
    const result = await execute('delete-device', {
      connection,
      input: { deviceId: LAPTOP.id, deactivateFirst: false },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (result.ok) return;
    expect(result.error.message).toContain('is SUSPENDED');
    expect(result.error.message).toContain('deactivate-device first, or leave deactivateFirst on');
    expect(requests()).toEqual([`GET ${PATH}`]);
  });

  it('succeeds with changed false for a missing device when missingOk is set, NOT_FOUND otherwise', async () => {
    const missing = () =>
      oktaMock()
        .get(PATH)
        .reply(404, oktaError('E0000007', `Not found: Resource not found: ${LAPTOP.id} (Device)`));
    missing();
    expect(
      await execute('delete-device', { connection, input: { deviceId: LAPTOP.id, missingOk: true } }),
    ).toMatchObject({
      ok: true,
      output: { id: LAPTOP.id, previousStatus: null, deleted: true, changed: false },
    });
    missing();
    expect(await execute('delete-device', { connection, input: { deviceId: LAPTOP.id } })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('says what was already done when the delete fails after the deactivation', async () => {
    oktaMock().get(PATH).reply(200, LAPTOP);
    oktaMock().post(`${PATH}/lifecycle/deactivate`).reply(204);
    oktaMock().delete(PATH).reply(403, forbidden());
    const result = await execute('delete-device', {
      connection,
      input: { deviceId: LAPTOP.id, deactivateFirst: true },
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'FORBIDDEN',
        steps: [
          { step: 'deactivate', status: 'done' },
          { step: 'delete', status: 'failed' },
        ],
      },
    });
    if (result.ok) return;
    expect(result.error.message).toContain('Already done in Okta before the failure: deactivate');
  });
});

describe('list-device-users', () => {
  it("lists the device's users with their whole Okta user", async () => {
    const omar = fakeUser({
      id: '00ub0oNGTSWTBKOLGLN2',
      profile: { login: 'omar@example.com', badge: 'B-7' },
    });
    oktaMock()
      .get(`${PATH}/users`)
      .reply(200, [fakeDeviceUser(), fakeDeviceUser({ user: omar, managementStatus: 'NOT_MANAGED' })]);
    const result = await execute('list-device-users', { connection, input: { deviceId: LAPTOP.id } });
    expect(result).toMatchObject({
      ok: true,
      output: {
        deviceId: LAPTOP.id,
        count: 2,
        deviceUsers: [
          { managementStatus: 'MANAGED', user: { id: '00ub0oNGTSWTBKOLGLNR' } },
          { managementStatus: 'NOT_MANAGED', user: { profile: { badge: 'B-7' } } },
        ],
      },
    });
  });

  it('maps 403 to FORBIDDEN', async () => {
    oktaMock().get(`${PATH}/users`).reply(403, forbidden());
    const result = await execute('list-device-users', { connection, input: { deviceId: LAPTOP.id } });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
